package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestPlannedDatabaseOnSource(t *testing.T) {
	f := &facts.Facts{Plan: facts.Plan{Target: facts.PlanTarget{Kind: facts.KindMI},
		Databases: []facts.PlanDatabase{{Name: "sales"}, {Name: "Nope"}, {Name: "Archive"}}},
		Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", State: "ONLINE"}, {Name: "Archive", State: "OFFLINE"}}}}
	if got := verdicts(PlannedDatabaseOnSource, f); got != "database:Archive=warn database:Nope=fail database:sales=pass" {
		t.Errorf("got %q", got)
	}
	f.Plan.Databases = nil
	if got := verdicts(PlannedDatabaseOnSource, f); got != "-=skip" {
		t.Errorf("no planned databases: got %q, want a skip", got)
	}
	// Server checks group a database under the plan's spelling.
	f.Plan.Databases = []facts.PlanDatabase{{Name: "sales"}}
	f.Plan.Mode = "online"
	f.Server.Databases[0].RecoveryModel = "FULL"
	fs := check.Run([]*check.Check{RecoveryModelFull}, f)
	if len(fs) != 1 || fs[0].Database != "sales" || fs[0].Object != "database:sales" || fs[0].Status != check.StatusPass {
		t.Errorf("want one pass under the plan's spelling, got %+v", fs)
	}
}
