package checks

import (
	"bytes"
	"strings"
	"testing"
)

// The 2009 storage-firewall error is about the target's network path: a
// listing from dmsready's machine (DMS201) does not decide it, explain says
// so, and only the Resource Manager check (DMS601) is named as deciding it.
func TestFirewall2009IsTheTargetsPath(t *testing.T) {
	for _, k := range KnownIssues {
		if k.Key != "2009-firewall" {
			continue
		}
		// Decided through Azure's control plane (DMS601), never by dmsready's own listing.
		if strings.Join(k.Checks, ",") != "DMS601" || !strings.Contains(k.Cause, "target's network path") {
			t.Errorf("2009-firewall: checks %v, cause %q", k.Checks, k.Cause)
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
