package checks

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

var update = flag.Bool("update", false, "rewrite docs/checks.md and golden files")

func TestRegistryValid(t *testing.T) {
	if err := check.Validate(All); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range All {
		if seen[c.Title] {
			t.Errorf("%s: title %q used twice", c.ID, c.Title)
		}
		seen[c.Title] = true
		if strings.HasSuffix(c.Title, ".") {
			t.Errorf("%s: title ends with a period", c.ID)
		}
	}
}

func TestKnownIssuesCovered(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range KnownIssues {
		if keys[k.Key] {
			t.Errorf("known issue key %q used twice", k.Key)
		}
		keys[k.Key] = true
		if len(k.Checks) == 0 && k.Undecidable == "" {
			t.Errorf("known issue %q is neither checked nor explained as undecidable", k.Key)
		}
		for _, id := range k.Checks {
			if check.Lookup(All, id) == nil {
				t.Errorf("known issue %q names check %s, which is not in the registry", k.Key, id)
			}
		}
	}
}

func TestDocsUpToDate(t *testing.T) {
	var b bytes.Buffer
	Markdown(&b, All)
	path := filepath.Join("..", "docs", "checks.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./checks -update)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatal("docs/checks.md is stale: run `go test ./checks -update` and commit it")
	}
}

// TestKnown2009RestorePlanBroken: the known-issues page lists the broken
// restore plan message under 2009 as well as 2007; `explain 2009` must show
// it, with the checks that decide it.
func TestKnown2009RestorePlanBroken(t *testing.T) {
	for _, k := range KnownIssues {
		if k.Code == "2009" && strings.Contains(k.Message, "restore plan is broken") {
			if !slices.Contains(k.Checks, "DMS301") {
				t.Errorf("%s: checks %v lack DMS301", k.Key, k.Checks)
			}
			// A log backup to NUL (msdb) is the same gap, seen before the
			// files are uploaded.
			if !slices.Contains(k.Checks, "DMS412") {
				t.Errorf("%s: checks %v lack DMS412", k.Key, k.Checks)
			}
			return
		}
	}
	t.Error("no 2009 entry for \"The restore plan is broken because firstLsn ...\"")
}
