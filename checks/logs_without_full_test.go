package checks

import "testing"

func TestLogsWithoutFull(t *testing.T) {
	testCheck(t, LogsWithoutFull, []tcase{
		{"intact", rfacts(salesPlan, chainOK...), []string{"pass database:Sales: 1 log backup follows full backup s/full.bak"}},
		{"no full", rfacts(salesPlan, without(chainOK, "s/full.bak")...), []string{"fail database:Sales: 3 log backups but no complete full backup to restore them onto"}},
		{"one log, no full", rfacts(salesPlan, rlog("s/log1.trn", 10, 30)), []string{"fail database:Sales: 1 log backup but no complete full backup to restore it onto"}},
		{"no logs", rfacts(salesPlan, rfull("s/full.bak", 10, 20, "F1")), []string{"skip database:Sales: no log backups"}},
	})
}
