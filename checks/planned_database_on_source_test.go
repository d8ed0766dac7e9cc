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
		// With no database named, the scope is every database on the server:
		// one that is not ONLINE is still reported, and a hidden part of the
		// list leaves the scope itself unknown.
		{"no planned databases", &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}, Server: f.Server}, []string{"warn database:Archive"}},
		{"no planned databases, all online", &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}},
			Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", State: "ONLINE"}}}}, []string{"skip -"}},
		{"no planned databases, list incomplete", with(&facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}},
			Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", State: "ONLINE"}}}}, func(f *facts.Facts) {
			f.AddError(facts.SourceError{Source: facts.SrcDatabaseList, Kind: "permission", Permission: "VIEW ANY DATABASE", Message: "the login lacks VIEW ANY DATABASE"})
		}), []string{"error server: VIEW ANY DATABASE"}},
	})
}
