package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
	"github.com/dmsready/dmsready/internal/collect"
	"github.com/dmsready/dmsready/internal/demo"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/schematest"
	"github.com/dmsready/dmsready/report"
)

var update = os.Getenv("DMSREADY_UPDATE") != ""

func demoLSN(vlf, block uint32) facts.LSN { return facts.LSN{VLF: vlf, Block: block, Slot: 1} }

// demoBackups is the demo's backup folder: a broken log chain (Sales), a full
// backup without checksums next to another database's backup (HR), and a
// clean chain with a stale differential (Inventory).
func demoBackups() map[string]backuptest.Spec {
	db := func(name, family string) backuptest.Set {
		// The demo's source is SQL Server 2016 SP2 (sqlscenario.Demo2016).
		return backuptest.Set{DatabaseName: name, ServerName: `SQL2016\PROD`, Version: "13.0.5026", DatabaseVersion: sqlrelease.SQL2016.Writes,
			CompatibilityLevel: 130, FamilyGUID: family, BindingID: family, RecoveryForkID: family,
			Created: time.Date(2021, 4, 1, 8, 0, 0, 0, time.UTC)}
	}
	at := func(s backuptest.Set, typ string, first, last, ckpt, dbb facts.LSN, sums bool, start string, guid string) backuptest.Spec {
		s.Type, s.FirstLSN, s.LastLSN, s.CheckpointLSN, s.DatabaseBackupLSN, s.Checksums = typ, first, last, ckpt, dbb, sums
		s.Start, _ = time.Parse(time.RFC3339, start)
		s.BackupSetGUID = guid
		return backuptest.Spec{Sets: []backuptest.Set{s}}
	}
	const (
		salesFull = "6F1C2D3E-0001-4A5B-8C7D-000000000001"
		hrFull    = "6F1C2D3E-0002-4A5B-8C7D-000000000002"
		invFull   = "6F1C2D3E-0003-4A5B-8C7D-000000000003"
	)
	sales := db("Sales", "A1B2C3D4-1111-4111-8111-111111111111")
	hr := db("HR", "A1B2C3D4-2222-4222-8222-222222222222")
	payroll := db("Payroll", "A1B2C3D4-3333-4333-8333-333333333333")
	inv := db("Inventory", "A1B2C3D4-4444-4444-8444-444444444444")

	salesDiff := at(sales, facts.TypeDifferential, demoLSN(30, 350), demoLSN(30, 400), demoLSN(30, 360), demoLSN(30, 150), true, "2026-11-24T02:00:00Z", "6F1C2D3E-0001-4A5B-8C7D-0000000000D1")
	salesDiff.Sets[0].DifferentialBaseGUID = salesFull
	salesDiff.Sets[0].DifferentialBaseLSN = demoLSN(30, 150)
	invOldDiff := at(inv, facts.TypeDifferential, demoLSN(40, 50), demoLSN(40, 60), demoLSN(40, 55), demoLSN(40, 10), true, "2026-11-20T02:00:00Z", "6F1C2D3E-0003-4A5B-8C7D-0000000000D0")
	invOldDiff.Sets[0].DifferentialBaseGUID = "6F1C2D3E-0003-4A5B-8C7D-0000000000F0"
	invOldDiff.Sets[0].DifferentialBaseLSN = demoLSN(40, 10)
	return map[string]backuptest.Spec{
		"sales/Sales_FULL.bak":  at(sales, facts.TypeFull, demoLSN(30, 100), demoLSN(30, 200), demoLSN(30, 150), facts.LSN{}, true, "2026-11-23T01:00:00Z", salesFull),
		"sales/Sales_LOG_1.trn": at(sales, facts.TypeLog, demoLSN(29, 900), demoLSN(30, 300), demoLSN(30, 150), demoLSN(30, 150), true, "2026-11-23T06:00:00Z", "6F1C2D3E-0001-4A5B-8C7D-0000000000A1"),
		"sales/Sales_DIFF.bak":  salesDiff,
		"sales/Sales_LOG_2.trn": at(sales, facts.TypeLog, demoLSN(30, 300), demoLSN(30, 500), demoLSN(30, 360), demoLSN(30, 150), true, "2026-11-24T06:00:00Z", "6F1C2D3E-0001-4A5B-8C7D-0000000000A2"),
		// Sales_LOG_3.trn (30:500 - 30:600) is missing: the chain breaks here.
		"sales/Sales_LOG_4.trn":            at(sales, facts.TypeLog, demoLSN(30, 600), demoLSN(30, 700), demoLSN(30, 360), demoLSN(30, 150), true, "2026-11-24T18:00:00Z", "6F1C2D3E-0001-4A5B-8C7D-0000000000A4"),
		"hr/HR_FULL.bak":                   at(hr, facts.TypeFull, demoLSN(50, 100), demoLSN(50, 200), demoLSN(50, 150), facts.LSN{}, false, "2026-11-23T01:30:00Z", hrFull),
		"hr/HR_LOG_1.trn":                  at(hr, facts.TypeLog, demoLSN(50, 100), demoLSN(50, 400), demoLSN(50, 150), demoLSN(50, 150), true, "2026-11-23T07:00:00Z", "6F1C2D3E-0002-4A5B-8C7D-0000000000A1"),
		"hr/Payroll_FULL.bak":              at(payroll, facts.TypeFull, demoLSN(60, 100), demoLSN(60, 200), demoLSN(60, 150), facts.LSN{}, true, "2026-11-23T01:45:00Z", "6F1C2D3E-0004-4A5B-8C7D-000000000004"),
		"inventory/Inventory_FULL.bak":     at(inv, facts.TypeFull, demoLSN(41, 100), demoLSN(41, 200), demoLSN(41, 150), facts.LSN{}, true, "2026-11-23T02:00:00Z", invFull),
		"inventory/Inventory_DIFF_old.bak": invOldDiff,
		"inventory/Inventory_LOG_1.trn":    at(inv, facts.TypeLog, demoLSN(41, 120), demoLSN(41, 300), demoLSN(41, 150), demoLSN(41, 150), true, "2026-11-23T08:00:00Z", "6F1C2D3E-0003-4A5B-8C7D-0000000000A1"),
		"inventory/Inventory_LOG_2.trn":    at(inv, facts.TypeLog, demoLSN(41, 300), demoLSN(41, 450), demoLSN(41, 150), demoLSN(41, 150), true, "2026-11-23T14:00:00Z", "6F1C2D3E-0003-4A5B-8C7D-0000000000A2"),
	}
}

// TestDemoFixtures keeps fixtures/demo in step with the code: the backup
// files with demoBackups, facts.json with what `dmsready collect` reads from
// them. DMSREADY_UPDATE=1 rewrites both.
func TestDemoFixtures(t *testing.T) {
	root := filepath.Join("..", "..", "fixtures", "demo")
	for name, spec := range demoBackups() {
		want := backuptest.Bytes(spec)
		path := filepath.Join(root, "backups", filepath.FromSlash(name))
		if update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale (%v): run DMSREADY_UPDATE=1 go test ./internal/cli -run TestDemoFixtures", path, err)
		}
	}
	// Collect from the demo plan exactly as a live run does.
	wd, _ := os.Getwd()
	os.Chdir(filepath.Join("..", ".."))
	defer os.Chdir(wd)
	p, err := plan.Load("fixtures/demo/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The canned source on loopback, as `make demo` names it; the port is
	// the plan's port, so the facts (server "127.0.0.1") do not change with it.
	srv, err := demo.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p.Source.Server, p.Source.Port, p.Source.User, p.Source.PasswordEnv, p.Source.Encrypt = "127.0.0.1", srv.Port(), demo.User, demo.PasswordEnv, "disable"
	f, _ := collect.Run(context.Background(), collect.Options{Plan: p,
		Getenv: func(k string) string {
			if k == demo.PasswordEnv {
				return demo.Password
			}
			return ""
		},
		Now: func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }})
	if len(f.Errors) > 0 {
		t.Fatalf("demo collection failed: %v", f.Errors)
	}
	stable(f)
	var want bytes.Buffer
	facts.Write(&want, f)
	path := "fixtures/demo/facts.json"
	if update {
		os.WriteFile(path, want.Bytes(), 0o644)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%s is stale (%v): run DMSREADY_UPDATE=1 go test ./internal/cli -run TestDemoFixtures", path, err)
	}
}

// stable drops what differs between checkouts: file times.
func stable(f *facts.Facts) {
	if f.Storage != nil {
		for i := range f.Storage.Files {
			f.Storage.Files[i].LastModified = nil
		}
	}
}

// runDemo runs the binary as `make demo` does: against the demo's canned
// SQL Server 2016 on loopback (demo.Server.Args, password in the
// environment).
func runDemo(t *testing.T, args ...string) result {
	t.Helper()
	srv, err := demo.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	return runBin(t, []string{demo.PasswordEnv + "=" + demo.Password}, append(args, srv.Args()...)...)
}

// The demo has blocking findings, so it exits 1 — live and from facts.json,
// with the same findings.
func TestDemoExitsOneLiveAndOffline(t *testing.T) {
	live := runDemo(t, "check", "--plan", "fixtures/demo/plan.yaml", "--format", "json")
	off := runBin(t, nil, "check", "--plan", "fixtures/demo/plan.yaml", "--facts", "fixtures/demo/facts.json", "--format", "json")
	for _, r := range []result{live, off} {
		if r.code != exitFindings {
			t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
		}
	}
	if a, b := findingsOf(t, live.stdout), findingsOf(t, off.stdout); a != b {
		t.Errorf("live and offline findings differ:\n%s\n---\n%s", a, b)
	}

	text := runDemo(t, "check", "--plan", "fixtures/demo/plan.yaml")
	// The README quotes the demo's report from the verdict line to the
	// counts per area; keep it true.
	out := text.stdout
	i := strings.Index(out, "NOT READY")
	if i < 0 {
		t.Fatalf("demo report has no verdict:\n%s", out)
	}
	excerpt := out[strings.LastIndex(out[:i], "\n")+1:]
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil || !strings.Contains(string(readme), "```\n"+excerpt+"```\n") {
		t.Errorf("README.md does not quote the demo's report from its verdict line on:\n%s", excerpt)
	}
	if n := strings.Count(out, "\n"); n > 60 {
		t.Errorf("the demo's text report is %d lines: it should fit a screen", n)
	}
	for _, want := range []string{"Blocking (", "fix: ", "more: dmsready explain DMS301", "WARN", "WAIVED", "DMS401", "DMS412",
		"checked: source 127.0.0.1:", `SQL2016\PROD`, "13.0.5026.0", "storage share fixtures/demo/backups", "plan fixtures/demo/plan.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo report lacks %q", want)
		}
	}
	if strings.Contains(out, "PASS  DMS") || strings.Contains(out, "SKIP  DMS") {
		t.Error("demo report lists passes or skips without --verbose")
	}
}

func findingsOf(t *testing.T, js string) string {
	t.Helper()
	var r report.Report
	if err := jsonUnmarshal([]byte(js), &r); err != nil {
		t.Fatalf("report: %v", err)
	}
	var b bytes.Buffer
	for _, f := range r.Findings {
		b.WriteString(f.CheckID + " " + string(f.Status) + " " + f.Object + " " + f.Message)
		if f.Waiver != nil {
			b.WriteString(" waived: " + f.Waiver.Reason)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The JSON report of the demo facts validates against the documented schema.
func TestDemoReportMatchesSchema(t *testing.T) {
	schema, err := os.ReadFile(filepath.Join("..", "..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := schematest.New(schema)
	if err != nil {
		t.Fatal(err)
	}
	r := runBin(t, nil, "check", "--facts", "fixtures/demo/facts.json", "--format", "json")
	if r.code != exitFindings {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if err := v.ValidateJSON([]byte(r.stdout)); err != nil {
		t.Errorf("report does not match docs/report.schema.json: %v", err)
	}
}

// README: `collect --plan` then `check --facts` alone "evaluates anywhere":
// the plan's waivers must travel in facts.json, or a waived finding blocks
// offline that did not block live.
func TestFactsAloneKeepPlanWaivers(t *testing.T) {
	live := runDemo(t, "check", "--plan", "fixtures/demo/plan.yaml", "--format", "json")
	off := runBin(t, nil, "check", "--facts", "fixtures/demo/facts.json", "--format", "json")
	var a, b report.Report
	if err := jsonUnmarshal([]byte(live.stdout), &a); err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal([]byte(off.stdout), &b); err != nil {
		t.Fatalf("%v\n%s", err, off.stderr)
	}
	if fmt.Sprint(a.Summary) != fmt.Sprint(b.Summary) || len(a.Waivers) == 0 || fmt.Sprint(a.Waivers) != fmt.Sprint(b.Waivers) || live.code != off.code {
		t.Errorf("--facts alone: exit %d summary %+v waivers %+v; --plan: exit %d summary %+v waivers %+v",
			off.code, b.Summary, b.Waivers, live.code, a.Summary, a.Waivers)
	}
}
