package storage

import (
	"context"
	"fmt"
	"sync"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/redact"
)

// FloorStats is what Floor did.
type FloorStats struct {
	Files int
	Reads int
	Bytes int64
}

// The windows the backup reader reads first from each end of an
// uncompressed backup of 512- or 4096-byte blocks (internal/backup
// headSize, tailSize): a file up to floorHead long is read whole, in one
// read.
const (
	floorHead = 32 << 10
	floorTail = 32 << 10
)

// Floor is the benchmark baseline: the bare minimum any header scan needs.
// It lists the location with the same SDK, credentials and concurrency as
// Collect, and makes the reads the backup reader makes of an uncompressed
// backup (its first floorHead bytes, then its last floorTail) on every
// non-empty file, through the same windowReader, so with the same requests
// or system calls (a share file opened once for both) — but decodes
// nothing and records nothing. cfg.Head and cfg.Tail are not used: they
// size the windowReader's caching of small reads, which Floor never makes.
func Floor(ctx context.Context, cfg Config) (FloorStats, error) {
	head, tail := int64(floorHead), int64(floorTail)
	if cfg.Getenv == nil {
		cfg.Getenv = func(string) string { return "" }
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	var st facts.Storage
	var src source
	if redact.IsURL(cfg.Location) || cfg.ConnectionString != "" {
		b, err := openBlob(cfg, &st)
		if err != nil {
			return FloorStats{}, err
		}
		src = b
	} else {
		l, _ := openLocal(cfg, &st)
		src = l
	}
	var mu sync.Mutex
	var out FloorStats
	var firstErr error
	q := newJobQueue[facts.File](ctx, cfg.Concurrency, batchOf(src))
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One buffer per worker, as the backup reader's are pooled.
			buf := make([]byte, head+tail)
			r := &windowReader{}
			for fs := range q.ch {
				for _, f := range fs {
					r.reset(ctx, src, f.Path, f.Size, 0, 0)
					_, err := r.ReadAt(buf[:min(f.Size, head)], 0)
					if err == nil && f.Size > head {
						from := max(head, f.Size-tail)
						_, err = r.ReadAt(buf[head:head+f.Size-from], from)
					}
					r.release()
					mu.Lock()
					out.Reads += r.reads
					out.Bytes += r.bytes
					if err != nil && firstErr == nil {
						firstErr = fmt.Errorf("%s: %s", f.Path, redact.Text(err.Error()))
					}
					mu.Unlock()
				}
			}
		}()
	}
	err := src.list(ctx, func(f facts.File) {
		out.Files++
		if f.Size > 0 && !isArchived(f) {
			q.add(f)
		}
	})
	q.close()
	wg.Wait()
	if err != nil {
		return out, fmt.Errorf("%s", redact.Text(err.Error()))
	}
	return out, firstErr
}
