//go:build unix

package storage

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// walkReference is Walk over filepath.WalkDir: the new Walk must see the
// same entries, in the same order, with the same info and the same errors.
// A link to a folder is walked at its path (no loop protection: the
// fixture has no loop through a folder link).
func walkReference(ctx context.Context, root string, fn func(rel string, fi fs.FileInfo, err error)) error {
	return walkRefAt(ctx, root, "", fn)
}

func walkRefAt(ctx context.Context, root, prefix string, fn func(rel string, fi fs.FileInfo, err error)) error {
	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return filepath.ToSlash(p)
		}
		if prefix != "" {
			return prefix + "/" + filepath.ToSlash(r)
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
			case fi.IsDir():
				return walkRefAt(ctx, p+string(filepath.Separator), rel(p), fn)
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

func TestWalkMatchesWalkDir(t *testing.T) {
	dir := t.TempDir()
	writeLocal(t, dir, []layoutFile{
		{path: "a.bak", data: fakeFile("a", 5000)},
		{path: "a-b/x.bak", data: fakeFile("x", 100)},
		{path: "a/b/c.bak", data: fakeFile("c", 7000)},
		{path: "a/b/empty/.keep", data: []byte{}},
		{path: "Z/y.trn", data: fakeFile("y", 300)},
		{path: "sp ace/é.bak", data: fakeFile("e", 300)},
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(filepath.Join(dir, "emptydir"), 0o755))
	must(os.Symlink("nowhere.bak", filepath.Join(dir, "a", "dangling.bak")))
	must(os.Symlink("loop.bak", filepath.Join(dir, "a", "loop.bak")))
	must(os.Symlink(filepath.Join(dir, "a.bak"), filepath.Join(dir, "a", "linked.bak")))
	must(os.Symlink(filepath.Join(dir, "a"), filepath.Join(dir, "Z", "dirlink")))
	must(syscall.Mkfifo(filepath.Join(dir, "a", "pipe.bak"), 0o600))
	record := func(w func(context.Context, string, func(string, fs.FileInfo, error)) error, root string) []string {
		var out []string
		err := w(context.Background(), root, func(rel string, fi fs.FileInfo, err error) {
			if fi != nil {
				out = append(out, fmt.Sprintf("%s %d %v %s %v", rel, fi.Size(), fi.Mode(), fi.ModTime().UTC(), err))
			} else {
				out = append(out, fmt.Sprintf("%s %v", rel, err))
			}
		})
		return append(out, fmt.Sprint(err))
	}
	for _, root := range []string{dir, dir + "/", filepath.Join(dir, "a"), filepath.Join(dir, "nope")} {
		got, want := record(Walk, root), record(walkReference, root)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got %q\nwant %q", root, got, want)
		}
	}
	// The one difference: a root that is a link to a folder is walked
	// (WalkDir saw nothing there: a share mounted through a link read as empty).
	link := filepath.Join(t.TempDir(), "share")
	must(os.Symlink(dir, link))
	if got, want := record(Walk, link), record(walkReference, dir); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("root link:\n got %q\nwant %q", got, want)
	}
}
