package estate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/browsertest"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/report"
)

func demoFacts(t testing.TB) *facts.Facts {
	t.Helper()
	fl, err := os.Open("../../fixtures/demo/facts.json")
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	f, err := facts.Read(fl)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// synth makes facts of n databases from the demo's three: copies of its
// folders, files and plan entries under new names (Sales_007 in sales_007).
func synth(t testing.TB, base *facts.Facts, n int, server string) *facts.Facts {
	t.Helper()
	f := *base
	f.Plan.Source.Server = server
	f.Plan.Databases = nil
	st := *base.Storage
	st.Files, st.Folders = nil, nil
	for k := 0; len(f.Plan.Databases) < n; k++ {
		for _, d := range base.Plan.Databases {
			if len(f.Plan.Databases) == n {
				break
			}
			suffix := fmt.Sprintf("_%03d", k)
			nd := d
			nd.Name, nd.Folder = d.Name+suffix, d.Folder+suffix
			if d.LastBackupFile != "" {
				nd.LastBackupFile = nd.Folder + strings.TrimPrefix(d.LastBackupFile, d.Folder)
			}
			f.Plan.Databases = append(f.Plan.Databases, nd)
			for _, fl := range base.Storage.Files {
				if !strings.HasPrefix(fl.Path, d.Folder+"/") {
					continue
				}
				c := fl
				c.Path = nd.Folder + strings.TrimPrefix(fl.Path, d.Folder)
				if fl.Backup != nil {
					m := *fl.Backup
					m.Sets = append([]facts.BackupSet(nil), fl.Backup.Sets...)
					for i := range m.Sets {
						m.Sets[i].DatabaseName += suffix
					}
					c.Backup = &m
				}
				st.Files = append(st.Files, c)
			}
		}
	}
	f.Storage = &st
	// The source catalog and msdb history follow the copies' names.
	if base.Server != nil {
		sv := *base.Server
		sv.Databases, sv.BackupHistory = nil, nil
		for _, d := range f.Plan.Databases {
			orig, suffix := d.Name[:len(d.Name)-4], d.Name[len(d.Name)-4:]
			for _, sd := range base.Server.Databases {
				if sd.Name == orig {
					sd.Name += suffix
					sv.Databases = append(sv.Databases, sd)
				}
			}
			for _, h := range base.Server.BackupHistory {
				if h.Database == orig {
					h.Database += suffix
					sv.BackupHistory = append(sv.BackupHistory, h)
				}
			}
		}
		f.Server = &sv
	}
	return &f
}

func writeFacts(t testing.TB, dir string, n, dbs int) []string {
	t.Helper()
	base := demoFacts(t)
	var paths []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("sql%03d.json", i))
		fl, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := facts.Write(fl, synth(t, base, dbs, fmt.Sprintf(`sql%03d\PROD`, i))); err != nil {
			t.Fatal(err)
		}
		fl.Close()
		paths = append(paths, p)
	}
	return paths
}

// A folder of facts files and a broken one: every good input becomes a
// report, the broken one a failure naming it; the estate sums them up.
func TestRunFolder(t *testing.T) {
	dir := t.TempDir()
	writeFacts(t, dir, 3, 6)
	bad := filepath.Join(dir, "zz-broken.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ins, err := Expand([]string{dir}, KindFacts)
	if err != nil || len(ins) != 4 {
		t.Fatalf("Expand: %v %v", ins, err)
	}
	var done atomic.Int32
	rs, fails := Run(context.Background(), ins, Options{Checks: checks.All, Parallel: 2, Version: "test",
		Done: func(Input, *report.Report, error) { done.Add(1) }})
	if len(rs) != 3 || len(fails) != 1 || fails[0].Input != bad || done.Load() != 4 {
		t.Fatalf("%d reports, failures %+v, %d done", len(rs), fails, done.Load())
	}
	// An estate keeps only the restore plans it draws, without headers.
	for _, r := range rs {
		if len(r.Restore) == 0 {
			t.Errorf("%s: the broken restore plans were dropped", r.Name)
		}
		for _, p := range r.Restore {
			for _, st := range p.Steps {
				if p.Status == "ready" || st.Header != nil {
					t.Errorf("%s: %s kept (%s, header %v)", r.Name, p.Database, p.Status, st.Header != nil)
				}
			}
		}
	}
	e := report.NewEstate(rs, fails, "", report.Options{Catalogue: checks.All})
	if e.Summary.Databases != 3*(6+1) { // 6 planned + Payroll copies found in hr folders
		t.Logf("databases: %d", e.Summary.Databases)
	}
	if e.Summary.Ready || e.Summary.Reports != 3 || e.Summary.Inputs != 4 {
		t.Errorf("summary %+v", e.Summary)
	}
	if len(e.TopBlockers) == 0 || e.TopBlockers[0].Reports != 3 {
		t.Errorf("top blockers %+v", e.TopBlockers)
	}
	var b bytes.Buffer
	if err := report.EstateText(&b, e, report.Options{Catalogue: checks.All}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Top blockers", "DMS301", "By server", "sql001.json", "zz-broken.json", "NOT READY"} {
		if !strings.Contains(out, want) {
			t.Errorf("estate text lacks %q:\n%s", want, out)
		}
	}
	if _, err := Expand([]string{t.TempDir()}, KindFacts); err == nil {
		t.Error("an empty folder expanded without error")
	}
}

// Collection is bounded: never more than Parallel plans at once; a panic
// in one collection is that input's failure only.
func TestRunParallelBound(t *testing.T) {
	dir := t.TempDir()
	var ins []Input
	for i := 0; i < 12; i++ {
		p := filepath.Join(dir, fmt.Sprintf("p%02d.yaml", i))
		body := fmt.Sprintf("version: 1\ntarget:\n  kind: sqlmi\nstorage:\n  location: /nonexistent/%d\ndatabases:\n  - name: D%d\n", i, i)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, Input{Path: p, Kind: KindPlan})
	}
	var cur, peak atomic.Int32
	collect := func(ctx context.Context, p *plan.Document) (*facts.Facts, []report.Timing) {
		n := cur.Add(1)
		defer cur.Add(-1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		if strings.HasSuffix(p.File, "p05.yaml") {
			panic("collector bug")
		}
		return &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: p.Facts(),
			Errors: []facts.SourceError{{Source: facts.SrcStorage, Kind: "not-found", Message: "no such folder"}}}, nil
	}
	rs, fails := Run(context.Background(), ins, Options{Checks: checks.All, Parallel: 3, Collect: collect})
	if peak.Load() > 3 || peak.Load() < 2 {
		t.Errorf("peak concurrency %d, want 2..3", peak.Load())
	}
	if len(rs) != 11 || len(fails) != 1 || !strings.Contains(fails[0].Message, "collector bug") {
		t.Fatalf("%d reports, failures %+v", len(rs), fails)
	}
	for _, r := range rs {
		db := "D" + strings.TrimSuffix(strings.TrimPrefix(filepath.Base(r.Name), "p"), ".yaml")
		db = "D" + strings.TrimLeft(strings.TrimPrefix(db, "D"), "0")
		if db == "D" {
			db = "D0"
		}
		want := []report.Location{{Object: "database:" + db, File: r.Name, Line: 7}, {Object: "storage", File: r.Name, Line: 5}, {Object: "target", File: r.Name, Line: 3}}
		if fmt.Sprint(r.Locations) != fmt.Sprint(want) {
			t.Errorf("%s: locations %+v, want %+v", r.Name, r.Locations, want)
		}
	}
}

// The estate the issue names: 200 facts files of 50 databases each,
// evaluated and reported (text, JSON, HTML). make bench prints time and
// memory.
func BenchmarkEstate200x50(b *testing.B) {
	dir := b.TempDir()
	paths := writeFacts(b, dir, benchInputs, 50)
	ins, err := Expand([]string{dir}, KindFacts)
	if err != nil || len(ins) != len(paths) {
		b.Fatal(err)
	}
	o := report.Options{Catalogue: checks.All}
	cpu0, _ := usage()
	b.ResetTimer()
	for b.Loop() {
		rs, fails := Run(context.Background(), ins, Options{Checks: checks.All, Parallel: 4})
		if len(fails) > 0 || len(rs) != benchInputs {
			b.Fatalf("%d reports, %v", len(rs), fails)
		}
		e := report.NewEstate(rs, fails, "", o)
		for _, f := range []string{"text", "json", "html"} {
			if err := report.WriteEstate(io.Discard, f, e, o); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	// Wall time on a shared machine says little alone: CPU time and the
	// peak resident set (the whole estate is held for the report) too.
	cpu, rss := usage()
	b.ReportMetric((cpu-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(rss, "peak-RSS-MiB")
}

// benchInputs is the estate size.
const benchInputs = 200

// The estate page in a real browser: it loads, the matrix has a row per
// server and database, and it is coloured.
func TestEstateHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	dir := t.TempDir()
	base := demoFacts(t)
	var rs []*report.Report
	for i, n := range []int{3, 2, 3} {
		f := synth(t, base, n, fmt.Sprintf(`SQL%02d\PROD`, i+1))
		if i == 1 { // one clean server: only Inventory copies
			var keep []facts.PlanDatabase
			for _, d := range f.Plan.Databases {
				if strings.HasPrefix(d.Name, "Inventory") {
					keep = append(keep, d)
				}
			}
			f.Plan.Databases = keep
		}
		r := Evaluate(f, time.Now(), nil, Options{Checks: checks.All, Version: "test"})
		r.Name = fmt.Sprintf("plans/sql%02d.yaml", i+1)
		rs = append(rs, r)
	}
	e := report.NewEstate(rs, []report.InputFailure{{Input: "plans/sql04.yaml", Message: "plans/sql04.yaml:3:9: target.kind: want sqlmi, sqlvm or sqldb"}}, "", report.Options{Catalogue: checks.All})
	var b bytes.Buffer
	if err := report.EstateHTML(&b, e, report.Options{Catalogue: checks.All}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "estate.html")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res := browsertest.Load(t, path, 1280, 900)
	for _, want := range []string{"Estate matrix", "Top blockers", "plans/sql02.yaml", "Sales_000", "sql04.yaml"} {
		if !strings.Contains(res.DOM, want) {
			t.Errorf("estate DOM lacks %q", want)
		}
	}
	res.Keep(t, "estate-report.png")
}
