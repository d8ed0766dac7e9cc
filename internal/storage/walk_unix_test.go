//go:build unix

package storage

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
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
		"db1/full.bak":         " ",
		"db2/full.bak":         " ",
		"db1/linked.bak":       " ",
		"db1/dirlink/full.bak": " ", // a link to a folder is walked at its path
		"db1/dangling.bak":     ReadErrorIO + " dangling symbolic link",
		"db1/loop.bak":         ReadErrorIO + " symbolic link loop",
		"locked/x.bak":         " ",
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

// A planned folder that is a symbolic link to a folder (Samba follows
// links inside a share for its SMB clients; a Windows share its
// junctions): its backups are listed at the link's path, so DMS210 finds
// them. A link to its own ancestor is one loop entry, not walked; a link
// leading outside the share is followed and named in the location note.
func TestShareFollowsFolderLinks(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	writeLocal(t, dir, []layoutFile{{path: "archive/2026/sales/full.bak", data: fakeFile("Sales", 5000)}})
	writeLocal(t, out, []layoutFile{{path: "hr/hr.bak", data: fakeFile("HR", 7000)}})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join("archive", "2026", "sales"), filepath.Join(dir, "sales")))
	must(os.Symlink(filepath.Join(out, "hr"), filepath.Join(dir, "hr")))
	must(os.Symlink("..", filepath.Join(dir, "archive", "back")))
	st := mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader})
	got := map[string]string{}
	for _, f := range st.Files {
		db := ""
		if f.Backup != nil {
			db = f.Backup.Sets[0].DatabaseName
		}
		got[f.Path] = fmt.Sprintf("%d %s %s %s", f.Size, db, f.ReadErrorKind, f.ReadError)
	}
	want := map[string]string{
		"archive/2026/sales/full.bak": "5000 Sales  ",
		"sales/full.bak":              "5000 Sales  ",
		"hr/hr.bak":                   "7000 HR  ",
		"archive/back":                "0  io-error symbolic link loop: it leads back to the share's root folder",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
	if !strings.Contains(st.LocationNote, "hr -> "+filepath.Join(out, "hr")) || strings.Contains(st.LocationNote, "sales") ||
		!strings.Contains(st.LocationNote, "wide links") {
		t.Errorf("location note = %q, want the link leading outside the share named", st.LocationNote)
	}

	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Storage: st, Plan: facts.ResolvedPlan{
		Target:    facts.PlanTarget{Kind: facts.KindMI},
		Databases: []facts.PlanDatabase{{Name: "Sales", Folder: "sales"}, {Name: "HR", Folder: "hr"}}}}
	for _, fd := range check.Run([]*check.Check{checks.PlannedDatabaseBackups}, f) {
		if fd.Status != check.StatusPass {
			t.Errorf("DMS210 %s: %s %s", fd.Object, fd.Status, fd.Message)
		}
	}
}
