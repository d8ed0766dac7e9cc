package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailedCollectorNeverSaysReady: the demo's facts with its blockers
// waived and one collector failed (server.tables timed out; no check of
// a Managed Instance migration needed it, so no error finding). dmsready
// exited 3 but every report said READY ("ready": true): the verdict and
// the exit code must agree, and a failed collector is never READY.
func TestFailedCollectorNeverSaysReady(t *testing.T) {
	f := waivedDemo(t)
	path := filepath.Join(t.TempDir(), "facts.json")
	write := func() {
		b, _ := json.Marshal(f)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write()
	if r := runIn(t, nil, "check", "--facts", path, "--quiet"); r.code != exitReady || !strings.Contains(r.stdout, "— READY") {
		t.Fatalf("without the failure: exit %d %s", r.code, r.stdout)
	}
	f["errors"] = []any{map[string]any{"source": "server.tables", "kind": "timeout", "message": "query timed out"}}
	write()
	r := runIn(t, nil, "check", "--facts", path, "--quiet")
	if r.code != exitSource || !strings.Contains(r.stdout, "NOT READY (could not collect server.tables)") {
		t.Errorf("exit %d, want 3; %s", r.code, r.stdout)
	}
	r = runIn(t, nil, "check", "--facts", path, "--format", "json")
	var rep struct{ Summary struct{ Ready bool } }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Summary.Ready {
		t.Errorf("JSON summary.ready = %v (%v)", rep.Summary.Ready, err)
	}
}

// A plan refuses a waiver without a reason (README: reason required), but
// the same waiver carried by a facts file was applied: the demo's DMS205
// blocker came out "WAIVED ... waived: " with nothing after it, exit 1
// turned to 0 once the rest was waived too. A facts file's waivers are
// checked as a plan's are.
func TestFactsWaiverWithoutReason(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "demo", "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]map[string]any{
		"no reason":   {"check": "DMS205", "object": "folder:hr"},
		"blank":       {"check": "DMS205", "object": "folder:hr", "reason": "  "},
		"bad check":   {"check": "dms205", "object": "folder:hr", "reason": "r"},
		"bad expires": {"check": "DMS205", "object": "folder:hr", "reason": "r", "expires": "soon"},
	} {
		var f map[string]any
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		pl := f["plan"].(map[string]any)
		pl["waivers"] = append(pl["waivers"].([]any), w)
		path := filepath.Join(t.TempDir(), "facts.json")
		out, _ := json.Marshal(f)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runIn(t, nil, "check", "--facts", path, "--quiet")
		if r.code != exitUsage || !strings.Contains(r.stderr, "waivers[2]") {
			t.Errorf("%s: exit %d, want 2 naming waivers[2]\nstdout %s\nstderr %s", name, r.code, r.stdout, r.stderr)
		}
	}
}

// `--format json=facts.json` with `--facts facts.json` wrote the report over
// the facts file it was made from, and `--format markdown=m.yaml` with
// `--plan m.yaml` replaced the plan with a report: the input was lost.
func TestReportOverInputRefused(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "demo", "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	facts := filepath.Join(dir, "facts.json")
	os.WriteFile(facts, b, 0o644)
	plan := filepath.Join(dir, "m.yaml")
	os.WriteFile(plan, []byte("version: 1\ntarget: {kind: sqlmi}\nstorage: {location: "+dir+"}\n"), 0o644)
	for _, args := range [][]string{
		{"--facts", facts, "--format", "json=" + facts},
		{"--facts", facts, "--format", "json=" + filepath.Join(dir, ".", "facts.json")},
		{"--facts", dir, "--format", "json=" + facts},
		{"--plan", plan, "--format", "markdown=" + plan},
	} {
		r := runIn(t, nil, append([]string{"check", "--quiet"}, args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "would overwrite the input") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if got, _ := os.ReadFile(facts); string(got) != string(b) {
		t.Error("the facts file was overwritten")
	}
	if got, _ := os.ReadFile(plan); !strings.HasPrefix(string(got), "version: 1") {
		t.Error("the plan was overwritten")
	}
	// A report beside its input is fine.
	if r := runIn(t, nil, "check", "--quiet", "--facts", facts, "--format", "json="+filepath.Join(dir, "report.json")); r.code == exitUsage {
		t.Errorf("report beside the facts: exit 2 %q", r.stderr)
	}
}

// `dmsready collect --plan m.yaml -o m.yaml` replaced the plan with the
// facts it collected.
func TestCollectOverPlanRefused(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "m.yaml")
	os.WriteFile(plan, []byte("version: 1\ntarget: {kind: sqlmi}\nstorage: {location: "+filepath.Dir(plan)+"}\n"), 0o644)
	r := runIn(t, nil, "collect", "--plan", plan, "-o", plan)
	if r.code != exitUsage || !strings.Contains(r.stderr, "would overwrite the plan") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(plan); !strings.HasPrefix(string(got), "version: 1") {
		t.Error("the plan was overwritten")
	}
}

// An estate exits as its worst report: one whose collector failed (no
// error finding) exits 3 alone, but an estate of it exited 0 — only
// error findings were counted.
func TestEstateFailedCollectorExit(t *testing.T) {
	f := waivedDemo(t)
	dir := t.TempDir()
	write := func(name string) {
		b, _ := json.Marshal(f)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json")
	if r := runIn(t, nil, "check", "--facts", dir, "--quiet"); r.code != exitReady {
		t.Fatalf("a clean estate: exit %d %s", r.code, r.stdout)
	}
	f["errors"] = []any{map[string]any{"source": "server.tables", "kind": "timeout", "message": "query timed out"}}
	write("b.json")
	if r := runIn(t, nil, "check", "--facts", dir, "--quiet"); r.code != exitSource {
		t.Errorf("an estate with a failed collector: exit %d, want 3\n%s", r.code, r.stdout)
	}
}

// waivedDemo is the demo's facts with its blocking findings waived: a run
// that is READY until something else goes wrong.
func waivedDemo(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "demo", "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	pl := f["plan"].(map[string]any)
	ws, _ := pl["waivers"].([]any)
	for _, w := range [][2]string{{"DMS205", "folder:hr"}, {"DMS301", "database:Sales"}, {"DMS309", "database:Sales"}, {"DMS412", "database:Sales"}} {
		ws = append(ws, map[string]any{"check": w[0], "object": w[1], "reason": "test", "expires": "2099-12-31"})
	}
	pl["waivers"] = ws
	return f
}
