package backup

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// BenchmarkRead reports headers decoded per second from memory (headers/s)
// and the bytes and reads each file costs (bytes/file, reads/file). The
// sample cases are skipped without ../shared/samples.
//
//	go test ./internal/backup -run '^$' -bench Read -benchmem
func BenchmarkRead(b *testing.B) {
	files := map[string][]byte{
		"writer-full":       backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
		"writer-compressed": backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
		"writer-compressed-4k": backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, BlockSize: 4096,
			Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
		"writer-compressed-2sets": backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true,
			Sets: []backuptest.Set{{DataBytes: 1 << 20}, {DataBytes: 1 << 20}}}),
	}
	samples := map[string]string{
		"sample-full-2016":     "appveyor-lab/restoretimeclean2016/RestoreTimeClean.bak",
		"sample-log-2008":      "appveyor-lab/sql2008-backups/StopAt/StopAt_23.trn",
		"sample-compressed":    "appveyor-lab/compressed/SharePoint_Config.bak",
		"sample-compressed-4k": "public-newer/NAFOGU_Library-Database-System_LibraryDB.bak",
	}
	dir := filepath.Join(moduleRoot(b), "..", "shared", "samples")
	for name, p := range samples {
		if d, err := os.ReadFile(filepath.Join(dir, p)); err == nil {
			files[name] = d
		} else {
			b.Logf("%s skipped: %v", name, err)
		}
	}
	for name, data := range files {
		b.Run(name, func(b *testing.B) {
			var bytesRead, reads int64
			for b.Loop() {
				c := NewCountingReaderAt(bytes.NewReader(data))
				if _, err := Read(c, int64(len(data))); err != nil {
					b.Fatal(err)
				}
				bytesRead, reads = c.BytesRead(), c.Reads()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "headers/s")
			b.ReportMetric(float64(bytesRead), "bytes/file")
			b.ReportMetric(float64(reads), "reads/file")
		})
	}
}
