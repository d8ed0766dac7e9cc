// Package progress turns the status line collectors rewrite in place on a
// terminal ("\rstorage: 120 files listed ...") into plain lines for a CI log:
// at most one every interval, the first only once a scan has run that long,
// so short runs print nothing and long ones show they are alive.
package progress

import (
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// Lines is an io.Writer for progress output on a non-terminal.
type Lines struct {
	w       io.Writer
	every   time.Duration
	now     func() time.Time
	mu      sync.Mutex
	start   time.Time
	last    time.Time // last line written
	pending string    // latest status, not yet written
	partial string    // text after the last \r or \n
}

// NewLines writes to w at most one line per every; now is the clock
// (time.Now when nil).
func NewLines(w io.Writer, every time.Duration, now func() time.Time) *Lines {
	if now == nil {
		now = time.Now
	}
	return &Lines{w: w, every: every, now: now, start: now()}
}

// Write takes status output: "\r" rewrites the status, "\n" ends it.
func (l *Lines) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.partial + ansi.ReplaceAllString(string(b), "")
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			break
		}
		if st := strings.TrimSpace(s[:i]); st != "" {
			l.pending = st
		}
		s = s[i+1:]
	}
	l.partial = s
	if st := strings.TrimSpace(s); st != "" {
		l.pending = st
	}
	if err := l.flush(false); err != nil {
		return 0, err
	}
	return len(b), nil
}

// flush writes the pending status when the interval has passed since the
// last line (or, for the first line, since the start).
func (l *Lines) flush(force bool) error {
	if l.pending == "" {
		return nil
	}
	t := l.now()
	since := l.last
	if since.IsZero() {
		since = l.start
	}
	if !force && t.Sub(since) < l.every {
		return nil
	}
	_, err := io.WriteString(l.w, l.pending+"\n")
	l.last, l.pending = t, ""
	return err
}

// Tick writes the pending status if it is due: call it from a ticker, as
// collectors write only when something changes.
func (l *Lines) Tick() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flush(false)
}

// Run ticks every second until stop is closed.
func (l *Lines) Run(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = l.Tick()
		case <-stop:
			return
		}
	}
}
