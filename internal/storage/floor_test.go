package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// TestFloorReadsWhatCollectReads: on uncompressed backups of every size
// class of the share benchmarks (a log read whole, a differential and a
// full read at both ends) and a file under one page, Floor makes the same
// reads of the same bytes as Collect, and both open each file once (not
// once per read), so the benchmarks' ratio compares like with like.
func TestFloorReadsWhatCollectReads(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sets := []backuptest.Set{
		{DatabaseName: "db", Type: facts.TypeFull, DataBytes: 256 << 10, Start: at},
		{DatabaseName: "db", Type: facts.TypeDifferential, DataBytes: 64 << 10, Start: at},
		{DatabaseName: "db", Type: facts.TypeLog, Start: at},
	}
	for i, s := range sets {
		b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{s}})
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.bak", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "small.txt"), make([]byte, 3000), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Location: dir, ReadHeaders: true, Getenv: noEnv}
	n0 := opens.Load()
	st, errs := Collect(context.Background(), cfg)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	n1 := opens.Load()
	if got := n1 - n0; got != 4 {
		t.Errorf("Collect opened %d times for 4 files", got)
	}
	fs, err := Floor(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := opens.Load() - n1; got != 4 {
		t.Errorf("Floor opened %d times for 4 files", got)
	}
	if fs.Files != 4 || fs.Reads != st.Reads || fs.Bytes != st.BytesRead {
		t.Errorf("floor: %d files, %d reads, %d bytes; Collect: %d files, %d reads, %d bytes", fs.Files, fs.Reads, fs.Bytes, len(st.Files), st.Reads, st.BytesRead)
	}
	if st.Reads != 6 {
		t.Errorf("Collect: %d reads, want 6 (both ends of the full and the differential, the log and the small file whole)", st.Reads)
	}
}
