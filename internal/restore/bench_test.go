package restore_test

import (
	"testing"

	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// benchBuild plans f b.N times and reports seconds per build (the issue's
// goal: a broken year of 15-minute logs ≤ 0.5 s, 50 such databases ≤ 10 s).
func benchBuild(b *testing.B, spec restoretest.EstateSpec) {
	f := restoretest.Estate(spec)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if ps := restore.Build(f); len(ps) != max(spec.Databases, 1) || ps[0].Status != restore.StatusBroken {
			b.Fatalf("got %d plans", len(ps))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/build")
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
