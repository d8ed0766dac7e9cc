package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/browsertest"
)

const demoFacts = "fixtures/demo/facts.json"

// --quiet is the verdict line alone; --verbose lists passes and skips;
// --exit-zero reports and exits 0; a short run on a non-terminal prints no
// progress.
func TestQuietVerboseExitZero(t *testing.T) {
	q := runBin(t, nil, "check", "--facts", demoFacts, "--quiet")
	if q.code != exitFindings || strings.Count(q.stdout, "\n") != 1 || !strings.Contains(q.stdout, "— NOT READY (4 blocking at error)") {
		t.Errorf("--quiet: exit %d\n%s", q.code, q.stdout)
	}
	v := runBin(t, nil, "check", "--facts", demoFacts, "--verbose")
	for _, want := range []string{"PASS  DMS301  database:HR", "SKIP  DMS308", "Database Sales\n"} {
		if !strings.Contains(v.stdout, want) {
			t.Errorf("--verbose lacks %q", want)
		}
	}
	if r := runBin(t, nil, "check", "--facts", demoFacts, "--quiet", "--verbose"); r.code != exitUsage {
		t.Errorf("--quiet --verbose: exit %d", r.code)
	}
	z := runBin(t, nil, "check", "--facts", demoFacts, "--exit-zero")
	if z.code != exitReady || !strings.Contains(z.stdout, "NOT READY") {
		t.Errorf("--exit-zero: exit %d", z.code)
	}
	if z.stderr != "" {
		t.Errorf("a short run printed to stderr: %q", z.stderr)
	}
	if r := runBin(t, nil, "check", "--facts", demoFacts, "--exit-zero", "--fail-on", "bogus"); r.code != exitUsage {
		t.Errorf("--exit-zero hides a usage error: exit %d", r.code)
	}
}

// A folder of facts files and an unreadable one: one estate report, the bad
// input named, the others judged; JSON and HTML too.
func TestEstateCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	b, err := os.ReadFile(filepath.Join("..", "..", demoFacts))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"sql01.json", "sql02.json"} {
		os.WriteFile(filepath.Join(in, n), b, 0o644)
	}
	os.WriteFile(filepath.Join(in, "sql03.json"), []byte(`{"schemaVersion": 1`), 0o644)
	js, html := filepath.Join(dir, "estate.json"), filepath.Join(dir, "estate.html")
	r := runBin(t, nil, "check", "--facts", in, "--parallel", "2", "--format", "text", "--format", "json="+js, "--format", "html="+html)
	if r.code != exitFindings {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"estate of 3 inputs", "Top blockers", "DMS412", "By server", "sql01.json", "sql02.json",
		"Inputs that gave no report", "sql03.json", "2 reports (0 ready)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("estate text lacks %q:\n%s", want, r.stdout)
		}
	}
	var e struct {
		Kind     string
		Reports  []struct{ Name string }
		Failures []struct{ Input string }
	}
	jb, _ := os.ReadFile(js)
	if err := json.Unmarshal(jb, &e); err != nil || e.Kind != "estate" || len(e.Reports) != 2 || len(e.Failures) != 1 {
		t.Errorf("estate JSON: %v %+v", err, e)
	}
	if hb, err := os.ReadFile(html); err != nil || !strings.Contains(string(hb), "Estate matrix") {
		t.Errorf("estate HTML: %v", err)
	}
	// Two facts files given one by one are an estate too; plan overrides are
	// refused there (they would apply to every server).
	two := runBin(t, nil, "check", "--facts", filepath.Join(in, "sql01.json"), "--facts", filepath.Join(in, "sql02.json"), "-q")
	if two.code != exitFindings || !strings.Contains(two.stdout, "2 reports") {
		t.Errorf("two --facts: exit %d %s", two.code, two.stdout)
	}
	bad := runBin(t, nil, "check", "--facts", in, "--target-kind", "sqlvm")
	if bad.code != exitUsage || !strings.Contains(bad.stderr, "--target-kind") {
		t.Errorf("estate with --target-kind: exit %d %s", bad.code, bad.stderr)
	}
}

// diff: the same report twice has nothing new (exit 0); a report with a
// new blocking finding exits 1 and names it, in each format.
func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	if r := runBin(t, nil, "check", "--facts", demoFacts, "--format", "json="+old); r.code != exitFindings {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	same := runBin(t, nil, "diff", old, old)
	if same.code != exitReady || !strings.Contains(same.stdout, "NO NEW BLOCKERS") {
		t.Errorf("diff of a report with itself: exit %d\n%s", same.code, same.stdout)
	}
	var doc map[string]any
	b, _ := os.ReadFile(old)
	json.Unmarshal(b, &doc)
	for _, f := range doc["findings"].([]any) {
		m := f.(map[string]any)
		if m["checkId"] == "DMS311" && m["database"] == "Inventory" {
			m["status"], m["severity"], m["message"] = "fail", "error", "now it fails"
		}
	}
	nb, _ := json.Marshal(doc)
	cur := filepath.Join(dir, "new.json")
	os.WriteFile(cur, nb, 0o644)
	for _, format := range []string{"text", "json", "markdown"} {
		r := runBin(t, nil, "diff", old, cur, "--format", format)
		if r.code != exitFindings || !strings.Contains(r.stdout, "DMS311") || !strings.Contains(r.stdout, "now it fails") {
			t.Errorf("diff --format %s: exit %d\n%s", format, r.code, r.stdout)
		}
	}
	if r := runBin(t, nil, "diff", old, demoFacts); r.code != exitUsage || !strings.Contains(r.stderr, "facts.json") {
		t.Errorf("diff with a facts file: exit %d %s", r.code, r.stderr)
	}
	if r := runBin(t, nil, "diff", old); r.code != exitUsage {
		t.Errorf("diff with one file: exit %d", r.code)
	}
}

// restore-plan --format tsql: the script for a rehearsal, headed as
// generated; the broken chain still exits 1.
func TestRestorePlanTSQL(t *testing.T) {
	r := runBin(t, nil, "restore-plan", "--facts", demoFacts, "--format", "tsql")
	if r.code != exitFindings {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"-- Generated by dmsready", "never runs it", "RESTORE DATABASE [Sales]\n  FROM DISK = N'fixtures/demo/backups/sales/Sales_FULL.bak'",
		"RESTORE LOG [Inventory]", "RESTORE DATABASE [Inventory] WITH RECOVERY;", "-- STOP:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("tsql lacks %q:\n%s", want, r.stdout)
		}
	}
}

// The demo's HTML report in headless Chromium: it loads without errors and
// shows the server findings; DMSREADY_SCREENSHOTS=docs keeps the screenshot
// the README shows.
func TestDemoHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	html := filepath.Join(t.TempDir(), "demo.html")
	if r := runDemo(t, "check", "--plan", "fixtures/demo/plan.yaml", "--format", "html="+html); r.code != exitFindings {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	res := browsertest.Load(t, html, 1280, 1400)
	for _, want := range []string{"Readiness matrix", `SQL2016\PROD`, "DMS401", "Restore plan", "GAP", "fixtures/demo/plan.yaml"} {
		if !strings.Contains(res.DOM, want) {
			t.Errorf("demo HTML lacks %q", want)
		}
	}
	res.Keep(t, "demo-report.png")
}
