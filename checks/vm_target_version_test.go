package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestVMTargetVersion(t *testing.T) {
	cases := map[string]string{
		"2008": "fail target", "2008 R2": "fail target", "10.50": "fail target", "2005": "fail target",
		"2012": "pass target", "2019": "pass target", "16.0.1000.6": "pass target",
		"": "skip target", "banana": "skip target",
		// A year that is no SQL Server release (a typo for 2019 or 2022) is
		// unknown, not a supported target.
		"2020": "skip target", "2030": "skip target",
	}
	for v, want := range cases {
		if got := outcome(check.Run([]*check.Check{VMTargetVersion}, planFacts(facts.KindVM, v))); got != want {
			t.Errorf("version %q: got %q, want %q", v, got, want)
		}
	}
}
