package cli

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// runIn runs a command line in process, with an environment of its own.
func runIn(t *testing.T, extra []*check.Check, args ...string) result {
	t.Helper()
	var o, e bytes.Buffer
	reg, err := registry(extra)
	if err != nil {
		t.Fatal(err)
	}
	code := run(context.Background(), &env{stdout: &o, stderr: &e, getenv: func(string) string { return "" }, registry: reg}, args)
	return result{code, o.String(), e.String()}
}

// The issue's example: a flag after a path was read as a path ("stat
// --files: no such file or directory", exit 3).
func TestInspectFlagAfterPath(t *testing.T) {
	r := runBin(t, nil, "inspect", "fixtures/demo/backups/", "--files")
	if r.code != exitReady || strings.Contains(r.stderr, "--files") || !strings.Contains(r.stdout, "LOGICAL NAME") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	r = runBin(t, nil, "inspect", "fixtures/demo/backups/sales", "--format", "json")
	if r.code != exitReady || !strings.HasPrefix(r.stdout, "{") {
		t.Errorf("--format after the path: exit %d %q", r.code, r.stderr)
	}
}

// The Go flag package's spellings still work: -plan, -o, --o.
func TestSingleDashFlagsStillWork(t *testing.T) {
	if r := runBin(t, nil, "check", "-plan", "fixtures/demo/plan.yaml", "-format", "json"); r.code != exitFindings || !strings.HasPrefix(r.stdout, "{") {
		t.Errorf("-plan -format: exit %d %q", r.code, r.stderr)
	}
	got := normalizeArgs(newRoot(&env{}, &state{}), []string{"collect", "-plan", "p.yaml", "--o", "f.json", "-o", "g", "-no-color=true", "-x", "--", "-plan"})
	want := []string{"collect", "--plan", "p.yaml", "-o", "f.json", "-o", "g", "--no-color=true", "-x", "--", "-plan"}
	if !slices.Equal(got, want) {
		t.Errorf("normalizeArgs:\ngot  %q\nwant %q", got, want)
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "complete -o default -F", "zsh": "#compdef dmsready",
		"fish": "complete -c dmsready", "powershell": "Register-ArgumentCompleter",
	} {
		r := runBin(t, nil, "completion", shell)
		if r.code != exitReady || !strings.Contains(r.stdout, marker) || r.stderr != "" {
			t.Errorf("completion %s: exit %d, stdout lacks %q (stderr %q)", shell, r.code, marker, r.stderr)
		}
	}
	// Flag values and check IDs complete.
	if r := runBin(t, nil, "__complete", "check", "--target-kind", ""); !strings.Contains(r.stdout, "sqlmi\nsqlvm\nsqldb\n") {
		t.Errorf("--target-kind completion: %q", r.stdout)
	}
	if r := runBin(t, nil, "__complete", "explain", "DMS10"); !strings.Contains(r.stdout, "DMS101\t") {
		t.Errorf("explain completion: %q", r.stdout)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := runBin(t, nil, args...)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != exitReady || len(lines) != 4 || !strings.HasPrefix(lines[0], "dmsready ") ||
			!strings.HasPrefix(lines[1], "commit:") || !strings.HasPrefix(lines[2], "built:") || !strings.HasPrefix(lines[3], "go:      go1.") {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stdout)
		}
	}
	// ldflags win over the build information.
	version, commit, buildDate = "v9.9.9", "abc1234", "2026-11-28T03:00:00Z"
	defer func() { version, commit, buildDate = "", "", "" }()
	r := runIn(t, nil, "version")
	for _, want := range []string{"dmsready v9.9.9\n", "commit:  abc1234", "built:   2026-11-28T03:00:00Z"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("version lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Every command's --help has examples; help asked for is not an error.
func TestEveryCommandHasExamples(t *testing.T) {
	root := newRoot(&env{}, &state{})
	for _, c := range root.Commands() {
		paths := [][]string{{c.Name()}}
		for _, s := range c.Commands() {
			paths = append(paths, []string{c.Name(), s.Name()})
		}
		for _, p := range paths {
			if p[0] == "help" {
				continue
			}
			r := runIn(t, nil, append(p, "--help")...)
			if r.code != exitReady || !strings.Contains(r.stdout, "Examples:") {
				t.Errorf("%v --help: exit %d, no examples:\n%s", p, r.code, r.stdout)
			}
		}
	}
}

func TestUnexpectedArguments(t *testing.T) {
	r := runIn(t, nil, "check", "fixtures/demo/plan.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--plan fixtures/demo/plan.yaml") {
		t.Errorf("check with a stray path: exit %d %q", r.code, r.stderr)
	}
	if r := runIn(t, nil, "plan", "frob"); r.code != exitUsage {
		t.Errorf("plan frob: exit %d %q", r.code, r.stderr)
	}
}

func extraCheck(id string) *check.Check {
	return &check.Check{ID: id, Title: "In-house rule", Severity: check.Error, Needs: []facts.Source{facts.SrcPlan},
		Prevents: "our runbook", Doc: "Why.", Fix: "How.", Link: "https://example.invalid/runbook", Basis: check.Own("our runbook"),
		Run: func(p *check.Pass) { p.Fail("", "plan", "in-house rule failed", nil) }}
}

func TestExtraChecks(t *testing.T) {
	builtinID := builtin()[0].ID
	for _, tc := range []struct {
		extra []*check.Check
		err   string
	}{
		{[]*check.Check{extraCheck(builtinID)}, "already taken"},
		{[]*check.Check{extraCheck("DMS900"), extraCheck("DMS900")}, "already taken"},
		{[]*check.Check{extraCheck("X1")}, "DMS + 3 digits"},
		{[]*check.Check{nil}, "nil"},
	} {
		var o, e bytes.Buffer
		if code := Main([]string{"checks"}, &o, &e, tc.extra...); code != exitUsage || !strings.Contains(e.String(), tc.err) {
			t.Errorf("extra %v: exit %d, stderr %q, want %q", tc.extra, code, e.String(), tc.err)
		}
	}
	extra := []*check.Check{extraCheck("DMS901")}
	if r := runIn(t, extra, "checks"); !strings.Contains(r.stdout, "DMS901") {
		t.Errorf("checks lacks the extra check:\n%s", r.stdout)
	}
	if r := runIn(t, extra, "explain", "DMS901"); r.code != exitReady || !strings.Contains(r.stdout, "In-house rule") {
		t.Errorf("explain DMS901: exit %d %q", r.code, r.stderr)
	}
	r := runIn(t, extra, "check", "--target-kind", "sqldb", "--database", "Sales")
	if r.code != exitFindings || !strings.Contains(r.stdout, "DMS901") {
		t.Errorf("check with the extra check: exit %d\n%s", r.code, r.stdout)
	}
}
