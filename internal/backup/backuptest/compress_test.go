package backuptest_test

import (
	"bytes"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// TestCompressed: the compressed form of a media reads back the same
// headers as the uncompressed one, from its final copy.
func TestCompressed(t *testing.T) {
	spec := backuptest.Spec{Sets: []backuptest.Set{{DatabaseName: "zip", Checksums: true, DataBytes: 200000,
		ProvisionalLastLSN: lsn("30000000012000001"), Type: facts.TypeDifferential}}}
	plain := backuptest.Bytes(spec)
	spec.Compressed = true
	comp := backuptest.Bytes(spec)
	if !bytes.HasPrefix(comp, []byte("MSSQLBAK")) || len(comp) >= len(plain) {
		t.Fatalf("compressed form: %d bytes, plain %d", len(comp), len(plain))
	}
	pm, err := backup.Read(bytes.NewReader(plain), int64(len(plain)))
	if err != nil {
		t.Fatal(err)
	}
	cm, err := backup.Read(bytes.NewReader(comp), int64(len(comp)))
	if err != nil {
		t.Fatal(err)
	}
	if !cm.Compressed || len(cm.Sets) != 1 || cm.Sets[0].Provisional {
		t.Fatalf("compressed media %+v", cm)
	}
	p, c := pm.Sets[0], cm.Sets[0]
	if c.LastLSN != p.LastLSN || c.DatabaseName != "zip" || !c.HasBackupChecksums || c.BackupType != facts.TypeDifferential ||
		c.BackupSetGUID != p.BackupSetGUID || len(c.Files) != len(p.Files) || c.BackupFinishDate == nil {
		t.Errorf("compressed set %+v\nplain set %+v", c, p)
	}
}
