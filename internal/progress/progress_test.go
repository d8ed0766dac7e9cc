package progress

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// A terminal status line rewritten every 250 ms for a minute becomes at
// most one plain line per 10 seconds, without escape codes; a scan shorter
// than 10 seconds prints nothing.
func TestLinesThrottle(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	l := NewLines(&out, 10*time.Second, c.now)
	for i := 0; i < 240; i++ { // 60 s at 4 writes a second
		c.t = c.t.Add(250 * time.Millisecond)
		fmt.Fprintf(l, "\rstorage: %d files listed\x1b[K", i)
	}
	fmt.Fprint(l, "\n")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines in 60 s, want 6 (one per 10 s):\n%s", len(lines), out.String())
	}
	for _, ln := range lines {
		if strings.ContainsAny(ln, "\r\x1b") || !strings.HasPrefix(ln, "storage: ") {
			t.Errorf("line %q is not a plain status line", ln)
		}
	}
	if lines[0] != "storage: 39 files listed" {
		t.Errorf("first line %q, want the status at 10 s", lines[0])
	}

	out.Reset()
	short := NewLines(&out, 10*time.Second, c.now)
	for i := 0; i < 20; i++ {
		c.t = c.t.Add(250 * time.Millisecond)
		fmt.Fprintf(short, "\rstorage: %d files listed", i)
	}
	fmt.Fprint(short, "\n")
	if out.Len() != 0 {
		t.Errorf("a 5 s scan printed %q", out.String())
	}
}

// Tick writes a status that has been waiting when no new write comes.
func TestLinesTick(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	l := NewLines(&out, 10*time.Second, c.now)
	fmt.Fprint(l, "\rserver: querying msdb")
	c.t = c.t.Add(9 * time.Second)
	_ = l.Tick()
	if out.Len() != 0 {
		t.Fatalf("wrote before 10 s: %q", out.String())
	}
	c.t = c.t.Add(2 * time.Second)
	_ = l.Tick()
	if out.String() != "server: querying msdb\n" {
		t.Errorf("after 11 s: %q", out.String())
	}
}
