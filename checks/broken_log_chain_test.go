package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestBrokenLogChain(t *testing.T) {
	broken := rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...)
	testCheck(t, BrokenLogChain, []tcase{
		{"intact", rfacts(salesPlan, chainOK...), []string{"pass database:Sales: 3 backups restore in sequence up to LSN 4000000000000000005000001"}},
		// log2 is bridged by the differential: still fine.
		{"bridged by the differential", rfacts(salesPlan, without(chainOK, "s/log2.trn")...), []string{"pass database:Sales"}},
		// After the differential nothing bridges a missing log.
		{"broken after the differential", broken, []string{"fail database:Sales: log chain broken between s/log3.trn (ends at LSN 4000000000000000005000001) and s/log5.trn (starts at LSN 4000000000000000006000001)"}},
		{"no full", rfacts(salesPlan, rlog("s/log1.trn", 10, 30)), []string{"skip database:Sales: no complete full backup"}},
		// DMS reads only the folder's own files: a log below it past a gap
		// does not break the chain DMS restores (it failed), and one below
		// it that closes a gap does not mend it (it passed).
		{"nested log past a gap", rfacts(salesPlan, withBackups(chainOK, rlog("s/old/log5.trn", 60, 70))...),
			[]string{"pass database:Sales: 3 backups restore in sequence up to LSN 4000000000000000005000001"}},
		{"nested log closing a gap", rfacts(salesPlan, withBackups(chainOK, rlog("s/old/log4.trn", 50, 60), rlog("s/log5.trn", 60, 70))...),
			[]string{"fail database:Sales: log chain broken between s/log3.trn (ends at LSN 4000000000000000005000001) and s/log5.trn"}},
		// A file in the folder whose sets are unknown (a reader panic) may
		// be the missing log or a later one: undecided, never a pass.
		{"unreadable file in the folder", withFiles(rfacts(salesPlan, chainOK...),
			facts.File{Path: "s/log4.trn", Size: 4096, ReadErrorKind: facts.ReadUnreadable, ReadError: "header reader failed: index out of range"}),
			[]string{"error database:Sales: the backup sets of 1 file could not be read"}},
		{"archived file in the folder", withFiles(rfacts(salesPlan, chainOK...),
			facts.File{Path: "s/log4.trn", Size: 4096, AccessTier: "Archive", ReadErrorKind: facts.ReadArchived, ReadError: "blob is in the Archive tier"}),
			[]string{"error database:Sales: the backup sets of 1 file could not be read, so this is undecided: s/log4.trn (archived)"}},
	})
	fs := findings(BrokenLogChain, broken)
	if ev := fs[0].Evidence; ev["before"] != "s/log3.trn" || ev["after"] != "s/log5.trn" || fs[0].Severity != check.Error {
		t.Errorf("evidence %v severity %s", ev, fs[0].Severity)
	}
}
