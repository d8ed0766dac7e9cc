package report

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/schematest"
)

// testdata/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 (errata 01)
// schema, the one the log's $schema names.
func sarifValidator(t *testing.T) *schematest.Validator {
	t.Helper()
	b, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	v, err := schematest.New(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSARIFMatchesSchema(t *testing.T) {
	v := sarifValidator(t)
	noLoc := fixture()
	noLoc.Locations = nil
	for name, r := range map[string]*Report{"fixture": fixture(), "no plan lines": noLoc, "empty": {}} {
		if err := v.ValidateJSON(render(t, "sarif", r, Options{Catalogue: catalogue()})); err != nil {
			t.Errorf("%s: SARIF does not match the 2.1.0 schema:\n%v", name, err)
		}
	}
	// The validator is not blind: a result without a message is rejected.
	var doc map[string]any
	if err := json.Unmarshal(render(t, "sarif", fixture(), Options{Catalogue: catalogue()}), &doc); err != nil {
		t.Fatal(err)
	}
	res := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	delete(res, "message")
	res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["region"].(map[string]any)["startLine"] = 0
	if err := v.Validate(doc); err == nil {
		t.Error("SARIF without a result message and with line 0 accepted")
	}
}

// Each result points at the plan line naming its database, else at the
// section its object belongs to.
func TestSARIFPhysicalLocations(t *testing.T) {
	var d struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
					LogicalLocations []struct{ FullyQualifiedName string }
				}
			}
		}
	}
	if err := json.Unmarshal(render(t, "sarif", fixture(), Options{Catalogue: catalogue()}), &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"folder:shared":            9,  // storage section
		"file:sales/full_1.bak":    14, // database Sales
		"file:sales/log_0042.trn":  14,
		"database:Legacy":          20,
		"file:orders/log|1<2>.trn": 17,
	}
	for _, r := range d.Runs[0].Results {
		l := r.Locations[0]
		obj := l.LogicalLocations[0].FullyQualifiedName
		if l.PhysicalLocation.ArtifactLocation.URI != "plans/sales.yaml" || l.PhysicalLocation.Region.StartLine != want[obj] {
			t.Errorf("%s %s at %s:%d, want plans/sales.yaml:%d", r.RuleID, obj,
				l.PhysicalLocation.ArtifactLocation.URI, l.PhysicalLocation.Region.StartLine, want[obj])
		}
		delete(want, obj)
	}
	if len(want) > 0 {
		t.Errorf("no result for %v", want)
	}
	// A server finding with no source line falls back to the plan's first line.
	r := fixture()
	r.Locations = r.Locations[:1]
	r.Findings = []check.Finding{{CheckID: "DMS403", Status: check.StatusFail, Severity: check.Info, Object: "server", Message: "x"}}
	v := prepare(r, Options{})
	if l := v.locate(r.Findings[0]); l == nil || l.Line != 1 || l.File != "plans/sales.yaml" {
		t.Errorf("fallback location %+v", l)
	}
	if got := fileURI("/srv/plans/a b.yaml"); got != "file:///srv/plans/a%20b.yaml" {
		t.Errorf("fileURI absolute = %q", got)
	}
	// On Windows: a UNC path's server is the URI's host (RFC 8089); it
	// came out as file:////server/share/... before.
	for in, want := range map[string]string{
		`\\fs01\plans\sales.yaml`: "file://fs01/plans/sales.yaml",
		`C:\plans\a b.yaml`:       "file:///C:/plans/a%20b.yaml",
		`plans\sales.yaml`:        "plans/sales.yaml",
	} {
		if got := fileURIOn(in, true); got != want {
			t.Errorf("fileURI on Windows of %s = %q, want %q", in, got, want)
		}
	}
	if got := fileURIOn("//srv/plans/a.yaml", false); got != "file:////srv/plans/a.yaml" {
		t.Errorf("fileURI elsewhere keeps a path that starts with // = %q", got)
	}
}
