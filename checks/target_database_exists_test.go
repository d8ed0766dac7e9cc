package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestTargetDatabaseExists(t *testing.T) {
	runCases(t, TargetDatabaseExists, []tcase{
		{"exists", tgt(facts.KindMI, facts.TargetServer{Databases: []string{"sales", "master"}}, facts.Database{Name: "Sales"}, facts.Database{Name: "HR"}),
			"database:HR=pass database:Sales=fail"},
		{"renamed in plan", with(tgt(facts.KindMI, facts.TargetServer{Databases: []string{"Sales"}}, facts.Database{Name: "Sales"}), func(f *facts.Facts) {
			f.Plan.Databases = []facts.PlanDatabase{{Name: "Sales", TargetName: "Sales2"}}
		}), "database:Sales=pass"},
		{"no target", srv(facts.KindMI, facts.Database{Name: "Sales"}), "-=skip"},
		// Azure SQL Database migrations copy into a target database that
		// must already exist (with its schema): no overwrite question.
		{"sqldb target db must exist", tgt(facts.KindDB, facts.TargetServer{Databases: []string{"Sales"}}, facts.Database{Name: "Sales"}), "-=skip"},
		{"target unreachable", with(srv(facts.KindMI, facts.Database{Name: "Sales"}), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTarget, Kind: "unreachable", Message: "x"}}
		}), "-=error"},
	})
}
