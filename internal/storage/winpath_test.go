package storage

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// file:// URLs name the folder they point at, and a Windows path read on
// another system says why it cannot be found.
func TestLocalWindowsAndFileURLs(t *testing.T) {
	dir := t.TempDir()
	writeLocal(t, dir, testLayout())
	st, errs := Collect(context.Background(), Config{Location: "file://" + filepath.ToSlash(dir), Getenv: noEnv})
	if len(errs) != 0 || st == nil || len(st.Files) == 0 {
		t.Fatalf("file:// URL: %+v, %d files", errs, len(st.Files))
	}
	if runtime.GOOS == "windows" {
		t.Skip("drive paths are read natively on Windows")
	}
	_, errs = Collect(context.Background(), Config{Location: `C:\SQLBackups\Sales`, Getenv: noEnv})
	if len(errs) != 1 || errs[0].Kind != "not-found" || !strings.Contains(errs[0].Message, "Windows drive path") {
		t.Errorf("drive path: %+v", errs)
	}
}
