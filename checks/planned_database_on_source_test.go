package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestPlannedDatabaseOnSource(t *testing.T) {
	f := &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI},
		Databases: []facts.PlanDatabase{{Name: "sales"}, {Name: "Nope"}, {Name: "Archive"}}},
		Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", State: "ONLINE"}, {Name: "Archive", State: "OFFLINE"}}}}
	testCheck(t, PlannedDatabaseOnSource, []tcase{
		{"case, missing, offline", f, []string{"warn database:Archive", "fail database:Nope", "pass database:sales"}},
		{"no planned databases", &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}, Server: f.Server}, []string{"skip -"}},
	})
}
