package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestUnplannedBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("a/x.bak", full("x")), bf("x/x.trn", logb("x"))}
	runStorageCases(t, UnplannedBackups, []storageCase{
		{"extra", fx{dbs: dbs("a"), files: files}, "database:x=warn"},
		{"all planned", fx{dbs: dbs("A", "x"), files: files}, "storage=pass"},
		{"no plan list", fx{files: files}, "storage=skip"},
	})
}
