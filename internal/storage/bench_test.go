package storage

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// benchLayout is 10,000 backups of 100 databases, one flat folder each: per
// database a 1 MiB-class full, 9 ~100 KiB differentials and 90 small logs,
// so head-only, head+tail and large files all occur.
func benchLayout() []layoutFile {
	var out []layoutFile
	for d := range 100 {
		db := fmt.Sprintf("db%03d", d)
		for i := range 100 {
			set := backuptest.Set{DatabaseName: db, Checksums: true, Type: facts.TypeLog}
			name := fmt.Sprintf("%s/%s_%03d.trn", db, db, i)
			switch {
			case i == 0:
				set.Type, set.DataBytes = facts.TypeFull, 1<<20
				name = fmt.Sprintf("%s/%s_full.bak", db, db)
			case i%10 == 0:
				set.Type, set.DataBytes = facts.TypeDifferential, 100<<10
				name = fmt.Sprintf("%s/%s_%03d.bak", db, db, i)
			}
			out = append(out, layoutFile{path: name, blobType: facts.BlockBlob, data: backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{set}})})
		}
	}
	return out
}

// uploadParallel uploads with workers; 10,000 blobs take seconds, not minutes.
func uploadParallel(b *testing.B, srv *azuritetest.Server, ctr string, files []layoutFile, workers int) {
	c := srv.Client(b, nil)
	ch := make(chan layoutFile)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				upload(b, c, ctr, []layoutFile{f})
			}
		}()
	}
	for _, f := range files {
		ch <- f
	}
	close(ch)
	wg.Wait()
}

// peakHeap samples the heap in use until stop is called.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// BenchmarkInventory10k: full inventory with headers and every check over
// 10,000 backup blobs in Azurite, next to the floor (list + the same ranged
// GETs, nothing decoded) measured in the same iterations. The upload is
// done once, in the parent; only the sub-benchmark iterates.
// Run: go test -run '^$' -bench Inventory10k -benchtime 3x ./internal/storage
func BenchmarkInventory10k(b *testing.B) {
	srv := azuritetest.Start(b, azuritetest.Options{})
	c := srv.Client(b, nil)
	ctrURL := srv.CreateContainer(b, c, "bench")
	layout := benchLayout()
	var total int64
	for _, f := range layout {
		total += int64(len(f.data))
	}
	t0 := time.Now()
	uploadParallel(b, srv, "bench", layout, 16)
	b.Logf("setup: %d blobs, %.1f MiB uploaded in %s", len(layout), float64(total)/(1<<20), time.Since(t0).Round(time.Millisecond))
	layout = nil //nolint:ineffassign // drop the blobs' bytes before the measurement
	runtime.GC()

	cfg := Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, Getenv: noEnv}
	b.Run("blobs=10000", func(b *testing.B) { benchInventory(b, cfg, total) })
}

func benchInventory(b *testing.B, cfg Config, total int64) {
	ctx := context.Background()
	var floorDur, invDur time.Duration
	var floorPeak, invPeak uint64
	var st *facts.Storage
	var fs FloorStats
	b.ResetTimer()
	floor := func() {
		runtime.GC()
		stop := peakHeap()
		t := time.Now()
		var err error
		fs, err = Floor(ctx, cfg)
		floorDur += time.Since(t)
		floorPeak = max(floorPeak, stop())
		if err != nil {
			b.Fatal(err)
		}
	}
	inventory := func() {
		runtime.GC()
		stop := peakHeap()
		t := time.Now()
		var errs []facts.SourceError
		st, errs = Collect(ctx, cfg)
		f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: time.Now(), Storage: st, Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}}
		findings := check.Run(checks.All, f)
		invDur += time.Since(t)
		invPeak = max(invPeak, stop())
		if len(errs) > 0 || len(findings) == 0 {
			b.Fatalf("errors %v, %d findings", errs, len(findings))
		}
	}
	for i := range b.N {
		// Alternate the order so that neither side always runs on a warmer emulator.
		if i%2 == 0 {
			floor()
			inventory()
		} else {
			inventory()
			floor()
		}
	}
	b.StopTimer()
	var maxRead int64
	for _, f := range st.Files {
		if f.Backup == nil {
			b.Fatalf("%s: %s", f.Path, f.ReadError)
		}
		maxRead = max(maxRead, f.BytesRead)
	}
	n := float64(b.N)
	b.ReportMetric(invDur.Seconds()/n, "inventory-s/op")
	b.ReportMetric(floorDur.Seconds()/n, "floor-s/op")
	b.ReportMetric(invDur.Seconds()/floorDur.Seconds(), "x-floor")
	b.ReportMetric(float64(st.BytesRead)/float64(len(st.Files)), "bytes-read/blob")
	b.ReportMetric(float64(maxRead), "max-bytes-read/blob")
	b.ReportMetric(float64(st.Reads)/float64(len(st.Files)), "GETs/blob")
	b.ReportMetric(float64(fs.Reads)/float64(fs.Files), "floor-GETs/blob")
	b.ReportMetric(float64(invPeak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(floorPeak)/(1<<20), "floor-peak-heap-MiB")
	b.ReportMetric(float64(total)/float64(len(st.Files)), "blob-bytes/blob")
}
