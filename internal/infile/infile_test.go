package infile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestRegularFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(p, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(p, 11)
	if err != nil || string(b) != "version: 1\n" {
		t.Fatalf("ReadFile at the limit = %q, %v", b, err)
	}
	_, err = ReadFile(p, 10)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "10 bytes") || !IsRefused(err) {
		t.Errorf("over the limit: %v", err)
	}
}

func TestDevZeroRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile("/dev/zero", PlanLimit); done <- err }()
	select {
	case err := <-done:
		var nr *NotRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), "device") {
			t.Errorf("/dev/zero: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("/dev/zero was read")
	}
}

func TestLimitReader(t *testing.T) {
	b, err := io.ReadAll(LimitReader(bytes.NewReader(make([]byte, 100)), "f", 100))
	if err != nil || len(b) != 100 {
		t.Errorf("exactly the limit: %d %v", len(b), err)
	}
	_, err = io.ReadAll(LimitReader(bytes.NewReader(make([]byte, 101)), "f", 100))
	if !IsRefused(err) {
		t.Errorf("over: %v", err)
	}
}
