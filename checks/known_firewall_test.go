package checks

import (
	"bytes"
	"strings"
	"testing"
)

// The 2009 storage-firewall error is about the target's network path: a
// listing from dmsready's machine (DMS201) does not decide it, and explain
// says so.
func TestFirewall2009IsTheTargetsPath(t *testing.T) {
	for _, k := range KnownIssues {
		if k.Key != "2009-firewall" {
			continue
		}
		if len(k.Checks) != 0 || !strings.Contains(k.Undecidable, "target's network path") {
			t.Errorf("2009-firewall: checks %v, undecidable %q", k.Checks, k.Undecidable)
		}
	}
	var b bytes.Buffer
	if !ExplainKnown(&b, "2009") || !strings.Contains(b.String(), "target's network path") {
		t.Errorf("explain 2009:\n%s", b.String())
	}
	for _, k := range KnownFor("DMS201") {
		if k.Key == "2009-firewall" {
			t.Error("DMS201 still claims the 2009 storage-firewall error")
		}
	}
}
