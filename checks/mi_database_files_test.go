package checks

import (
	"fmt"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestMIDatabaseFiles(t *testing.T) {
	// db builds Sales from file types; "FD" and "FX" are FILESTREAM-type
	// files with that filegroup type, "FILESTREAM" one whose type is unread.
	db := func(types ...string) *facts.Facts {
		var files []facts.DatabaseFile
		for i, ty := range types {
			f := facts.DatabaseFile{FileID: i + 1, LogicalName: fmt.Sprintf("f%d", i), Type: ty}
			if ty == "FD" || ty == "FX" {
				f.Type, f.FilegroupType = "FILESTREAM", ty
			}
			files = append(files, f)
		}
		return &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}, Databases: []facts.PlanDatabase{{Name: "Sales"}}},
			Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", Files: files}}}}
	}
	tier := func(f *facts.Facts, t string) *facts.Facts {
		f.Azure = &facts.Azure{ManagedInstance: &facts.AzureManagedInstance{Name: "mi1", Exists: true, Tier: t}}
		return f
	}
	failed := db("ROWS", "LOG", "FILESTREAM")
	failed.Server.Databases[0].FilegroupsError, failed.Server.Databases[0].FilegroupsFailed = "dmsready:filegroups: permission denied (error 916)", true
	offline := db("ROWS", "LOG", "FILESTREAM")
	offline.Server.Databases[0].FilegroupsError = "database is OFFLINE"
	vm := db("ROWS", "LOG", "LOG")
	vm.Plan.Target.Kind = facts.KindVM
	testCheck(t, MIDatabaseFiles, []tcase{
		{"one log", db("ROWS", "LOG"), []string{"pass database:Sales: 1 data file, one log file"}},
		{"two logs", db("ROWS", "LOG", "LOG"), []string{"fail database:Sales: 2 log files"}},
		{"filestream", db("ROWS", "LOG", "FD"), []string{"fail database:Sales: FILESTREAM or FileTable data (f2)"}},
		{"two logs and filestream", db("ROWS", "LOG", "LOG", "FD"), []string{"fail database:Sales: 2 log files", "fail database:Sales: FILESTREAM or FileTable data (f3)"}},
		// In-Memory OLTP is no FILESTREAM: the tier decides, as in DMS604.
		{"memory-optimized, tier unknown", db("ROWS", "LOG", "FX"), []string{"warn database:Sales: memory-optimized (In-Memory OLTP) data (f2): Managed Instance restores it only on the Business Critical tier"}},
		{"memory-optimized, business critical", tier(db("ROWS", "LOG", "FX"), "BusinessCritical"), []string{"pass database:Sales: memory-optimized data (f2), which the Business Critical instance restores"}},
		{"memory-optimized, general purpose", tier(db("ROWS", "LOG", "FX"), "GeneralPurpose"), []string{"fail database:Sales: the instance is General Purpose, which has no In-Memory OLTP"}},
		{"both, business critical", tier(db("ROWS", "LOG", "FX", "FD"), "BusinessCritical"), []string{"fail database:Sales: FILESTREAM or FileTable data (f3)"}},
		{"tier not read", tier(db("ROWS", "LOG", "FX"), ""), []string{"warn database:Sales: tier is not known"}},
		// A filegroup type not read is never guessed.
		{"filegroup query failed", failed, []string{"error database:Sales: cannot tell whether FILESTREAM-type files (f2) are FILESTREAM/FileTable data or In-Memory OLTP containers (sys.master_files shows both as FILESTREAM): dmsready:filegroups: permission denied"}},
		{"filegroup query not run", offline, []string{"skip database:Sales: cannot tell whether FILESTREAM-type files (f2)"}},
		{"older facts", db("ROWS", "LOG", "FILESTREAM"), []string{"skip database:Sales: the filegroup types were not collected"}},
		{"two logs, filegroup unread", db("ROWS", "LOG", "LOG", "FILESTREAM"), []string{"fail database:Sales: 2 log files", "skip database:Sales: cannot tell"}},
		{"files unknown", db(), []string{"skip -: not collected: server.databases.files"}},
		{"sqlvm", vm, []string{"skip -"}},
	})
}
