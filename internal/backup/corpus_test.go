package backup

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

var update = flag.Bool("update", false, "rewrite the golden file from the decoded samples")

const goldenPath = "fixtures/backups/corpus.golden.json"

// moduleRoot walks up from the package directory to go.mod.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("go.mod not found above the package")
		}
		dir = up
	}
}

// samplesDir is ../shared/samples from the module root; tests skip without it.
func samplesDir(t testing.TB) string {
	d := filepath.Join(moduleRoot(t), "..", "shared", "samples")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("backup samples not found at %s (they live outside the repository): %v", d, err)
	}
	return d
}

// sampleFiles lists every backup file in the corpus, relative, sorted.
func sampleFiles(t testing.TB, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := filepath.Base(p)
		if strings.HasSuffix(base, ".md") || strings.HasSuffix(base, ".sql") || strings.HasPrefix(base, "LICENSE") {
			return nil // the corpus's own documentation
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func readFile(t testing.TB, path string) (*facts.BackupMedia, error) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Read(f, st.Size())
}

type goldenEntry struct {
	Error string             `json:"error,omitempty"`
	Media *facts.BackupMedia `json:"media,omitempty"`
}

// TestCorpusGolden pins every sample's decoded headers.
func TestCorpusGolden(t *testing.T) {
	dir := samplesDir(t)
	got := map[string]goldenEntry{}
	for _, rel := range sampleFiles(t, dir) {
		m, err := readFile(t, filepath.Join(dir, rel))
		e := goldenEntry{Media: m}
		if err != nil {
			e.Error = err.Error()
		}
		got[rel] = e
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join(moduleRoot(t), goldenPath)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestCorpusGolden -update)", err)
	}
	if !bytes.Equal(want, b) {
		var w map[string]goldenEntry
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		diffs := 0
		for k := range got {
			gb, _ := json.Marshal(got[k])
			wb, _ := json.Marshal(w[k])
			if !bytes.Equal(gb, wb) {
				if diffs++; diffs <= 3 {
					t.Errorf("%s decodes differently from %s:\n got %s\nwant %s", k, goldenPath, gb, wb)
				}
			}
		}
		if diffs > 3 {
			t.Errorf("... and %d more files differ", diffs-3)
		}
		for k := range w {
			if _, ok := got[k]; !ok {
				t.Errorf("%s is in %s but not in the samples", k, goldenPath)
			}
		}
		if !t.Failed() {
			t.Errorf("%s differs in form from the decoded samples (run with -update and review)", goldenPath)
		}
	}
}
