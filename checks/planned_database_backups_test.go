package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestPlannedDatabaseBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b"))}
	testCheck(t, PlannedDatabaseBackups, []tcase{
		{"found", fx{dbs: dbs("a", "B@b"), files: files}.facts(), []string{"pass database:B", "pass database:a"}},
		{"wrong folder", fx{dbs: dbs("a@b"), files: files}.facts(), []string{"fail database:a"}},
		{"missing", fx{dbs: dbs("c"), files: files}.facts(), []string{"fail database:c"}},
		{"headers not read", fx{dbs: dbs("a"), noHeaders: true}.facts(), []string{"skip -"}},
	})
}
