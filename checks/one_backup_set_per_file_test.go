package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestOneBackupSetPerFile(t *testing.T) {
	runStorageCases(t, OneBackupSetPerFile, []storageCase{
		{"appended", fx{files: []facts.File{bf("db/one.bak", full("db")), bf("db/two.bak", full("db"), logb("db"))}}, "file:db/two.bak=fail folder:db=pass"},
		{"single", fx{files: []facts.File{bf("one.bak", full("db"))}}, "folder:/=pass"},
		// A compressed file read at its head and tail: sets 1 and 3 read,
		// set 2 not, and the reader says the file holds at least 3.
		{"more than read", fx{files: []facts.File{func() facts.File {
			f := bf("db/three.bak", full("db"), logb("db"))
			f.Backup.Sets[1].Position = 3
			f.Backup.SetCount, f.Backup.SetsIncomplete = 3, true
			return f
		}()}}, "file:db/three.bak=fail"},
		// One set read, but at position 2: the file holds another before it.
		{"lone later set", fx{files: []facts.File{func() facts.File {
			f := bf("db/two.bak", logb("db"))
			f.Backup.Sets[0].Position = 2
			return f
		}()}}, "file:db/two.bak=fail"},
	})
}

// TestOneBackupSetPerFileSaysSetsNotRead: the finding says when the file
// holds more sets than were read.
func TestOneBackupSetPerFileSaysSetsNotRead(t *testing.T) {
	f := bf("db/three.bak", full("db"), logb("db"))
	f.Backup.Sets[1].Position = 3
	f.Backup.SetCount, f.Backup.SetsIncomplete = 3, true
	fds := check.Run([]*check.Check{OneBackupSetPerFile}, fx{files: []facts.File{f}}.facts())
	if len(fds) != 1 || !strings.Contains(fds[0].Message, "at least 3 backup sets") || !strings.Contains(fds[0].Message, "not read") {
		t.Fatalf("findings %+v", fds)
	}
}
