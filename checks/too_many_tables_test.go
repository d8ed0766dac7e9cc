package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTooManyTables(t *testing.T) {
	testCheck(t, TooManyTables, []tcase{
		{"limit", srv(facts.KindDB, bigDB, smallDB, facts.Database{Name: "Edge", Tables: &facts.TableStats{Count: 100000}}),
			[]string{"fail database:Big", "pass database:Edge", "pass database:Small"}},
		{"none collected", srv(facts.KindDB, lockedDB), []string{"skip -"}},
	})
}
