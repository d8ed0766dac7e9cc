package checks

import (
	"os"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

// Every check cites a source or says it is dmsready's own rule, and
// docs/checks.md shows it under the check.
func TestEveryCheckStatesItsBasis(t *testing.T) {
	b, err := os.ReadFile("../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, c := range All {
		if !strings.HasPrefix(c.Basis, "documented: ") && !strings.HasPrefix(c.Basis, check.OwnRule+": ") {
			t.Errorf("%s: basis %q neither cites a source nor says it is dmsready's own rule", c.ID, c.Basis)
		}
		sec := doc[strings.Index(doc, "## "+c.ID):]
		if i := strings.Index(sec[3:], "\n## "); i >= 0 {
			sec = sec[:i+3]
		}
		if !strings.Contains(sec, "- Basis: "+c.Basis+"\n") {
			t.Errorf("%s: docs/checks.md does not state its basis", c.ID)
		}
	}
	bad := *All[0]
	bad.Basis = "see the docs"
	if bad.Validate() == nil {
		t.Error("a check without a documented or own basis validates")
	}
}
