// Package winpath recognises Windows paths (drive letters, UNC shares) on
// any operating system, so that a plan written on Windows means the same
// wherever dmsready reads it, and a Windows path on Linux or macOS gets a
// clear message instead of being joined to the plan's folder.
//
// The functions are pure: they look at the text only, never at the file
// system or runtime.GOOS, so every case is tested on every OS.
package winpath

import "strings"

func isSep(c byte) bool { return c == '\\' || c == '/' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// IsUNC reports whether p names a share: \\server\share[\...] or
// //server/share[/...] (either separator), including the long forms
// \\?\UNC\server\share and \\?\C:\ ("extended-length" paths).
func IsUNC(p string) bool {
	if len(p) < 3 || !isSep(p[0]) || !isSep(p[1]) {
		return false
	}
	return !isSep(p[2])
}

// HasDrive reports whether p starts with a drive letter and a colon: C:,
// C:\x, C:/x, or the drive-relative C:x.
func HasDrive(p string) bool {
	return len(p) >= 2 && isLetter(p[0]) && p[1] == ':'
}

// IsWindowsAbs reports whether p is absolute as Windows reads it: a drive
// letter followed by a separator (C:\backups, C:/backups) or a UNC path.
// C:backups (relative to the current folder of drive C) is not.
func IsWindowsAbs(p string) bool {
	return IsUNC(p) || (HasDrive(p) && len(p) >= 3 && isSep(p[2]))
}

// IsWindowsOnly reports whether p can only be read on Windows: it has a
// drive letter or backslashes at its start that POSIX systems read as part
// of a file name (\\server\share, C:\x, C:x). A //server/share path is not:
// it may be where a share is mounted.
func IsWindowsOnly(p string) bool {
	return HasDrive(p) || strings.HasPrefix(p, `\\`)
}

// IsAbs reports whether p is absolute on Windows or on POSIX systems, so a
// plan's relative location is joined to the plan's folder and an absolute
// one is kept as written, whichever system wrote the plan.
func IsAbs(p string) bool {
	return IsWindowsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`)
}

// FromFileURL turns a file:// URL into a path: file:///C:/backups gives
// C:/backups, file://server/share/x gives //server/share/x, file:///mnt/x
// gives /mnt/x. Percent-escapes are left as written. ok is false when s is
// not a file URL.
func FromFileURL(s string) (p string, ok bool) {
	if len(s) < 7 || !strings.EqualFold(s[:7], "file://") {
		return "", false
	}
	rest := s[7:]
	switch {
	case strings.HasPrefix(rest, "/"):
		// file:///C:/x -> C:/x; file:///mnt/x -> /mnt/x
		if HasDrive(rest[1:]) {
			return rest[1:], true
		}
		return rest, true
	case strings.HasPrefix(strings.ToLower(rest), "localhost/"):
		return FromFileURL("file://" + rest[len("localhost"):])
	case HasDrive(rest):
		return rest, true // file://C:/x, a common misspelling
	}
	return "//" + rest, true // file://server/share/x
}
