package check

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestUnverified(t *testing.T) {
	planOnly := &Check{ID: "DMS101", Needs: []facts.Source{facts.SrcPlan}}
	target := &Check{ID: "DMS501", Needs: []facts.Source{facts.SrcTarget}}
	source := &Check{ID: "DMS409", Needs: []facts.Source{facts.SrcDatabases}}
	backups := &Check{ID: "DMS209", Needs: []facts.Source{facts.SrcBackups}}
	all := []*Check{planOnly, backups, source, target}
	f := &facts.Facts{Plan: facts.ResolvedPlan{Databases: []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}}}
	fs := []Finding{
		{CheckID: "DMS101", Status: StatusPass, Database: "Sales"}, // the plan alone verifies nothing
		{CheckID: "DMS501", Status: StatusFail, Database: "HR"},    // nor does the target
		{CheckID: "DMS409", Status: StatusSkip, Database: "HR"},    // nor a skip
		{CheckID: "DMS209", Status: StatusError, Database: "HR"},   // nor an error
		{CheckID: "DMS409", Status: StatusWarn, Database: "sales"}, // matched case-insensitively
	}
	if got := Unverified(all, f, fs); len(got) != 1 || got[0] != "HR" {
		t.Errorf("Unverified = %v, want [HR]", got)
	}
	fs = append(fs, Finding{CheckID: "DMS209", Status: StatusPass, Database: "HR"})
	if got := Unverified(all, f, fs); got != nil {
		t.Errorf("Unverified = %v, want none", got)
	}
	// Nothing planned: incomplete only when nothing at all was decided.
	f.Plan.Databases = nil
	if got := Unverified(all, f, fs[:4]); len(got) != 1 || got[0] != Nothing {
		t.Errorf("nothing planned, nothing verified: %v", got)
	}
	if got := Unverified(all, f, fs); got != nil {
		t.Errorf("nothing planned, something verified: %v", got)
	}
	// An empty container: the listing (a storage-level warn) and the SAS
	// (a pass) verify no database, so the run is never READY.
	listing := &Check{ID: "DMS201", Needs: []facts.Source{facts.SrcStorage}}
	all = append(all, listing)
	empty := []Finding{
		{CheckID: "DMS201", Status: StatusWarn, Object: "storage"},
		{CheckID: "DMS209", Status: StatusSkip, Object: "-"},
	}
	if got := Unverified(all, f, empty); len(got) != 1 || got[0] != Nothing {
		t.Errorf("empty container, nothing planned: %v, want [%s]", got, Nothing)
	}
}
