package backup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

const compMutationsPath = "fixtures/backups/compressed-mutations.golden.txt"

// compMutationInputs are the compressed inputs of
// TestCompressedMutationsGolden: writer files of the shapes the reader
// handles (end-of-buffer records or not, 4 KiB blocks, several sets, a
// configuration larger than the first try of the head) and, when
// ../shared/samples is present, the two compressed samples.
func compMutationInputs(t *testing.T) map[string][]byte {
	full := backuptest.Set{DataBytes: 256 << 10}
	files := []facts.BackupFile{{LogicalName: "data", PhysicalName: `C:\d\data.mdf`, Type: "D", FileGroupName: "PRIMARY"},
		{LogicalName: "log", PhysicalName: `C:\d\l.ldf`, Type: "L"}}
	var many []facts.BackupFile
	for i := range 200 {
		many = append(many, facts.BackupFile{LogicalName: fmt.Sprintf("f%04d_long_logical_name", i),
			PhysicalName: fmt.Sprintf(`D:\x\f%04d.ndf`, i), Type: "D", FileGroupName: "PRIMARY"})
	}
	c := func(s backuptest.Spec) []byte { s.Compressed = true; return backuptest.Bytes(s) }
	in := map[string][]byte{
		"writer/full":   c(backuptest.Spec{EndRecords: true, Sets: []backuptest.Set{full}}),
		"writer/noends": c(backuptest.Spec{Sets: []backuptest.Set{full}}),
		"writer/4k":     c(backuptest.Spec{EndRecords: true, BlockSize: 4096, Sets: []backuptest.Set{full}}),
		"writer/2sets":  c(backuptest.Spec{EndRecords: true, Sets: []backuptest.Set{full, {Type: facts.TypeLog, DataBytes: 3000}}}),
		"writer/3sets": c(backuptest.Spec{EndRecords: true, Sets: []backuptest.Set{full, {Type: facts.TypeLog, DataBytes: 3000},
			{Type: facts.TypeDifferential, DataBytes: 50 << 10, Files: files}}}),
		"writer/log":   c(backuptest.Spec{EndRecords: true, Sets: []backuptest.Set{{Type: facts.TypeLog, DataBytes: 100}}}),
		"writer/files": c(backuptest.Spec{EndRecords: true, Sets: []backuptest.Set{{DataBytes: 64 << 10, Files: many}}}),
	}
	d := filepath.Join(moduleRoot(t), "..", "shared", "samples")
	for _, rel := range []string{"appveyor-lab/compressed/SharePoint_Config.bak", "public-newer/NAFOGU_Library-Database-System_LibraryDB.bak"} {
		if b, err := os.ReadFile(filepath.Join(d, rel)); err == nil {
			in["sample/"+rel] = b
		} else {
			t.Logf("%s skipped: %v", rel, err)
		}
	}
	return in
}

// compMutationDigests reads data and variants of it (cut at many lengths;
// one byte changed at many offsets of the first 12 KB, where the head's
// records are, and of the last 16 KB, where the tail's are) and returns,
// per kind of variant, a digest of every result: the decoded media as JSON
// (reads and bytes read included) and the error.
func compMutationDigests(data []byte) (trunc, head, tail string) {
	sum := func(h hash.Hash, tag int, b []byte) {
		m, err := Read(bytes.NewReader(b), int64(len(b)))
		writeResult(h, tag, m, err)
	}
	ht, hh, hl := sha256.New(), sha256.New(), sha256.New()
	n := len(data)
	sum(ht, n, data)
	for cut := firstRecord; cut < n; cut += max(1, n/300) {
		sum(ht, cut, data[:cut])
	}
	for cut := max(firstRecord, n-6000); cut < n; cut += 29 {
		sum(ht, cut, data[:cut])
	}
	b := slices.Clone(data)
	flip := func(h hash.Hash, off int) {
		b[off] ^= 0x5A
		sum(h, off, b)
		b[off] ^= 0x5A
	}
	for off := firstRecord; off < min(n, 12000); off += 7 {
		flip(hh, off)
	}
	for off := max(firstRecord, n-16000); off < n; off += 11 {
		flip(hl, off)
	}
	hx := func(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)[:12]) }
	return hx(ht), hx(hh), hx(hl)
}

// TestCompressedMutationsGolden pins what Read returns, headers and errors
// alike, for compressed files cut short at many lengths and with one byte
// changed at many offsets: a cheaper decode must give the same answer on
// damaged files too, and the same error for each. The golden file was
// written by the reader before compressed headers were decoded with less
// work (go test -run TestCompressedMutationsGolden -update rewrites it).
func TestCompressedMutationsGolden(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("thousands of reads")
	}
	checkMutations(t, compMutationsPath, compMutationInputs(t), compMutationDigests)
}
