package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"strings"
	"testing"
)

func TestReservedDatabaseName(t *testing.T) {
	cases := []struct {
		name, target, want string
	}{
		{"Sales", "", "pass database:Sales"},
		{"table", "", "fail database:table"},
		{"User", "", "fail database:User"},
		{"WITHIN GROUP", "", "fail database:WITHIN GROUP"},
		{"Legacy", "Select", "fail database:Legacy"},
		{"Select", "Selections", "pass database:Select"},
		{"a;b", "", "fail database:a;b"},
		{"trailing.", "", "fail database:trailing."},
		{"tempdb", "", "fail database:tempdb"},
		{strings.Repeat("x", 129), "", "fail database:" + strings.Repeat("x", 129)},
		{"Größe", "", "pass database:Größe"},
	}
	for _, c := range cases {
		f := planFacts(facts.KindDB, "", facts.PlanDatabase{Name: c.name, TargetName: c.target})
		if got := outcome(check.Run([]*check.Check{ReservedDatabaseName}, f)); got != c.want {
			t.Errorf("%q -> %q: got %q, want %q", c.name, c.target, got, c.want)
		}
	}
	f := planFacts(facts.KindMI, "", facts.PlanDatabase{Name: "table"})
	if got := outcome(check.Run([]*check.Check{ReservedDatabaseName}, f)); got != "skip -" {
		t.Errorf("sqlmi target: got %q, want a skip", got)
	}
}
