package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSystemDatabase(t *testing.T) {
	sales := facts.PlanDatabase{Name: "Sales", Folder: "sales"}
	testCheck(t, SystemDatabase, []tcase{
		// Managed Instance restores no system database, under any name.
		{"mi", planFacts(facts.KindMI, "2022", sales, facts.PlanDatabase{Name: "master"}, facts.PlanDatabase{Name: "MSDB", TargetName: "msdb_copy"}),
			[]string{"pass database:Sales", "fail database:master: master is a system database: Managed Instance does not restore system databases",
				"fail database:MSDB: MSDB is a system database"}},
		// A user database restored under a system database's name would
		// overwrite the target's own: DMS does not overwrite.
		{"mi, system target name", planFacts(facts.KindMI, "", facts.PlanDatabase{Name: "Sales", TargetName: "model"}),
			[]string{"fail database:Sales: target name \"model\" is a system database's"}},
		{"vm, same name", planFacts(facts.KindVM, "2022", facts.PlanDatabase{Name: "tempdb"}, sales),
			[]string{"fail database:tempdb: target name \"tempdb\" is a system database's", "pass database:Sales"}},
		// Under another name on a SQL Server VM: nothing Microsoft publishes
		// says DMS refuses it; the migration guide migrates user databases.
		{"vm, renamed", planFacts(facts.KindVM, "2022", facts.PlanDatabase{Name: "master", TargetName: "master_old"}),
			[]string{"warn database:master: master is a system database"}},
	})
}
