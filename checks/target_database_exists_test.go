package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTargetDatabaseExists(t *testing.T) {
	testCheck(t, TargetDatabaseExists, []tcase{
		{"exists", tgt(facts.KindMI, facts.TargetServer{Databases: []string{"sales", "master"}}, facts.Database{Name: "Sales"}, facts.Database{Name: "HR"}),
			[]string{"pass database:HR", "fail database:Sales"}},
		{"renamed in plan", with(tgt(facts.KindMI, facts.TargetServer{Databases: []string{"Sales"}}, facts.Database{Name: "Sales"}), func(f *facts.Facts) {
			f.Plan.Databases = []facts.PlanDatabase{{Name: "Sales", TargetName: "Sales2"}}
		}), []string{"pass database:Sales"}},
		{"no target", srv(facts.KindMI, facts.Database{Name: "Sales"}), []string{"skip -"}},
		// Azure SQL Database migrations copy into a target database that
		// must already exist (with its schema): no overwrite question.
		{"sqldb target db must exist", tgt(facts.KindDB, facts.TargetServer{Databases: []string{"Sales"}}, facts.Database{Name: "Sales"}), []string{"skip -"}},
		{"target unreachable", with(srv(facts.KindMI, facts.Database{Name: "Sales"}), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTarget, Kind: "unreachable", Message: "x"}}
		}), []string{"error -"}},
	})
}
