package storage

import (
	"path/filepath"
	"strings"
)

// joinRel is filepath.Join(root, filepath.FromSlash(rel)), without
// filepath.Clean's work (and allocation) for the paths a walk lists:
// already clean, relative, below a cleaned root.
func joinRel(root, rel string) string {
	if !cleanRel(root, rel) {
		return filepath.Join(root, filepath.FromSlash(rel))
	}
	switch root {
	case "/":
		return "/" + rel
	case ".":
		return rel
	}
	return root + "/" + rel
}

// appendJoin appends joinRel(root, rel) to b.
func appendJoin(b []byte, root, rel string) []byte {
	if !cleanRel(root, rel) {
		return append(b, filepath.Join(root, filepath.FromSlash(rel))...)
	}
	switch root {
	case "/":
		b = append(b, '/')
	case ".":
	default:
		b = append(append(b, root...), '/')
	}
	return append(b, rel...)
}

// cleanRel reports whether root + "/" + rel is already what filepath.Join
// gives, for a root that filepath.Clean left as it is (the share's root
// is cleaned once, when opened): '/' is the separator and rel is relative
// with no empty, "." or ".." element.
func cleanRel(root, rel string) bool {
	if filepath.Separator != '/' || root == "" || rel == "" || rel[0] == '/' || root != "/" && root[len(root)-1] == '/' {
		return false
	}
	for rest := rel; ; {
		el, more, found := strings.Cut(rest, "/")
		if el == "" || el == "." || el == ".." {
			return false
		}
		if !found {
			return true
		}
		rest = more
	}
}
