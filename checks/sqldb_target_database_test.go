package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSQLDBTargetDatabase(t *testing.T) {
	mk := func(dbs []facts.AzureDatabase, src ...facts.Database) *facts.Facts {
		f := srv(facts.KindDB, src...)
		f.Azure = &facts.Azure{SQLServer: &facts.AzureSQLServer{ID: "/x/servers/srv1", Name: "srv1", Exists: true, Databases: dbs}}
		return f
	}
	online := facts.AzureDatabase{Name: "Sales", Exists: true, Status: "Online", ServiceObjective: "GP_Gen5_2", Tier: "GeneralPurpose", MaxSizeBytes: 32 << 30}
	testCheck(t, SQLDBTargetDatabase, []tcase{
		{"exists and fits", mk([]facts.AzureDatabase{online}, sized("Sales", 1000, 100)), []string{"pass database:Sales: GP_Gen5_2"}},
		// sys.master_files sizes are what the files allocate, free space
		// included; the data copy moves rows, so only the data they hold
		// must fit, and that is not read: no fail on allocation alone.
		{"files larger than the target", mk([]facts.AzureDatabase{online}, sized("Sales", 40000, 100)), []string{"warn database:Sales: data files allocate"}},
		// Resource Manager did not answer for it (403 on it alone, a 5xx):
		// whether it exists is unknown, never "no database".
		{"not read", mk([]facts.AzureDatabase{{Name: "Sales", Error: "sql-database: HTTP 403 AuthorizationFailed: ... (needs Microsoft.Sql/servers/databases/read (Reader))"}}, sized("Sales", 1, 1)),
			[]string{"error database:Sales: could not be read: sql-database: HTTP 403"}},
		{"missing", mk([]facts.AzureDatabase{{Name: "Sales"}}, sized("Sales", 1, 1)), []string{"fail database:Sales: no database Sales on srv1"}},
		{"paused (serverless resumes on login)", mk([]facts.AzureDatabase{{Name: "Sales", Exists: true, Status: "Paused"}}, sized("Sales", 1, 1)), []string{"warn database:Sales: Paused"}},
		{"scaling", mk([]facts.AzureDatabase{{Name: "Sales", Exists: true, Status: "Scaling"}}, sized("Sales", 1, 1)), []string{"warn database:Sales: Scaling"}},
		{"offline", mk([]facts.AzureDatabase{{Name: "Sales", Exists: true, Status: "Offline"}}, sized("Sales", 1, 1)), []string{"fail database:Sales: is Offline, not Online"}},
		{"stopped", mk([]facts.AzureDatabase{{Name: "Sales", Exists: true, Status: "Stopped"}}, sized("Sales", 1, 1)), []string{"fail database:Sales: is Stopped, not Online"}},
		{"status not known", mk([]facts.AzureDatabase{{Name: "Sales", Exists: true, Status: "SomethingNew"}}, sized("Sales", 1, 1)), []string{"skip database:Sales: status SomethingNew is not one dmsready knows"}},
		{"size not read", mk([]facts.AzureDatabase{online}, facts.Database{Name: "Sales"}), []string{"pass database:Sales: not compared"}},
		{"renamed", with(mk([]facts.AzureDatabase{{Name: "Sales2"}}, sized("Sales", 1, 1)), func(f *facts.Facts) {
			f.Plan.Databases = []facts.PlanDatabase{{Name: "Sales", TargetName: "Sales2"}}
		}), []string{"fail database:Sales: no database Sales2"}},
		{"not asked for", mk([]facts.AzureDatabase{}, sized("Sales", 1, 1)), []string{"skip database:Sales: list the databases in the plan"}},
		{"status not reported", mk([]facts.AzureDatabase{{Name: "Sales", Exists: true}}, sized("Sales", 1, 1)), []string{"skip database:Sales: status is not reported"}},
		{"server missing", with(mk(nil, sized("Sales", 1, 1)), func(f *facts.Facts) { f.Azure.SQLServer.Exists = false }), []string{"fail azure:srv1: answered 404"}},
	})
}
