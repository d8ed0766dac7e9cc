package backup

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
	"github.com/dmsready/dmsready/internal/backup/xpress"
)

// TestCompressedTruncated: a compressed backup cut short (an interrupted
// upload) keeps its head, so the first header decodes, but the restore
// would fail: it must be reported as truncated, as an uncompressed one is,
// not read as a good backup with a provisional header.
func TestCompressedTruncated(t *testing.T) {
	whole := map[string][]byte{
		"writer": backuptest.Bytes(backuptest.Spec{Compressed: true, Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
	}
	// The real sample is optional here: the writer's file covers the rule.
	if b, err := os.ReadFile(filepath.Join(moduleRoot(t), "..", "shared", "samples", "appveyor-lab/compressed/SharePoint_Config.bak")); err == nil {
		whole["SharePoint_Config.bak"] = b
	} else {
		t.Logf("real compressed sample not checked: %v", err)
	}
	for name, b := range whole {
		if m, err := Read(bytes.NewReader(b), int64(len(b))); err != nil || m.Sets[0].Provisional {
			t.Fatalf("%s whole: err %v", name, err)
		}
		for _, n := range []int{40000, len(b) / 2, len(b) - 100} {
			m, err := Read(bytes.NewReader(b[:n]), int64(n))
			if err == nil || kind(err) != KindTruncated {
				t.Errorf("%s cut at %d of %d: err %v, want kind %s", name, n, len(b), err, KindTruncated)
			}
			if m == nil || len(m.Sets) != 1 || !m.Sets[0].Provisional {
				t.Errorf("%s cut at %d: want the provisional first set with the error, got %+v", name, n, m)
			}
		}
	}
}

// TestCompressedZeroPaddingNotTruncated: zeros after the last record (a
// file padded to a block or page size) are padding, not a cut: only a
// record that runs past the end means the file was cut short.
func TestCompressedZeroPaddingNotTruncated(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Compressed: true, Sets: []backuptest.Set{{DataBytes: 1 << 20}}})
	padded := append(bytes.Clone(b), make([]byte, 4096)...)
	if _, err := Read(bytes.NewReader(padded), int64(len(padded))); err != nil {
		t.Errorf("zero-padded compressed backup: %v", err)
	}
}

// TestCompressedDecodesLittle: a compressed header decodes only what its
// reader looks at: the head up to the end of the MSCI block's
// configuration stream, not into the first data record, and the tail's
// last records. Before, the head decoded a fixed 11-29 KiB: the writer's
// file decoded 21,002 bytes, the sample 22,962 and the 4 KiB-media sample
// 49,150. The bounds are what is decoded now (the inputs are fixed).
func TestCompressedDecodesLittle(t *testing.T) {
	in := map[string][]byte{
		"writer": backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{DataBytes: 1 << 20}}}),
	}
	limit := map[string]int64{"writer": 14934, "SharePoint_Config.bak": 17466, "NAFOGU_Library-Database-System_LibraryDB.bak": 29825}
	for _, p := range []string{"appveyor-lab/compressed/SharePoint_Config.bak", "public-newer/NAFOGU_Library-Database-System_LibraryDB.bak"} {
		if b, err := os.ReadFile(filepath.Join(moduleRoot(t), "..", "shared", "samples", p)); err == nil {
			in[filepath.Base(p)] = b
		} else {
			t.Logf("%s not checked: %v", p, err)
		}
	}
	for name, b := range in {
		m, produced, err := decodeHead(t, b)
		if err != nil || len(m.Sets) != 1 || m.Sets[0].Provisional {
			t.Fatalf("%s: %v", name, err)
		}
		if produced > limit[name] {
			t.Errorf("%s: %d bytes decoded, want at most %d", name, produced, limit[name])
		}
	}
}

// decodeHead reads a compressed file as Read does from its first window
// and says how many bytes the decoder produced on the way.
func decodeHead(t *testing.T, b []byte) (*facts.BackupMedia, int64, error) {
	t.Helper()
	st := getState()
	defer st.put()
	s := st.source(bytes.NewReader(b), int64(len(b)), maxReads)
	if err := s.fetch(0, min(int64(len(b)), headSize)); err != nil {
		t.Fatal(err)
	}
	var d xpress.Decoder
	m, err := readCompressed(s, &d)
	return m, d.Produced(), err
}
