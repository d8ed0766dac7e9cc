package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/report"
)

// runBinIn runs the binary in dir (runBin runs it at the repository root).
func runBinIn(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
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

const sqlmiPlan = "version: 1\ntarget:\n  kind: sqlmi\nmode: offline\ndatabases:\n  - name: Sales\n"

// target is the target kind and databases a JSON report was made for.
func target(t *testing.T, r result) string {
	t.Helper()
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d, stdout not a report: %v\n%s", r.code, err, r.stderr)
	}
	return rep.Target.Kind
}

// Precedence: flags > environment (DMSREADY_*) > plan file.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.yaml")
	os.WriteFile(p, []byte(sqlmiPlan), 0o644)

	if k := target(t, runBin(t, nil, "check", "--plan", p, "--format", "json")); k != "sqlmi" {
		t.Errorf("plan alone: target %s, want sqlmi", k)
	}
	env := []string{"DMSREADY_TARGET_KIND=sqldb"}
	if k := target(t, runBin(t, env, "check", "--plan", p, "--format", "json")); k != "sqldb" {
		t.Errorf("environment over plan: target %s, want sqldb", k)
	}
	if k := target(t, runBin(t, env, "check", "--plan", p, "--target-kind", "sqlmi", "--format", "json")); k != "sqlmi" {
		t.Errorf("flag over environment: target %s, want sqlmi", k)
	}
	// DMSREADY_PLAN names the plan; a repeatable flag takes a list.
	r := runBin(t, []string{"DMSREADY_PLAN=" + p, "DMSREADY_TARGET_KIND=sqldb", "DMSREADY_DATABASE=table, Sales"}, "check")
	if r.code != exitFindings || !strings.Contains(r.stdout, "DMS101") || !strings.Contains(r.stdout, "database:table") {
		t.Errorf("DMSREADY_PLAN + DMSREADY_DATABASE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// --fail-on from the environment decides the exit code.
	r = runBin(t, []string{"DMSREADY_FAIL_ON=info"}, "check", "--facts", "fixtures/demo/facts.json", "--format", "json")
	var rep report.Report
	if json.Unmarshal([]byte(r.stdout), &rep); rep.FailOn != "info" {
		t.Errorf("DMSREADY_FAIL_ON=info: report fails on %q", rep.FailOn)
	}
}

// A bad value from the environment is named by its variable, not by a
// flag the user never typed.
func TestConfigEnvErrorsNameTheVariable(t *testing.T) {
	for env, want := range map[string]string{
		"DMSREADY_FAIL_ON=critical": "DMSREADY_FAIL_ON",
		"DMSREADY_MODE=sideways":    "DMSREADY_MODE",
		"DMSREADY_NO_COLOR=maybe":   "DMSREADY_NO_COLOR",
	} {
		r := runBin(t, []string{env}, "check", "--target-kind", "sqldb", "--database", "Sales")
		if r.code != exitUsage || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "--mode:") {
			t.Errorf("%s: exit %d, stderr %q", env, r.code, r.stderr)
		}
	}
}

// dmsready.yaml in the current directory is the plan when --plan is
// omitted; --plan, DMSREADY_PLAN and --facts each take its place.
func TestConfigDefaultPlanFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "dmsready.yaml"), []byte(sqlmiPlan), 0o644)
	r := runBinIn(t, dir, nil, "check", "--format", "json")
	if k := target(t, r); k != "sqlmi" || !strings.Contains(r.stderr, "dmsready.yaml") {
		t.Errorf("dmsready.yaml: target %q, stderr %q", k, r.stderr)
	}
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte(strings.Replace(sqlmiPlan, "sqlmi", "sqldb", 1)), 0o644)
	for _, c := range []struct {
		env  []string
		args []string
	}{
		{nil, []string{"--plan", other}},
		{[]string{"DMSREADY_PLAN=" + other}, nil},
	} {
		r := runBinIn(t, dir, c.env, append([]string{"check", "--format", "json"}, c.args...)...)
		if k := target(t, r); k != "sqldb" || strings.Contains(r.stderr, "dmsready.yaml") {
			t.Errorf("%v %v: target %q (want the named plan's sqldb), stderr %q", c.env, c.args, k, r.stderr)
		}
	}
	facts, _ := filepath.Abs("../../fixtures/demo/facts.json")
	r = runBinIn(t, dir, nil, "check", "--facts", facts, "--format", "json")
	if strings.Contains(r.stderr, "dmsready.yaml") || r.code != exitFindings {
		t.Errorf("--facts with dmsready.yaml beside: exit %d, stderr %q", r.code, r.stderr)
	}
	// A malformed dmsready.yaml is reported like any plan.
	os.WriteFile(filepath.Join(dir, "dmsready.yaml"), []byte("target:\n  kind: sqlmx\n"), 0o644)
	if r := runBinIn(t, dir, nil, "check"); r.code != exitUsage || !strings.Contains(r.stderr, "dmsready.yaml:2:") {
		t.Errorf("malformed dmsready.yaml: exit %d, stderr %q", r.code, r.stderr)
	}
}
