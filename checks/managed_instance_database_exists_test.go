package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestManagedInstanceDatabaseExists(t *testing.T) {
	onMI := func(names ...string) *facts.Facts {
		return with(azMI(sized("Sales", 1, 1)), func(f *facts.Facts) { f.Azure.ManagedInstance.Databases = names })
	}
	testCheck(t, ManagedInstanceDatabaseExists, []tcase{
		// Resource Manager listed Sales (on its second page, say): DMS
		// cannot restore over it, whatever the rest of the target says.
		{"already there", onMI("testdb1", "SALES"), []string{"fail database:Sales: already has a database named SALES"}},
		{"not there", onMI("testdb1"), []string{"pass database:Sales: no database named Sales among the 1 database"}},
		{"renamed", with(onMI("Sales"), func(f *facts.Facts) {
			f.Plan.Databases = []facts.PlanDatabase{{Name: "Sales", TargetName: "Sales_new"}}
		}), []string{"pass database:Sales: no database named Sales_new"}},
		{"not listed", with(onMI(), func(f *facts.Facts) {
			f.Azure.ManagedInstance.Databases = nil
			f.Azure.ManagedInstance.DatabasesError = "managed-databases: HTTP 403 AuthorizationFailed (needs Microsoft.Sql/managedInstances/databases/read (Reader))"
		}), []string{"skip azure:mi1: cannot tell: the databases already on the instance were not listed: managed-databases: HTTP 403"}},
		{"live target decides", with(onMI("Sales"), func(f *facts.Facts) { f.Target = &facts.TargetServer{Databases: []string{}} }),
			[]string{"skip azure:mi1: DMS501 decides"}},
		{"no instance", with(onMI("Sales"), func(f *facts.Facts) { f.Azure.ManagedInstance.Exists = false }), []string{"skip target: DMS602"}},
	})
}

// Every check over facts where Resource Manager listed the planned
// database on the instance and no live target was given: before DMS610 no
// check said anything blocking (DMS501 skips without a live target), so a
// migration DMS refuses (no overwrite) was reported ready.
func TestExistingDatabaseOnInstanceBlocks(t *testing.T) {
	f := with(azMI(sized("Sales", 1, 1)), func(f *facts.Facts) {
		f.Azure.ManagedInstance.Databases = []string{"testdb1", "Sales"}
		f.Azure.Storage.DefaultAction = "Allow"
	})
	blocking := 0
	for _, x := range check.Run(All, f) {
		if x.Blocking(check.Error) {
			blocking++
			if x.CheckID != "DMS610" {
				t.Errorf("unexpected blocking finding %s %s: %s", x.CheckID, x.Object, x.Message)
			}
		}
	}
	if blocking != 1 {
		t.Errorf("%d blocking findings, want DMS610's", blocking)
	}
}
