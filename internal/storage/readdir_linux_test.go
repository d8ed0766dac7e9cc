package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestReadDirIsOSReadDir: readDir lists what os.File.ReadDir lists, names
// and types, over more entries than one getdents64 buffer holds.
func TestReadDirIsOSReadDir(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 700 {
		must(os.WriteFile(filepath.Join(dir, fmt.Sprintf("db_%04d_%s.trn", i, strings.Repeat("x", i%40))), nil, 0o644))
	}
	must(os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(dir, ".hidden"), nil, 0o644))
	must(os.Symlink("nowhere", filepath.Join(dir, "dangling")))
	must(os.Symlink("sub", filepath.Join(dir, "dirlink")))
	must(syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o600))
	must(os.WriteFile(filepath.Join(dir, "ünï cødé"), nil, 0o644))

	f, err := os.Open(dir)
	must(err)
	defer f.Close()
	got, err := readDir(f, dir, &walkState{})
	must(err)
	ents, err := os.ReadDir(dir)
	must(err)
	var want []dirent
	for _, d := range ents {
		want = append(want, dirent{name: d.Name(), typ: d.Type()})
	}
	byName := func(a, b dirent) int { return strings.Compare(a.name, b.name) }
	slices.SortFunc(got, byName)
	slices.SortFunc(want, byName)
	if !slices.Equal(got, want) {
		t.Fatalf("readDir listed %d entries, os.ReadDir %d; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	if len(got) != 706 {
		t.Fatalf("%d entries", len(got))
	}
}

func firstDiff(a, b []dirent) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
