package storage

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// A hung network mount (a stale CIFS or NFS hard mount) blocks getdents,
// stat, open and pread in the kernel, where no context or signal reaches
// them. A share's scan is therefore watched rather than timed: a counter
// that the walk and the readers bump as they go (folders entered, entries
// listed, files read), and one ticker that gives up on the share when the
// counter has not moved for the request timeout. The calls that never
// return are abandoned on their goroutines (nothing can cancel them), and
// what they would have written is dropped.

// watch is a share's progress, watched while it is scanned.
type watch struct {
	n atomic.Int64 // folders entered, entries listed (by the walk)
	// readers are the readers' files in flight and read, each on a cache
	// line of its own: readers count without contending for one.
	readers []slot
	// dir is the folder the walk is in, for the message ("last asked").
	mu  sync.Mutex
	dir string
	// block, when set (tests), is called before each folder is listed
	// ("readdir") and each file opened ("open") or read ("read"): a hook
	// that blocks stands for a call that never returns.
	block func(op, path string)
}

// enter records that the walk lists the folder rel ("" for the root).
func (w *watch) enter(rel string) {
	w.n.Add(1)
	w.mu.Lock()
	w.dir = rel
	w.mu.Unlock()
	if w.block != nil {
		w.block("readdir", rel)
	}
}

// folder is the folder the walk is in, for messages.
func (w *watch) folder() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dir == "" {
		return "the share's root folder"
	}
	return "folder " + w.dir + "/"
}

// cancelGrace is how long a canceled share scan waits for its system
// calls to return before it stops waiting for them: a local read returns
// in microseconds, a hung mount never.
const cancelGrace = time.Second

// waitEnd says why a watched scan stopped waiting.
type waitEnd int

const (
	endDone     waitEnd = iota // done was closed
	endStalled                 // no progress for the timeout
	endCanceled                // ctx was done and the calls in flight did not return
)

// wait waits for done, for ctx to be done, or for the share to make no
// progress for timeout, checked by one ticker (not a timer per call).
func (w *watch) wait(ctx context.Context, done <-chan struct{}, timeout time.Duration) waitEnd {
	t := time.NewTicker(max(timeout/8, time.Millisecond))
	defer t.Stop()
	last, at := w.progress(), time.Now()
	for {
		select {
		case <-done:
			return endDone
		case <-ctx.Done():
			g := time.NewTimer(cancelGrace)
			defer g.Stop()
			select {
			case <-done:
				return endDone
			case <-g.C:
				return endCanceled
			}
		case now := <-t.C:
			if n := w.progress(); n != last {
				last, at = n, now
			} else if now.Sub(at) >= timeout {
				return endStalled
			}
		}
	}
}

// progress is what the walk and the readers have done so far.
func (w *watch) progress() int64 {
	n := w.n.Load()
	for i := range w.readers {
		n += w.readers[i].n.Load()
	}
	return n
}

// stalledMsg says that the share stopped answering, and what was asked last.
func stalledMsg(timeout time.Duration, asked string) string {
	return fmt.Sprintf("the share stopped answering: nothing listed or read for %s; last asked: %s", timeout, asked)
}

// slot is one reader's file in flight (its index in the listing, or -1)
// and its count of files read, on a cache line of its own: readers store
// to theirs file after file.
type slot struct {
	idx, n atomic.Int64
	_      [48]byte
}

// statBounded is os.Stat(p), given up after the request timeout (ok
// false): a path on a hung mount never answers, and nothing interrupts
// the call, which is left behind.
func statBounded(cfg Config, p string) (fi os.FileInfo, ok bool, err error) {
	type res struct {
		fi  os.FileInfo
		err error
	}
	ch := make(chan res, 1)
	go func() {
		if cfg.block != nil {
			cfg.block("stat", p)
		}
		fi, err := os.Stat(p)
		ch <- res{fi, err}
	}()
	t := time.NewTimer(requestTimeout(cfg))
	defer t.Stop()
	select {
	case r := <-ch:
		return r.fi, true, r.err
	case <-t.C:
		return nil, false, nil
	}
}
