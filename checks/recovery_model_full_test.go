package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestRecoveryModelFull(t *testing.T) {
	dbs := []facts.Database{{Name: "F", RecoveryModel: "FULL"}, {Name: "S", RecoveryModel: "SIMPLE"}, {Name: "U"}}
	mode := func(m facts.Mode, method facts.Method) *facts.Facts {
		return with(srv(facts.KindMI, dbs...), func(f *facts.Facts) { f.Plan.Mode, f.Plan.Method = m, method })
	}
	online := func(kind string) *facts.Facts {
		return with(srv(kind, facts.Database{Name: "B", RecoveryModel: "BULK_LOGGED"}, facts.Database{Name: "S", RecoveryModel: "SIMPLE"}),
			func(f *facts.Facts) { f.Plan.Mode = "online" })
	}
	// Server checks group a database under the plan's spelling.
	spelled := with(srv(facts.KindMI, facts.Database{Name: "Sales", RecoveryModel: "FULL"}), func(f *facts.Facts) {
		f.Plan.Mode = "online"
		f.Plan.Databases = []facts.PlanDatabase{{Name: "sales"}}
	})
	testCheck(t, RecoveryModelFull, []tcase{
		{"online", mode("online", ""), []string{"pass database:F", "fail database:S", "skip database:U"}},
		{"lrs", mode("offline", "lrs"), []string{"pass database:F", "fail database:S", "skip database:U"}},
		{"offline", mode("offline", "dms"), []string{"pass database:F", "pass database:S", "skip database:U"}},
		{"no mode", mode("", ""), []string{"pass database:F", "skip database:S", "skip database:U"}},
		{"plan's spelling", spelled, []string{"pass database:sales"}},
		// FULL for online is Managed Instance's rule (Log Replay Service); to
		// a VM BULK_LOGGED still yields log backups.
		{"mi bulk-logged", online(facts.KindMI), []string{"fail database:B", "fail database:S"}},
		{"vm bulk-logged", online(facts.KindVM), []string{"warn database:B: point in time", "fail database:S"}},
	})
	if fs := findings(RecoveryModelFull, spelled); len(fs) != 1 || fs[0].Database != "sales" {
		t.Errorf("want the finding under the plan's spelling, got %+v", fs)
	}
}
