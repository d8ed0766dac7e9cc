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
// to regular files (followed, as SQL Server opening the file would); a link
// to a folder is not followed (no loops, nothing counted twice); FIFOs,
// devices and sockets are not backups and are never opened. fn gets the
// path relative to root ('/'-separated) and the file's info, or an error
// for one entry — a dangling link, a link loop, a folder that cannot be
// listed — after which the walk goes on. Walk returns only ctx's error, or
// the error of root itself.
//
// A root that is a symbolic link to a folder is that folder (the location
// given is followed; links below it are not).
//
// Each folder is opened once and its entries, sorted by name, are stat'ed
// relative to it (fstatat on unix) rather than by full path. fi is valid
// only during the call to fn: the walk reuses it for the next entry.
func Walk(ctx context.Context, root string, fn func(rel string, fi fs.FileInfo, err error)) error {
	return walk(ctx, root, fn, nil)
}

// walk is Walk, its progress told to wt (nil: not watched).
func walk(ctx context.Context, root string, fn func(rel string, fi fs.FileInfo, err error), wt *watch) error {
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
		return walkDir(ctx, root, "", fn, &walkState{wt: wt})
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
		case t&fs.ModeSymlink != 0:
			fi, err := statAt(f, dir, name, true, w)
			switch {
			case err != nil:
				fn(r, nil, EntryError(err))
			case fi.Mode().IsRegular():
				fn(r, fi, nil)
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
