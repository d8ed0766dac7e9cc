package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestOneBackupSetPerFile(t *testing.T) {
	testCheck(t, OneBackupSetPerFile, []tcase{
		{"appended", fx{files: []facts.File{bf("db/one.bak", full("db")), bf("db/two.bak", full("db"), logb("db"))}}.facts(), []string{"fail file:db/two.bak", "pass folder:db"}},
		{"single", fx{files: []facts.File{bf("one.bak", full("db"))}}.facts(), []string{"pass folder:/"}},
	})
}
