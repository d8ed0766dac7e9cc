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
	})
}
