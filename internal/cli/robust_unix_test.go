//go:build unix

package cli

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// --plan, --facts and inspect paths that are FIFOs or devices are refused.
func TestFIFOAndDeviceInputsRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "in.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	for _, args := range [][]string{
		{"check", "--plan", "/dev/zero"},
		{"check", "--plan", fifo},
		{"plan", "validate", fifo},
		{"check", "--facts", fifo},
		{"check", "--facts", "/dev/zero"},
		{"restore-plan", "--facts", fifo},
		{"inspect", fifo},
		{"inspect", "/dev/zero"},
	} {
		done := make(chan result, 1)
		go func() { done <- runBin(t, nil, args...) }()
		select {
		case r := <-done:
			want := exitUsage
			if args[0] == "inspect" {
				want = exitSource
			}
			if r.code != want || !strings.Contains(r.stderr, "not a regular file") {
				t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: waited on the input", args)
		}
	}
}
