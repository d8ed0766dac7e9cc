package sqlsource_test

import (
	"context"
	"testing"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/sqlsource/sqlscenario"
	"github.com/dmsready/dmsready/internal/tdstest"
)

func TestCollectTargetAndChecks(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	tg := tdstest.Start(t, sqlscenario.MI().Scenario())
	ctx := context.Background()
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: miOnline}
	var errs []facts.SourceError
	f.Server, errs = sqlsource.Collect(ctx, sqlscenario.Config(src))
	f.Errors = append(f.Errors, errs...)
	f.Target, errs = sqlsource.CollectTarget(ctx, sqlscenario.Config(tg), []string{"Sales", "HR"})
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
		{"DMS503", "target", "pass"}, // 2019 restores under every update policy
		{"DMS504", "target", "fail"},
	})
}

func TestCollectTargetVM(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	tg := tdstest.Start(t, sqlscenario.VM().Scenario())
	ctx := context.Background()
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.ResolvedPlan{Mode: "offline", Target: facts.PlanTarget{Kind: facts.KindVM}}}
	f.Server, _ = sqlsource.Collect(ctx, sqlscenario.Config(src))
	var errs []facts.SourceError
	f.Target, errs = sqlsource.CollectTarget(ctx, sqlscenario.Config(tg), nil)
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
	mi := sqlscenario.Target{Version: "12.0.2000.8", Engine: 8, DBs: []string{}, Thumbs: []string{}}
	tg := tdstest.Start(t, mi.Scenario())
	tt, errs := sqlsource.CollectTarget(context.Background(), sqlscenario.Config(tg), nil)
	// Denied is recorded (DMS504 then errors, naming the permission), and
	// the rest of the target still stands.
	if len(errs) != 1 || errs[0].Source != facts.SrcTargetStorage || errs[0].Permission != "VIEW SERVER STATE" || tt == nil || tt.StorageKnown || tt.Databases == nil {
		t.Fatalf("target = %+v, errs = %v", tt, errs)
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: miOnline, Target: tt, Errors: errs}
	f.Server, _ = sqlsource.Collect(context.Background(), sqlscenario.Config(tdstest.Start(t, sqlscenario.Healthy().Scenario())))
	assertFindings(t, check.Run(checks.All, f), []expect{{"DMS504", "-", "error"}, {"DMS501", "database:Sales", "pass"}})
}

func TestCollectTargetLoginFailed(t *testing.T) {
	sc := sqlscenario.Target{Version: "12.0.2000.8", Engine: 8}.Scenario()
	sc.Login = func(tdstest.Login) *tdstest.Error {
		return &tdstest.Error{Number: 18456, Class: 14, State: 1, Message: "Login failed for user 'dmsready'."}
	}
	tg := tdstest.Start(t, sc)
	tt, errs := sqlsource.CollectTarget(context.Background(), sqlscenario.Config(tg), nil)
	if tt != nil || len(errs) != 1 || errs[0].Source != facts.SrcTarget || errs[0].Kind != "login-failed" {
		t.Fatalf("target = %+v, errs = %+v", tt, errs)
	}
}
