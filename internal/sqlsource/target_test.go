package sqlsource_test

import (
	"context"
	"testing"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/tdstest"
)

type target struct {
	version  string
	engine   int
	dbs      []string
	thumbs   []string
	storage  []any // used_mb, limit_mb; nil = query denied
	password string
}

func (tg target) scenario() *tdstest.Scenario {
	a := map[string]tdstest.Responder{
		"dmsready:target-server": tdstest.Sets(tdstest.Result{Cols: []col{c("product_version", S), c("engine_edition", I)},
			Rows: [][]any{{tg.version, tg.engine}}}),
		"dmsready:target-databases":    tdstest.Sets(rows1(tg.dbs)),
		"dmsready:target-certificates": tdstest.Sets(rows1(tg.thumbs)),
	}
	if tg.storage != nil {
		a["dmsready:target-storage"] = tdstest.Sets(tdstest.Result{Cols: []col{c("used_mb", BI), c("limit_mb", BI)}, Rows: [][]any{tg.storage}})
	} else {
		a["dmsready:target-storage"] = tdstest.Fail(300, 14, "VIEW SERVER STATE permission was denied on object 'server', database 'master'.")
	}
	return &tdstest.Scenario{Strict: true, Version: [3]int{12, 0, 2000}, Answers: a}
}

func TestCollectTargetAndChecks(t *testing.T) {
	src := tdstest.Start(t, healthy().scenario())
	mi := target{version: "12.0.2000.8", engine: 8, dbs: []string{"master", "msdb", "sales", "Other"}, thumbs: []string{"1234"}, storage: []any{int64(32000), int64(32768)}}
	tg := tdstest.Start(t, mi.scenario())
	ctx := context.Background()
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: miOnline}
	var errs []facts.SourceError
	f.Server, errs = sqlsource.Collect(ctx, config(src))
	f.Errors = append(f.Errors, errs...)
	f.Target, errs = sqlsource.CollectTarget(ctx, config(tg), []string{"Sales", "HR"})
	f.Errors = append(f.Errors, errs...)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	tt := f.Target
	if tt.Major != 12 || tt.EngineEdition != 8 || len(tt.Databases) != 1 || tt.Databases[0] != "sales" || !tt.StorageKnown || tt.StorageLimitMB != 32768 {
		t.Errorf("target = %+v", tt)
	}
	for _, r := range tg.Requests() {
		assertReadOnly(t, r.SQL)
	}
	fs := check.Run(checks.All, f)
	assertFindings(t, fs, []expect{
		{"DMS501", "database:Sales", "fail"},
		{"DMS501", "database:HR", "pass"},
		{"DMS502", "database:HR", "fail"},
		{"DMS502", "database:Sales", "pass"},
		{"DMS503", "target", "skip"},
		{"DMS504", "target", "fail"},
	})
}

func TestCollectTargetVM(t *testing.T) {
	src := tdstest.Start(t, healthy().scenario())
	vm := target{version: "14.0.3456.2", engine: 3, dbs: []string{"master"}, thumbs: []string{tdeCert}}
	tg := tdstest.Start(t, vm.scenario())
	ctx := context.Background()
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.Plan{Mode: "offline", Target: facts.PlanTarget{Kind: facts.KindVM}}}
	f.Server, _ = sqlsource.Collect(ctx, config(src))
	var errs []facts.SourceError
	f.Target, errs = sqlsource.CollectTarget(ctx, config(tg), nil)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	for _, r := range tg.Requests() {
		if r.Marker == "dmsready:target-storage" {
			t.Error("storage query sent to a non-Managed Instance target")
		}
	}
	assertFindings(t, check.Run(checks.All, f), []expect{
		{"DMS503", "target", "fail"},
		{"DMS502", "database:HR", "pass"},
		{"DMS501", "database:Sales", "pass"},
		{"DMS504", "-", "skip"},
	})
}

func TestCollectTargetStorageDenied(t *testing.T) {
	mi := target{version: "12.0.2000.8", engine: 8, dbs: []string{}, thumbs: []string{}}
	tg := tdstest.Start(t, mi.scenario())
	tt, errs := sqlsource.CollectTarget(context.Background(), config(tg), nil)
	if len(errs) != 0 || tt == nil || tt.StorageKnown {
		t.Fatalf("target = %+v, errs = %v", tt, errs)
	}
}

func TestCollectTargetLoginFailed(t *testing.T) {
	sc := target{version: "12.0.2000.8", engine: 8}.scenario()
	sc.Login = func(tdstest.Login) *tdstest.Error {
		return &tdstest.Error{Number: 18456, Class: 14, State: 1, Message: "Login failed for user 'dmsready'."}
	}
	tg := tdstest.Start(t, sc)
	tt, errs := sqlsource.CollectTarget(context.Background(), config(tg), nil)
	if tt != nil || len(errs) != 1 || errs[0].Source != facts.SrcTarget || errs[0].Kind != "login-failed" {
		t.Fatalf("target = %+v, errs = %+v", tt, errs)
	}
}
