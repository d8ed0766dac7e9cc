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
		// Without VIEW ANY DATABASE the list hides databases: absent is unknown.
		{"list incomplete", with(&facts.Facts{Plan: f.Plan, Server: f.Server}, func(f *facts.Facts) {
			f.AddError(facts.SourceError{Source: facts.SrcDatabaseList, Kind: "permission", Permission: "VIEW ANY DATABASE", Message: "the login lacks VIEW ANY DATABASE"})
		}), []string{"warn database:Archive", "error database:Nope: VIEW ANY DATABASE", "pass database:sales"}},
		{"no planned databases", &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}, Server: f.Server}, []string{"skip -"}},
	})
}
