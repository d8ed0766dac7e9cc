package checks

import (
	"fmt"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestMIFileLayout(t *testing.T) {
	layout := func(types ...string) *facts.Facts {
		f := rfacts(salesPlan, chainOK...)
		var files []facts.BackupFile
		for i, ty := range types {
			files = append(files, facts.BackupFile{LogicalName: fmt.Sprintf("f%d_%s", i, ty), Type: ty, FileID: i + 1})
		}
		f.Storage.Files[0].Backup.Sets[0].Files = files
		return f
	}
	vm := layout("D", "L", "L")
	vm.Plan.Target.Kind = facts.KindVM
	testCheck(t, MIFileLayout, []tcase{
		{"one log", layout("D", "L"), []string{"pass database:Sales: 1 data file and 1 log file"}},
		{"two logs", layout("D", "D", "L", "L"), []string{"fail database:Sales: 2 log files (f2_L, f3_L)"}},
		{"filestream", layout("D", "L", "S"), []string{"fail database:Sales: FILESTREAM, FileTable or memory-optimized files (f2_S)"}},
		{"file list unknown", layout(), []string{"skip database:Sales: file list is unknown"}},
		{"vm", vm, []string{"skip -: does not apply to target kind sqlvm"}},
	})
}
