package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// TestCollectSharesRepeatedValues: the backups of one database repeat
// their names, file list, unknown fields, creation date and *bool
// answers; the collected facts hold one copy of each (the memory of a
// 100,000-backup share), without changing any value or letting an append
// through one file's facts reach another's.
func TestCollectSharesRepeatedValues(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, typ := range []string{facts.TypeFull, facts.TypeLog, facts.TypeLog} {
		s := backuptest.Set{DatabaseName: "Sales", Type: typ, Checksums: true, Start: at.Add(time.Duration(i) * time.Hour)}
		b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{s}})
		if err := os.WriteFile(filepath.Join(dir, "b"+string(rune('0'+i))+".bak"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, errs := Collect(context.Background(), Config{Location: dir, ReadHeaders: true, Getenv: noEnv, Concurrency: 2})
	if len(errs) > 0 || len(st.Files) != 3 {
		t.Fatalf("errs %v, %d files", errs, len(st.Files))
	}
	var sets []*facts.BackupSet
	for _, f := range st.Files {
		if f.Backup == nil || len(f.Backup.Sets) != 1 {
			t.Fatalf("%s: %s", f.Path, f.ReadError)
		}
		sets = append(sets, &f.Backup.Sets[0])
	}
	a, b := sets[1], sets[2] // two logs: equal in all but their positions in the chain
	if len(a.Files) == 0 || len(a.Unknown) == 0 || a.PasswordProtected == nil || a.DatabaseCreationDate == nil {
		t.Fatalf("the fixture lacks what is shared: %+v", a)
	}
	same := func(what string, p, q unsafe.Pointer) {
		t.Helper()
		if p != q {
			t.Errorf("%s: two copies", what)
		}
	}
	same("database name", unsafe.Pointer(unsafe.StringData(a.DatabaseName)), unsafe.Pointer(unsafe.StringData(sets[0].DatabaseName)))
	same("file list", unsafe.Pointer(&a.Files[0]), unsafe.Pointer(&b.Files[0]))
	same("physical name", unsafe.Pointer(unsafe.StringData(a.Files[0].PhysicalName)), unsafe.Pointer(unsafe.StringData(sets[0].Files[0].PhysicalName)))
	same("unknown fields", unsafe.Pointer(&a.Unknown[0]), unsafe.Pointer(&b.Unknown[0]))
	same("creation date", unsafe.Pointer(a.DatabaseCreationDate), unsafe.Pointer(sets[0].DatabaseCreationDate))
	same("passwordProtected", unsafe.Pointer(a.PasswordProtected), unsafe.Pointer(b.PasswordProtected))
	if cap(a.Files) != len(a.Files) || cap(a.Unknown) != len(a.Unknown) {
		t.Error("a shared slice has spare capacity: an append through one file would show in another")
	}
	// Values unchanged: each file's facts as JSON equal those of the file
	// read alone.
	for _, f := range st.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		m, err := defaultHeaderReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		m.Reads, m.BytesRead = f.Backup.Reads, f.Backup.BytesRead
		want, _ := json.Marshal(m)
		got, _ := json.Marshal(f.Backup)
		if string(got) != string(want) {
			t.Errorf("%s: facts changed by sharing:\n got %s\nwant %s", f.Path, got, want)
		}
	}
}

// TestFileChunks: the listing kept in chunks comes back whole, in order,
// in a slice of exactly its length, with what was written through at.
func TestFileChunks(t *testing.T) {
	for _, n := range []int{0, 1, fileChunk - 1, fileChunk, fileChunk + 1, 2*fileChunk + 452} {
		var c fileChunks
		for i := range n {
			if got := c.add(facts.File{Path: strconv.Itoa(i)}); got != i {
				t.Fatalf("add %d returned %d", i, got)
			}
		}
		for i := range n {
			c.at(i).Size = int64(i)
		}
		out := c.flat()
		if out == nil || len(out) != n || cap(out) != n {
			t.Fatalf("%d files: len %d cap %d nil %v", n, len(out), cap(out), out == nil)
		}
		for i, f := range out {
			if f.Path != strconv.Itoa(i) || f.Size != int64(i) {
				t.Fatalf("%d files: [%d] = %+v", n, i, f)
			}
		}
	}
}

// TestFileListsDiffer: file lists equal but for one field are not shared.
func TestFileListsDiffer(t *testing.T) {
	in := newInterner()
	base := []facts.BackupFile{{LogicalName: "d", PhysicalName: `C:\d.mdf`, Type: "D", TypeCode: 1, FileID: 1, Size: 8 << 20, MaxSize: -1, FileGroupName: "PRIMARY"}}
	first := slices.Clone(base)
	in.fileList(&first)
	for i, change := range []func(*facts.BackupFile){
		func(f *facts.BackupFile) { f.Size++ },
		func(f *facts.BackupFile) { f.MaxSize++ },
		func(f *facts.BackupFile) { f.FileID++ },
		func(f *facts.BackupFile) { f.TypeCode++ },
		func(f *facts.BackupFile) { f.Type = "L" },
		func(f *facts.BackupFile) { f.FileGroupName = "FG" },
	} {
		l := slices.Clone(base)
		change(&l[0])
		want := l[0]
		in.fileList(&l)
		if &l[0] == &first[0] || l[0] != want {
			t.Errorf("change %d: shared with a different list", i)
		}
	}
	same := slices.Clone(base)
	if in.fileList(&same); &same[0] != &first[0] {
		t.Error("an equal list is not shared")
	}
}

// TestInternerRecent: strings found by address (the recent cache) are
// still the table's one copy of each value, and never another value's,
// whatever slots they share.
func TestInternerRecent(t *testing.T) {
	in := newInterner()
	vals := make([]string, 2000)
	for i := range vals {
		vals[i] = fmt.Sprintf("value-%d", i%700) // repeats, each a fresh copy
	}
	first := map[string]string{}
	for round := range 3 {
		for _, v := range vals {
			got := v
			in.s(&got)
			if got != v {
				t.Fatalf("round %d: %q interned as %q", round, v, got)
			}
			if k, ok := first[v]; !ok {
				first[v] = got
			} else if unsafe.StringData(k) != unsafe.StringData(got) {
				t.Fatalf("round %d: %q not shared", round, v)
			}
		}
	}
}

// TestFieldListsDiffer: lists of unknown fields are shared only when
// equal, whichever way they were found (the recent lists or the map).
func TestFieldListsDiffer(t *testing.T) {
	in := newInterner()
	lists := [][]string{{"a", "b"}, {"a"}, {"a", "c"}, {"b", "a"}, {"a", "b", "c"}, {"x"}, {"y"}, {"z"}, {"w"}}
	first := map[string]*string{}
	for round := range 3 {
		for _, l := range lists {
			got := slices.Clone(l)
			in.list(&got)
			if !slices.Equal(got, l) {
				t.Fatalf("round %d: %q interned as %q", round, l, got)
			}
			k := fmt.Sprint(l)
			if p, ok := first[k]; !ok {
				first[k] = &got[0]
			} else if p != &got[0] {
				t.Fatalf("round %d: %q not shared", round, l)
			}
		}
	}
}
