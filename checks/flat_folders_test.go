package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// ola is the layout Ola Hallengren's solution writes: FULL/DIFF/LOG per database.
var ola = []facts.File{
	bf("srv/db1/FULL/db1_full.bak", full("db1")),
	bf("srv/db1/LOG/db1_log.trn", logb("db1")),
	bf("srv/db2/FULL/db2_full.bak", full("db2")),
}

func TestFlatFolders(t *testing.T) {
	testCheck(t, FlatFolders, []tcase{
		{"nested, inferred", fx{files: ola}.facts(), []string{"fail database:db1: backups of db1 sit in 2 nested folders under", "warn database:db2"}},
		{"nested, planned", fx{dbs: dbs("db1@srv/db1", "db2@srv/db2/FULL"), files: ola}.facts(), []string{"fail database:db1", "warn database:db2"}},
		{"flat", fx{files: []facts.File{bf("db1/a.bak", full("db1")), bf("db1/b.trn", logb("db1"))}}.facts(), []string{"pass database:db1"}},
		{"root", fx{files: []facts.File{bf("a.bak", full("db1")), bf("other/b.bak", full("db2"))}}.facts(), []string{"pass database:db1", "pass database:db2"}},
		{"root with own nesting", fx{dbs: dbs("db1"), files: []facts.File{bf("a.bak", full("db1")), bf("old/b.trn", logb("db1"))}}.facts(), []string{"fail database:db1: backups of db1 sit in 1 nested folder under the root folder (old); DMS reads one flat folder"}},
		{"no headers, planned folder", fx{noHeaders: true, dbs: dbs("db1@db1"), files: []facts.File{{Path: "db1/x.bak"}, {Path: "db1/LOG/y.trn"}, {Path: "db1/notes/readme.txt"}}}.facts(), []string{"fail database:db1"}},
		{"no headers, no folder", fx{noHeaders: true, dbs: dbs("db1"), files: []facts.File{{Path: "db1/x.bak"}}}.facts(), []string{"skip database:db1"}},
		{"no backups", fx{dbs: dbs("db9")}.facts(), []string{"skip database:db9"}},
		// A planned folder that holds none of the backups (a typo, a case
		// mismatch): nothing sits flat in it; DMS210 reports the miss.
		// Files whose headers were read and are known not to be backups (a
		// text file named .bak, a zero-length file) are no database's
		// backups: in a subfolder they nest nothing of db1.
		{"non-backups nested", fx{dbs: dbs("db1@db1"), files: []facts.File{bf("db1/a.bak", full("db1")),
			{Path: "db1/LOG/empty.trn", ReadErrorKind: facts.ReadEmpty},
			{Path: "db1/old/notes.bak", Size: 12, ReadErrorKind: facts.ReadNotBackup}}}.facts(), []string{"pass database:db1"}},
		// A truncated backup's database is unknown: by its name it may be db1's.
		{"truncated nested", fx{dbs: dbs("db1@db1"), files: []facts.File{bf("db1/a.bak", full("db1")),
			{Path: "db1/LOG/cut.trn", Size: 12, ReadErrorKind: facts.ReadTruncated}}}.facts(), []string{"fail database:db1"}},
		{"planned folder empty", fx{dbs: dbs("db1@DB1"), files: []facts.File{bf("db1/a.bak", full("db1"))}}.facts(), []string{"skip database:db1"}},
	})
}
