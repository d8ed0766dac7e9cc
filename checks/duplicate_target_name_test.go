package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestDuplicateTargetName(t *testing.T) {
	f := planFacts(facts.KindMI, "",
		facts.PlanDatabase{Name: "A"},
		facts.PlanDatabase{Name: "B", TargetName: "a"},
		facts.PlanDatabase{Name: "C"})
	testCheck(t, DuplicateTargetName, []tcase{
		{"A and B collide", f, []string{"fail database:A", "fail database:B", "pass database:C"}},
		// No databases: nothing verified.
		{"no databases", planFacts(facts.KindMI, ""), []string{"skip -"}},
	})
	if fs := findings(DuplicateTargetName, f); !strings.Contains(fs[0].Message, "B") {
		t.Errorf("message %q does not name the other database", fs[0].Message)
	}
}
