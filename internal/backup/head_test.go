package backup

import (
	"fmt"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// TestHeadDecodedOnce: when the configuration is larger than the first
// decode of the head, the larger try resumes where the last one stopped,
// inside the record it stopped in, instead of decoding the head again from
// its start. The file is cut by a byte so that the tail's final header
// copy is not decoded: what is decoded is the head, and the last whole
// record before the cut (the set's ESET ESET, one KiB at most), which is
// searched for a later set's blocks (cutPosition). The tries want 11 KiB,
// then twice as much each time; the bounds are the last try's size (the
// writer is deterministic) and that KiB: each byte decoded once. Before,
// 150 and 600 files decoded 701 KB and 2.86 MB.
func TestHeadDecodedOnce(t *testing.T) {
	for _, c := range []struct{ nf, max int }{{2, 11 << 10}, {150, 11 << 15}, {600, 11 << 17}} {
		nf := c.nf
		set := backuptest.Set{DataBytes: 64 << 10}
		for i := range nf {
			set.Files = append(set.Files, facts.BackupFile{LogicalName: fmt.Sprintf("data_file_with_a_long_logical_name_%04d", i),
				PhysicalName: fmt.Sprintf(`D:\SQLData\some\deep\folder\data_file_with_a_long_logical_name_%04d.ndf`, i), Type: "D", FileGroupName: "PRIMARY"})
		}
		b := backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{set}})
		b = b[:len(b)-1]
		m, produced, err := decodeHead(t, b)
		if m == nil || len(m.Sets) != 1 || len(m.Sets[0].Files) != nf || kind(err) != KindTruncated {
			t.Fatalf("%d files: %v", nf, err)
		}
		if produced > int64(c.max)+1024 {
			t.Errorf("%d files: %d bytes decoded for the head, want at most %d", nf, produced, c.max+1024)
		}
	}
}
