package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// The binary is built once and driven as a user would: exit codes, stdout
// and stderr kept apart, files written.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dmsready-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "dmsready")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/dmsready").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func runBin(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = "../.."
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, o.String(), e.String()}
}

func TestUsageAndUnknownCommand(t *testing.T) {
	if r := runBin(t, nil); r.code != exitUsage || !strings.Contains(r.stderr, "Usage") {
		t.Errorf("no args: %+v", r)
	}
	if r := runBin(t, nil, "frobnicate"); r.code != exitUsage || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: %+v", r)
	}
	// Help asked for goes to stdout, as cobra tools (kubectl, gh) do.
	if r := runBin(t, nil, "check", "-h"); r.code != exitReady || !strings.Contains(r.stdout, "--fail-on") {
		t.Errorf("check -h: %+v", r)
	}
	if r := runBin(t, nil, "--version"); r.code != exitReady || !strings.HasPrefix(r.stdout, "dmsready ") {
		t.Errorf("--version: %+v", r)
	}
	if r := runBin(t, nil, "checks", "DMS101"); r.code != exitUsage || !strings.Contains(r.stderr, "explain DMS101") {
		t.Errorf("checks with an argument: %+v", r)
	}
	if r := runBin(t, nil, "check", "--no-such-flag"); r.code != exitUsage {
		t.Errorf("bad flag: %+v", r)
	}
	if r := runBin(t, nil, "check", "--format", "pdf"); r.code != exitUsage {
		t.Errorf("bad format: %+v", r)
	}
	if r := runBin(t, nil, "check", "--target-kind", "sqlmi"); r.code != exitUsage || !strings.Contains(r.stderr, "nothing to check") {
		t.Errorf("nothing named: %+v", r)
	}
	if r := runBin(t, nil, "check", "--fail-on", "critical"); r.code != exitUsage {
		t.Errorf("bad --fail-on: %+v", r)
	}
}

func TestMalformedPlanNamesFileLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.yaml")
	os.WriteFile(p, []byte("target:\n  kind: sqlmi\n  colour: blue\nmode: sideways\n"), 0o644)
	for _, args := range [][]string{{"plan", "validate", p}, {"check", "--plan", p}} {
		r := runBin(t, nil, args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, r.code)
		}
		if !strings.Contains(r.stderr, p+":3:3: unknown key") || !strings.Contains(r.stderr, p+":4:7: mode") {
			t.Errorf("%v: stderr %q does not name file:line:column of both errors", args, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("%v: stdout %q, want nothing", args, r.stdout)
		}
	}
	if r := runBin(t, nil, "plan", "validate", "internal/plan/testdata/full.yaml"); r.code != exitReady || !strings.Contains(r.stdout, "valid plan") {
		t.Errorf("valid plan: %+v", r)
	}
}

func TestExitCodesFromFlagsOnly(t *testing.T) {
	r := runBin(t, nil, "check", "--target-kind", "sqldb", "--database", "table", "--database", "Sales")
	if r.code != exitFindings {
		t.Errorf("reserved name: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "DMS101") {
		t.Errorf("report lacks DMS101: %s", r.stdout)
	}
	// A valid name and nothing else verified: never READY (rule 21).
	for _, kind := range []string{"sqldb", "sqlmi"} {
		r = runBin(t, nil, "check", "--target-kind", kind, "--database", "Sales")
		if r.code != exitIncomplete || !strings.Contains(r.stdout, "INCOMPLETE (nothing verified about database Sales)") || strings.Contains(r.stdout, "— READY") {
			t.Errorf("%s, plan only: exit %d, want 4\n%s%s", kind, r.code, r.stdout, r.stderr)
		}
	}
}

// A facts file whose sections are missing or null verifies nothing: the
// checks skip, and the verdict is INCOMPLETE, exit 4, never READY.
func TestFactsWithoutSectionsIsIncomplete(t *testing.T) {
	plan := `"plan": {"target": {"kind": "sqlmi"}, "databases": [{"name": "Sales"}]}`
	for name, body := range map[string]string{
		"missing":        `{"schemaVersion": 1, ` + plan + `}`,
		"null server":    `{"schemaVersion": 1, "server": null, "storage": null, ` + plan + `}`,
		"null databases": `{"schemaVersion": 1, "server": {"version": "15.0.2000.5", "major": 15, "databases": null, "certificates": null, "backupHistory": null}, ` + plan + `}`,
		"no plan dbs":    `{"schemaVersion": 1, "plan": {"target": {"kind": "sqlmi"}}}`,
	} {
		p := filepath.Join(t.TempDir(), "facts.json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runBin(t, nil, "check", "--facts", p, "--format", "text", "--format", "json="+filepath.Join(filepath.Dir(p), "r.json"))
		if r.code != exitIncomplete || !strings.Contains(r.stdout, "INCOMPLETE (nothing") {
			t.Errorf("%s: exit %d, want 4\n%s%s", name, r.code, r.stdout, r.stderr)
		}
		b, err := os.ReadFile(filepath.Join(filepath.Dir(p), "r.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Summary struct {
				Ready      bool     `json:"ready"`
				Unverified []string `json:"unverified"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(b, &rep); err != nil || rep.Summary.Ready || len(rep.Summary.Unverified) != 1 {
			t.Errorf("%s: json summary %+v (%v)", name, rep.Summary, err)
		}
	}
}

func writeFacts(t *testing.T, f *facts.Facts) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "facts.json")
	fl, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	if err := facts.Write(fl, f); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExitCodeSourceFailed(t *testing.T) {
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}, Databases: []facts.PlanDatabase{{Name: "Sales"}}}}
	f.AddError(facts.SourceError{Source: facts.SrcServer, Kind: "unreachable", Message: "dial tcp 127.0.0.1:1: connection refused"})
	p := writeFacts(t, f)
	r := runBin(t, nil, "check", "--facts", p, "--format", "json")
	if r.code != exitSource {
		t.Errorf("exit %d, want 3\n%s%s", r.code, r.stdout, r.stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	// A blocking finding wins over the failed source.
	r = runBin(t, nil, "check", "--facts", p, "--target-kind", "sqldb", "--database", "select")
	if r.code != exitFindings {
		t.Errorf("with a blocking finding: exit %d, want 1", r.code)
	}
}

func TestFactsSchemaVersionChecked(t *testing.T) {
	p := writeFacts(t, &facts.Facts{SchemaVersion: 99})
	if r := runBin(t, nil, "check", "--facts", p); r.code != exitUsage || !strings.Contains(r.stderr, "schema version 99") {
		t.Errorf("%+v", r)
	}
}

func TestSeveralFormatsAtOnce(t *testing.T) {
	dir := t.TempDir()
	r := runBin(t, nil, "check", "--target-kind", "sqldb", "--database", "Sales",
		"--format", "text", "--format", "json="+filepath.Join(dir, "r.json"))
	if r.code != exitIncomplete {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "r.json"))
	if err != nil || !json.Valid(b) {
		t.Errorf("json report file: %v %q", err, b)
	}
	if !strings.Contains(r.stdout, "— INCOMPLETE") || strings.HasPrefix(strings.TrimSpace(r.stdout), "{") {
		t.Errorf("stdout is not the text report: %q", r.stdout)
	}
}

func TestCatalogueCommands(t *testing.T) {
	if r := runBin(t, nil, "explain", "DMS101"); r.code != exitReady || !strings.Contains(r.stdout, "reserved") {
		t.Errorf("explain DMS101: %+v", r)
	}
	if r := runBin(t, nil, "explain", "dms102"); r.code != exitReady || !strings.Contains(r.stdout, "DMS102") {
		t.Errorf("explain is case-insensitive: %+v", r)
	}
	// 3634 is not a DMS code, but the page quotes it in 2009-3634's message.
	r := runBin(t, nil, "explain", "3634")
	if r.code != exitReady || !strings.Contains(r.stdout, "3634 is not a DMS error code") || !strings.Contains(r.stdout, "(2009-3634)") {
		t.Errorf("explain 3634 (not a DMS code): %+v", r)
	}
	r = runBin(t, nil, "explain", "2009")
	if r.code != exitReady || !strings.Contains(r.stdout, "3634") || !strings.Contains(r.stdout, "Not decidable in advance") {
		t.Errorf("explain 2009: %+v", r)
	}
	for _, code := range []string{"2007", "2012", "2014", "2030", "2033", "2038", "2039", "2040", "2041", "2042", "2043"} {
		if r := runBin(t, nil, "explain", code); r.code != exitReady {
			t.Errorf("explain %s: exit %d %s", code, r.code, r.stderr)
		}
	}
	r = runBin(t, nil, "checks", "--format", "json")
	var entries []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil || len(entries) == 0 {
		t.Errorf("checks --format json: %v %q", err, r.stdout)
	}
	if r := runBin(t, nil, "checks"); !strings.Contains(r.stdout, "DMS103") {
		t.Errorf("checks table: %q", r.stdout)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// TestFormatsShareNoOutput: two reports on stdout (or in one file) would be
// concatenated into something no JSON, SARIF or JUnit reader accepts.
func TestFormatsShareNoOutput(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--format", "json", "--format", "sarif"},
		{"--format", "text", "--format", "junit=-"},
		{"--format", "json=" + filepath.Join(dir, "r"), "--format", "sarif=" + filepath.Join(dir, "r")},
	} {
		r := runBin(t, nil, append([]string{"check", "--target-kind", "sqldb", "--database", "Sales"}, args...)...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "--format") {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q", args, r.code, len(r.stdout), r.stderr)
		}
	}
}

// TestCollectIntoNewDirectory: like check's --format json=dir/r.json,
// collect -o makes the directory, so a CI job can write to out/facts.json.
func TestCollectIntoNewDirectory(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out", "ci", "facts.json")
	r := runDemo(t, "collect", "--plan", "fixtures/demo/plan.yaml", "-o", p)
	if r.code != exitReady {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, err := os.ReadFile(p); err != nil || !json.Valid(b) {
		t.Errorf("facts file: %v", err)
	}
}

// TestBadFailOnNamesTheFlag: "severity \"x\"" alone does not say which flag.
func TestBadFailOnNamesTheFlag(t *testing.T) {
	r := runBin(t, nil, "check", "--target-kind", "sqldb", "--fail-on", "bogus")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--fail-on") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestFactsPlanValidated: a facts file is read without its plan file, so
// its plan values are checked like a plan's: an unknown target kind made
// every check "not applicable" and the verdict READY.
func TestFactsPlanValidated(t *testing.T) {
	for _, fp := range []facts.ResolvedPlan{
		{Target: facts.PlanTarget{Kind: "sqlmx"}, Mode: "offline", Method: "dms"},
		{Target: facts.PlanTarget{Kind: facts.KindMI}, Mode: "onlin", Method: "dms"},
		{Target: facts.PlanTarget{Kind: facts.KindMI}, Mode: "offline", Method: "lsr"},
	} {
		p := writeFacts(t, &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: fp})
		for _, cmd := range []string{"check", "restore-plan"} {
			r := runBin(t, nil, cmd, "--facts", p)
			if r.code != exitUsage || !strings.Contains(r.stderr, "facts") {
				t.Errorf("%s with plan %+v: exit %d, stderr %q", cmd, fp, r.code, r.stderr)
			}
		}
	}
}

// `-h` is a request on every command, as the top-level usage promises
// ("Run 'dmsready <command> -h'"): exit 0 with the usage on stderr.
func TestEveryCommandHelpExitsZero(t *testing.T) {
	for _, c := range newRoot(&env{}, &state{}).Commands() {
		for _, h := range []string{"-h", "--help"} {
			if r := runBin(t, nil, c.Name(), h); r.code != exitReady || !strings.Contains(strings.ToLower(r.stderr+r.stdout), "usage") && c.Name() != "version" {
				t.Errorf("%s %s: exit %d, stderr %q", c.Name(), h, r.code, r.stderr)
			}
		}
	}
}

// TestFactsSizeLimit: a facts file over facts.MaxFileSize is refused at
// once with exit 2 and a clear error (a sparse file: nothing is read).
func TestFactsSizeLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.json")
	fl, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Truncate(facts.MaxFileSize + 1); err != nil {
		t.Skipf("no sparse file here: %v", err)
	}
	fl.Close()
	for _, cmd := range []string{"check", "restore-plan"} {
		r := runBin(t, nil, cmd, "--facts", p)
		if r.code != exitUsage || !strings.Contains(r.stderr, "larger than 1 GiB") || !strings.Contains(r.stderr, "docs/facts.md") {
			t.Errorf("%s: %+v", cmd, r)
		}
	}
}
