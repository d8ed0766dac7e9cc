package backup

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// benchFiles are the inputs of BenchmarkRead: typical writer headers (a
// full, a differential and a log backup, plain and compressed) and, when
// ../shared/samples is present, real samples.
func benchFiles(b *testing.B) map[string][]byte {
	lsn := facts.LSN{VLF: 30, Block: 10, Slot: 1}
	full := backuptest.Set{DataBytes: 1 << 20}
	diff := backuptest.Set{Type: facts.TypeDifferential, DataBytes: 256 << 10, DifferentialBaseLSN: lsn,
		DifferentialBaseGUID: "C0057DAD-3834-42E1-8CEC-9366BDAA4F80"}
	log := backuptest.Set{Type: facts.TypeLog, DataBytes: 64 << 10}
	one := func(c bool, s backuptest.Set) []byte {
		return backuptest.Bytes(backuptest.Spec{Compressed: c, EndRecords: c, Sets: []backuptest.Set{s}})
	}
	files := map[string][]byte{
		"writer-full":            one(false, full),
		"writer-diff":            one(false, diff),
		"writer-log":             one(false, log),
		"writer-compressed":      one(true, full),
		"writer-compressed-diff": one(true, diff),
		"writer-compressed-log":  one(true, log),
		"writer-compressed-4k": backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, BlockSize: 4096,
			Sets: []backuptest.Set{full}}),
		"writer-compressed-2sets": backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true,
			Sets: []backuptest.Set{full, full}}),
	}
	samples := map[string]string{
		"sample-full-2016":     "appveyor-lab/restoretimeclean2016/RestoreTimeClean.bak",
		"sample-log-2008":      "appveyor-lab/sql2008-backups/StopAt/StopAt_23.trn",
		"sample-full-4k":       "public-newer/Dragoh54_sql-labs_Company.bak",
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
	return files
}

// BenchmarkRead reads headers from memory and reports, per decoded set
// header, the time (ns/header), allocations (allocs/header, B/header) and
// rate (headers/s), and per file the bytes and reads it costs
// (bytes/file, reads/file). The sample cases are skipped without
// ../shared/samples.
//
//	go test ./internal/backup -run '^$' -bench Read -benchmem
func BenchmarkRead(b *testing.B) {
	for name, data := range benchFiles(b) {
		b.Run(name, func(b *testing.B) {
			m, err := Read(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				b.Fatal(err)
			}
			sets := float64(len(m.Sets))
			var bytesRead, reads int64
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				c := NewCountingReaderAt(bytes.NewReader(data))
				if _, err := Read(c, int64(len(data))); err != nil {
					b.Fatal(err)
				}
				bytesRead, reads = c.BytesRead(), c.Reads()
			}
			runtime.ReadMemStats(&ms1)
			n := float64(b.N) * sets
			b.ReportMetric(n/b.Elapsed().Seconds(), "headers/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/header")
			// Less the benchmark's own two (the readers).
			b.ReportMetric((float64(ms1.Mallocs-ms0.Mallocs)-2*float64(b.N))/n, "allocs/header")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/n, "B/header")
			b.ReportMetric(float64(bytesRead), "bytes/file")
			b.ReportMetric(float64(reads), "reads/file")
		})
	}
}
