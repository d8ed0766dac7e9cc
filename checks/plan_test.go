package checks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

// outcome renders findings as "status object" lines for compact assertions.
func outcome(fs []check.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, fmt.Sprintf("%s %s", f.Status, f.Object))
	}
	return strings.Join(s, "; ")
}

func planFacts(kind, version string, dbs ...facts.PlanDatabase) *facts.Facts {
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.Plan{
		Target: facts.PlanTarget{Kind: kind, Version: version}, Databases: dbs}}
}

func TestReservedDatabaseName(t *testing.T) {
	cases := []struct {
		name, target, want string
	}{
		{"Sales", "", "pass database:Sales"},
		{"table", "", "fail database:table"},
		{"User", "", "fail database:User"},
		{"WITHIN GROUP", "", "fail database:WITHIN GROUP"},
		{"Legacy", "Select", "fail database:Legacy"},
		{"Select", "Selections", "pass database:Select"},
		{"a;b", "", "fail database:a;b"},
		{"trailing.", "", "fail database:trailing."},
		{"tempdb", "", "fail database:tempdb"},
		{strings.Repeat("x", 129), "", "fail database:" + strings.Repeat("x", 129)},
		{"Größe", "", "pass database:Größe"},
	}
	for _, c := range cases {
		f := planFacts(facts.KindDB, "", facts.PlanDatabase{Name: c.name, TargetName: c.target})
		if got := outcome(check.Run([]*check.Check{ReservedDatabaseName}, f)); got != c.want {
			t.Errorf("%q -> %q: got %q, want %q", c.name, c.target, got, c.want)
		}
	}
	f := planFacts(facts.KindMI, "", facts.PlanDatabase{Name: "table"})
	if got := outcome(check.Run([]*check.Check{ReservedDatabaseName}, f)); got != "skip -" {
		t.Errorf("sqlmi target: got %q, want a skip", got)
	}
}

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

func TestDuplicateTargetName(t *testing.T) {
	f := planFacts(facts.KindMI, "",
		facts.PlanDatabase{Name: "A"},
		facts.PlanDatabase{Name: "B", TargetName: "a"},
		facts.PlanDatabase{Name: "C"})
	fs := check.Run([]*check.Check{DuplicateTargetName}, f)
	if got := outcome(fs); got != "fail database:A; fail database:B; pass database:C" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(fs[0].Message, "B") {
		t.Errorf("message %q does not name the other database", fs[0].Message)
	}
	if got := outcome(check.Run([]*check.Check{DuplicateTargetName}, planFacts(facts.KindMI, ""))); got != "skip -" {
		t.Errorf("no databases: got %q, want a skip (nothing verified)", got)
	}
}
