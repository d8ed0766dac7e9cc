//go:build unix

package infile

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFIFORefusedWithoutBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p, PlanLimit); done <- err }()
	select {
	case err := <-done:
		if !strings.Contains(fmt.Sprint(err), "named pipe") {
			t.Errorf("FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("opening the FIFO blocked")
	}
	if err := Check(p); err == nil {
		t.Error("Check accepted a FIFO")
	}
	if err := Check(filepath.Dir(p)); err != nil {
		t.Errorf("Check refused a folder: %v", err)
	}
}
