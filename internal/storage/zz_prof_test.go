package storage

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestZZProf(t *testing.T) {
	dir := os.Getenv("ZZ_DIR")
	if dir == "" {
		t.Skip()
	}
	runtime.MemProfileRate = 512
	cfg := Config{Location: dir, ReadHeaders: true, Getenv: noEnv}
	st, _ := Collect(context.Background(), cfg)
	runtime.GC()
	w, _ := os.Create("/tmp/zz_collect.heap")
	pprof.Lookup("heap").WriteTo(w, 0)
	w.Close()
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: time.Now(), Storage: st, Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}}
	m := check.NewMemo()
	fs := check.RunMemo(checks.All, f, nil, m)
	runtime.GC()
	w, _ = os.Create("/tmp/zz_checks.heap")
	pprof.Lookup("heap").WriteTo(w, 0)
	w.Close()
	runtime.KeepAlive(fs)
	runtime.KeepAlive(m)
	runtime.KeepAlive(f)
}
