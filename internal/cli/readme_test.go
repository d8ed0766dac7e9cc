package cli

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeBlocks returns the README's fenced code blocks of one language
// ("" for unlabelled ones).
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var cur *strings.Builder
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && l == "```"+lang:
			cur = &strings.Builder{}
		case cur != nil && l == "```":
			out = append(out, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(l + "\n")
		}
	}
	return out
}

// The plan in the README is a valid plan as written.
func TestReadmePlanIsValid(t *testing.T) {
	blocks := readmeBlocks(t, "yaml")
	if len(blocks) != 1 {
		t.Fatalf("%d yaml blocks in README, want the plan", len(blocks))
	}
	p := filepath.Join(t.TempDir(), "migration.yaml")
	os.WriteFile(p, []byte(blocks[0]), 0o644)
	if r := runBin(t, nil, "plan", "validate", p); r.code != exitReady {
		t.Errorf("README plan: exit %d: %s", r.code, r.stderr)
	}
}

// Every flag a README command line uses is one its command has.
func TestReadmeFlagsExist(t *testing.T) {
	flagRE := regexp.MustCompile(`\s--?([a-z][a-z-]*)`)
	n := 0
	for _, b := range append(readmeBlocks(t, ""), readmeBlocks(t, "powershell")...) {
		b = strings.ReplaceAll(b, "\\\n", " ")
		b = strings.ReplaceAll(b, "`\n", " ") // PowerShell's line continuation
		for _, l := range strings.Split(b, "\n") {
			l = strings.TrimPrefix(strings.TrimSpace(l), "$ ")
			if i := strings.Index(l, "#"); i >= 0 {
				l = l[:i]
			}
			if _, after, ok := strings.Cut(l, "; dmsready "); ok {
				l = "dmsready " + after // PowerShell: $env:X = 'y'; dmsready ...
			}
			f := strings.Fields(l)
			if len(f) < 2 || f[0] != "dmsready" {
				continue
			}
			help := runBin(t, nil, f[1], "-h")
			for _, m := range flagRE.FindAllStringSubmatch(l, -1) {
				n++
				if !flagInHelp(help.stdout, m[1]) {
					t.Errorf("README: %q: dmsready %s has no flag -%s", l, f[1], m[1])
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no README command lines with flags found")
	}
}

// flagInHelp: cobra lists a flag as "  -o, --output file" or "      --plan file".
func flagInHelp(help, name string) bool {
	re := regexp.MustCompile(`(?m)^\s+(-[a-z], )?--?` + regexp.QuoteMeta(name) + `(\s|$)`)
	short := regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(name) + `, --`)
	return re.MatchString(help) || short.MatchString(help)
}

// The README's install line works from a clone: it is the first command of
// the Install section, and running it installs a dmsready that runs.
func TestReadmeInstallLineWorks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, _ := strings.Cut(string(b), "## Install\n")
	_, blk, _ := strings.Cut(sec, "```\n")
	line, _, _ := strings.Cut(blk, "\n")
	if line != "go install ./cmd/dmsready" {
		t.Fatalf("README's install line is %q, want go install ./cmd/dmsready", line)
	}
	gobin := t.TempDir()
	f := strings.Fields(line)
	cmd := exec.Command(f[0], f[1:]...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	exe := filepath.Join(gobin, "dmsready")
	if _, err := os.Stat(exe); err != nil {
		exe += ".exe"
	}
	out, err := exec.Command(exe, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "dmsready ") {
		t.Errorf("installed dmsready version: %v %q", err, out)
	}
}

// The README's custom-check example is Go that parses and uses the real
// entry point.
func TestReadmeCustomCheckExample(t *testing.T) {
	blocks := readmeBlocks(t, "go")
	if len(blocks) != 1 {
		t.Fatalf("%d go blocks in README, want the custom check", len(blocks))
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "readme.go", blocks[0], 0); err != nil {
		t.Errorf("README's Go example does not parse: %v", err)
	}
	for _, want := range []string{"checker.Main(", "checks/checker\"", "checks/check\"", "checks/facts\""} {
		if !strings.Contains(blocks[0], want) {
			t.Errorf("README's Go example lacks %s", want)
		}
	}
}
