package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/perf"
)

// inspectGolden pins, as SHA-256 digests, everything `dmsready inspect`
// writes (stdout, stderr, exit code) for every folder of the real sample
// backups and for a synthetic share of 400 files (a quarter compressed), as
// JSON, JSON --deep and the --files table, each folder named relative to
// the working directory (stderr's lines sorted: --deep's progress comes
// as files are read). The digests were written by dmsready at 77e9872,
// before inspect's JSON got its own encoder and its folders were read
// while walked (with only the lock on --deep's progress lines added);
// DMSREADY_UPDATE=1 rewrites them.
const inspectGolden = "testdata/inspect.golden.json"

func TestInspectSaysTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every sample folder several times")
	}
	got := map[string]string{}
	digest := func(name string, args ...string) {
		code, out, errs := runInspect(t, args...)
		// --deep's progress lines on stderr come as files are read, in
		// any order: sorted.
		lines := strings.SplitAfter(errs, "\n")
		sort.Strings(lines)
		errs = strings.Join(lines, "")
		h := sha256.New()
		fmt.Fprintf(h, "exit %d\n%s\x00%s", code, out, errs)
		got[name] = hex.EncodeToString(h.Sum(nil))
	}
	modes := map[string][]string{"json": {"--format", "json"}, "json-deep": {"--format", "json", "--deep"}, "table": {"--files"}}
	share := t.TempDir()
	if _, _, err := perf.WriteShare(filepath.Join(share, "share"), perf.ShareSpec{Databases: 8, Backups: 400, CompressedEvery: 4}); err != nil {
		t.Fatal(err)
	}
	root, ok := samplesRoot()
	// Folders by a relative path: the table's widths follow the paths.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(share)
	for mode, args := range modes {
		digest("share "+mode, append(args, "share")...)
	}
	if ok {
		t.Chdir(root)
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
		for _, dir := range dirs {
			rel, _ := filepath.Rel(root, dir)
			for mode, args := range modes {
				digest(filepath.ToSlash(rel)+" "+mode, append(args, rel)...)
			}
		}
	}
	t.Chdir(wd)
	want, compare := goldenDigests(t, inspectGolden, got)
	if !compare {
		return
	}
	var names []string
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if w, ok := want[name]; !ok {
			t.Errorf("%s: not in %s (DMSREADY_UPDATE=1 if a sample folder was added)", name, inspectGolden)
		} else if got[name] != w {
			t.Errorf("%s: inspect now writes otherwise (compare the old and new binaries' output on it)", name)
		}
	}
	if ok {
		for name := range want {
			if _, ok := got[name]; !ok {
				t.Errorf("%s: no longer a sample folder", name)
			}
		}
	}
}

// samplesRoot is ../shared/samples beside the module root, if present.
func samplesRoot() (string, bool) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "samples"))
	if err != nil {
		return "", false
	}
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}
