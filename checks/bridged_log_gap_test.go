package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"strings"
	"testing"
)

func TestBridgedLogGap(t *testing.T) {
	runWant(t, BridgedLogGap, rfacts(salesPlan, chainOK...), "pass database:Sales: no log gap is bridged")
	// A gap nothing bridges is DMS301's failure: this pass must not claim
	// that there are no gaps at all.
	broken := rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...)
	for _, x := range check.Run([]*check.Check{BridgedLogGap}, broken) {
		if x.Status == check.StatusPass && strings.Contains(x.Message, "no gaps") {
			t.Errorf("broken chain: DMS302 says %q", x.Message)
		}
	}
	f := rfacts(salesPlan, without(chainOK, "s/log2.trn")...)
	runWant(t, BridgedLogGap, f,
		"warn database:Sales: log gap between s/log1.trn (ends at LSN 4000000000000000003000001) and s/log3.trn (starts at LSN 4000000000000000004000001) is bridged by the differential backup s/diff.bak")
	if fs := check.Run([]*check.Check{BridgedLogGap}, f); fs[0].Severity != check.Info || fs[0].Blocking(check.Warning) {
		t.Errorf("bridged gap must be information: %+v", fs[0])
	}
}
