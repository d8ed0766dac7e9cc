package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// The check alone: facts in, findings out.
func TestCompressedBackups(t *testing.T) {
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion,
		Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}},
		Storage: &facts.Storage{HeadersRead: true, Files: []facts.File{
			{Path: "a.bak", Size: 10, Backup: &facts.BackupMedia{Compressed: true, Sets: []facts.BackupSet{{DatabaseName: "Sales"}}}},
			{Path: "b.bak", Size: 20, Backup: &facts.BackupMedia{Sets: []facts.BackupSet{{DatabaseName: "Sales"}}}},
			{Path: "c.bak", Size: 30, Backup: &facts.BackupMedia{Unknown: []string{"compressed"}}},
			{Path: "notes.txt", Size: 5},
		}}}
	got := map[string]check.Status{}
	for _, fd := range check.Run([]*check.Check{CompressedBackups}, f) {
		got[fd.Object] = fd.Status
	}
	want := map[string]check.Status{"file:a.bak": check.StatusPass, "file:b.bak": check.StatusWarn, "file:c.bak": check.StatusSkip}
	if len(got) != len(want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	for o, st := range want {
		if got[o] != st {
			t.Errorf("%s: %s, want %s", o, got[o], st)
		}
	}
}

// The example builds, and the binary is dmsready with DMS901 registered:
// listed, explained, and run by `check` beside the built-in checks.
func TestCustomBuild(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dmsready-contoso")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = filepath.Join("..", "..")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		var o bytes.Buffer
		cmd.Stdout = &o
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return o.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), 0
	}
	if out, code := run("checks"); code != 0 || !strings.Contains(out, "DMS901") || !strings.Contains(out, "DMS101") {
		t.Errorf("checks: exit %d, DMS901 and DMS101 not both listed", code)
	}
	if out, code := run("explain", "DMS901"); code != 0 || !strings.Contains(out, "Contoso runbook") {
		t.Errorf("explain DMS901: exit %d\n%s", code, out)
	}
	out, code := run("check", "--plan", "fixtures/demo/plan.yaml", "--format", "json")
	if code != 1 {
		t.Errorf("check on the demo: exit %d, want 1 (the demo's blocking findings)", code)
	}
	var rep struct {
		Findings []check.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.CheckID == "DMS901" {
			n++
			if f.Status != check.StatusWarn || !strings.HasPrefix(f.Object, "file:") {
				t.Errorf("DMS901 finding %+v: the demo's backups are not compressed", f)
			}
		}
	}
	if n == 0 {
		t.Error("check did not run DMS901")
	}
}
