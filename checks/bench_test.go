package checks_test

import (
	"testing"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/perf"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// BenchmarkChecksEstate runs every check over a synthetic estate of
// databases × 100 backups each (a full, 9 differentials, 90 logs, one folder
// per database, a source server reporting them all). The goal at 1,000
// databases: ≤ 2 s and linear (ns per backup about the same at 100, 300 and
// 1,000 databases).
//
// The 100dbsx1000 case is the storage benchmark's shape: 100 databases ×
// 1,000 backups (daily full, 4-hourly differential, 15-minute logs). Goal:
// ≤ 0.8 CPU-s.
func BenchmarkChecksEstate(b *testing.B) {
	cases := []struct {
		name string
		spec restoretest.EstateSpec
	}{
		{"100dbs", restoretest.EstateSpec{Databases: 100, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true}},
		{"300dbs", restoretest.EstateSpec{Databases: 300, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true}},
		{"1000dbs", restoretest.EstateSpec{Databases: 1000, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true}},
		{"100dbsx1000", restoretest.EstateSpec{Databases: 100, Backups: 1000, FullEvery: 96, DiffEvery: 16, Server: true, Broken: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			f := restoretest.Estate(c.spec)
			b.ReportAllocs()
			b.ResetTimer()
			c0 := perf.CPU()
			for range b.N {
				if fs := check.Run(checks.All, f); len(fs) == 0 {
					b.Fatal("no findings")
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
			b.ReportMetric((perf.CPU()-c0).Seconds()/float64(b.N), "cpu-s/run")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(f.Storage.Files)), "ns/backup")
		})
	}
}
