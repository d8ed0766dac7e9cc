package restore_test

import (
	"testing"

	"github.com/dmsready/dmsready/internal/perf"
	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// benchBuild plans f b.N times and reports seconds per build (the issue's
// goal: a broken year of 15-minute logs ≤ 0.5 s, 50 such databases ≤ 10 s)
// and CPU seconds per build (GC included), steadier on a shared machine.
func benchBuild(b *testing.B, spec restoretest.EstateSpec) {
	f := restoretest.Estate(spec)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := perf.CPU()
	for range b.N {
		if ps := restore.Build(f); len(ps) != max(spec.Databases, 1) || ps[0].Status != restore.StatusBroken {
			b.Fatalf("got %d plans", len(ps))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/build")
	b.ReportMetric((perf.CPU()-c0).Seconds()/float64(b.N), "cpu-s/build")
}

// BenchmarkBrokenYear: one database, a year of 15-minute backups (daily
// full, 4-hourly differential), the log chain broken after the last full.
func BenchmarkBrokenYear(b *testing.B) {
	benchBuild(b, restoretest.EstateSpec{Broken: true})
}

// BenchmarkBrokenYear50: 50 such databases in one build.
func BenchmarkBrokenYear50(b *testing.B) {
	benchBuild(b, restoretest.EstateSpec{Databases: 50, Broken: true})
}

// TestPlanningLinear: allocations per backup set stay constant as a broken
// chain grows fourfold (the planner used to build one chain per full, so
// they grew with the number of fulls: quadratic in the span).
func TestPlanningLinear(t *testing.T) {
	perSet := func(days int) float64 {
		f := restoretest.Estate(restoretest.EstateSpec{Backups: days * 96, Broken: true})
		n := testing.AllocsPerRun(3, func() { restore.Build(f) })
		return n / float64(len(f.Storage.Files))
	}
	small, large := perSet(10), perSet(40)
	if large > small*1.25 {
		t.Errorf("allocations per backup set: %.1f at 10 days, %.1f at 40 days: planning is not linear", small, large)
	}
	t.Logf("allocations per backup set: %.2f at 10 days, %.2f at 40 days", small, large)
}
