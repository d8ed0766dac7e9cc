// Package perf helps benchmarks report what the issue tables measure: CPU
// time next to wall time (the machine may be shared, so wall time alone
// misleads), peak heap, and ratios against a floor.
package perf

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// CPU is the process's user+system CPU time so far (0 where unknown).
func CPU() time.Duration { return cpu() }

// PeakHeap samples HeapInuse every 10 ms until the returned function is
// called, which returns the peak seen.
func PeakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak.Load()
	}
}
