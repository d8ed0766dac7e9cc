package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/perf"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
	"github.com/dmsready/dmsready/internal/storage"
)

// BenchmarkInspectShare: `dmsready inspect DIR --format json` over a
// backuptest share (as BenchmarkLocalShare writes it; plain, 10,000 files
// by default, DMSREADY_BENCH_FILES=100000 for the size), next to
// the storage floor on the same folder, alternating. Reports the ratio,
// CPU next to wall time, and the peak heap (flat: the JSON is streamed).
func BenchmarkInspectShare(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("DMSREADY_BENCH_FILES")); err == nil && v > 0 {
		n = v
	}
	// DMSREADY_BENCH_DIR reuses the plain share BenchmarkLocalShare keeps there.
	dir := filepath.Join(os.Getenv("DMSREADY_BENCH_DIR"), "plain-"+strconv.Itoa(n))
	if _, err := os.Stat(dir + ".done"); os.Getenv("DMSREADY_BENCH_DIR") == "" || err != nil {
		dir = b.TempDir()
		files, total, err := perf.WriteShare(dir, perf.ShareSpec{Backups: n})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("setup: %d files, %.1f MiB", files, float64(total)/(1<<20))
	}
	b.Run("files="+strconv.Itoa(n), func(b *testing.B) {
		ctx := context.Background()
		var inv, fl, invCPU, flCPU time.Duration
		var peak, floorPeak, mallocs uint64
		inspect := func() {
			runtime.GC()
			stop := perf.PeakHeap()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			t, c := time.Now(), perf.CPU()
			if code := Main([]string{"inspect", "--format", "json", dir}, io.Discard, io.Discard); code != 0 {
				b.Fatalf("exit %d", code)
			}
			inv += time.Since(t)
			invCPU += perf.CPU() - c
			runtime.ReadMemStats(&m1)
			mallocs += m1.Mallocs - m0.Mallocs
			peak = max(peak, stop())
		}
		floor := func() {
			runtime.GC()
			stop := perf.PeakHeap()
			t, c := time.Now(), perf.CPU()
			if _, err := storage.Floor(ctx, storage.Config{Location: dir}); err != nil {
				b.Fatal(err)
			}
			fl += time.Since(t)
			flCPU += perf.CPU() - c
			floorPeak = max(floorPeak, stop())
		}
		// One untimed pass first, so neither side pays for a cold page cache.
		if _, err := storage.Floor(ctx, storage.Config{Location: dir}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := range b.N {
			if i%2 == 0 {
				floor()
				inspect()
			} else {
				inspect()
				floor()
			}
		}
		nn := float64(b.N)
		b.ReportMetric(inv.Seconds()/nn, "inspect-s/op")
		b.ReportMetric(fl.Seconds()/nn, "floor-s/op")
		b.ReportMetric(inv.Seconds()/fl.Seconds(), "x-floor")
		b.ReportMetric(invCPU.Seconds()/flCPU.Seconds(), "cpu-x-floor")
		b.ReportMetric(invCPU.Seconds()/nn, "inspect-cpu-s/op")
		b.ReportMetric(flCPU.Seconds()/nn, "floor-cpu-s/op")
		b.ReportMetric(float64(mallocs)/nn/float64(n), "allocs/file")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(floorPeak)/(1<<20), "floor-peak-heap-MiB")
	})
}

// BenchmarkCheckFacts: `dmsready check --facts FILE` end to end, as the
// CLI runs it (read, every check, the text report), on a synthetic estate
// of databases × 100 backups (a full, 9 differentials, 90 logs, a broken
// chain each, a source server), written once to a file: 1,000 databases is
// the size (a ~245 MB file; goal ≤ 2 s). ns/backup about the same
// at 100 and 1,000 databases means linear. CPU seconds next to wall time.
func BenchmarkCheckFacts(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run("dbs="+strconv.Itoa(n), func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "facts.json")
			f := restoretest.Estate(restoretest.EstateSpec{Databases: n, Backups: 100, FullEvery: 100, DiffEvery: 10, Server: true, Broken: true})
			backups := len(f.Storage.Files)
			fl, err := os.Create(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := facts.Write(fl, f); err != nil {
				b.Fatal(err)
			}
			if err := fl.Close(); err != nil {
				b.Fatal(err)
			}
			f = nil
			st, err := os.Stat(p)
			if err != nil {
				b.Fatal(err)
			}
			var cpu time.Duration
			var peak uint64
			b.ResetTimer()
			for range b.N {
				runtime.GC()
				stop := perf.PeakHeap()
				c := perf.CPU()
				var out bytes.Buffer
				if code := Main([]string{"check", "--facts", p}, &out, io.Discard); code != exitFindings {
					b.Fatalf("exit %d, want 1 (the broken chains block)", code)
				}
				cpu += perf.CPU() - c
				peak = max(peak, stop())
			}
			nn := float64(b.N)
			b.ReportMetric(b.Elapsed().Seconds()/nn, "s/run")
			b.ReportMetric(cpu.Seconds()/nn, "cpu-s/run")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/nn/float64(backups), "ns/backup")
			b.ReportMetric(float64(st.Size())/1e6, "file-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
