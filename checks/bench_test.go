package checks_test

import (
	"strconv"
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
func BenchmarkChecksEstate(b *testing.B) {
	for _, n := range []int{100, 300, 1000} {
		b.Run(strconv.Itoa(n)+"dbs", func(b *testing.B) {
			f := restoretest.Estate(restoretest.EstateSpec{Databases: n, Backups: 100, FullEvery: 100, DiffEvery: 10,
				Server: true, Broken: true})
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
