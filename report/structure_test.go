package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					ShortDescription     struct{ Text string }
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct{ Level string }
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				LogicalLocations []struct{ FullyQualifiedName string }
			}
			Suppressions []struct{ Kind, Justification string }
		} `json:"results"`
	} `json:"runs"`
}

func parseSARIF(t *testing.T, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if d.Version != "2.1.0" || !strings.Contains(d.Schema, "sarif-schema-2.1.0") {
		t.Fatalf("SARIF version %q, $schema %q", d.Version, d.Schema)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(d.Runs))
	}
	drv := d.Runs[0].Tool.Driver
	if drv.Name != "dmsready" || drv.InformationURI == "" {
		t.Errorf("driver name %q, informationUri %q", drv.Name, drv.InformationURI)
	}
	seen := map[string]int{}
	for i, r := range drv.Rules {
		if _, dup := seen[r.ID]; dup {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = i
		if r.ShortDescription.Text == "" || r.Name == "" {
			t.Errorf("rule %s lacks name or shortDescription", r.ID)
		}
	}
	levels := map[string]bool{"error": true, "warning": true, "note": true}
	for _, res := range d.Runs[0].Results {
		i, ok := seen[res.RuleID]
		if !ok {
			t.Errorf("result ruleId %s has no rule", res.RuleID)
		} else if i != res.RuleIndex {
			t.Errorf("result %s ruleIndex %d, rule is at %d", res.RuleID, res.RuleIndex, i)
		}
		if !levels[res.Level] {
			t.Errorf("result %s level %q", res.RuleID, res.Level)
		}
		if res.Message.Text == "" {
			t.Errorf("result %s has no message", res.RuleID)
		}
		for _, s := range res.Suppressions {
			if s.Kind != "external" || s.Justification == "" {
				t.Errorf("result %s suppression %+v", res.RuleID, s)
			}
		}
	}
	return d
}

func TestSARIFStructure(t *testing.T) {
	d := parseSARIF(t, render(t, "sarif", fixture(), Options{Catalogue: catalogue()}))
	run := d.Runs[0]
	if got := len(run.Tool.Driver.Rules); got != len(catalogue()) {
		t.Errorf("%d rules, want one per catalogue check (%d)", got, len(catalogue()))
	}
	// Results: fail and warn only: 3 fail + 2 warn in the fixture.
	if len(run.Results) != 5 {
		t.Errorf("%d results, want 5", len(run.Results))
	}
	want := map[string]string{"DMS201": "error", "DMS301": "error", "DMS305": "warning", "DMS310": "error", "DMS320": "note"}
	for _, res := range run.Results {
		if want[res.RuleID] != res.Level {
			t.Errorf("%s level %q, want %q", res.RuleID, res.Level, want[res.RuleID])
		}
		if len(res.Locations) != 1 || res.Locations[0].LogicalLocations[0].FullyQualifiedName == "" {
			t.Errorf("%s has no logical location", res.RuleID)
		}
		if waived := len(res.Suppressions) > 0; waived != (res.RuleID == "DMS310") {
			t.Errorf("%s suppressed = %v", res.RuleID, waived)
		}
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "DMS305" && (r.DefaultConfiguration.Level != "warning" || r.HelpURI == "") {
			t.Errorf("DMS305 rule: level %q helpUri %q", r.DefaultConfiguration.Level, r.HelpURI)
		}
	}
}

// Without a catalogue every result still resolves to a rule.
func TestSARIFWithoutCatalogue(t *testing.T) {
	d := parseSARIF(t, render(t, "sarif", fixture(), Options{}))
	if n := len(d.Runs[0].Tool.Driver.Rules); n != 9 {
		t.Errorf("%d rules from findings, want 9", n)
	}
	empty := parseSARIF(t, render(t, "sarif", &Report{}, Options{}))
	if empty.Runs[0].Results == nil {
		t.Error("results is null, want []")
	}
}

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Props    []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string    `xml:"name,attr"`
			Classname string    `xml:"classname,attr"`
			Failure   *struct{} `xml:"failure"`
			Error     *struct{} `xml:"error"`
			Skipped   *struct{} `xml:"skipped"`
			SystemOut string    `xml:"system-out"`
			Props     []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// parseJUnit checks that the XML parses and every count attribute is the
// number of elements it counts.
func parseJUnit(t *testing.T, b []byte) junitDoc {
	t.Helper()
	var d junitDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("JUnit XML does not parse: %v", err)
	}
	var tests, fails, errs, skips int
	for _, s := range d.Suites {
		var f, e, k int
		for _, c := range s.Cases {
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
			if c.Skipped != nil {
				k++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e || s.Skipped != k {
			t.Errorf("suite %s: tests=%d failures=%d errors=%d skipped=%d, elements say %d %d %d %d",
				s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, k)
		}
		tests, fails, errs, skips = tests+len(s.Cases), fails+f, errs+e, skips+k
	}
	if d.Tests != tests || d.Failures != fails || d.Errors != errs || d.Skipped != skips {
		t.Errorf("testsuites: tests=%d failures=%d errors=%d skipped=%d, suites say %d %d %d %d",
			d.Tests, d.Failures, d.Errors, d.Skipped, tests, fails, errs, skips)
	}
	return d
}

func TestJUnitStructure(t *testing.T) {
	d := parseJUnit(t, render(t, "junit", fixture(), Options{Catalogue: catalogue()}))
	if d.Tests != 11 || d.Failures != 2 || d.Errors != 1 || d.Skipped != 1 {
		t.Errorf("tests=%d failures=%d errors=%d skipped=%d, want 11 2 1 1", d.Tests, d.Failures, d.Errors, d.Skipped)
	}
	if len(d.Suites) != 10 {
		t.Errorf("%d suites, want the run's and one per check (1 + 9)", len(d.Suites))
	}
	// The first suite names what was checked; it has no test cases.
	run := d.Suites[0]
	var srcProp string
	for _, p := range run.Props {
		if p.Name == "source" {
			srcProp = p.Value
		}
	}
	if run.Name != "dmsready run" || len(run.Cases) != 0 || !strings.HasPrefix(srcProp, `sql01.contoso.local\PROD`) {
		t.Errorf("run suite %q: %d cases, source %q", run.Name, len(run.Cases), srcProp)
	}
	for _, s := range d.Suites {
		for _, c := range s.Cases {
			switch c.Classname {
			case "dmsready.DMS310": // waived fail
				if c.Failure != nil || !strings.Contains(c.SystemOut, "waived: Legacy is retired") {
					t.Errorf("waived case: failure %v, system-out %q", c.Failure != nil, c.SystemOut)
				}
				found := false
				for _, p := range c.Props {
					found = found || p.Name == "waived" && p.Value != ""
				}
				if !found {
					t.Error("waived case has no waived property")
				}
			case "dmsready.DMS305": // warning below fail-on
				if c.Failure != nil || !strings.HasPrefix(c.SystemOut, "WARN") {
					t.Errorf("warn case: failure %v, system-out %q", c.Failure != nil, c.SystemOut)
				}
			}
		}
	}
}

// At --fail-on warning a warning blocks, and so fails its test case.
func TestJUnitWarnBlocks(t *testing.T) {
	r := fixture()
	r.FailOn = check.Warning
	d := parseJUnit(t, render(t, "junit", r, Options{}))
	if d.Failures != 3 {
		t.Errorf("failures=%d at fail-on warning, want 3 (2 fail + 1 warning; info warn and waived pass)", d.Failures)
	}
	r.FailOn = check.Info
	if d := parseJUnit(t, render(t, "junit", r, Options{})); d.Failures != 4 {
		t.Errorf("failures=%d at fail-on info, want 4", d.Failures)
	}
}

// Hostile text in findings must not break any format's structure.
func TestHostileText(t *testing.T) {
	r := fixture()
	r.Findings[0].Message = "a\x00b\x1b[31m </failure> ]]> \"quoted\" `tick` | <script> \n new line"
	r.Findings[0].Object = "file:we|rd`<x>`.bak"
	r.Findings[0].Evidence["k\n"] = "v\x07"
	o := Options{Catalogue: catalogue()}
	parseJUnit(t, render(t, "junit", r, o))
	parseSARIF(t, render(t, "sarif", r, o))
	if err := validator(t).ValidateJSON(render(t, "json", r, o)); err != nil {
		t.Error(err)
	}
	md := string(render(t, "markdown", r, o))
	if strings.Contains(md, "<script>") {
		t.Error("markdown passes raw HTML through")
	}
	for _, f := range []string{"text", "markdown"} {
		if out := render(t, f, r, Options{}); strings.ContainsAny(string(out), "\x00\x07\x1b") {
			t.Errorf("%s passes control characters through", f)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "we") && strings.Count(line, " | ") != 4 {
			t.Errorf("markdown table row has the wrong number of cells: %q", line)
		}
	}
}

// Hostile text in what names the run — @@SERVERNAME, the edition, the
// storage location, the plan path — must not reach a terminal, a ticket or a
// page as it is: a line break there forged a "READY" line in the text
// report's header, and ESC, NUL and U+202E went through raw.
func TestHostileRunMetadata(t *testing.T) {
	r := fixture()
	evil := "x\n# READY\r\x1b[2J\u202e\x00y"
	r.Name = "name" + evil
	r.PlanPath = "plans/" + evil + ".yaml"
	r.Source.Name, r.Source.Edition, r.Source.Version = "srv"+evil, "ed"+evil, "13"+evil
	r.Source.Server, r.Source.Instance = "host"+evil, "inst"+evil
	r.Storage.Location = "/mnt/" + evil
	for _, f := range []string{"text", "markdown", "html"} {
		out := string(render(t, f, r, Options{Catalogue: catalogue()}))
		if strings.ContainsAny(out, "\x00\x1b\r\u202e") {
			t.Errorf("%s passes control characters in the run's names through", f)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "# READY") {
				t.Errorf("%s: a name forged the line %q", f, line)
			}
		}
	}
	var est bytes.Buffer
	if err := EstateText(&est, NewEstate([]*Report{r}, nil, check.Error, Options{}), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(est.String(), "\x00\x1b\r\u202e") {
		t.Errorf("estate text passes control characters in the run's names through:\n%s", est.String())
	}
}

// A collector that failed with no check needing its facts gave no error
// finding, so the JUnit report was all green while dmsready exited 3 and
// the other reports say NOT READY: a CI test view (Azure DevOps, GitLab)
// showed a clean run. Such a source error is a test case with <error>.
func TestJUnitSourceErrorWithoutFinding(t *testing.T) {
	r := &Report{FailOn: check.Error, Findings: []check.Finding{
		{CheckID: "DMS101", Status: check.StatusPass, Object: "database:A", Database: "A", Message: "ok"},
	}, SourceErrors: []facts.SourceError{{Source: facts.SrcTables, Kind: "timeout", Message: "query timed out"}}}
	d := parseJUnit(t, render(t, "junit", r, Options{}))
	if d.Errors != 1 {
		t.Errorf("errors=%d, want 1 for the failed collector", d.Errors)
	}
	// Covered by an error finding (the fixture: server.msdb and DMS402), it
	// is not counted twice.
	if d := parseJUnit(t, render(t, "junit", fixture(), Options{Catalogue: catalogue()})); d.Errors != 1 {
		t.Errorf("fixture errors=%d, want 1", d.Errors)
	}
	var b bytes.Buffer
	if err := WriteEstate(&b, "junit", NewEstate([]*Report{r}, nil, check.Error, Options{}), Options{}); err != nil {
		t.Fatal(err)
	}
	if d := parseJUnit(t, b.Bytes()); d.Errors != 1 {
		t.Errorf("estate errors=%d, want 1", d.Errors)
	}
}

// The databases nothing was verified about are named in the verdict line:
// a name with a line break forged a line there, and ESC reached the
// terminal.
func TestHostileUnverifiedName(t *testing.T) {
	r := &Report{FailOn: check.Error, Summary: Summary{Unverified: []string{"x\n# READY\x1b[2J\u202e"}}}
	for _, f := range []string{"text", "markdown", "html"} {
		out := string(render(t, f, r, Options{}))
		if strings.ContainsAny(out, "\x1b\u202e") || strings.Contains(out, "\n# READY") {
			t.Errorf("%s passes an unverified database's name through raw:\n%q", f, out)
		}
	}
}

// In an estate page each server's section is the target of the matrix
// links; two inputs whose names differ only outside a-z0-9 (東京.yaml and
// 大阪.yaml, SQL01.yaml and sql01.yaml) got the same id, so every link
// of the second went to the first server.
func TestEstateHTMLAnchorsUnique(t *testing.T) {
	var rs []*Report
	for _, n := range []string{"plans/東京.yaml", "plans/大阪.yaml", "plans/SQL01.yaml", "plans/sql01.yaml"} {
		r := fixture()
		r.Name = n
		rs = append(rs, r)
	}
	var b bytes.Buffer
	if err := EstateHTML(&b, NewEstate(rs, nil, check.Error, Options{}), Options{}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, m := range regexp.MustCompile(`<section[^>]* id="([^"]+)"`).FindAllStringSubmatch(b.String(), -1) {
		ids[m[1]]++
	}
	if len(ids) != 4 {
		t.Errorf("section ids %v, want 4 distinct", ids)
	}
}
