package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"testing"
)

func TestBrokenLogChain(t *testing.T) {
	runWant(t, BrokenLogChain, rfacts(salesPlan, chainOK...),
		"pass database:Sales: 3 backups restore in sequence up to LSN 4000000000000000005000001")
	// log2 is bridged by the differential: still fine.
	runWant(t, BrokenLogChain, rfacts(salesPlan, without(chainOK, "s/log2.trn")...), "pass database:Sales")
	// After the differential nothing bridges a missing log.
	f := rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...)
	runWant(t, BrokenLogChain, f,
		"fail database:Sales: log chain broken between s/log3.trn (ends at LSN 4000000000000000005000001) and s/log5.trn (starts at LSN 4000000000000000006000001)")
	fs := check.Run([]*check.Check{BrokenLogChain}, f)
	if ev := fs[0].Evidence; ev["before"] != "s/log3.trn" || ev["after"] != "s/log5.trn" || fs[0].Severity != check.Error {
		t.Errorf("evidence %v severity %s", ev, fs[0].Severity)
	}
	runWant(t, BrokenLogChain, rfacts(salesPlan, rlog("s/log1.trn", 10, 30)), "skip database:Sales: no complete full backup")
}
