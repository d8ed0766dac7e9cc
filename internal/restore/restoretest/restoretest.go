// Package restoretest builds facts from real backup files for tests: it walks
// a folder of ../shared/samples and reads each file's headers with the
// backup reader, as the storage collector would.
package restoretest

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup"
)

// Samples returns the ../shared/samples directory next to the module root,
// skipping the test when it is absent (a fresh clone has no ../shared).
func Samples(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Skip("module root not found; sample backups unavailable")
		}
		dir = up
	}
	s := filepath.Join(dir, "..", "shared", "samples")
	if st, err := os.Stat(s); err != nil || !st.IsDir() {
		t.Skipf("sample backups not found at %s: real-chain tests skipped", s)
	}
	return s
}

// Load reads every file under samples/root into facts whose storage root is
// that folder: paths are relative to it, '/'-separated. Unreadable files get
// a ReadError, as the collector records them.
func Load(t testing.TB, root string) *facts.Facts {
	t.Helper()
	base := filepath.Join(Samples(t), filepath.FromSlash(root))
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion,
		Storage: &facts.Storage{Kind: "share", Location: root, Files: []facts.File{}, HeadersRead: true}}
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(base, p)
		if err != nil {
			return err
		}
		fl := facts.File{Path: filepath.ToSlash(rel)}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		st, err := fh.Stat()
		if err != nil {
			return err
		}
		fl.Size = st.Size()
		m, err := backup.Read(fh, st.Size())
		if err != nil {
			fl.ReadError = err.Error()
			fl.ReadErrorKind = "unreadable"
		} else {
			fl.Backup = m
		}
		f.Storage.Files = append(f.Storage.Files, fl)
		return nil
	})
	if err != nil {
		t.Fatalf("loading %s: %v", root, err)
	}
	sort.Slice(f.Storage.Files, func(i, j int) bool { return f.Storage.Files[i].Path < f.Storage.Files[j].Path })
	return f
}

// Without returns a copy of f whose listing lacks the given paths (a
// mutated chain: the facts change, never the files). It fails the test when
// a path is not listed, so a renamed sample cannot make a test vacuous.
func Without(t testing.TB, f *facts.Facts, paths ...string) *facts.Facts {
	t.Helper()
	out := *f
	st := *f.Storage
	st.Files = nil
	drop := map[string]bool{}
	for _, p := range paths {
		drop[p] = true
	}
	for _, fl := range f.Storage.Files {
		if drop[fl.Path] {
			delete(drop, fl.Path)
			continue
		}
		st.Files = append(st.Files, fl)
	}
	for p := range drop {
		t.Fatalf("Without: %s is not listed", p)
	}
	out.Storage = &st
	return &out
}

// With returns a copy of f listing the extra files too, each under a new path.
func With(f *facts.Facts, extra ...facts.File) *facts.Facts {
	out := *f
	st := *f.Storage
	st.Files = append(append([]facts.File(nil), f.Storage.Files...), extra...)
	out.Storage = &st
	return &out
}

// File returns the listed file at path, failing the test when absent.
func File(t testing.TB, f *facts.Facts, path string) facts.File {
	t.Helper()
	for _, fl := range f.Storage.Files {
		if fl.Path == path {
			return fl
		}
	}
	t.Fatalf("%s is not listed", path)
	return facts.File{}
}
