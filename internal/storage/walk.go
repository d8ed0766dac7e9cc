package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// Walk visits every file below root the way a share is read, the same for
// `check --storage DIR` and `inspect DIR`: regular files, and symbolic links
// (and Windows junctions) as what they lead to, at the link's path, as an
// SMB client sees them (Samba follows links inside a share by default, a
// Windows share its junctions): a link to a file is that file, a link to a
// folder is walked as a folder; FIFOs, devices and sockets are not backups
// and are never opened. A link to a folder on the current path (its own
// parent, the root) is a loop: one error entry, not walked. fn gets the
// path relative to root ('/'-separated) and the file's info, or an error
// for one entry — a dangling link, a link loop, a folder that cannot be
// listed — after which the walk goes on. Walk returns only ctx's error, or
// the error of root itself.
//
// A root that is a symbolic link to a folder is that folder.
//
// Each folder is opened once and its entries, sorted by name, are stat'ed
// relative to it (fstatat on unix) rather than by full path. fi is valid
// only during the call to fn: the walk reuses it for the next entry.
func Walk(ctx context.Context, root string, fn func(rel string, fi fs.FileInfo, err error)) error {
	return walk(ctx, root, fn, nil, nil)
}

// walk is Walk, its progress told to wt (nil: not watched), each link
// that leads outside root to out (nil: not told).
func walk(ctx context.Context, root string, fn func(rel string, fi fs.FileInfo, err error), wt *watch, out func(rel, target string)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	fi, err := os.Lstat(root)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if t, err := os.Stat(root); err == nil && t.IsDir() {
			fi = t
		}
	}
	switch {
	case fi.IsDir():
		w := &walkState{wt: wt}
		if out != nil {
			w.out = &outside{root: root, fn: out}
		}
		return walkDir(ctx, root, "", fn, w)
	case fi.Mode()&fs.ModeSymlink != 0:
		t, err := os.Stat(root)
		switch {
		case err != nil:
			fn(".", nil, EntryError(err))
		case t.Mode().IsRegular():
			fn(".", t, nil)
		}
	case fi.Mode().IsRegular():
		fn(".", fi, nil)
	}
	return nil
}

// walkDir visits the folder dir, rel below the root ("" for the root).
func walkDir(ctx context.Context, dir, rel string, fn func(rel string, fi fs.FileInfo, err error), w *walkState) error {
	if w.wt != nil {
		w.wt.enter(rel)
	}
	f, err := os.Open(dir)
	var ents []dirent
	if err == nil {
		ents, err = readDir(f, dir, w)
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		if rel == "" {
			return err
		}
		e := EntryError(err).(*entryError)
		e.msg, e.dir = "cannot list this folder: "+e.msg, true
		fn(rel, nil, e)
		return nil
	}
	defer f.Close()
	w.path = append(w.path, dirOnPath{f: f, rel: rel})
	defer func() { w.path = w.path[:len(w.path)-1] }()
	slices.SortFunc(ents, func(a, b dirent) int { return strings.Compare(a.name, b.name) })
	for _, d := range ents {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.name
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		switch t := d.typ; {
		case t.IsDir():
			if err := walkDir(ctx, filepath.Join(dir, name), r, fn, w); err != nil {
				return err
			}
		case t&(fs.ModeSymlink|fs.ModeIrregular) != 0:
			// A link (a Windows junction is irregular) is what it leads
			// to, at the link's path, as an SMB client sees it.
			fi, err := statAt(f, dir, name, true, w)
			switch {
			case err != nil:
				fn(r, nil, EntryError(err))
			case fi.IsDir():
				if anc := w.ancestor(fi); anc != nil {
					// Followed, it would list its own ancestor again
					// and again: said once, not walked.
					fn(r, nil, &entryError{msg: "symbolic link loop: it leads back to " + anc.name(), err: syscall.ELOOP})
					continue
				}
				w.out.check(filepath.Join(dir, name), r)
				if err := walkDir(ctx, filepath.Join(dir, name), r, fn, w); err != nil {
					return err
				}
			case fi.Mode().IsRegular():
				fn(r, fi, nil)
				w.out.check(filepath.Join(dir, name), r)
			}
		case t.IsRegular():
			fi, err := statAt(f, dir, name, false, w)
			if err != nil {
				fn(r, nil, EntryError(err))
				continue
			}
			fn(r, fi, nil)
		}
	}
	return nil
}

// outside tells the links that lead outside the walk's root: an SMB
// client may not follow those (Samba's default "wide links = no").
type outside struct {
	root, real string // real: root with its links resolved ("" until asked)
	fn         func(rel, target string)
}

// check tells fn when the link at path (rel below the root) leads
// outside the root. Asked of links only.
func (o *outside) check(path, rel string) {
	if o == nil {
		return
	}
	if o.real == "" {
		r, err := filepath.EvalSymlinks(o.root)
		if err != nil {
			return
		}
		o.real = r
	}
	t, err := filepath.EvalSymlinks(path)
	if err != nil {
		return
	}
	if in, err := filepath.Rel(o.real, t); err == nil && in != ".." && !strings.HasPrefix(in, ".."+string(filepath.Separator)) {
		return
	}
	o.fn(rel, t)
}

// dirOnPath is a folder open on the walk's current path.
type dirOnPath struct {
	f   *os.File
	rel string
}

func (d *dirOnPath) name() string {
	if d.rel == "" {
		return "the share's root folder"
	}
	return "folder " + d.rel + "/"
}

// ancestor is the folder on the current path that fi (a link's target)
// is, or nil. Asked only of links to folders.
func (w *walkState) ancestor(fi fs.FileInfo) *dirOnPath {
	for i := range w.path {
		if sameDir(fi, w.path[i].f) {
			return &w.path[i]
		}
	}
	return nil
}

// dirent is one entry of a folder: its name and fs.FileMode type bits.
type dirent struct {
	name string
	typ  fs.FileMode
}

// entryError is a share entry that could not be read, said without the
// full path (the entry is named beside it).
type entryError struct {
	msg string
	err error
	dir bool // a folder that could not be listed
}

func (e *entryError) Error() string { return e.msg }
func (e *entryError) Unwrap() error { return e.err }

// EntryError says briefly why one entry of a share could not be read.
func EntryError(err error) error {
	var msg string
	switch {
	case errors.Is(err, syscall.ELOOP):
		msg = "symbolic link loop"
	case errors.Is(err, fs.ErrNotExist):
		msg = "dangling symbolic link: its target does not exist"
	case errors.Is(err, fs.ErrPermission):
		msg = "permission denied"
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Op + ": " + pe.Err.Error()
		} else {
			msg = err.Error()
		}
	}
	return &entryError{msg: msg, err: err}
}
