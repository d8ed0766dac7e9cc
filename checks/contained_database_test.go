package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestContainedDatabase(t *testing.T) {
	testCheck(t, ContainedDatabase, []tcase{
		{"partial", srv(facts.KindMI, facts.Database{Name: "C", Containment: "PARTIAL"}, facts.Database{Name: "N", Containment: "NONE"},
			facts.Database{Name: "U"}), []string{"warn database:C", "pass database:N", "skip database:U"}},
	})
}
