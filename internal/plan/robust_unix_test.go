//go:build unix

package plan

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/infile"
)

// /dev/zero and a FIFO given as a plan are refused, not read or waited on.
func TestPlanFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() { _, err := Load("/dev/zero"); done <- err }()
	select {
	case err := <-done:
		if !infile.IsRefused(err) {
			t.Errorf("/dev/zero: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("/dev/zero read as a plan")
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	go func() { _, err := Load(fifo); done <- err }()
	select {
	case err := <-done:
		if !infile.IsRefused(err) {
			t.Errorf("FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a FIFO plan was opened and waited on")
	}
}
