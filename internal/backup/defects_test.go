package backup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

func readBytes(b []byte) (*facts.BackupMedia, error) {
	return Read(bytes.NewReader(b), int64(len(b)))
}

// publicNewer reads a file of ../shared/samples/public-newer, or skips.
func publicNewerSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir(t), "public-newer", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	nafogu    = "NAFOGU_Library-Database-System_LibraryDB.bak"
	northwind = "2692667768_fifth_Northwind.bak"
)

// Defect 1: compressed backups on 4 KiB media, where a raw soft filemark
// fills 4096 bytes, were rejected as corrupt.
func TestCompressed4KiB(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Compressed: true, BlockSize: 4096, Sets: []backuptest.Set{{DataBytes: 300000}}})
	m, err := readBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.BlockSize != 4096 || len(m.Sets) != 1 || m.Sets[0].Provisional || m.Sets[0].BackupFinishDate == nil {
		t.Fatalf("media %+v", m)
	}
	t.Run("sample", func(t *testing.T) {
		m, err := readBytes(publicNewerSample(t, nafogu))
		if err != nil || m.BlockSize != 4096 || !m.Compressed || m.Sets[0].Provisional || m.Sets[0].DatabaseName != "LibraryDB" {
			t.Fatalf("err %v media %+v", err, m)
		}
	})
}

// Defect 2: a 0x2C end-of-buffer record is 0x28 + 16 × entries long and
// may cross a 512-byte boundary; resuming at the boundary after its start
// lost the chain and the provisional copy was reported.
func TestCompressedEndRecordCrossesBoundary(t *testing.T) {
	for _, bs := range []int{512, 4096} {
		spec := backuptest.Spec{Compressed: true, EndRecords: true, BlockSize: bs, Sets: []backuptest.Set{{DataBytes: 200000,
			ProvisionalLastLSN: facts.LSN{VLF: 30, Block: 120, Slot: 1}}}}
		b := backuptest.Bytes(spec)
		if !bytes.Contains(b, []byte{0x2C, 0, 0, 0}) {
			t.Fatal("writer wrote no end-of-buffer record")
		}
		m, err := readBytes(b)
		if err != nil {
			t.Fatalf("%d: %v", bs, err)
		}
		if s := m.Sets[0]; s.Provisional || s.LastLSN != (facts.LSN{VLF: 30, Block: 150, Slot: 1}) || s.BackupFinishDate == nil {
			t.Errorf("%d-byte blocks: provisional %v, LastLSN %s", bs, s.Provisional, s.LastLSN)
		}
	}
	t.Run("sample", func(t *testing.T) {
		// NAFOGU's end record runs from 0x7edb7 to 0x7ee0f, across 0x7ee00.
		b := publicNewerSample(t, nafogu)
		if b[0x7edb7] != recEnd {
			t.Fatalf("no end record at 0x7edb7")
		}
		m, err := readBytes(b)
		if err != nil || m.Sets[0].Provisional || m.Sets[0].BackupFinishDate == nil {
			t.Fatalf("err %v, provisional %v", err, m.Sets[0].Provisional)
		}
	})
}

// Defect 3: a compressed file with appended sets was reported as one set.
// Every set the reads reach is reported; positions not read are said.
func TestCompressedAppendedSets(t *testing.T) {
	two := backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{
		{DataBytes: 100000}, {DataBytes: 100000, LastLSN: facts.LSN{VLF: 31, Block: 7, Slot: 1}}}})
	m, err := readBytes(two)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sets) != 2 || m.SetCount != 2 || m.SetsIncomplete || m.Sets[1].Position != 2 ||
		m.Sets[1].LastLSN != (facts.LSN{VLF: 31, Block: 7, Slot: 1}) || m.Sets[1].Provisional || !m.Sets[0].Provisional {
		t.Fatalf("two sets: %+v", m)
	}
	three := backuptest.Bytes(backuptest.Spec{Compressed: true, Sets: []backuptest.Set{
		{DataBytes: 100000}, {DataBytes: 100000}, {DataBytes: 100000, Type: facts.TypeLog}}})
	m, err = readBytes(three)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sets) != 2 || m.SetCount != 3 || !m.SetsIncomplete || !slices.Contains(m.Unknown, "sets") ||
		m.Sets[1].Position != 3 || m.Sets[1].BackupType != facts.TypeLog {
		t.Fatalf("three sets: count %d incomplete %v unknown %v sets %d", m.SetCount, m.SetsIncomplete, m.Unknown, len(m.Sets))
	}
	// Uncompressed: the walk reaches every set.
	plain := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{}, {}, {}}})
	if m, err := readBytes(plain); err != nil || len(m.Sets) != 3 || m.SetCount != 3 || m.SetsIncomplete {
		t.Fatalf("plain three sets: %v %+v", err, m)
	}
}

// Defect 4: SQL Server 2005 has no CompressedBackupSize; the bytes there
// are the database name.
func TestCompressedBackupSizeAbsentBefore2008(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{Version: "9.0.1399", DatabaseVersion: 611, CompatibilityLevel: 90, DatabaseName: "Northwind"}}})
	m, err := readBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Sets[0]; s.CompressedBackupSize != 0 || s.DatabaseName != "Northwind" || s.SoftwareMajor != 9 {
		t.Fatalf("2005 set: %+v", s)
	}
	j, _ := json.Marshal(m.Sets[0])
	if bytes.Contains(j, []byte("compressedBackupSize")) {
		t.Errorf("compressedBackupSize in %s", j)
	}
	t.Run("sample", func(t *testing.T) {
		m, err := readBytes(publicNewerSample(t, northwind))
		if err != nil || m.Sets[0].CompressedBackupSize != 0 || m.Sets[0].SoftwareVersion != "9.0.1399" {
			t.Fatalf("err %v set %+v", err, m.Sets[0])
		}
	})
}

// Defect 5: the media's block size is reported.
func TestBlockSize(t *testing.T) {
	for _, bs := range []int{512, 4096, 65536} {
		for _, comp := range []bool{false, true} {
			if comp && bs == 65536 {
				continue // no compressed 64 KiB sample: the raw filemark length is unconfirmed
			}
			m, err := readBytes(backuptest.Bytes(backuptest.Spec{BlockSize: bs, Compressed: comp}))
			if err != nil || m.BlockSize != bs {
				t.Errorf("block size %d compressed %v: err %v, got %+v", bs, comp, err, m)
			}
		}
	}
}

// Defect 6: a file whose trailer (the last set's SFMB ESET ESET SFMB) is
// not all there is truncated, by any number of bytes.
func TestCutTrailerIsTruncated(t *testing.T) {
	files := map[string][]byte{}
	for _, bs := range []int{512, 4096, 65536} {
		files["plain-"+itoa(bs)] = backuptest.Bytes(backuptest.Spec{BlockSize: bs, Sets: []backuptest.Set{{}, {DataBytes: 50000}}})
	}
	files["compressed-512"] = backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, Sets: []backuptest.Set{{DataBytes: 100000}}})
	files["compressed-4096"] = backuptest.Bytes(backuptest.Spec{Compressed: true, EndRecords: true, BlockSize: 4096, Sets: []backuptest.Set{{DataBytes: 100000}}})
	if dir, err := os.Stat(filepath.Join(moduleRoot(t), "..", "shared", "samples")); err == nil && dir.IsDir() {
		for _, name := range []string{nafogu, northwind, "Hammerboy98_StudentTable_StudentDB.bak", "ShahadAlnaamani_Database-Course-_Day 5 - SQL_sql_lab1.bak"} {
			files[name] = publicNewerSample(t, name)
		}
	}
	for name, b := range files {
		if _, err := readBytes(b); err != nil {
			t.Fatalf("%s whole: %v", name, err)
		}
		// Cut by 1 byte up to a little over the trailer (five blocks).
		limit := 5*4096 + 600
		if len(b) > 1<<20 {
			limit = 2100 // real samples: the reported cuts were up to ~1.9 KB
		}
		for cut := 1; cut <= limit && cut < len(b)/2; cut += 1 + cut/64 {
			c := b[:len(b)-cut]
			m, err := readBytes(c)
			if kind(err) != KindTruncated {
				t.Errorf("%s cut by %d: err %v, want truncated", name, cut, err)
				break
			}
			if m != nil && !m.SetsIncomplete && !m.Sets[len(m.Sets)-1].Provisional && len(m.Sets) == 0 {
				t.Errorf("%s cut by %d: media %+v", name, cut, m)
			}
		}
	}
}

func itoa(n int) string { return fmt.Sprint(n) }

// Defect 7: more than 64 media families is corrupt, not a stripe to list.
func TestFamilyCountBounded(t *testing.T) {
	if _, err := readBytes(backuptest.Bytes(backuptest.Spec{FamilyCount: 64, FamilySequence: 64})); err != nil {
		t.Fatalf("64 families: %v", err)
	}
	for _, n := range []int{65, 65535} {
		m, err := readBytes(backuptest.Bytes(backuptest.Spec{FamilyCount: n, FamilySequence: 1}))
		if kind(err) != KindCorrupt || m != nil {
			t.Errorf("%d families: err %v media %v, want corrupt", n, err, m)
		}
		m, err = readBytes(backuptest.Bytes(backuptest.Spec{FamilyCount: n, FamilySequence: 1, Compressed: true}))
		if kind(err) != KindCorrupt || m != nil {
			t.Errorf("%d families, compressed: err %v, want corrupt", n, err)
		}
	}
}

// Recovery model from the status word: SIMPLE 0x8, BULK-LOGGED 0x4, FULL
// neither; 2005 sets both bits under SIMPLE.
func TestRecoveryModel(t *testing.T) {
	for _, c := range []struct {
		model   string
		status  uint32
		version string
		want    string
	}{
		{"SIMPLE", 0, "", "SIMPLE"},
		{"BULK-LOGGED", 0, "", "BULK-LOGGED"},
		{"", 0, "", "FULL"},
		{"", 0x1c, "9.0.1399", "SIMPLE"},
		{"", 0x10001, "15.0.2000", "FULL"},
	} {
		m, err := readBytes(backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{RecoveryModel: c.model, Status: c.status, Version: c.version}}}))
		if err != nil {
			t.Fatal(err)
		}
		if s := m.Sets[0]; s.RecoveryModel != c.want || slices.Contains(s.Unknown, "recoveryModel") {
			t.Errorf("%+v: recovery model %q, unknown %v", c, s.RecoveryModel, s.Unknown)
		}
	}
}

// Read keeps its read budget on a file of many appended sets: past it the
// sets between are not read, the last comes from the tail, and the media
// says so; ReadDeep walks them all.
func TestManyAppendedSetsKeepTheBudget(t *testing.T) {
	var sets []backuptest.Set
	for i := range 12 {
		typ := facts.TypeLog
		if i == 0 {
			typ = facts.TypeFull
		}
		sets = append(sets, backuptest.Set{Type: typ, DataBytes: 40000})
	}
	b := backuptest.Bytes(backuptest.Spec{Sets: sets})
	c := NewCountingReaderAt(bytes.NewReader(b))
	m, err := Read(c, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	last := m.Sets[len(m.Sets)-1]
	if c.Reads() > maxReads+2 || len(m.Sets) >= 12 || m.SetCount != 12 || !m.SetsIncomplete || last.Position != 12 ||
		last.BackupType != facts.TypeLog || last.BackupFinishDate == nil || !slices.Contains(last.Unknown, "backupSetGUID") {
		t.Fatalf("%d reads, %d sets, count %d, incomplete %v, last %+v", c.Reads(), len(m.Sets), m.SetCount, m.SetsIncomplete, last)
	}
	deep, err := ReadDeep(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil || len(deep.Sets) != 12 || deep.SetsIncomplete || deep.SetCount != 12 {
		t.Fatalf("deep: %v %d sets", err, len(deep.Sets))
	}
	if deep.Sets[11].LastLSN != last.LastLSN {
		t.Errorf("last set LastLSN %s from the tail, %s walked", last.LastLSN, deep.Sets[11].LastLSN)
	}
	// Cut short: the last set's trailer is checked from the tail too.
	if _, err := readBytes(b[:len(b)-100]); kind(err) != KindTruncated {
		t.Errorf("cut: %v", err)
	}
}

// A damaged stream header after a configuration block's MQCI stream is
// reported as what it is (the reader once lost that error and walked on
// from offset 0, reporting a set without an ESET; caught by an A/B run
// before it was committed).
func TestDamagedStreamAfterConfiguration(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{})
	var msci int
	for off := 0; off+dblkHeader <= len(b); off += 512 {
		if string(b[off:off+4]) == "MSCI" && validDBLK(b[off:]) {
			msci = off
			break
		}
	}
	if msci == 0 {
		t.Fatal("no MSCI block in the writer's file")
	}
	// The stream after MQCI: walk MQCI's header to its end.
	p := msci + int(le.Uint16(b[msci+8:]))
	if string(b[p:p+4]) != "MQCI" {
		t.Fatalf("first stream of MSCI is %q", b[p:p+4])
	}
	p = (p + streamHeader + int(le.Uint64(b[p+8:])) + 3) &^ 3
	b[p+20] ^= 0xFF // its header checksum
	_, err := readBytes(b)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCorrupt || e.Offset != int64(p) || !strings.Contains(err.Error(), "bad MTF stream header") {
		t.Fatalf("got %v, want a bad stream header at %d", err, p)
	}
}

// A compressed file of appended sets whose last set is cut short: the
// reads reach its head and tail only, and the tail's chain of records ends
// in a record cut off. The sets the whole records before the cut show
// (their SSET and ESET blocks, with their positions) are counted, so the
// file is found to hold appended sets, not read as one set of unknown
// count.
func TestCompressedLastSetCut(t *testing.T) {
	for _, bs := range []int{512, 4096} {
		for _, n := range []int{2, 3} {
			var sets []backuptest.Set
			for i := range n {
				typ := facts.TypeFull
				if i == n-1 {
					typ = facts.TypeLog
				}
				sets = append(sets, backuptest.Set{Type: typ, DataBytes: 100000})
			}
			b := backuptest.Bytes(backuptest.Spec{Compressed: true, BlockSize: bs, Sets: sets})
			// The same file without its last set is a prefix of it: the
			// last set's first record (its SSET block) starts there.
			pre := backuptest.Bytes(backuptest.Spec{Compressed: true, BlockSize: bs, Sets: sets[:n-1]})
			if !bytes.Equal(b[:len(pre)], pre) || b[len(pre)] != recCompressed {
				t.Fatalf("bs %d, %d sets: the writer's file without its last set is not a prefix", bs, n)
			}
			first := len(pre) + recHeader + int(le.Uint16(b[len(pre)+2:]))
			tried := 0
			for cut := 1; len(b)-cut >= first; cut += 1 + cut/16 {
				m, err := readBytes(b[:len(b)-cut])
				if kind(err) != KindTruncated {
					t.Fatalf("bs %d, %d sets, cut by %d: err %v, want truncated", bs, n, cut, err)
				}
				if m == nil || m.SetCount < n || !m.SetsIncomplete {
					cnt := 0
					if m != nil {
						cnt = m.SetCount
					}
					t.Errorf("bs %d, %d sets, cut by %d of %d: set count %d, want at least %d", bs, n, cut, len(b), cnt, n)
				}
				tried++
			}
			if tried < 10 {
				t.Fatalf("bs %d, %d sets: only %d cuts tried", bs, n, tried)
			}
		}
	}
}

// A file of appended sets cut just after the first set's trailer, inside
// the next set's first block: under 52 bytes of it were read as padding
// and the file as one whole set, without an error; 52 bytes or more (the
// SSET block's header whole, the rest of it cut) as one set of unknown
// count. Bytes after the last soft filemark that are not zeros are a block
// cut short, and a valid SSET header starts another set.
func TestCutInNextSetsFirstBlock(t *testing.T) {
	for _, bs := range []int{512, 4096} {
		one := backuptest.Bytes(backuptest.Spec{BlockSize: bs, Sets: []backuptest.Set{{}}})
		two := backuptest.Bytes(backuptest.Spec{BlockSize: bs, Sets: []backuptest.Set{{}, {}}})
		if !bytes.Equal(two[:len(one)], one) {
			t.Fatal("the writer's one-set file is not a prefix of its two-set file")
		}
		for _, extra := range []int{1, 4, 20, 51, 52, 53, 64, 100, 511, 512, 600, 1000} {
			m, err := readBytes(two[:len(one)+extra])
			if kind(err) != KindTruncated {
				t.Errorf("bs %d, %d bytes of set 2: err %v, want truncated", bs, extra, err)
				continue
			}
			if extra >= dblkHeader && (m == nil || m.SetCount < 2) {
				n := 0
				if m != nil {
					n = m.SetCount
				}
				t.Errorf("bs %d, %d bytes of set 2 (its SSET header whole): set count %d, want at least 2", bs, extra, n)
			}
		}
		// Zeros after the last set are padding, not a cut.
		padded := append(append([]byte{}, one...), make([]byte, 700)...)
		if m, err := readBytes(padded); err != nil || m.SetCount != 1 || m.SetsIncomplete {
			t.Errorf("bs %d, zero padding: %v %+v", bs, err, m)
		}
	}
}
