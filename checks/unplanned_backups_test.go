package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestUnplannedBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("a/x.bak", full("x")), bf("x/x.trn", logb("x"))}
	testCheck(t, UnplannedBackups, []tcase{
		{"extra", fx{dbs: dbs("a"), files: files}.facts(), []string{"warn database:x"}},
		{"all planned", fx{dbs: dbs("A", "x"), files: files}.facts(), []string{"pass storage"}},
		{"no plan list", fx{files: files}.facts(), []string{"skip storage"}},
		// A file storage did not return may hold an unplanned database's backup.
		{"unread file", fx{dbs: dbs("A", "x"), files: append(files, facts.File{Path: "y/y.bak", Size: 4096, ReadErrorKind: facts.ReadIOError, ReadError: "503"})}.facts(),
			[]string{"skip storage: cannot tell whether every database with backups in storage is in the plan: 1 file could not be read from storage: y/y.bak"}},
	})
}
