//go:build unix

package storage

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// One dangling link, link loop, FIFO or unreadable folder in a share is an
// error on that entry (or skipped, for a FIFO) and the scan goes on.
func TestShareBadEntries(t *testing.T) {
	dir := t.TempDir()
	writeLocal(t, dir, []layoutFile{
		{path: "db1/full.bak", data: fakeFile("db1", 5000)},
		{path: "db2/full.bak", data: fakeFile("db2", 5000)},
		{path: "locked/x.bak", data: fakeFile("x", 5000)},
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("nowhere.bak", filepath.Join(dir, "db1", "dangling.bak")))
	must(os.Symlink("loop.bak", filepath.Join(dir, "db1", "loop.bak")))
	must(os.Symlink(filepath.Join(dir, "db2", "full.bak"), filepath.Join(dir, "db1", "linked.bak")))
	must(os.Symlink(filepath.Join(dir, "db2"), filepath.Join(dir, "db1", "dirlink")))
	must(syscall.Mkfifo(filepath.Join(dir, "db1", "pipe.bak"), 0o600))
	must(os.Chmod(filepath.Join(dir, "locked"), 0))
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	locked := os.Geteuid() != 0 // root lists any folder

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, errs := Collect(ctx, Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Getenv: noEnv})
	if ctx.Err() != nil {
		t.Fatal("the scan blocked (on the FIFO?)")
	}
	if len(errs) != 0 {
		t.Fatalf("errors = %+v, want the scan to go on", errs)
	}
	got := map[string]string{}
	for _, f := range st.Files {
		got[f.Path] = string(f.ReadErrorKind) + " " + f.ReadError
	}
	want := map[string]string{
		"db1/full.bak":     " ",
		"db2/full.bak":     " ",
		"db1/linked.bak":   " ",
		"db1/dangling.bak": ReadErrorIO + " dangling symbolic link",
		"db1/loop.bak":     ReadErrorIO + " symbolic link loop",
		"locked/x.bak":     " ",
	}
	if locked {
		delete(want, "locked/x.bak")
		want["locked/"] = ReadErrorIO + " cannot list this folder: permission denied"
	}
	for p, w := range want {
		if g, ok := got[p]; !ok || !strings.HasPrefix(g, w) {
			t.Errorf("%s: %q, want %q", p, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("files = %v", got)
	}
	if f := fileByPath(st, "db1/linked.bak"); f == nil || f.Backup == nil || f.Backup.Sets[0].DatabaseName != "db2" {
		t.Errorf("a link to a file is followed: %+v", f)
	}

	// inspect's walk is the same walk.
	var seen []string
	if err := Walk(context.Background(), dir, func(rel string, fi fs.FileInfo, err error) { seen = append(seen, rel) }); err != nil {
		t.Fatal(err)
	}
	sort.Strings(seen)
	if len(seen) != len(want) {
		t.Errorf("Walk saw %v", seen)
	}
}

// A share file still being written when it is read: the listing saw it
// shorter than it is when its header is read. What the reader makes of its
// end (truncated) is not the backup's fault: the read is an io-error
// saying the file changed, not a backup that "cannot be restored".
func TestShareFileStillBeingWritten(t *testing.T) {
	dir := t.TempDir()
	data := fakeFile("db1", 8000)
	writeLocal(t, dir, []layoutFile{{path: "db1/full.bak", data: data[:3000]}})
	grow := func(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
		// The writer goes on between the listing and this read.
		if err := os.WriteFile(filepath.Join(dir, "db1", "full.bak"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		return fakeReader(r, size)
	}
	st := mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: grow, Concurrency: 1})
	f := fileByPath(st, "db1/full.bak")
	if f == nil || f.ReadErrorKind != ReadErrorIO || !strings.Contains(f.ReadError, "changed") || f.Backup != nil {
		t.Errorf("growing file = %+v, want an io-error saying it changed", f)
	}
	// A file that is short and stays so is truncated, as before.
	if err := os.WriteFile(filepath.Join(dir, "db1", "full.bak"), data[:3000], 0o644); err != nil {
		t.Fatal(err)
	}
	st = mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader})
	if f := fileByPath(st, "db1/full.bak"); f == nil || f.ReadErrorKind != "truncated" {
		t.Errorf("cut file = %+v, want truncated", f)
	}
}
