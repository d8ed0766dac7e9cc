package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/perf"
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
