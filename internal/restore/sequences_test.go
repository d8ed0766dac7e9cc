package restore_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// sequencesGolden pins, as SHA-256 digests, every restore sequence (JSON and
// table) the planner gives for every sample folder (as is, scoped by
// folder, and with each file left out in turn), every facts fixture and a
// set of synthetic estates. It was written before the planner was made
// linear, so the rewrite is proven byte-identical on all of them.
const sequencesGolden = "sequences.golden.json"

func digestPlans(t *testing.T, h interface{ Write([]byte) (int, error) }, f *facts.Facts) {
	t.Helper()
	plans := restore.Build(f)
	var b bytes.Buffer
	if err := restore.WriteJSON(&b, plans); err != nil {
		t.Fatal(err)
	}
	if err := restore.WriteTable(&b, plans); err != nil {
		t.Fatal(err)
	}
	h.Write(b.Bytes())
}

// scoped names every database of the headers with the folder of its first
// file, plus one database with no backups, so folder scoping and the
// other-database and unreadable paths are planned too.
func scoped(f *facts.Facts) *facts.Facts {
	g := *f
	seen := map[string]bool{}
	var dbs []facts.PlanDatabase
	for _, fl := range f.Storage.Files {
		if fl.Backup == nil {
			continue
		}
		for _, s := range fl.Backup.Sets {
			if !seen[s.DatabaseName] {
				seen[s.DatabaseName] = true
				dbs = append(dbs, facts.PlanDatabase{Name: s.DatabaseName, Folder: fl.Dir()})
			}
		}
	}
	dbs = append(dbs, facts.PlanDatabase{Name: "NoSuchDatabase"})
	g.Plan.Databases = dbs
	return &g
}

func TestSequencesByteIdentical(t *testing.T) {
	got := map[string]string{}
	add := func(name string, fs ...*facts.Facts) {
		h := sha256.New()
		for _, f := range fs {
			digestPlans(t, h, f)
		}
		got[name] = hex.EncodeToString(h.Sum(nil))
	}

	// Synthetic estates (no samples needed).
	for name, spec := range map[string]restoretest.EstateSpec{
		"synthetic/month-intact":        {Backups: 30 * 96},
		"synthetic/month-broken":        {Backups: 30 * 96, Broken: true},
		"synthetic/month-broken-early":  {Backups: 30 * 96, BrokenEarly: true},
		"synthetic/month-broken-twice":  {Backups: 30 * 96, Broken: true, BrokenEarly: true},
		"synthetic/estate-scoped":       {Databases: 30, Backups: 100, FullEvery: 100, DiffEvery: 10, Folders: true, Broken: true},
		"synthetic/estate-unscoped":     {Databases: 30, Backups: 100, FullEvery: 100, DiffEvery: 10, BrokenEarly: true},
		"synthetic/estate-server":       {Databases: 10, Backups: 300, FullEvery: 96, DiffEvery: 16, Server: true, Broken: true},
		"synthetic/estate-no-diffs-fld": {Databases: 5, Backups: 500, FullEvery: 50, DiffEvery: 1000, Folders: true},
		"synthetic/month-lsn-bases":     {Backups: 30 * 96, Broken: true, LSNBases: true},
		"synthetic/estate-lsn-bases":    {Databases: 10, Backups: 300, FullEvery: 96, DiffEvery: 16, LSNBases: true, BrokenEarly: true},
	} {
		add(name, restoretest.Estate(spec))
	}

	// Facts fixtures.
	root := filepath.Join("..", "..", "fixtures")
	for _, p := range []string{"demo/facts.json", "restore/scenario.facts.json"} {
		fl, err := os.Open(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		f, err := facts.Read(fl)
		fl.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		add("fixtures/"+p, f, scoped(f))
	}

	// Every sample folder, when the samples are here.
	_, haveSamples := os.Stat(filepath.Join("..", "..", "..", "shared", "samples"))
	if haveSamples == nil {
		base := restoretest.Samples(t)
		var dirs []string
		filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				rel, _ := filepath.Rel(base, p)
				dirs = append(dirs, filepath.ToSlash(rel))
			}
			return nil
		})
		for _, dir := range dirs {
			f := restoretest.Load(t, dir)
			all := []*facts.Facts{f, scoped(f)}
			for _, fl := range f.Storage.Files {
				w := restoretest.Without(t, f, fl.Path)
				all = append(all, w, scoped(w))
			}
			name := "samples/" + dir
			if dir == "." {
				name = "samples"
			}
			add(name, all...)
		}
	}

	p := filepath.Join(root, "restore", sequencesGolden)
	if *update {
		// Keep the sample entries when run without the samples.
		if old, err := os.ReadFile(p); err == nil && haveSamples != nil {
			var prev map[string]string
			if json.Unmarshal(old, &prev) == nil {
				for k, v := range prev {
					if _, ok := got[k]; !ok {
						got[k] = v
					}
				}
			}
		}
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	var want map[string]string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range got {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		w, ok := want[k]
		switch {
		case !ok:
			t.Errorf("%s: not in %s (run go test -update)", k, sequencesGolden)
		case w != got[k]:
			t.Errorf("%s: restore sequences differ from the golden digest", k)
		}
	}
}
