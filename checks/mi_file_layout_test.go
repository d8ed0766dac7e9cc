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
	// source adds the source catalog's Sales with the given files.
	source := func(f *facts.Facts, files ...facts.DatabaseFile) *facts.Facts {
		f.Server = &facts.Server{Databases: []facts.Database{{Name: "Sales", Files: files}}}
		return f
	}
	tier := func(f *facts.Facts, t string) *facts.Facts {
		f.Azure = &facts.Azure{ManagedInstance: &facts.AzureManagedInstance{Name: "mi1", Exists: true, Tier: t}}
		return f
	}
	fsFile := func(name, fg string) facts.DatabaseFile {
		return facts.DatabaseFile{LogicalName: name, Type: "FILESTREAM", FilegroupType: fg}
	}
	undecoded := func() *facts.Facts {
		f := layout("D", "L", "")
		f.Storage.Files[0].Backup.Sets[0].Files[2].TypeCode = 9
		return f
	}
	vm := layout("D", "L", "L")
	vm.Plan.Target.Kind = facts.KindVM
	testCheck(t, MIFileLayout, []tcase{
		{"one log", layout("D", "L"), []string{"pass database:Sales: 1 data file and 1 log file"}},
		{"two logs", layout("D", "D", "L", "L"), []string{"fail database:Sales: 2 log files (f2_L, f3_L)"}},
		// Type S is FILESTREAM, FileTable or an In-Memory OLTP container:
		// without the source it is not failed as FILESTREAM.
		{"type S, no source", layout("D", "L", "S"), []string{"warn database:Sales: type S files or files of a type not decoded (f2_S): FILESTREAM or FileTable data, which Managed Instance does not restore, or In-Memory OLTP containers"}},
		{"type S, general purpose", tier(layout("D", "L", "S"), "GeneralPurpose"), []string{"fail database:Sales: the General Purpose instance restores neither"}},
		{"type S, business critical, no source", tier(layout("D", "L", "S"), "BusinessCritical"), []string{"warn database:Sales: read the source SQL Server"}},
		// The source catalog's filegroup type decides.
		{"type S is FILESTREAM", source(layout("D", "L", "S"), fsFile("f2_S", facts.FilegroupFILESTREAM)), []string{"fail database:Sales: full backup s/full.bak has FILESTREAM or FileTable data (f2_S)"}},
		{"type S is in-memory, tier unknown", source(layout("D", "L", "S"), fsFile("F2_s", facts.FilegroupMemoryOptimized)), []string{"warn database:Sales: memory-optimized (In-Memory OLTP) data (f2_S)"}},
		{"type S is in-memory, business critical", tier(source(layout("D", "L", "S"), fsFile("f2_S", facts.FilegroupMemoryOptimized)), "BusinessCritical"),
			[]string{"pass database:Sales: memory-optimized data (f2_S) by the source catalog"}},
		{"type S is in-memory, general purpose", tier(source(layout("D", "L", "S"), fsFile("f2_S", facts.FilegroupMemoryOptimized)), "GeneralPurpose"),
			[]string{"fail database:Sales: the instance is General Purpose"}},
		{"type S, source unread", source(layout("D", "L", "S"), fsFile("f2_S", "")), []string{"warn database:Sales: the source catalog did not say either: see DMS417"}},
		// A type code the reader does not decode is no data file by default.
		{"type not decoded", undecoded(), []string{"warn database:Sales: (f2_ (type code 9))"}},
		{"type not decoded, source says ROWS", source(undecoded(), facts.DatabaseFile{LogicalName: "f2_", Type: "ROWS"}), []string{"pass database:Sales: 2 data files and 1 log file"}},
		{"file list unknown", layout(), []string{"skip database:Sales: file list is unknown"}},
		{"vm", vm, []string{"skip -: does not apply to target kind sqlvm"}},
	})
}

// TestMIFileLayoutAfterFull: a second log file added after the full backup
// shows in the file list of the log backups that follow it (log headers
// carry the database's file list, as the samples' .trn files do), and
// restoring the log backup holding the change creates it: Managed Instance
// fails there, though the full's list has one log file.
func TestMIFileLayoutAfterFull(t *testing.T) {
	f := rfacts(salesPlan, chainOK...)
	one := []facts.BackupFile{{LogicalName: "Sales", Type: "D", FileID: 1}, {LogicalName: "Sales_log", Type: "L", FileID: 2}}
	two := append(append([]facts.BackupFile{}, one...), facts.BackupFile{LogicalName: "Sales_log2", Type: "L", FileID: 3})
	for i := range f.Storage.Files {
		s := &f.Storage.Files[i].Backup.Sets[0]
		switch f.Storage.Files[i].Path {
		case "s/log3.trn":
			s.Files = two
		default:
			s.Files = one
		}
	}
	testCheck(t, MIFileLayout, []tcase{
		{"log file added after the full", f, []string{"fail database:Sales: log backup s/log3.trn, restored after full backup s/full.bak, has 2 log files (Sales_log, Sales_log2): Managed Instance restores one"}},
	})
}
