package restore_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

var update = flag.Bool("update", false, "rewrite the golden files in fixtures/restore")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("..", "..", "fixtures", "restore", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

// TestSampleGoldens pins the printed plan of every sample chain: what
// `dmsready restore-plan` shows for it.
func TestSampleGoldens(t *testing.T) {
	for _, c := range []struct{ root, name string }{
		{"appveyor-lab/sql2008-backups", "sql2008-backups"},
		{"appveyor-lab/RestoreTimeClean", "restoretimeclean"},
		{"appveyor-lab/restoretimeclean2016", "restoretimeclean2016"},
		{"cake-sqlserver", "cake-sqlserver"},
		{"appveyor-lab/singlerestore", "singlerestore"},
		{"appveyor-lab/compressed", "compressed"},
		// The whole lab as one container: nested folders, two forks of
		// RestoreTimeClean, everything planned by header.
		{"appveyor-lab", "appveyor-lab"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := restoretest.Load(t, c.root)
			plans := restore.Build(f)
			var tb, jb bytes.Buffer
			if err := restore.WriteTable(&tb, plans); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".txt", tb.Bytes())
			if c.name == "appveyor-lab" {
				return // the table is enough; its JSON would repeat the others
			}
			if err := restore.WriteJSON(&jb, plans); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".json", jb.Bytes())
		})
	}
}

func planFor(t *testing.T, f *facts.Facts, db string) restore.Sequence {
	t.Helper()
	var out []restore.Sequence
	for _, p := range restore.Build(f) {
		if p.Database == db {
			out = append(out, p)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d plans for %s", len(out), db)
	}
	return out[0]
}

func steps(p restore.Sequence) string {
	var s []string
	for _, b := range p.Steps {
		s = append(s, strings.Join(b.Files, "+"))
	}
	return strings.Join(s, " ")
}

func kinds(p restore.Sequence) string {
	var s []string
	for _, is := range p.Issues {
		s = append(s, is.Kind)
	}
	return strings.Join(s, " ")
}

func same(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got  %s\n want %s", what, got, want)
	}
}

func TestStopAtChain(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/sql2008-backups/StopAt")
	p := planFor(t, f, "StopAt")
	same(t, "steps", steps(p), "StopAt.bak StopAt_1.trn StopAt_2.trn StopAt_21.trn StopAt_23.trn")
	same(t, "reaches", p.Reaches.LSN.String(), "19000000024600001")

	// Remove the log between StopAt_2 and StopAt_23: nothing bridges it.
	p = planFor(t, restoretest.Without(t, f, "StopAt_21.trn"), "StopAt")
	same(t, "status", p.Status, restore.StatusBroken)
	same(t, "steps", steps(p), "StopAt.bak StopAt_1.trn StopAt_2.trn")
	same(t, "issues", kinds(p), "break")
	br := p.Issues[0]
	// SQL Server itself reported StopAt_23 "begins at LSN 19000000021500001".
	same(t, "break", br.Before+" "+br.From.String()+" "+br.After+" "+br.To.String(),
		"StopAt_2.trn 19000000019300001 StopAt_23.trn 19000000021500001")
	same(t, "unused", p.Unused[0].File()+" "+p.Unused[0].Reason, "StopAt_23.trn after-break")
}

func TestRestoreTimeCleanGaps(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/RestoreTimeClean")
	// A log the differential bridges: information only.
	p := planFor(t, restoretest.Without(t, f, "RestoreTimeClean_2.trn"), "RestoreTimeClean")
	same(t, "status", p.Status, restore.StatusReady)
	same(t, "steps", steps(p), "RestoreTimeClean.bak RestoreTimeClean2.bak RestoreTimeClean2_1.trn RestoreTimeClean2_2.trn RestoreTimeClean2_3.trn")
	same(t, "issues", kinds(p), "gap")
	g := p.Issues[0]
	same(t, "gap", g.Before+" "+g.After+" "+g.BridgedBy, "RestoreTimeClean_1.trn RestoreTimeClean_3.trn RestoreTimeClean2.bak")

	// A log after the differential: broken.
	p = planFor(t, restoretest.Without(t, f, "RestoreTimeClean2_2.trn"), "RestoreTimeClean")
	same(t, "status", p.Status, restore.StatusBroken)
	same(t, "issues", kinds(p), "break")
	same(t, "break", p.Issues[0].Before+" "+p.Issues[0].After, "RestoreTimeClean2_1.trn RestoreTimeClean2_3.trn")

	// Without the differential the logs carry the chain from the full.
	p = planFor(t, restoretest.Without(t, f, "RestoreTimeClean2.bak"), "RestoreTimeClean")
	same(t, "steps", steps(p), "RestoreTimeClean.bak RestoreTimeClean_1.trn RestoreTimeClean_2.trn RestoreTimeClean_3.trn RestoreTimeClean2_1.trn RestoreTimeClean2_2.trn RestoreTimeClean2_3.trn")
	same(t, "issues", kinds(p), "")
	same(t, "reaches", p.Reaches.LSN.String(), "25000000022000001")

	// Both gaps: the differential bridges one, the other breaks.
	p = planFor(t, restoretest.Without(t, f, "RestoreTimeClean_2.trn", "RestoreTimeClean2_2.trn"), "RestoreTimeClean")
	same(t, "issues", kinds(p), "break gap")
}

func TestSameNameOtherFork(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/RestoreTimeClean")
	f16 := restoretest.Load(t, "appveyor-lab/restoretimeclean2016")
	extra := restoretest.File(t, f16, "RestoreTimeClean.bak")
	extra.Path = "RestoreTimeClean2016.bak"
	ps := restore.Build(restoretest.With(f, extra))
	if len(ps) != 2 {
		t.Fatalf("%d plans, want one per recovery fork", len(ps))
	}
	// Lineages sort by family, then fork: the 2016 fork (6D3A...) first.
	same(t, "same family", ps[0].FamilyGUID, ps[1].FamilyGUID)
	same(t, "2016 fork", steps(ps[0]), "RestoreTimeClean2016.bak")
	same(t, "2008 R2 fork", steps(ps[1]), "RestoreTimeClean.bak RestoreTimeClean2.bak RestoreTimeClean2_1.trn RestoreTimeClean2_2.trn RestoreTimeClean2_3.trn")
	if ps[0].RecoveryForkID == ps[1].RecoveryForkID {
		t.Error("same recovery fork")
	}
}

func TestStripeSet(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/sql2008-backups/RestoreTimeStripe")
	p := planFor(t, f, "RestoreTimeStripe")
	same(t, "steps", steps(p), "Stripe1/RestoreTimeStripe2.bak+Stripe2/RestoreTimeStripe2a.bak "+
		"Stripe1/restoretime_21.trn+Stripe2/restoretime_21a.trn Stripe1/RestoreTimeStripe_22.trn+Stripe2/RestoreTimeStripe_22a.trn "+
		"Stripe1/RestoreTimeStripe_23.trn+Stripe2/RestoreTimeStripe_23a.trn")

	// One stripe of the latest full gone: the older full and all logs.
	p = planFor(t, restoretest.Without(t, f, "Stripe2/RestoreTimeStripe2a.bak"), "RestoreTimeStripe")
	same(t, "issues", kinds(p), "missing-stripe")
	same(t, "missing", p.Issues[0].Message, "full backup Stripe1/RestoreTimeStripe2.bak is striped over 2 files but media family 2 is missing")
	same(t, "steps", steps(p), "Stripe1/RestoreTimeStripe.bak+Stripe2/RestoreTimeStripe1.bak "+
		"Stripe1/RestoreTimeStripe_1.trn+Stripe2/RestoreTimeStripe_1a.trn Stripe1/RestoreTimeStripe_2.trn+Stripe2/RestoreTimeStripe_2a.trn "+
		"Stripe1/RestoreTimeStripe_3.trn+Stripe2/RestoreTimeStripe_3a.trn Stripe1/restoretime_21.trn+Stripe2/restoretime_21a.trn "+
		"Stripe1/RestoreTimeStripe_22.trn+Stripe2/RestoreTimeStripe_22a.trn Stripe1/RestoreTimeStripe_23.trn+Stripe2/RestoreTimeStripe_23a.trn")
	same(t, "reaches", p.Reaches.LSN.String(), "20000000024300001")

	// A log stripe gone: that log set is incomplete, and the chain from
	// the latest full breaks after restoretime_21.
	p = planFor(t, restoretest.Without(t, f, "Stripe2/RestoreTimeStripe_22a.trn"), "RestoreTimeStripe")
	same(t, "issues", kinds(p), "missing-stripe break")
	same(t, "break", p.Issues[1].Before+" "+p.Issues[1].After, "Stripe1/restoretime_21.trn Stripe1/RestoreTimeStripe_23.trn")

	// The log before the latest full gone: the full bridges the gap.
	p = planFor(t, restoretest.Without(t, f, "Stripe1/RestoreTimeStripe_3.trn", "Stripe2/RestoreTimeStripe_3a.trn"), "RestoreTimeStripe")
	same(t, "issues", kinds(p), "gap")
	same(t, "bridged by", p.Issues[0].BridgedBy, "Stripe1/RestoreTimeStripe2.bak")
	same(t, "status", p.Status, restore.StatusReady)
}

func TestCakeStripes(t *testing.T) {
	f := restoretest.Load(t, "cake-sqlserver")
	p := planFor(t, restoretest.Without(t, f, "multiFilesBackup2.bak"), "CakeRestoreTest")
	same(t, "steps", steps(p), "multiFileBackup.bak")
	same(t, "issues", kinds(p), "missing-stripe")
	same(t, "unused", p.Unused[0].Reason+" "+strings.Join(p.Unused[0].Files(), "+")+" "+fmt.Sprint(p.Unused[0].Backup().MissingFamilies),
		"incomplete multiFilesBackup1.bak+multiFilesBackup3.bak [2]")
}

func TestDb1NoFull(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/sql2008-backups")
	// No folder: db1's backups by header, wherever they lie.
	f.Plan.Databases = []facts.PlanDatabase{{Name: "db1"}}
	p := planFor(t, f, "db1")
	same(t, "status", p.Status, restore.StatusNoFull)
	same(t, "issues", kinds(p), "no-base no-base no-full")
	same(t, "steps", steps(p), "")

	// Folder db1 holds only its DIFF and LOG subfolders (Ola Hallengren's
	// layout): DMS reads none of them, so nothing is planned, and the
	// plan names them.
	f.Plan.Databases = []facts.PlanDatabase{{Name: "db1", Folder: "db1"}}
	p = planFor(t, f, "db1")
	same(t, "status", p.Status, restore.StatusNoBackups)
	same(t, "steps", steps(p), "")
	if len(p.Nested) == 0 || len(p.Unused) != 0 {
		t.Errorf("nested %v, unused %v: want db1's DIFF and LOG files nested, nothing unused", p.Nested, p.Unused)
	}
	for _, n := range p.Nested {
		if !strings.HasPrefix(n, "db1/DIFF/") && !strings.HasPrefix(n, "db1/LOG/") {
			t.Errorf("nested %s: not in db1/DIFF or db1/LOG", n)
		}
	}
}

func TestOtherDatabaseInFolder(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/sql2008-backups/StopAt")
	other := restoretest.File(t, restoretest.Load(t, "appveyor-lab/singlerestore"), "singlerestore.bak")
	other.Path = "StopAt/singlerestore.bak"
	for i := range f.Storage.Files {
		f.Storage.Files[i].Path = "StopAt/" + f.Storage.Files[i].Path
	}
	f = restoretest.With(f, other)
	f.Plan.Databases = []facts.PlanDatabase{{Name: "StopAt", Folder: "StopAt"}}
	p := planFor(t, f, "StopAt")
	same(t, "status", p.Status, restore.StatusReady)
	same(t, "steps", steps(p), "StopAt/StopAt.bak StopAt/StopAt_1.trn StopAt/StopAt_2.trn StopAt/StopAt_21.trn StopAt/StopAt_23.trn")
	same(t, "unused", p.Unused[0].File()+" "+p.Unused[0].Reason+" "+p.Unused[0].Database, "StopAt/singlerestore.bak other-database singlerestore")
}

// TestFactsRoundTrip: `dmsready check --facts` plans from facts.json, so the
// plan must not depend on anything the JSON form drops.
func TestFactsRoundTrip(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/sql2008-backups")
	var buf bytes.Buffer
	if err := facts.Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := facts.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := restore.WriteJSON(&a, restore.Build(f)); err != nil {
		t.Fatal(err)
	}
	if err := restore.WriteJSON(&b, restore.Build(g)); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("plans differ after a facts.json round trip")
	}
	if !strings.Contains(a.String(), `"status": "no-full"`) {
		t.Error("db1 is not planned as no-full")
	}
}

// scenarioFacts is one container as a migration would see it: four
// database folders, three of them damaged (StopAt misses a log, one stripe
// of RestoreTimeStripe's latest full is gone, db1 has no full) and one
// (RestoreTimeClean) missing a log its differential bridges.
func scenarioFacts(t *testing.T) *facts.Facts {
	f := restoretest.Load(t, "appveyor-lab/sql2008-backups")
	f = restoretest.Without(t, f, "StopAt/StopAt_21.trn", "RestoreTimeStripe/Stripe2/RestoreTimeStripe2a.bak")
	rtc := restoretest.Without(t, restoretest.Load(t, "appveyor-lab/RestoreTimeClean"), "RestoreTimeClean_2.trn")
	for _, fl := range rtc.Storage.Files {
		fl.Path = "RestoreTimeClean/" + fl.Path
		f = restoretest.With(f, fl)
	}
	// Only the four folders: the fixture stays small.
	var keep []facts.File
	for _, fl := range f.Storage.Files {
		for _, d := range []string{"StopAt/", "RestoreTimeClean/", "RestoreTimeStripe/", "db1/"} {
			if strings.HasPrefix(fl.Path, d) {
				keep = append(keep, fl)
			}
		}
	}
	f.Storage.Files = keep
	f.CollectedAt = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Storage.Location = "scenario"
	f.Plan = facts.ResolvedPlan{
		Target: facts.PlanTarget{Kind: facts.KindMI, Version: "2022"},
		Mode:   "offline",
		Databases: []facts.PlanDatabase{
			{Name: "StopAt", Folder: "StopAt", LastBackupFile: "StopAt_23.trn"},
			{Name: "RestoreTimeClean", Folder: "RestoreTimeClean", LastBackupFile: "RestoreTimeClean2_3.trn",
				FileMapping: map[string]string{"RestoreTimeClean": "data", "RestoreTimeClean_Log": "log"}},
			{Name: "RestoreTimeStripe", Folder: "RestoreTimeStripe"},
			{Name: "db1", Folder: "db1"},
		},
	}
	return f
}

// TestScenarioFixture runs every restore check over fixtures/restore/
// scenario.facts.json (made from the samples with -update, so it runs
// where ../shared/samples is absent too) and pins all their findings.
func TestScenarioFixture(t *testing.T) {
	p := filepath.Join("..", "..", "fixtures", "restore", "scenario.facts.json")
	if *update {
		var b bytes.Buffer
		if err := facts.Write(&b, scenarioFacts(t)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fh, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := facts.Read(fh)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, x := range check.Run(restoreChecks(), f) {
		fmt.Fprintf(&out, "%s %s %s: %s\n", x.CheckID, x.Status, x.Object, x.Message)
	}
	golden(t, "scenario.findings.txt", out.Bytes())
	var tb bytes.Buffer
	if err := restore.WriteTable(&tb, restore.Build(f)); err != nil {
		t.Fatal(err)
	}
	golden(t, "scenario.txt", tb.Bytes())
}

// restoreChecks are the checks built on this planner (not every DMS3xx
// check: others may join the range).
func restoreChecks() []*check.Check {
	return []*check.Check{checks.BrokenLogChain, checks.BridgedLogGap, checks.NoFullBackup, checks.LogsWithoutFull,
		checks.MissingStripe, checks.DifferentialWithoutBase, checks.NewerThanTarget, checks.LogicalFileNames,
		checks.LastBackupFile, checks.SameNameDatabases}
}
