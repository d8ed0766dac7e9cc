package restore_test

import (
	"runtime"
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

// BenchmarkBuildEstate plans the checks benchmark's estates (1,000
// databases × 100 backups; 100 × 1,000, daily full, 4-hourly differential)
// and reports allocations per backup set.
func BenchmarkBuildEstate(b *testing.B) {
	for _, c := range []struct {
		name string
		spec restoretest.EstateSpec
	}{
		{"1000dbs", restoretest.EstateSpec{Databases: 1000, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true}},
		{"100dbsx1000", restoretest.EstateSpec{Databases: 100, Backups: 1000, FullEvery: 96, DiffEvery: 16, Server: true, Broken: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := restoretest.Estate(c.spec)
			b.ReportAllocs()
			b.ResetTimer()
			c0 := perf.CPU()
			for range b.N {
				if ps := restore.Build(f); len(ps) != c.spec.Databases {
					b.Fatalf("got %d plans", len(ps))
				}
			}
			b.StopTimer()
			b.ReportMetric((perf.CPU()-c0).Seconds()/float64(b.N), "cpu-s/build")
			var m0 runtime.MemStats
			runtime.ReadMemStats(&m0)
			restore.Build(f)
			var m1 runtime.MemStats
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/float64(len(f.Storage.Files)), "allocs/set")
		})
	}
}

// TestPlanningAllocsPerSet: planning an estate (databases × 100 backups
// in folders of their own) allocates a few objects per backup set, the
// same at 20 and at 80 databases. It was 13.6 per set before the group
// keys, Files arrays, folded names and Details stopped allocating per set.
func TestPlanningAllocsPerSet(t *testing.T) {
	perSet := func(dbs int) float64 {
		f := restoretest.Estate(restoretest.EstateSpec{Databases: dbs, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true})
		n := testing.AllocsPerRun(2, func() { restore.Build(f) })
		return n / float64(len(f.Storage.Files))
	}
	small, large := perSet(20), perSet(80)
	if large > small*1.1 {
		t.Errorf("allocations per backup set: %.2f at 20 databases, %.2f at 80: not linear in the databases", small, large)
	}
	if large > 3 {
		t.Errorf("allocations per backup set: %.2f at 80 databases, want at most 3", large)
	}
	t.Logf("allocations per backup set: %.2f at 20 databases, %.2f at 80", small, large)
}

// TestPlanningGarbage: planning allocates little beyond the plans it
// returns, the same per backup set at 20 and at 80 databases (each worker
// reuses its buffers from lineage to lineage, so what is dropped is
// bounded by the largest lineage). The planner used to copy every set
// into a new slice per lineage, then into per-type slices, and grow the
// unused list: 2.3x the bytes it kept, 1 KB a set, which at 100,000
// backups pushed a whole `check --storage` run past its heap goal. What
// it keeps is small too: an unused backup points at its header rather
// than copying its values (440 bytes kept per set before, 143 after).
func TestPlanningGarbage(t *testing.T) {
	perSet := func(dbs int) (alloc, kept float64) {
		f := restoretest.Estate(restoretest.EstateSpec{Databases: dbs, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true})
		restore.Build(f) // the indexes' lazily built values
		runtime.GC()
		var m0, m1, m2 runtime.MemStats
		runtime.ReadMemStats(&m0)
		ps := restore.Build(f)
		runtime.ReadMemStats(&m1)
		runtime.GC()
		runtime.ReadMemStats(&m2)
		runtime.KeepAlive(ps)
		n := float64(len(f.Storage.Files))
		return float64(m1.TotalAlloc-m0.TotalAlloc) / n, (float64(m2.HeapAlloc) - float64(m0.HeapAlloc)) / n
	}
	a20, k20 := perSet(20)
	a80, k80 := perSet(80)
	t.Logf("bytes per backup set: %.0f allocated, %.0f kept at 20 databases; %.0f, %.0f at 80", a20, k20, a80, k80)
	if a80 > a20*1.1 {
		t.Errorf("bytes allocated per backup set: %.0f at 20 databases, %.0f at 80: not linear in the databases", a20, a80)
	}
	if a80-k80 > 128 {
		t.Errorf("planning allocates %.0f bytes per backup set to keep %.0f: want at most 128 bytes of garbage", a80, k80)
	}
	if k80 > 200 {
		t.Errorf("planning keeps %.0f bytes per backup set: want at most 200 (an unused backup is not a copy of its header)", k80)
	}
}
