//go:build unix

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Rules 19 and 20 end to end: a share whose database folder holds a
// dangling symbolic link (its header cannot be read) is undecided, exit 3:
// an error on that file and on the restore checks, never "cannot be
// restored" and never the broken chain the demo's readable files show.
func TestUnreadableShareEntryIsAnError(t *testing.T) {
	dir := t.TempDir()
	sales := filepath.Join(dir, "sales")
	if err := os.MkdirAll(sales, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join("..", "..", "fixtures", "demo", "backups", "sales")
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(sales, e.Name()), b, 0o644)
	}
	if err := os.Symlink(filepath.Join(dir, "gone.trn"), filepath.Join(sales, "Sales_LOG_3.trn")); err != nil {
		t.Fatal(err)
	}
	r := runBin(t, nil, "check", "--storage", dir, "--target-kind", "sqlmi", "--database", "Sales", "--format", "json")
	if r.code != exitSource {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	var rep struct {
		Findings []struct {
			CheckID, Object, Status, Message string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.CheckID+" "+f.Object] = f.Status
		if strings.Contains(f.Message, "cannot be restored") {
			t.Errorf("%s %s: %s", f.CheckID, f.Object, f.Message)
		}
	}
	for k, want := range map[string]string{
		"DMS208 file:sales/Sales_LOG_3.trn": "error",
		"DMS301 database:Sales":             "error",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %s", k, got[k], want)
		}
	}
}

// TestEmptyStorageIsNeverReady: an empty folder, or one holding only a
// stray text file, with no database named, verifies no database: the run
// is INCOMPLETE (exit 4), never READY on nothing.
func TestEmptyStorageIsNeverReady(t *testing.T) {
	empty := t.TempDir()
	stray := t.TempDir()
	if err := os.WriteFile(filepath.Join(stray, "readme.txt"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{empty, stray} {
		r := runBin(t, nil, "check", "--storage", dir, "--target-kind", "sqlmi", "--no-color")
		if r.code != exitIncomplete || strings.Contains(r.stdout, "— READY") {
			t.Errorf("%s: exit %d, want %d (incomplete)\n%s", filepath.Base(dir), r.code, exitIncomplete, r.stdout)
		}
	}
}
