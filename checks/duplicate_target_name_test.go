package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"strings"
	"testing"
)

func TestDuplicateTargetName(t *testing.T) {
	f := planFacts(facts.KindMI, "",
		facts.PlanDatabase{Name: "A"},
		facts.PlanDatabase{Name: "B", TargetName: "a"},
		facts.PlanDatabase{Name: "C"})
	fs := check.Run([]*check.Check{DuplicateTargetName}, f)
	if got := outcome(fs); got != "fail database:A; fail database:B; pass database:C" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(fs[0].Message, "B") {
		t.Errorf("message %q does not name the other database", fs[0].Message)
	}
	if got := outcome(check.Run([]*check.Check{DuplicateTargetName}, planFacts(facts.KindMI, ""))); got != "skip -" {
		t.Errorf("no databases: got %q, want a skip (nothing verified)", got)
	}
}
