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
