package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// samplesGolden pins what dmsready says about every folder of the real
// sample backups, end to end as a DBA runs it: `check --storage DIR` for
// each target kind (JSON findings and summary, the --verbose text report,
// the exit code) and the same through `collect -o` then `check --facts`.
// Each entry is a SHA-256 digest of that output (times, durations, the
// plan digest and the samples' own path taken out) and its counts, so a
// faster reader, planner, checker or facts path must say exactly the same.
// The digests were written by dmsready at main 0510abb; a917a39 (before
// issue 16's performance work) passes this test unchanged (the two wording
// fixes on main, DMS204 "1 nested folder" and DMS304 "restore it onto",
// occur in no sample folder). DMSREADY_UPDATE=1 rewrites them.
const samplesGolden = "testdata/samples.golden.json"

var (
	planDigestRe = regexp.MustCompile(`plan [0-9a-f]{12}`)
	startedRe    = regexp.MustCompile(`(?m)^started .*$`)
)

func TestSamplesSayTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every sample folder several times")
	}
	root := restoretest.Samples(t)
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	tmp := t.TempDir()
	got := map[string]string{}
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		rel = filepath.ToSlash(rel)
		for _, kind := range []string{"sqlmi", "sqlvm", "sqldb"} {
			name := rel + " " + kind
			js, txt := filepath.Join(tmp, "r.json"), filepath.Join(tmp, "r.txt")
			r := runIn(t, nil, "check", "--storage", dir, "--target-kind", kind, "--verbose",
				"--format", "json="+js, "--format", "text="+txt)
			direct := said(t, root, r.code, js, txt)
			fj := filepath.Join(tmp, "facts.json")
			if c := runIn(t, nil, "collect", "--storage", dir, "--target-kind", kind, "-o", fj); c.code != exitReady {
				t.Fatalf("%s: collect exited %d: %s", name, c.code, c.stderr)
			}
			r = runIn(t, nil, "check", "--facts", fj, "--verbose", "--format", "json="+js, "--format", "text="+txt)
			if viaFacts := said(t, root, r.code, js, txt); viaFacts.digest != direct.digest {
				t.Errorf("%s: check --facts of what collect wrote says otherwise than check --storage", name)
			}
			got[name] = direct.digest + " " + direct.counts
		}
	}
	want, ok := goldenDigests(t, samplesGolden, got)
	if !ok {
		return
	}
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: no longer a sample folder", name)
		} else if g != w {
			t.Errorf("%s: dmsready now says otherwise\n got  %s\n want %s\n(compare the old and new binaries' check --storage output on it; DMSREADY_UPDATE=1 only if the change is intended)", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: a sample folder not in %s (DMSREADY_UPDATE=1)", name, samplesGolden)
		}
	}
}

type saying struct{ digest, counts string }

// said digests one check run: the exit code, the JSON report's findings and
// summary, and the text report, without what changes from run to run or
// machine to machine.
func said(t *testing.T, root string, code int, js, txt string) saying {
	t.Helper()
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
		Summary  json.RawMessage   `json:"summary"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(txt)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(text), root, "SAMPLES")
	s = planDigestRe.ReplaceAllString(startedRe.ReplaceAllString(s, "started"), "plan")
	h := sha256.New()
	fmt.Fprintf(h, "exit %d\n", code)
	for _, f := range rep.Findings {
		h.Write([]byte(strings.ReplaceAll(string(f), root, "SAMPLES") + "\n"))
	}
	h.Write(rep.Summary)
	h.Write([]byte(s))
	counts := map[string]int{}
	for _, f := range rep.Findings {
		var st struct{ Status string }
		if err := json.Unmarshal(f, &st); err != nil {
			t.Fatal(err)
		}
		counts[st.Status]++
	}
	return saying{hex.EncodeToString(h.Sum(nil)), fmt.Sprintf("exit %d, %d pass, %d warn, %d fail, %d skip, %d error",
		code, counts["pass"], counts["warn"], counts["fail"], counts["skip"], counts["error"])}
}

// goldenDigests writes got to the golden file at path under
// DMSREADY_UPDATE (ok false: nothing to compare), else reads what it holds.
func goldenDigests(t *testing.T, path string, got map[string]string) (want map[string]string, ok bool) {
	t.Helper()
	if update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return nil, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	return want, true
}
