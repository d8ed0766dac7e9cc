package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

func TestBridgedLogGap(t *testing.T) {
	// A gap nothing bridges is DMS301's failure: the pass must not claim
	// that there are no gaps at all.
	broken := rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...)
	bridged := rfacts(salesPlan, without(chainOK, "s/log2.trn")...)
	testCheck(t, BridgedLogGap, []tcase{
		{"intact", rfacts(salesPlan, chainOK...), []string{"pass database:Sales: no log gap is bridged"}},
		{"bridged", bridged, []string{"warn database:Sales: log gap between s/log1.trn (ends at LSN 4000000000000000003000001) and s/log3.trn (starts at LSN 4000000000000000004000001) is bridged by the differential backup s/diff.bak"}},
		{"broken", broken, []string{"pass database:Sales"}},
	})
	for _, x := range findings(BridgedLogGap, broken) {
		if x.Status == check.StatusPass && strings.Contains(x.Message, "no gaps") {
			t.Errorf("broken chain: DMS302 says %q", x.Message)
		}
	}
	if fs := findings(BridgedLogGap, bridged); fs[0].Severity != check.Info || fs[0].Blocking(check.Warning) {
		t.Errorf("bridged gap must be information: %+v", fs[0])
	}
}
