package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestPlannedDatabaseBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b"))}
	runStorageCases(t, PlannedDatabaseBackups, []storageCase{
		{"found", fx{dbs: dbs("a", "B@b"), files: files}, "database:B=pass database:a=pass"},
		{"wrong folder", fx{dbs: dbs("a@b"), files: files}, "database:a=fail"},
		{"missing", fx{dbs: dbs("c"), files: files}, "database:c=fail"},
		{"headers not read", fx{dbs: dbs("a"), noHeaders: true}, "-=skip"},
	})
}
