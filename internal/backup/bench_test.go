package backup

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// BenchmarkRead reports headers decoded per second from memory and the
// bytes and reads each file costs (bytes/file, reads/file).
func BenchmarkRead(b *testing.B) {
	files := map[string][]byte{
		"writer-full":       backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
		"writer-compressed": backuptest.Bytes(backuptest.Spec{Compressed: true, Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
	}
	if dir, err := os.Getwd(); err == nil {
		samples := filepath.Join(dir, "..", "..", "..", "shared", "samples", "appveyor-lab")
		for name, p := range map[string]string{
			"sample-full-2016":  "restoretimeclean2016/RestoreTimeClean.bak",
			"sample-log-2008":   "sql2008-backups/StopAt/StopAt_23.trn",
			"sample-compressed": "compressed/SharePoint_Config.bak",
		} {
			if d, err := os.ReadFile(filepath.Join(samples, p)); err == nil {
				files[name] = d
			}
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
