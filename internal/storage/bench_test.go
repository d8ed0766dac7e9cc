package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
	"github.com/dmsready/dmsready/internal/backup"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
	"github.com/dmsready/dmsready/internal/perf"
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
	var floorDur, invDur, floorCPU, invCPU, chkDur, chkCPU time.Duration
	var floorPeak, invPeak, live, mallocs, gcs, alloc uint64
	var st *facts.Storage
	var fs FloorStats
	// One untimed pass first: otherwise whichever side runs first pays for
	// a cold page cache (or a cold emulator) and the ratio says nothing.
	if _, err := Floor(ctx, cfg); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	floor := func() {
		runtime.GC()
		stop := peakHeap()
		t, c := time.Now(), perf.CPU()
		var err error
		fs, err = Floor(ctx, cfg)
		floorDur += time.Since(t)
		floorCPU += perf.CPU() - c
		floorPeak = max(floorPeak, stop())
		if err != nil {
			b.Fatal(err)
		}
	}
	inventory := func() {
		st = nil
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		stop := peakHeap()
		t, c := time.Now(), perf.CPU()
		var errs []facts.SourceError
		st, errs = Collect(ctx, cfg)
		f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: time.Now(), Storage: st, Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}}
		tc, cc := time.Now(), perf.CPU()
		findings := check.Run(checks.All, f)
		chkDur += time.Since(tc)
		chkCPU += perf.CPU() - cc
		invDur += time.Since(t)
		invCPU += perf.CPU() - c
		invPeak = max(invPeak, stop())
		runtime.ReadMemStats(&m1)
		mallocs += m1.Mallocs - m0.Mallocs
		alloc += m1.TotalAlloc - m0.TotalAlloc
		gcs += uint64(m1.NumGC - m0.NumGC)
		// Untimed: what stays live with the facts and findings held.
		runtime.GC()
		runtime.ReadMemStats(&m1)
		live = max(live, m1.HeapAlloc-min(m1.HeapAlloc, m0.HeapAlloc))
		runtime.KeepAlive(findings)
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
	// CPU time too: on a shared machine wall time swings with the load.
	b.ReportMetric(invCPU.Seconds()/n, "inventory-cpu-s/op")
	b.ReportMetric(floorCPU.Seconds()/n, "floor-cpu-s/op")
	b.ReportMetric(invCPU.Seconds()/floorCPU.Seconds(), "cpu-x-floor")
	// The checks (restore plans included), which need the whole estate and
	// so run once every header is read: part of the inventory's figures.
	b.ReportMetric(chkDur.Seconds()/n, "checks-s/op")
	b.ReportMetric(chkCPU.Seconds()/n, "checks-cpu-s/op")
	b.ReportMetric(float64(st.BytesRead)/float64(len(st.Files)), "bytes-read/blob")
	b.ReportMetric(float64(maxRead), "max-bytes-read/blob")
	b.ReportMetric(float64(st.Reads)/float64(len(st.Files)), "GETs/blob")
	b.ReportMetric(float64(fs.Reads)/float64(fs.Files), "floor-GETs/blob")
	b.ReportMetric(float64(invPeak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(floorPeak)/(1<<20), "floor-peak-heap-MiB")
	b.ReportMetric(float64(live)/(1<<20), "live-heap-MiB")
	b.ReportMetric(float64(mallocs)/n/float64(len(st.Files)), "allocs/blob")
	b.ReportMetric(float64(alloc)/n/(1<<20), "alloc-MiB/op")
	b.ReportMetric(float64(gcs)/n, "GCs/op")
	b.ReportMetric(float64(fs.Bytes)/float64(fs.Files), "floor-bytes-read/blob")
	b.ReportMetric(float64(total)/float64(len(st.Files)), "blob-bytes/blob")
}

// BenchmarkLocalShare: `check --storage DIR` (listing, every header, every
// check) over a local share written with backuptest (100 databases, daily
// full, 4-hourly differential, 15-minute logs), next to the floor (the same
// walk and the same head and tail reads, nothing decoded), alternating.
// 10,000 files by default to keep `make bench` short; DMSREADY_BENCH_FILES=100000
// is the size. "plain" has no compressed backups, "compressed" a
// quarter of the databases compressed (their decode is internal/backup's).
func BenchmarkLocalShare(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("DMSREADY_BENCH_FILES")); err == nil && v > 0 {
		n = v
	}
	for _, c := range []struct {
		name  string
		every int
	}{{"plain", 0}, {"compressed", 4}} {
		if only := os.Getenv("DMSREADY_BENCH_SHARE"); only != "" && only != c.name {
			continue
		}
		// Written once, in the parent: only the sub-benchmark iterates.
		// DMSREADY_BENCH_DIR keeps the share between runs (A/B of two builds).
		dir, total := benchShare(b, n, c.name, c.every)
		runtime.GC()
		b.Run(fmt.Sprintf("%s/files=%d", c.name, n), func(b *testing.B) {
			benchInventory(b, Config{Location: dir, ReadHeaders: true, Getenv: noEnv}, total)
		})
	}
}

// benchShare writes the share, or reuses it under DMSREADY_BENCH_DIR.
func benchShare(b *testing.B, n int, name string, every int) (string, int64) {
	dir := b.TempDir()
	if keep := os.Getenv("DMSREADY_BENCH_DIR"); keep != "" {
		dir = filepath.Join(keep, fmt.Sprintf("%s-%d", name, n))
		if b, err := os.ReadFile(dir + ".done"); err == nil {
			total, _ := strconv.ParseInt(string(b), 10, 64)
			return dir, total
		}
	}
	t0 := time.Now()
	files, total, err := perf.WriteShare(dir, perf.ShareSpec{Backups: n, CompressedEvery: every})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("setup: %d files, %.1f MiB written in %s", files, float64(total)/(1<<20), time.Since(t0).Round(time.Millisecond))
	if os.Getenv("DMSREADY_BENCH_DIR") != "" {
		// Next to the share, not in it: it records the bytes written.
		os.WriteFile(dir+".done", []byte(strconv.FormatInt(total, 10)), 0o644)
	}
	return dir, total
}

// BenchmarkCollectShare: Collect alone (the walk, every header, the facts;
// no checks) over the plain share BenchmarkLocalShare writes, next to
// Floor alone. Besides CPU it reports what the collected facts cost: the
// live heap once Collect returns (after a GC, with the facts held), bytes
// and allocations per file, and GC cycles, which do not depend on the load
// of a shared machine as time does.
// Run: DMSREADY_BENCH_DIR=... DMSREADY_BENCH_FILES=100000 go test -run '^$' -bench CollectShare -benchtime 3x ./internal/storage
func BenchmarkCollectShare(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("DMSREADY_BENCH_FILES")); err == nil && v > 0 {
		n = v
	}
	dir, _ := benchShare(b, n, "plain", 0)
	cfg := Config{Location: dir, ReadHeaders: true, Getenv: noEnv}
	ctx := context.Background()
	b.Run(fmt.Sprintf("collect/files=%d", n), func(b *testing.B) {
		var cpu time.Duration
		var live, alloc, mallocs, gcs, peak uint64
		var files int
		for range b.N {
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			stop := perf.PeakHeap()
			c := perf.CPU()
			st, errs := Collect(ctx, cfg)
			cpu += perf.CPU() - c
			peak = max(peak, stop())
			runtime.ReadMemStats(&m1)
			alloc += m1.TotalAlloc - m0.TotalAlloc
			mallocs += m1.Mallocs - m0.Mallocs
			gcs += uint64(m1.NumGC - m0.NumGC)
			runtime.GC()
			runtime.ReadMemStats(&m1)
			live = max(live, m1.HeapAlloc-min(m1.HeapAlloc, m0.HeapAlloc))
			if len(errs) > 0 || !st.HeadersRead {
				b.Fatalf("errors %v", errs)
			}
			files = len(st.Files)
			runtime.KeepAlive(st)
		}
		nn := float64(b.N)
		b.ReportMetric(cpu.Seconds()/nn, "cpu-s/op")
		b.ReportMetric(float64(live)/(1<<20), "live-heap-MiB")
		b.ReportMetric(float64(live)/float64(files), "live-B/file")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(alloc)/nn/float64(files), "alloc-B/file")
		b.ReportMetric(float64(mallocs)/nn/float64(files), "allocs/file")
		b.ReportMetric(float64(gcs)/nn, "GCs/op")
	})
	// decode-only: the floor's walk and the reader's reads, each header
	// decoded and dropped at once: no facts kept, no interning, no checks,
	// next to the floor, alternating. What it costs over the floor is the
	// least any header scan that decodes can add (x-floor, cpu-x-floor).
	b.Run(fmt.Sprintf("decode-only/files=%d", n), func(b *testing.B) {
		var dec, fl, decCPU, flCPU time.Duration
		var files, decoded int64
		decode := func() {
			runtime.GC()
			t, c := time.Now(), perf.CPU()
			files, decoded = decodeOnly(ctx, cfg)
			dec += time.Since(t)
			decCPU += perf.CPU() - c
		}
		floor := func() {
			runtime.GC()
			t, c := time.Now(), perf.CPU()
			if _, err := Floor(ctx, cfg); err != nil {
				b.Fatal(err)
			}
			fl += time.Since(t)
			flCPU += perf.CPU() - c
		}
		for i := range b.N {
			if i%2 == 0 {
				floor()
				decode()
			} else {
				decode()
				floor()
			}
		}
		if decoded != files {
			b.Fatalf("%d of %d files decoded", decoded, files)
		}
		nn := float64(b.N)
		b.ReportMetric(dec.Seconds()/nn, "decode-s/op")
		b.ReportMetric(fl.Seconds()/nn, "floor-s/op")
		b.ReportMetric(dec.Seconds()/fl.Seconds(), "x-floor")
		b.ReportMetric(decCPU.Seconds()/nn, "decode-cpu-s/op")
		b.ReportMetric(flCPU.Seconds()/nn, "floor-cpu-s/op")
		b.ReportMetric(decCPU.Seconds()/flCPU.Seconds(), "cpu-x-floor")
	})
	b.Run(fmt.Sprintf("floor/files=%d", n), func(b *testing.B) {
		var cpu time.Duration
		var fs FloorStats
		for range b.N {
			runtime.GC()
			c := perf.CPU()
			var err error
			if fs, err = Floor(ctx, cfg); err != nil {
				b.Fatal(err)
			}
			cpu += perf.CPU() - c
		}
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(fs.Bytes)/float64(fs.Files), "bytes-read/file")
		b.ReportMetric(float64(fs.Reads)/float64(fs.Files), "reads/file")
	})
}

// decodeOnly walks cfg.Location as Floor does and decodes every header
// with the backup reader through the same windowReader Collect uses,
// keeping nothing. It returns the files listed and the headers decoded.
func decodeOnly(ctx context.Context, cfg Config) (files, decoded int64) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	l, _ := openLocal(cfg, &facts.Storage{})
	q := newJobQueue[facts.File](ctx, cfg.Concurrency, batchOf(l))
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Go(func() {
			var r windowReader
			for fs := range q.ch {
				for _, f := range fs {
					r.reset(ctx, l, f.Path, f.Size, cfg.Head, cfg.Tail)
					if m, err := backup.Read(&r, f.Size); err == nil && m != nil {
						ok.Add(1)
					}
					r.release()
				}
			}
		})
	}
	l.list(ctx, func(f facts.File) {
		files++
		q.add(f)
	})
	q.close()
	wg.Wait()
	return files, ok.Load()
}
