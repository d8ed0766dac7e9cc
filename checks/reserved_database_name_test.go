package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestReservedDatabaseName(t *testing.T) {
	row := func(name, target, want string) tcase {
		return tcase{name + "->" + target, planFacts(facts.KindDB, "", facts.PlanDatabase{Name: name, TargetName: target}), []string{want}}
	}
	testCheck(t, ReservedDatabaseName, []tcase{
		row("Sales", "", "pass database:Sales"),
		row("table", "", "fail database:table"),
		row("User", "", "fail database:User"),
		row("WITHIN GROUP", "", "fail database:WITHIN GROUP"),
		row("Legacy", "Select", "fail database:Legacy"),
		row("Select", "Selections", "pass database:Select"),
		row("a;b", "", "fail database:a;b"),
		row("trailing.", "", "fail database:trailing."),
		row("tempdb", "", "fail database:tempdb"),
		row(strings.Repeat("x", 129), "", "fail database:"+strings.Repeat("x", 129)),
		row("Größe", "", "pass database:Größe"),
		{"sqlmi target", planFacts(facts.KindMI, "", facts.PlanDatabase{Name: "table"}), []string{"skip -"}},
	})
}
