package backup

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// FuzzRead: any input yields headers or an *Error, never a panic or hang.
// Seeds are writer output and, when ../shared/samples is present, the first
// 8 KiB of two small real log backups and of the compressed one.
//
//	go test ./internal/backup -run '^$' -fuzz FuzzRead -fuzztime 2m -fuzzminimizetime 500x
//
// Bound minimising by a count, as make fuzz does: the engine minimises each
// input with new coverage, quadratic in its length, and these inputs are
// backups of 5-25 KB, so a time bound (60s by default) spends the run there
// (~10 execs/s, no progress shown) instead of fuzzing.
func FuzzRead(f *testing.F) {
	f.Add(backuptest.Bytes(backuptest.Spec{}))
	f.Add(backuptest.Bytes(backuptest.Spec{FamilyCount: 2, FamilySequence: 2, Sets: []backuptest.Set{
		{Type: facts.TypeLog, DataBytes: 100}, {Type: facts.TypeDifferential, DataBytes: 100}}}))
	f.Add([]byte("MSSQLBAK\x02\x00\x00\x00\x03\x00\x00\x00"))
	f.Add(backuptest.Bytes(backuptest.Spec{Compressed: true, Sets: []backuptest.Set{{DataBytes: 100}}}))
	f.Add(backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{DataBytes: 100}, {DataBytes: 100}}}))
	f.Add(backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, BlockSize: 4096, Sets: []backuptest.Set{{DataBytes: 100}}}))
	f.Add(backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{Version: "9.0.1399", DataBytes: 100}}}))
	if dir, err := os.Getwd(); err == nil {
		samples := filepath.Join(dir, "..", "..", "..", "shared", "samples", "appveyor-lab")
		for _, p := range []string{
			"sql2008-backups/dbOrphanUsers/LOG/SQL2008_dbOrphanUsers_LOG_20170518_041837.trn",
			"sql2008-backups/RestoreTimeStripe/Stripe2/RestoreTimeStripe_1a.trn",
		} {
			if b, err := os.ReadFile(filepath.Join(samples, p)); err == nil {
				f.Add(b[:min(len(b), 0x2000)]) // TAPE..MSCI; small seeds keep minimising fast
			}
		}
		if b, err := os.ReadFile(filepath.Join(samples, "compressed/SharePoint_Config.bak")); err == nil && len(b) > 0x2000 {
			f.Add(b[:0x2000])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// The deep walk (inspect --deep) must hold up on the same input.
		if _, err := ReadDeep(bytes.NewReader(b), int64(len(b)), nil); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("deep: error %v is not *backup.Error", err)
			}
		}
		m, err := Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *backup.Error", err)
			}
			return
		}
		if m == nil || len(m.Sets) == 0 {
			t.Fatalf("no error and no sets")
		}
		if m.BytesRead > int64(len(b)) {
			t.Fatalf("read %d bytes of %d", m.BytesRead, len(b))
		}
		if m.SetCount < len(m.Sets) || m.SetCount > len(m.Sets) && !m.SetsIncomplete {
			t.Fatalf("set count %d for %d sets (incomplete %v)", m.SetCount, len(m.Sets), m.SetsIncomplete)
		}
	})
}
