package cli

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dmsready/dmsready/internal/faultproxytest"
	"github.com/dmsready/dmsready/internal/textsafe"
)

func writePlan(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A silent endpoint ends check and inspect with a timeout naming it.
func TestBlackHoleEndpoint(t *testing.T) {
	addr := faultproxytest.BlackHole(t)
	start := time.Now()
	code, _, stderr := runInspect(t, "--timeout", "300ms", "http://"+addr+"/devstoreaccount1/c/full.bak?sv=1&sig=SECRETSIG")
	if code != exitSource || !strings.Contains(stderr, addr) || !strings.Contains(stderr, "--timeout") || strings.Contains(stderr, "SECRETSIG") {
		t.Errorf("inspect: exit %d, stderr %q", code, stderr)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("inspect took %s", time.Since(start))
	}

	plan := writePlan(t, "target: {kind: sqlmi}\nstorage:\n  location: http://"+addr+"/devstoreaccount1/c\n  auth: none\n  requestTimeout: 200ms\n")
	r := runBin(t, nil, "check", "--plan", plan, "--format", "json")
	if r.code != exitSource || !strings.Contains(r.stdout, `"kind": "timeout"`) || !strings.Contains(r.stdout, addr) {
		t.Errorf("check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// Ctrl-C ends a run within a second and prints what was collected.
func TestInterruptEndsRunPromptly(t *testing.T) {
	addr := faultproxytest.BlackHole(t)
	_, port, _ := net.SplitHostPort(addr)
	// Storage and SQL Server both accept and never answer.
	plan := writePlan(t, "target: {kind: sqlmi}\nsource:\n  server: 127.0.0.1\n  port: "+port+"\n  user: u\n  encrypt: disable\n"+
		"storage:\n  location: http://"+addr+"/devstoreaccount1/c\n  auth: none\n")
	cmd := exec.Command(bin, "check", "--plan", plan, "--format", "text", "--verbose")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "DMSREADY_SQL_PASSWORD=pw"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	sent := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 5s after Ctrl-C")
	}
	if d := time.Since(sent); d > time.Second {
		t.Errorf("ended %s after Ctrl-C, want within a second", d)
	}
	if !strings.Contains(out.String(), "DMS201") || !strings.Contains(out.String(), "DMS101") || !strings.Contains(out.String(), "canceled") {
		t.Errorf("no report of what was collected:\n%s\n%s", out.String(), errb.String())
	}
}

// Secrets typed where variable names belong never reach any output.
func TestSecretsInEnvFieldsNeverPrinted(t *testing.T) {
	secrets := []string{"Hunter2pw!", "SIGSECRET", "KEYSECRET", "TGTSECRET"}
	plan := writePlan(t, "target:\n  kind: sqlmi\n  server: mi\n  passwordEnv: 'TGTSECRET pw'\n"+
		"source:\n  server: 127.0.0.1\n  user: u\n  passwordEnv: 'Hunter2pw!'\n"+
		"storage:\n  location: https://a.blob.core.windows.net/c\n"+
		"  sasEnv: 'sv=2022-11-02&sp=rl&sig=SIGSECRET%3D'\n"+
		"  connectionStringEnv: 'AccountName=a;AccountKey=KEYSECRET=='\n"+
		"  accountKeyEnv: 'KEYSECRET/2=='\n")
	dir := t.TempDir()
	runs := [][]string{
		{"plan", "validate", plan},
		{"check", "--plan", plan},
		{"check", "--plan", plan, "--format", "json=" + filepath.Join(dir, "r.json"), "--format", "sarif=" + filepath.Join(dir, "r.sarif")},
		{"collect", "--plan", plan, "-o", filepath.Join(dir, "facts.json")},
		{"restore-plan", "--plan", plan},
		{"check", "--source", "127.0.0.1", "--user", "u", "--password-env", "Hunter2pw!", "--target-kind", "sqlmi"},
	}
	for _, args := range runs {
		r := runBin(t, nil, args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitUsage)
		}
		all := r.stdout + r.stderr
		for _, f := range []string{"r.json", "r.sarif", "facts.json"} {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			all += string(b)
		}
		for _, s := range secrets {
			if strings.Contains(all, s) {
				t.Errorf("%v prints %q:\n%s", args, s, all)
			}
		}
	}
}

// Hostile file names cannot forge output in any human-facing format.
func TestHostileFileNames(t *testing.T) {
	dir := t.TempDir()
	full, err := os.ReadFile("../../fixtures/demo/backups/sales/Sales_FULL.bak")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{
		"evil\n\x1b[2J\x1b[32mREADY\x1b[0m\n.bak",
		"x\u202ekab.exe",
		"sep\u2028READY.bak",
		"bad\xff\xfe.bak",
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), full, 0o644); err != nil {
			t.Skip("the file system refuses the name:", err)
		}
		// Not a backup either, for the findings that quote a name.
		if err := os.WriteFile(filepath.Join(dir, n+".txt"), []byte("hello"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	safe := func(what, s string) {
		t.Helper()
		if !utf8.ValidString(s) {
			t.Errorf("%s: invalid UTF-8 in the output", what)
		}
		for _, r := range s {
			if r != '\n' && r != '\t' && textsafe.Unsafe(r) {
				t.Errorf("%s: raw %U in the output:\n%s", what, r, s)
				break
			}
		}
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "READY") || strings.HasPrefix(l, ".bak") {
				t.Errorf("%s: forged line %q", what, l)
			}
		}
	}
	code, out, errOut := runInspect(t, "--files", dir)
	if code == 0 && !strings.Contains(out, `evil\n\x1b[2J`) {
		t.Errorf("inspect table does not show the escaped name:\n%s", out)
	}
	safe("inspect", out)
	safe("inspect stderr", errOut)
	for _, f := range []string{"text", "markdown"} {
		r := runBin(t, nil, "check", "--storage", dir, "--target-kind", "sqlmi", "--format", f)
		safe("check "+f, r.stdout)
		safe("check "+f+" stderr", r.stderr)
	}
	for _, f := range []string{"json", "sarif", "junit"} {
		r := runBin(t, nil, "check", "--storage", dir, "--target-kind", "sqlmi", "--format", f)
		// Machine formats keep the data exact (a bidi character is data);
		// their encoders escape control characters.
		if strings.ContainsAny(r.stdout, "\x1b") || !utf8.ValidString(r.stdout) {
			t.Errorf("check %s: raw control characters or invalid UTF-8 in the output", f)
		}
	}
	r := runBin(t, nil, "restore-plan", "--storage", dir, "--target-kind", "sqlmi", "--database", "Sales")
	safe("restore-plan", r.stdout)
	safe("restore-plan stderr", r.stderr)
}

// inspect DIR walks a folder as check --storage DIR does: links to files
// followed, a dangling link an error on that entry, the rest still read.
func TestInspectDirSymlinksAsShare(t *testing.T) {
	dir := t.TempDir()
	full, err := os.ReadFile("../../fixtures/demo/backups/sales/Sales_FULL.bak")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "a", "full.bak"), full)
	if err := os.Symlink(filepath.Join(dir, "a", "full.bak"), filepath.Join(dir, "linked.bak")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink("nowhere.bak", filepath.Join(dir, "dangling.bak")); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runInspect(t, dir)
	if code != exitSource || !strings.Contains(out, "linked.bak") || !strings.Contains(out, "2 backup set(s) in 2 file(s)") ||
		!strings.Contains(stderr, "dangling.bak: dangling symbolic link") {
		t.Errorf("inspect: exit %d\n%s\n%s", code, out, stderr)
	}
	r := runBin(t, nil, "collect", "--storage", dir, "--target-kind", "sqlmi")
	for _, p := range []string{`"path": "linked.bak"`, `"path": "a/full.bak"`, `"path": "dangling.bak"`} {
		if !strings.Contains(r.stdout, p) {
			t.Errorf("collect lists no %s:\n%s", p, r.stdout)
		}
	}
}
