package backup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// dblk builds a descriptor block header of n bytes with a valid checksum.
func dblk(typ string, n, firstStream int) []byte {
	b := make([]byte, n)
	copy(b, typ)
	le.PutUint16(b[8:], uint16(firstStream))
	le.PutUint16(b[50:], xorSum(b, 25))
	return b
}

func TestValidDBLK(t *testing.T) {
	b := dblk("SSET", 64, 52)
	if !validDBLK(b) {
		t.Fatal("valid block rejected")
	}
	for name, mut := range map[string]func([]byte){
		"checksum":     func(b []byte) { b[20] ^= 1 },
		"lowercase":    func(b []byte) { b[0] = 's'; le.PutUint16(b[50:], xorSum(b, 25)) },
		"first stream": func(b []byte) { le.PutUint16(b[8:], 10); le.PutUint16(b[50:], xorSum(b, 25)) },
	} {
		c := bytes.Clone(b)
		mut(c)
		if validDBLK(c) {
			t.Errorf("%s: damaged block accepted", name)
		}
	}
	if validDBLK(b[:40]) {
		t.Error("short block accepted")
	}
}

func TestReadBlockErrors(t *testing.T) {
	b := dblk("MSCI", 512, 56)
	b[30] = 1 // checksum now wrong
	s := &source{r: bytes.NewReader(b), size: int64(len(b)), win: 512}
	_, err := readBlock(s, 0)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCorrupt || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("bad checksum: %v", err)
	}
	_, err = readBlock(s, 480)
	if !errors.As(err, &e) || e.Kind != KindTruncated || e.Offset != 512 {
		t.Errorf("past end: %v", err)
	}
}

func TestMTFDate(t *testing.T) {
	// 2017-05-18 04:18:19 packed as 14/4/5/5/6/6 bits.
	v := uint64(2017)<<26 | 5<<22 | 18<<17 | 4<<12 | 18<<6 | 19
	b := []byte{byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	got, ok := mtfDate(b, time.UTC)
	if !ok || !got.Equal(time.Date(2017, 5, 18, 4, 18, 19, 0, time.UTC)) {
		t.Errorf("got %v %v", got, ok)
	}
	if _, ok := mtfDate(make([]byte, 5), time.UTC); ok {
		t.Error("zero date decoded")
	}
	if _, ok := mtfDate([]byte{0xff, 0xff, 0xff, 0xff, 0xff}, time.UTC); ok {
		t.Error("out-of-range date decoded")
	}
}

func TestGUIDAndStrings(t *testing.T) {
	raw := []byte{0xad, 0x7d, 0x05, 0xc0, 0x34, 0x38, 0xe1, 0x42, 0x8c, 0xec, 0x93, 0x66, 0xbd, 0xaa, 0x4f, 0x80}
	if g := guid(raw); g != "C0057DAD-3834-42E1-8CEC-9366BDAA4F80" {
		t.Errorf("guid %s", g)
	}
	if guid(make([]byte, 16)) != "" || guid(raw[:8]) != "" {
		t.Error("NULL or short GUID not empty")
	}
	b := make([]byte, 16)
	le.PutUint16(b[0:], 4)
	le.PutUint16(b[2:], 8)
	copy(b[8:], []byte{'h', 0, 'i', 0})
	if s := str(b, 0); s != "hi" {
		t.Errorf("str %q", s)
	}
	le.PutUint16(b[2:], 14) // runs past the end
	if s := str(b, 0); s != "" {
		t.Errorf("out-of-range str %q", s)
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: KindEmpty}, "empty file"},
		{&Error{Kind: KindNotBackup, Msg: "x"}, "not a SQL Server backup: x"},
		{&Error{Kind: KindTruncated, Offset: 4096, Msg: "x"}, "truncated at offset 4096"},
		{&Error{Kind: KindEncrypted, Msg: "x"}, "encrypted: header unreadable"},
		{&Error{Kind: KindCorrupt, Offset: 7, Msg: "x"}, "corrupt backup at offset 7"},
		{&Error{Kind: KindUnreadable, Offset: 9, Msg: "x"}, "read failed at offset 9"},
	} {
		if got := c.err.Error(); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q lacks %q", c.err.Kind, got, c.want)
		}
	}
}

type failingReader struct{ after int64 }

func (f failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.after {
		return 0, errors.New("disk on fire")
	}
	return 0, io.ErrUnexpectedEOF
}

func kind(err error) string {
	if err == nil {
		return "no error"
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return "not *Error: " + err.Error()
}

func TestReadErrors(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 100000}}})
	enc := bytes.Clone(b)
	i := bytes.Index(enc, []byte("MQCI"))
	le.PutUint16(enc[i+16:], 1) // stream encryption algorithm
	le.PutUint16(enc[i+20:], xorSum(enc[i:], 10))
	random := bytes.Repeat([]byte("no backup here "), 100)
	for _, c := range []struct {
		name string
		r    io.ReaderAt
		size int64
		want string
	}{
		{"empty", bytes.NewReader(nil), 0, KindEmpty},
		{"text", bytes.NewReader(random), int64(len(random)), KindNotBackup},
		{"short TAPE", bytes.NewReader(b[:30]), 30, KindNotBackup},
		{"cut in MSCI", bytes.NewReader(b[:0xC00]), 0xC00, KindTruncated},
		{"size lies", bytes.NewReader(b), int64(len(b)) + 100000, KindTruncated},
		{"I/O", failingReader{0}, 1 << 20, KindUnreadable},
		{"encrypted", bytes.NewReader(enc), int64(len(enc)), KindEncrypted},
	} {
		_, err := Read(c.r, c.size)
		if err == nil || kind(err) != c.want {
			t.Errorf("%s: err %v, want kind %s", c.name, err, c.want)
		}
	}
}

// TestAppendedSets: several sets in one file (BACKUP ... WITH NOINIT) walk
// through the data of the earlier ones, using the tail only for the last.
func TestAppendedSets(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{
		{DatabaseName: "a", DataBytes: 90000}, {DatabaseName: "a", Type: facts.TypeLog, DataBytes: 90000},
		{DatabaseName: "b", Type: facts.TypeDifferential, DataBytes: 90000},
	}})
	c := NewCountingReaderAt(bytes.NewReader(b))
	m, err := Read(c, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range m.Sets {
		if s.Provisional {
			t.Errorf("set %d provisional", s.Position)
		}
		got = append(got, s.DatabaseName+"/"+s.BackupType+"/"+string(rune('0'+s.Position)))
	}
	if strings.Join(got, " ") != "a/full/1 a/log/2 b/differential/3" {
		t.Errorf("sets %v", got)
	}
	if c.Reads() != int64(m.Reads) || c.BytesRead() != m.BytesRead || c.BytesRead() >= int64(len(b)) {
		t.Errorf("reads %d/%d bytes %d/%d of %d", c.Reads(), m.Reads, c.BytesRead(), m.BytesRead, len(b))
	}
}

// TestReadBudget: one 512-byte-block set reads the head and the tail only.
func TestReadBudget(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 5 << 20}}})
	c := NewCountingReaderAt(bytes.NewReader(b))
	m, err := Read(c, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if c.Reads() != 2 || c.BytesRead() > 64<<10 || m.Sets[0].Provisional {
		t.Errorf("%d reads, %d bytes, provisional %v", c.Reads(), c.BytesRead(), m.Sets[0].Provisional)
	}
}

// TestLargeBlocks: BLOCKSIZE=65536 (the usual setting for BACKUP TO URL)
// spreads the header blocks over the first few hundred KB; the reader sizes
// its reads from the TAPE block and never reads the whole file.
func TestLargeBlocks(t *testing.T) {
	for _, c := range []struct {
		bs, sets int
		maxReads int64
		maxBytes int64
	}{
		{4096, 1, 2, 64 << 10},
		{65536, 1, 3, 800 << 10},
		{65536, 2, 8, 2 << 20},
	} {
		sets := []backuptest.Set{{DatabaseName: "big", DataBytes: 8 << 20}}
		if c.sets == 2 {
			sets = append(sets, backuptest.Set{DatabaseName: "big", Type: facts.TypeLog, DataBytes: 1 << 20})
		}
		b := backuptest.Bytes(backuptest.Spec{BlockSize: c.bs, Sets: sets})
		r := NewCountingReaderAt(bytes.NewReader(b))
		m, err := Read(r, int64(len(b)))
		if err != nil {
			t.Fatalf("block size %d: %v", c.bs, err)
		}
		if len(m.Sets) != c.sets || m.Sets[len(m.Sets)-1].Provisional || m.Sets[0].Provisional {
			t.Errorf("block size %d: sets %+v", c.bs, m.Sets)
		}
		if r.Reads() > c.maxReads || r.BytesRead() > c.maxBytes {
			t.Errorf("block size %d, %d sets: %d reads, %d bytes of %d; want at most %d, %d",
				c.bs, c.sets, r.Reads(), r.BytesRead(), len(b), c.maxReads, c.maxBytes)
		}
	}
}

// TestAppendUTF16MatchesDecode: the string decoder gives what
// unicode/utf16.Decode does (unpaired surrogates as U+FFFD, pairs joined,
// trailing NULs dropped) on random input, odd lengths included.
func TestAppendUTF16MatchesDecode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	units := []uint16{0, 'a', 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x30c7, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xffff}
	for i := range 40000 {
		// Half the inputs mostly ASCII and longer, for the fast path
		// (four units at a time) and where it hands over.
		ascii := i%2 == 1
		n := r.IntN(12)
		if ascii {
			n = r.IntN(40)
		}
		b := make([]byte, 0, 2*n+1)
		for range n {
			u := units[r.IntN(len(units))]
			if r.IntN(4) == 0 {
				u = uint16(r.Uint32())
			}
			if ascii && r.IntN(12) != 0 {
				u = uint16(r.IntN(0x80))
			}
			b = le.AppendUint16(b, u)
		}
		if r.IntN(5) == 0 {
			b = append(b, byte(r.IntN(256))) // odd length: the last byte is ignored
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = le.Uint16(b[2*i:])
		}
		for len(u) > 0 && u[len(u)-1] == 0 {
			u = u[:len(u)-1]
		}
		if got, want := string(appendUTF16(nil, b)), string(utf16.Decode(u)); got != want {
			t.Fatalf("% x: got %q, want %q", b, got, want)
		}
		if got, want := string(appendUTF16([]byte("pre"), b)), "pre"+string(utf16.Decode(u)); got != want {
			t.Fatalf("% x after a prefix: got %q, want %q", b, got, want)
		}
	}
}

// TestGUIDMatchesFmt: the word-at-a-time GUID text is the .NET form
// printed byte by byte.
func TestGUIDMatchesFmt(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	b := make([]byte, 16)
	for i := range 20000 {
		for j := range b {
			b[j] = byte(r.Uint32())
			if i%3 == 0 && r.IntN(2) == 0 {
				b[j] = 0 // NULL and near-NULL GUIDs
			}
		}
		want := fmt.Sprintf("%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
			b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
		if le.Uint64(b)|le.Uint64(b[8:]) == 0 {
			want = ""
		}
		if got := guid(b); got != want {
			t.Fatalf("% x: got %s, want %s", b, got, want)
		}
	}
}

// TestUnrolledSums: the unrolled header checksums and tag tests are
// xorSum and the byte-by-byte tests.
func TestUnrolledSums(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	b := make([]byte, 64)
	for range 20000 {
		for i := range b {
			b[i] = byte(r.Uint32())
			if r.IntN(3) == 0 {
				b[i] = "AZ09@[/:az"[r.IntN(10)] // near the edges of the ranges
			}
		}
		if dblkSum(b) != xorSum(b, 25) || streamSum(b) != xorSum(b, 10) {
			t.Fatalf("% x: sums differ", b)
		}
		if v := le.Uint32(b); string(appendHex32(nil, v)) != fmt.Sprintf("%08X", v) {
			t.Fatalf("%08X: hex %s", v, appendHex32(nil, v))
		}
		tag, alnum := true, true
		for _, c := range b[:4] {
			tag = tag && c >= 'A' && c <= 'Z'
			alnum = alnum && (c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
		}
		if isTag(b) != tag || isAlnum(b[:4]) != alnum {
			t.Fatalf("% x: tag %v/%v alnum %v/%v", b[:4], isTag(b), tag, isAlnum(b[:4]), alnum)
		}
	}
}

// TestMTFDateFixed: in every SSET time zone the date computed from the
// fixed offset is the very time.Time time.Date gives (== compares the
// instant and the location), days past a month's end included.
func TestMTFDateFixed(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for tz := -48; tz <= 56; tz++ {
		loc := zone(int8(tz))
		off, fixed := fixedOffset(loc)
		if !fixed {
			t.Fatalf("zone %d: not fixed", tz)
		}
		for range 300 {
			year, mon, day := 1900+r.IntN(8100), 1+r.IntN(12), 1+r.IntN(31)
			if r.IntN(2) == 0 {
				day = 28 + r.IntN(4)
			}
			h, mi, s := r.IntN(24), r.IntN(60), r.IntN(60)
			v := uint64(year)<<26 | uint64(mon)<<22 | uint64(day)<<17 | uint64(h)<<12 | uint64(mi)<<6 | uint64(s)
			b := []byte{byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
			want, wok := mtfDate(b, loc)
			got, ok := mtfDateFixed(b, loc, off)
			if got != want || ok != wok {
				t.Fatalf("zone %d, %d-%d-%d %d:%d:%d: got %v, want %v", tz, year, mon, day, h, mi, s, got, want)
			}
		}
	}
	if _, fixed := fixedOffset(time.FixedZone("", 3600)); fixed && time.FixedZone("", 3600) != zone(4) {
		t.Error("a location not made by zone taken as fixed")
	}
	if _, fixed := fixedOffset(time.Local); fixed && time.Local != time.UTC {
		t.Error("the local zone taken as fixed")
	}
}

// TestTagTable: every type SQL Server writes has its own slot (tag
// returns the constant string), and any other four bytes come back as
// they are.
func TestTagTable(t *testing.T) {
	for _, n := range tagNames {
		if got := tag([]byte(n)); got != n {
			t.Errorf("tag(%s) = %q", n, got)
		}
		if n := testing.AllocsPerRun(10, func() { tag([]byte(n)) }); n != 0 {
			t.Errorf("tag allocates %v times", n)
		}
	}
	for _, n := range []string{"ABCD", "MSCJ", "\x00\x00\x00\x00", "TAPF"} {
		if got := tag([]byte(n)); got != n[:4] {
			t.Errorf("tag(%q) = %q", n, got)
		}
	}
	for i, e := range tagTable {
		if e.s != "" && int(e.t*tagMul>>27) != i {
			t.Errorf("%s in slot %d", e.s, i)
		}
	}
}

// TestScanTailMatchesSimpleScan: the scan that passes over four
// boundaries at a time finds what testing every boundary finds, and the
// lazy tail (lastFor from the end back, tailScan) answers as that index
// does, for tails of any length and offset with valid and damaged MSLS
// and ESET headers at random boundaries.
func TestScanTailMatchesSimpleScan(t *testing.T) {
	simple := func(g segment) (out tailIndex) {
		msls := int64(-1)
		b := g.b
		for i := int((g.off+511)&^511 - g.off); i+dblkHeader <= len(b); i += 512 {
			h := b[i:]
			t := le.Uint32(h)
			if t != tMSLS && t != tESET || !validDBLK(h) {
				continue
			}
			if t == tMSLS {
				msls = g.off + int64(i)
			} else if len(h) >= 80 && msls >= 0 {
				out = append(out, tailEntry{int(le.Uint16(h[78:])), msls})
				msls = -1
			}
		}
		return out
	}
	r := rand.New(rand.NewPCG(13, 14))
	for range 3000 {
		off := int64(r.IntN(4096))
		b := make([]byte, r.IntN(20<<10))
		for i := range b {
			if r.IntN(8) == 0 {
				b[i] = "EMXS"[r.IntN(4)]
			}
		}
		for i := int((off+511)&^511 - off); i+dblkHeader <= len(b); i += 512 {
			if r.IntN(3) != 0 {
				continue
			}
			h := b[i:min(i+100, len(b))] // near the end: no room for the ESET's position
			copy(h, []string{"MSLS", "ESET", "MSLX", "ESEX", "ESET", "MSLS"}[r.IntN(6)])
			le.PutUint16(h[8:], 52)
			if len(h) >= 80 {
				le.PutUint16(h[78:], uint16(r.IntN(4)))
			}
			le.PutUint16(h[50:], xorSum(h, 25))
			if r.IntN(5) == 0 {
				h[20] ^= 1 // checksum now wrong
			}
		}
		g := segment{off, b}
		want := simple(g)
		if got := scanTail(g, nil); !slices.Equal(got, want) {
			t.Fatalf("off %d, %d bytes: got %v, want %v", off, len(b), got, want)
		}
		// lastFor, and tailScan asked in any order, answer as the full
		// index does.
		for pos := range 5 {
			at, ok := lastFor(g, pos)
			if wat, wok := want.get(pos); at != wat || ok != wok {
				t.Fatalf("off %d, %d bytes, index %v: lastFor(%d) = %d %v, want %d %v", off, len(b), want, pos, at, ok, wat, wok)
			}
		}
		ts := &tailScan{g: g}
		for range 3 {
			if r.IntN(4) == 0 {
				p, a := ts.last()
				if wp, wa := want.last(); p != wp || a != wa {
					t.Fatalf("index %v: last %d %d, want %d %d", want, p, a, wp, wa)
				}
				continue
			}
			pos := r.IntN(5)
			at, ok := ts.get(pos)
			if wat, wok := want.get(pos); at != wat || ok != wok {
				t.Fatalf("index %v: get(%d) = %d %v, want %d %v", want, pos, at, ok, wat, wok)
			}
		}
	}
}
