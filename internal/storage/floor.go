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

// Floor is the benchmark baseline: the bare minimum any header scan needs.
// It lists the location with the same SDK, credentials and concurrency as
// Collect, and issues the ranged GETs the backup reader makes for an
// uncompressed backup (the first and the last window, cfg.Head and cfg.Tail
// as Collect uses them) on every non-empty file — but decodes nothing and
// records nothing.
func Floor(ctx context.Context, cfg Config) (FloorStats, error) {
	head, tail := int64(cfg.Head), int64(cfg.Tail)
	if head <= 0 {
		head = DefaultHead
	}
	if tail <= 0 {
		tail = DefaultTail
	}
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
	jobs := make(chan facts.File, cfg.Concurrency*4)
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				reads, n := 0, int64(0)
				m, err := src.get(ctx, f.Path, 0, make([]byte, min(f.Size, head)))
				reads, n = reads+1, n+int64(m)
				if err == nil && f.Size > head {
					from := max(head, f.Size-tail)
					m, err = src.get(ctx, f.Path, from, make([]byte, f.Size-from))
					reads, n = reads+1, n+int64(m)
				}
				mu.Lock()
				out.Reads += reads
				out.Bytes += n
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %s", f.Path, redact.Text(err.Error()))
				}
				mu.Unlock()
			}
		}()
	}
	err := src.list(ctx, func(f facts.File) {
		out.Files++
		if f.Size > 0 && !isArchived(f) {
			select {
			case jobs <- f:
			case <-ctx.Done():
			}
		}
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return out, fmt.Errorf("%s", redact.Text(err.Error()))
	}
	return out, firstErr
}
