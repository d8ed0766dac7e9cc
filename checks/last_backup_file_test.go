package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLastBackupFile(t *testing.T) {
	plan := func(mode facts.Mode, last string) facts.ResolvedPlan {
		p := salesPlan
		p.Mode = mode
		p.Databases = []facts.PlanDatabase{{Name: "Sales", Folder: "s", LastBackupFile: last}}
		return p
	}
	// A later log cut short (its header read, the file truncated): DMS
	// restores it too and fails there.
	cut := rfacts(plan("offline", "log3.trn"), withBackups(chainOK, rlog("s/log4.trn", 50, 60))...)
	for i := range cut.Storage.Files {
		if f := &cut.Storage.Files[i]; f.Path == "s/log4.trn" {
			f.ReadErrorKind, f.ReadError = facts.ReadTruncated, "truncated at offset 9000: the soft filemark at 8704 runs past the end of the file"
		}
	}
	testCheck(t, LastBackupFile, []tcase{
		{"later log cut short", cut, []string{"fail database:Sales: last backup file log3.trn ends the chain at LSN 4000000000000000005000001, but 1 backup in the folder ends later: s/log4.trn (unreadable, LSN 4000000000000000006000001)"}},
		{"online", rfacts(plan("online", "log3.trn"), chainOK...), []string{"skip plan: the plan is not in offline mode"}},
		{"not named", rfacts(plan("offline", ""), chainOK...), []string{"skip database:Sales: the plan names no last backup file"}},
		{"ends the chain", rfacts(plan("offline", "log3.trn"), chainOK...), []string{"pass database:Sales: last backup file log3.trn ends the chain"}},
		{"with folder", rfacts(plan("offline", "s/log3.trn"), chainOK...), []string{"pass database:Sales"}},
		{"followed", rfacts(plan("offline", "diff.bak"), chainOK...), []string{"fail database:Sales: last backup file diff.bak ends at LSN 4000000000000000004500001 but 1 backup follows it in the chain, up to s/log3.trn"}},
		{"before the base", rfacts(plan("offline", "log1.trn"), chainOK...), []string{"fail database:Sales: last backup file log1.trn is not in the restore chain (before-base"}},
		{"absent", rfacts(plan("offline", "log9.trn"), chainOK...), []string{"fail database:Sales: last backup file log9.trn is not among the database's backups"}},
		// On a share (SMB: names are case-insensitive) the plan's spelling
		// of the folder and file need not be the listing's.
		{"share, other case", func() *facts.Facts {
			f := rfacts(plan("offline", "s/LOG3.TRN"), chainOK...)
			f.Storage.Kind = facts.StorageShare
			for i := range f.Storage.Files {
				f.Storage.Files[i].Path = "S" + f.Storage.Files[i].Path[1:]
			}
			return f
		}(), []string{"pass database:Sales"}},
		{"blob, other case", rfacts(plan("offline", "s/LOG3.TRN"), chainOK...), []string{"fail database:Sales: last backup file s/LOG3.TRN is not among the database's backups"}},
		// Past a gap: the chain ends at log3, but log5 in the folder ends later.
		{"past a gap", rfacts(plan("offline", "log3.trn"), withBackups(chainOK, rlog("s/log5.trn", 60, 70))...),
			[]string{"fail database:Sales: last backup file log3.trn ends the chain at LSN 4000000000000000005000001, but 1 backup in the folder ends later: s/log5.trn (after-break, LSN 4000000000000000007000001)"}},
		// A trailing empty log ends at the same LSN: naming the log before it is fine.
		{"trailing empty log", rfacts(plan("offline", "log3.trn"), withBackups(chainOK, rlog("s/log4.trn", 50, 50))...), []string{"pass database:Sales"}},
	})
}
