package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Walk visits every file below root the way a share is read, the same for
// `check --storage DIR` and `inspect DIR`: regular files, and symbolic links
// to regular files (followed, as SQL Server opening the file would); a link
// to a folder is not followed (no loops, nothing counted twice); FIFOs,
// devices and sockets are not backups and are never opened. fn gets the
// path relative to root ('/'-separated) and the file's info, or an error
// for one entry — a dangling link, a link loop, a folder that cannot be
// listed — after which the walk goes on. Walk returns only ctx's error, or
// the error of root itself.
func Walk(ctx context.Context, root string, fn func(rel string, fi fs.FileInfo, err error)) error {
	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return filepath.ToSlash(p)
		}
		return filepath.ToSlash(r)
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if p == root {
				return err
			}
			if d != nil && d.IsDir() {
				e := EntryError(err).(*entryError)
				e.msg = "cannot list this folder: " + e.msg
				fn(rel(p), nil, e)
				return fs.SkipDir
			}
			fn(rel(p), nil, EntryError(err))
			return nil
		}
		switch t := d.Type(); {
		case d.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			fi, err := os.Stat(p)
			switch {
			case err != nil:
				fn(rel(p), nil, EntryError(err))
			case fi.Mode().IsRegular():
				fn(rel(p), fi, nil)
			}
			return nil
		case t.IsRegular():
			fi, err := d.Info()
			if err != nil {
				fn(rel(p), nil, EntryError(err))
				return nil
			}
			fn(rel(p), fi, nil)
		}
		return nil
	})
}

// entryError is a share entry that could not be read, said without the
// full path (the entry is named beside it).
type entryError struct {
	msg string
	err error
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
