package backup

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// readAllocs is the allocations of one Read of data, averaged, after a
// warm-up Read (pooled buffers and shared strings in place).
func readAllocs(t *testing.T, data []byte) float64 {
	t.Helper()
	r := bytes.NewReader(data)
	if _, err := Read(r, int64(len(data))); err != nil {
		t.Fatal(err)
	}
	return testing.AllocsPerRun(50, func() {
		if _, err := Read(r, int64(len(data))); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReadAllocsBounded: decoding a header allocates about what its facts
// hold (the media and its first set, a set's dates and lists, its files,
// the GUIDs unique to it), not per block, stream, chunk or string; and
// the count does not grow with the files a set lists or the data it
// holds, only with the sets: the media, its set list, and per set one
// box (dates, Unknown list, password flag) and its file list; the strings
// unique to a header share one allocation. (Before: 111 for the full
// header, then 7.)
func TestReadAllocsBounded(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("allocation counts need the pools the race detector drains")
	}
	files := func(n int) []facts.BackupFile {
		var fs []facts.BackupFile
		for i := range n {
			fs = append(fs, facts.BackupFile{LogicalName: fmt.Sprintf("f%d", i), PhysicalName: fmt.Sprintf(`C:\d\f%d.ndf`, i), Type: "D", FileGroupName: "PRIMARY"})
		}
		return append(fs, facts.BackupFile{LogicalName: "l", PhysicalName: `C:\d\l.ldf`, Type: "L"})
	}
	for _, c := range []struct {
		name string
		spec backuptest.Spec
		max  float64
	}{
		{"full", backuptest.Spec{}, 5},
		{"log", backuptest.Spec{Sets: []backuptest.Set{{Type: facts.TypeLog}}}, 5},
		{"diff", backuptest.Spec{Sets: []backuptest.Set{{Type: facts.TypeDifferential}}}, 5},
		{"full, 1 MiB of data", backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 1 << 20}}}, 5},
		{"full, 40 files", backuptest.Spec{Sets: []backuptest.Set{{Files: files(40)}}}, 5},
		{"3 sets", backuptest.Spec{Sets: []backuptest.Set{{}, {Type: facts.TypeLog}, {Type: facts.TypeDifferential}}}, 5 + 2*4 - 1},
		// Compressed: also a few per record decoded back from the end
		// (the tail search and buffers), which a longer configuration
		// stream (more files) needs more of; not per byte of data.
		{"compressed full", backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{DataBytes: 64 << 10}}}, 32},
		{"compressed full, 1 MiB of data", backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{DataBytes: 1 << 20}}}, 32},
		{"compressed log, 40 files", backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{Type: facts.TypeLog, Files: files(40)}}}, 80},
	} {
		got := readAllocs(t, backuptest.Bytes(c.spec))
		t.Logf("%s: %.1f allocations per Read", c.name, got)
		if got > c.max {
			t.Errorf("%s: %.1f allocations per Read, want at most %.0f", c.name, got, c.max)
		}
	}
}

// TestUniqueStringsOutliveTheRead: the strings unique to a header share
// one allocation (unsafe.String over an arena); reading other files after
// it must leave them as they were (the arena is never written again).
func TestUniqueStringsOutliveTheRead(t *testing.T) {
	a := backuptest.Bytes(backuptest.Spec{FamilyCount: 2, FamilySequence: 1})
	b := backuptest.Bytes(backuptest.Spec{MediaSetID: "0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9", MediaFamilyID: 0x7E57,
		Sets: []backuptest.Set{{Type: facts.TypeLog, BackupSetGUID: "11111111-2222-3333-4444-555555555555"}, {Type: facts.TypeDifferential}}})
	ma, err := Read(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	before := fmt.Sprintf("%s %s %s", ma.MediaFamilyID, ma.MediaSetID, ma.Sets[0].BackupSetGUID)
	if ma.MediaFamilyID == "" || ma.MediaSetID == "" || ma.Sets[0].BackupSetGUID == "" {
		t.Fatalf("empty unique strings: %q", before)
	}
	for range 20 {
		if _, err := Read(bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		}
	}
	if after := fmt.Sprintf("%s %s %s", ma.MediaFamilyID, ma.MediaSetID, ma.Sets[0].BackupSetGUID); after != before {
		t.Fatalf("changed by later reads: %q, was %q", after, before)
	}
}
