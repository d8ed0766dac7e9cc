package checks

import (
	"fmt"
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
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
	runWant(t, MIFileLayout, layout("D", "L"), "pass database:Sales: 1 data file and 1 log file")
	runWant(t, MIFileLayout, layout("D", "D", "L", "L"), "fail database:Sales: 2 log files (f2_L, f3_L)")
	runWant(t, MIFileLayout, layout("D", "L", "S"), "fail database:Sales: FILESTREAM, FileTable or memory-optimized files (f2_S)")
	runWant(t, MIFileLayout, layout(), "skip database:Sales: file list is unknown")
	vm := layout("D", "L", "L")
	vm.Plan.Target.Kind = facts.KindVM
	runWant(t, MIFileLayout, vm, "skip -: does not apply to target kind sqlvm")
}
