package checks

import (
	"fmt"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestMIDatabaseFiles(t *testing.T) {
	db := func(types ...string) *facts.Facts {
		var files []facts.DatabaseFile
		for i, ty := range types {
			files = append(files, facts.DatabaseFile{LogicalName: fmt.Sprintf("f%d", i), Type: ty})
		}
		return &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}, Databases: []facts.PlanDatabase{{Name: "Sales"}}},
			Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", Files: files}}}}
	}
	vm := db("ROWS", "LOG", "LOG")
	vm.Plan.Target.Kind = facts.KindVM
	testCheck(t, MIDatabaseFiles, []tcase{
		{"one log", db("ROWS", "LOG"), []string{"pass database:Sales"}},
		{"two logs", db("ROWS", "LOG", "LOG"), []string{"fail database:Sales"}},
		{"filestream", db("ROWS", "LOG", "FILESTREAM"), []string{"fail database:Sales"}},
		{"two logs and filestream", db("ROWS", "LOG", "LOG", "FILESTREAM"), []string{"fail database:Sales", "fail database:Sales"}},
		{"files unknown", db(), []string{"skip -: not collected: server.databases.files"}},
		{"sqlvm", vm, []string{"skip -"}},
	})
}
