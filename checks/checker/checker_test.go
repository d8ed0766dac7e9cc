package checker

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func extra(id string) *check.Check {
	return &check.Check{ID: id, Title: "In-house rule", Severity: check.Warning,
		Needs: []facts.Source{facts.SrcPlan}, Prevents: "runbook 1.1", Doc: "Why.", Fix: "How.",
		Link: "https://example.invalid/runbook", Basis: check.Documented("runbook 1.1"), Run: func(p *check.Pass) { p.Pass("", "plan", "fine", nil) }}
}

func TestRunValidatesExtraChecks(t *testing.T) {
	for _, c := range []struct {
		extra []*check.Check
		code  int
		want  string
	}{
		{[]*check.Check{extra("DMS901")}, 0, "DMS901"},
		{[]*check.Check{extra("DMS901"), extra("DMS902")}, 0, "DMS902"},
		{[]*check.Check{extra(checks.All[0].ID)}, 2, "already taken"},
		{[]*check.Check{extra("DMS901"), extra("DMS901")}, 2, "already taken"},
		{[]*check.Check{extra("CONTOSO1")}, 2, "DMS + 3 digits"},
		{[]*check.Check{{ID: "DMS903"}}, 2, "no title"},
	} {
		var o, e bytes.Buffer
		code := Run([]string{"checks"}, &o, &e, c.extra...)
		if code != c.code || !strings.Contains(o.String()+e.String(), c.want) {
			t.Errorf("%d extra check(s) %s...: exit %d, want %d with %q\n%s", len(c.extra), c.extra[0].ID, code, c.code, c.want, e.String())
		}
	}
}

// DMS900-DMS999 are left to in-house checks (the package doc promises it).
func TestBuiltinsLeaveTheInHouseRange(t *testing.T) {
	for _, c := range checks.All {
		if c.ID >= "DMS900" {
			t.Errorf("built-in check %s is in DMS900-DMS999, the range left to in-house checks", c.ID)
		}
	}
}
