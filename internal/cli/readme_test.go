package cli

import (
	"os"
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
	for _, b := range readmeBlocks(t, "") {
		b = strings.ReplaceAll(b, "\\\n", " ")
		for _, l := range strings.Split(b, "\n") {
			l = strings.TrimPrefix(strings.TrimSpace(l), "$ ")
			if i := strings.Index(l, "#"); i >= 0 {
				l = l[:i]
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
