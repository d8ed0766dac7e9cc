package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestOneBackupSetPerFile(t *testing.T) {
	runStorageCases(t, OneBackupSetPerFile, []storageCase{
		{"appended", fx{files: []facts.File{bf("db/one.bak", full("db")), bf("db/two.bak", full("db"), logb("db"))}}, "file:db/two.bak=fail folder:db=pass"},
		{"single", fx{files: []facts.File{bf("one.bak", full("db"))}}, "folder:/=pass"},
	})
}
