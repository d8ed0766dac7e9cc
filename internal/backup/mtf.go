package backup

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

var le = binary.LittleEndian

// MTF descriptor block (DBLK) common header size and stream header size.
const (
	dblkHeader   = 52
	streamHeader = 22
	// maxStreams bounds the streams walked in one block: real blocks hold a
	// handful, but a data block can hold many; garbage must not loop long.
	maxStreams = 1 << 16
)

// block is one MTF descriptor block.
type block struct {
	off  int64
	typ  string
	attr uint32
	// hdr is the block from its start to its first stream: the common
	// header plus the type-specific part, with its strings.
	hdr         []byte
	firstStream int64
}

type stream struct {
	id      uint32 // the type as a little-endian u32 (tSPAD...)
	off     int64  // of the stream header
	data    int64  // of the stream data
	length  int64
	enc     uint16
	comp    uint16
	fsAttr  uint16
	fmtAttr uint16
}

// next is where the stream after this one starts (streams are 4-byte aligned).
func (st stream) next() int64 { return (st.data + st.length + 3) &^ 3 }

func isTag(b []byte) bool {
	b = b[:4]
	return b[0]-'A' < 26 && b[1]-'A' < 26 && b[2]-'A' < 26 && b[3]-'A' < 26 // bytes wrap: 'A'..'Z'
}

// xorSum is the MTF header checksum: the XOR of n little-endian 16-bit words.
func xorSum(b []byte, n int) uint16 {
	// XOR is bitwise: fold 64-bit little-endian loads (four words each),
	// then the halves.
	b = b[:2*n]
	var x uint64
	for len(b) >= 8 {
		x ^= le.Uint64(b)
		b = b[8:]
	}
	for len(b) >= 2 {
		x ^= uint64(le.Uint16(b))
		b = b[2:]
	}
	x ^= x >> 32
	x ^= x >> 16
	return uint16(x)
}

// dblkSum is xorSum(b, 25), the checksum of a DBLK header, unrolled.
func dblkSum(b []byte) uint16 {
	b = b[:50]
	x := le.Uint64(b) ^ le.Uint64(b[8:]) ^ le.Uint64(b[16:]) ^ le.Uint64(b[24:]) ^
		le.Uint64(b[32:]) ^ le.Uint64(b[40:]) ^ uint64(le.Uint16(b[48:]))
	x ^= x >> 32
	x ^= x >> 16
	return uint16(x)
}

// streamSum is xorSum(b, 10), the checksum of a stream header, unrolled.
func streamSum(b []byte) uint16 {
	b = b[:20]
	x := le.Uint64(b) ^ le.Uint64(b[8:]) ^ uint64(le.Uint32(b[16:]))
	x ^= x >> 32
	x ^= x >> 16
	return uint16(x)
}

// validDBLK reports whether b (at least 52 bytes) looks like a DBLK header
// with a correct checksum.
func validDBLK(b []byte) bool {
	return len(b) >= dblkHeader && isTag(b) && dblkSum(b) == le.Uint16(b[50:]) &&
		int(le.Uint16(b[8:])) >= dblkHeader
}

func readBlock(s *source, off int64) (block, error) {
	var b block
	if err := readBlockTo(s, off, &b); err != nil {
		return block{}, err
	}
	return b, nil
}

// readBlockTo is readBlock into b (the zero block on an error), for the
// walks that read many.
func readBlockTo(s *source, off int64, b *block) error {
	// The header and, when the same cached segment holds them, the
	// type-specific part in one look-up.
	var h []byte
	if d := off - s.hot.off; d >= 0 && d <= int64(len(s.hot.b))-dblkHeader {
		h = s.hot.b[d:] // see near
	} else {
		var err error
		if h, err = s.span(off, dblkHeader); err != nil {
			*b = block{}
			return err
		}
	}
	_ = h[dblkHeader-1] // at least a header: no bounds checks below
	if !isTag(h) {
		*b = block{}
		return errf(KindCorrupt, off, "no MTF descriptor block here")
	}
	if dblkSum(h) != le.Uint16(h[50:]) {
		*b = block{}
		return errf(KindCorrupt, off, "%s block header checksum mismatch", h[:4])
	}
	fs := int64(le.Uint16(h[8:]))
	if fs < dblkHeader {
		*b = block{}
		return errf(KindCorrupt, off, "%s block: first stream offset %d inside the header", h[:4], fs)
	}
	b.off, b.typ, b.attr, b.firstStream = off, tag(h), le.Uint32(h[4:]), off+fs
	if b.typ == "SFMB" {
		// A soft filemark has no streams; its "first stream" offset is where
		// the next block starts.
		b.hdr = h[:dblkHeader]
		return nil
	}
	if fs <= int64(len(h)) {
		b.hdr = h[:fs]
		return nil
	}
	hdr, err := s.at(off, fs)
	if err != nil {
		*b = block{}
		return err
	}
	b.hdr = hdr
	return nil
}

// Block and stream types as little-endian u32.
const (
	tTAPE = uint32('T') | uint32('A')<<8 | uint32('P')<<16 | uint32('E')<<24
	tSFMB = uint32('S') | uint32('F')<<8 | uint32('M')<<16 | uint32('B')<<24
	tSSET = uint32('S') | uint32('S')<<8 | uint32('E')<<16 | uint32('T')<<24
	tVOLB = uint32('V') | uint32('O')<<8 | uint32('L')<<16 | uint32('B')<<24
	tMSCI = uint32('M') | uint32('S')<<8 | uint32('C')<<16 | uint32('I')<<24
	tMSDA = uint32('M') | uint32('S')<<8 | uint32('D')<<16 | uint32('A')<<24
	tMSTL = uint32('M') | uint32('S')<<8 | uint32('T')<<16 | uint32('L')<<24
	tMSLS = uint32('M') | uint32('S')<<8 | uint32('L')<<16 | uint32('S')<<24
	tESET = uint32('E') | uint32('S')<<8 | uint32('E')<<16 | uint32('T')<<24
	tEOTM = uint32('E') | uint32('O')<<8 | uint32('T')<<16 | uint32('M')<<24
	tSPAD = uint32('S') | uint32('P')<<8 | uint32('A')<<16 | uint32('D')<<24
	tMQCI = uint32('M') | uint32('Q')<<8 | uint32('C')<<16 | uint32('I')<<24
	tRAID = uint32('R') | uint32('A')<<8 | uint32('I')<<16 | uint32('D')<<24
	tAPAD = uint32('A') | uint32('P')<<8 | uint32('A')<<16 | uint32('D')<<24
	tMQDA = uint32('M') | uint32('Q')<<8 | uint32('D')<<16 | uint32('A')<<24
	tMQTL = uint32('M') | uint32('Q')<<8 | uint32('T')<<16 | uint32('L')<<24
	tCSUM = uint32('C') | uint32('S')<<8 | uint32('U')<<16 | uint32('M')<<24
	tOTCP = uint32('O') | uint32('T')<<8 | uint32('C')<<16 | uint32('P')<<24
	tSCIN = uint32('S') | uint32('C')<<8 | uint32('I')<<16 | uint32('N')<<24
	tSFGI = uint32('S') | uint32('F')<<8 | uint32('G')<<16 | uint32('I')<<24
	tSFIN = uint32('S') | uint32('F')<<8 | uint32('I')<<16 | uint32('N')<<24
	tTSMP = uint32('T') | uint32('S')<<8 | uint32('M')<<16 | uint32('P')<<24
)

// tag is the 4-byte block or stream type as a string, without allocating
// for the types SQL Server writes.
func tag(h []byte) string {
	t := le.Uint32(h)
	if e := &tagTable[t*tagMul>>27]; e.t == t && e.s != "" {
		return e.s
	}
	return string(h[:4])
}

// tagMul hashes the types SQL Server writes to distinct slots of
// tagTable (TestTagTable).
const tagMul = 0x22bba50f

// tagNames are the block and stream types SQL Server writes.
var tagNames = [...]string{"TAPE", "SFMB", "SSET", "VOLB", "MSCI", "MSDA", "MSTL", "MSLS", "ESET", "EOTM", "SPAD",
	"MQCI", "RAID", "APAD", "MQDA", "MQTL", "CSUM", "OTCP", "SCIN", "SFGI", "SFIN", "TSMP"}

// tagTable holds each of tagNames in the slot its type hashes to.
var tagTable = func() (tb [32]struct {
	t uint32
	s string
}) {
	for _, n := range tagNames {
		t := le.Uint32([]byte(n))
		tb[t*tagMul>>27].t, tb[t*tagMul>>27].s = t, n
	}
	return tb
}()

func readStream(s *source, off int64) (stream, error) {
	h := s.near(off, streamHeader)
	if h == nil {
		var err error
		if h, err = s.at(off, streamHeader); err != nil {
			return stream{}, err
		}
	}
	if !isAlnum(h[:4]) || streamSum(h) != le.Uint16(h[20:]) {
		return stream{}, errf(KindCorrupt, off, "bad MTF stream header")
	}
	n := le.Uint64(h[8:])
	if n > uint64(s.size) {
		return stream{}, errf(KindTruncated, s.size, "stream %s at %d claims %d bytes", h[:4], off, n)
	}
	return stream{id: le.Uint32(h), off: off, data: off + streamHeader, length: int64(n),
		fsAttr: le.Uint16(h[4:]), fmtAttr: le.Uint16(h[6:]), enc: le.Uint16(h[16:]), comp: le.Uint16(h[18:])}, nil
}

func isAlnum(b []byte) bool {
	for _, c := range b {
		if c-'A' >= 26 && c-'0' >= 10 { // bytes wrap: neither 'A'..'Z' nor '0'..'9'
			return false
		}
	}
	return true
}

// streamWalk is a walk through a block's streams that can stop at a
// stream and go on from it later: n streams read so far, p where the next
// starts, long when one of those passed over was longer than the base
// window (the window was reset).
type streamWalk struct {
	p    int64
	n    int
	long bool
}

// walkTo goes on with w through the block's streams, each read and checked
// (readStream), up to the first with id want (0: none) or the SPAD; next
// is the offset of the next block when it reached the SPAD, else 0. A
// stream found is not passed over: w.p is still its offset (see pass).
// Passing over a stream longer than the base window resets the window
// (skipping data: the next region starts small again). At most
// maxStreams streams are read in one block.
//
// A stream header in the segment of the last look-up that passes
// readStream's checks is taken from there; any other goes through
// readStream, which reads it and says what is wrong. On an error, last
// is not meaningful.
func (b *block) walkTo(s *source, w *streamWalk, want uint32) (last stream, next int64, err error) {
	for w.n < maxStreams {
		off := w.p
		var id uint32
		var n int64
		h := s.near(off, streamHeader)
		if h != nil && isAlnum(h[:4]) && streamSum(h) == le.Uint16(h[20:]) && le.Uint64(h[8:]) <= uint64(s.size) {
			id, n = le.Uint32(h), int64(le.Uint64(h[8:]))
		} else {
			st, err := readStream(s, off)
			if err != nil {
				return st, 0, err
			}
			id, n, h = st.id, st.length, nil
			last = st
		}
		w.n++
		if id == tSPAD || id == want {
			if h != nil {
				last = stream{id: id, off: off, data: off + streamHeader, length: n,
					fsAttr: le.Uint16(h[4:]), fmtAttr: le.Uint16(h[6:]), enc: le.Uint16(h[16:]), comp: le.Uint16(h[18:])}
			}
			if id == tSPAD {
				return last, off + streamHeader + n, nil
			}
			return last, 0, nil
		}
		if n > s.base {
			s.win = s.base // skipping data: the next region starts small again
			w.long = true
		}
		w.p = (off + streamHeader + n + 3) &^ 3 // stream.next
	}
	return last, 0, errf(KindCorrupt, w.p, "%s block at %d: too many streams", b.typ, b.off)
}

// pass passes over stream st, the last one w read.
func (w *streamWalk) pass(s *source, st stream) {
	if st.length > s.base {
		s.win = s.base // skipping data: the next region starts small again
		w.long = true
	}
	w.p = st.next()
}

// skip walks the block's streams and returns the offset of the next block.
func (b *block) skip(s *source) (int64, error) {
	w := streamWalk{p: b.firstStream}
	return b.skipFrom(s, &w)
}

// skipFrom is walkTo(s, w, 0) returning only the next block's offset: the
// walk most blocks get, over their SPAD alone.
func (b *block) skipFrom(s *source, w *streamWalk) (int64, error) {
	for w.n < maxStreams {
		off := w.p
		var id uint32
		var n int64
		if h := s.near(off, streamHeader); h != nil && isAlnum(h[:4]) && streamSum(h) == le.Uint16(h[20:]) && le.Uint64(h[8:]) <= uint64(s.size) {
			id, n = le.Uint32(h), int64(le.Uint64(h[8:]))
		} else {
			st, err := readStream(s, off)
			if err != nil {
				return 0, err
			}
			id, n = st.id, st.length
		}
		w.n++
		if id == tSPAD {
			return off + streamHeader + n, nil
		}
		if n > s.base {
			s.win = s.base // skipping data: the next region starts small again
			w.long = true
		}
		w.p = (off + streamHeader + n + 3) &^ 3 // stream.next
	}
	return 0, errf(KindCorrupt, w.p, "%s block at %d: too many streams", b.typ, b.off)
}

// find walks the block's streams up to the first with the given id and
// returns it; a stream with another id means the block has none (the walk
// reached its SPAD). w is where the walk stopped.
func (b *block) find(s *source, id uint32, w *streamWalk) (stream, error) {
	*w = streamWalk{p: b.firstStream}
	st, _, err := b.walkTo(s, w, id)
	return st, err
}

// skipRest is b.skip(s) after find stopped w at stream st, without
// reading again the streams find read: walking them again would read
// the same cached bytes and find the same streams, and its only other
// effect, the window reset for a long stream, is made here.
func (b *block) skipRest(s *source, w *streamWalk, st stream) (int64, error) {
	if w.long {
		s.win = s.base
	}
	w.pass(s, st)
	return b.skipFrom(s, w)
}

// str reads an MTF TAPE_ADDRESS string ({u16 size, u16 offset} from base) as
// UTF-16LE; "" when absent or out of range.
func str(b []byte, at int) string {
	return string(appendStr(nil, b, at))
}

// strBytes is the raw UTF-16LE bytes of the TAPE_ADDRESS string at b[at:];
// nil when absent or out of range.
func strBytes(b []byte, at int) []byte {
	if at+4 > len(b) {
		return nil
	}
	n, o := int(le.Uint16(b[at:])), int(le.Uint16(b[at+2:]))
	if n == 0 || o+n > len(b) {
		return nil
	}
	return b[o : o+n]
}

// appendStr appends the string str would return to dst.
func appendStr(dst, b []byte, at int) []byte {
	return appendUTF16(dst, strBytes(b, at))
}

// strEmpty reports whether str(b, at) is "", without decoding it.
func strEmpty(b []byte, at int) bool {
	u := strBytes(b, at)
	if len(u) >= 2 && u[0]|u[1] != 0 {
		return false // a first character: the usual answer, without a loop
	}
	for i := 0; i+1 < len(u); i += 2 {
		if u[i] != 0 || u[i+1] != 0 {
			return false
		}
	}
	return true
}

// appendUTF16 appends UTF-16LE b as UTF-8, trailing NULs dropped and
// unpaired surrogates as U+FFFD (as unicode/utf16.Decode does).
func appendUTF16(dst, b []byte) []byte {
	n := len(b) / 2
	for n > 0 && b[2*n-2] == 0 && b[2*n-1] == 0 {
		n--
	}
	// ASCII, what the names in headers nearly always are, eight code
	// units at a time into room made once; the loop below takes over at
	// the first unit that is not.
	l := len(dst)
	dst = slices.Grow(dst, n)[:l+n]
	o, u := dst[l:], b[:2*n]
	for len(u) >= 16 && len(o) >= 8 {
		v, w := le.Uint64(u), le.Uint64(u[8:])
		if (v|w)&0xFF80FF80FF80FF80 != 0 {
			break
		}
		le.PutUint64(o, pack4(v)|pack4(w)<<32)
		u, o = u[16:], o[8:]
	}
	for len(u) >= 2 && len(o) >= 1 && u[1] == 0 && u[0] < utf8.RuneSelf {
		o[0] = u[0]
		u, o = u[2:], o[1:]
	}
	i := n - len(o)
	dst = dst[:l+i]
	for ; i < n; i++ {
		u := rune(le.Uint16(b[2*i:]))
		switch {
		case u < utf8.RuneSelf:
			dst = append(dst, byte(u))
			continue
		case utf16.IsSurrogate(u) && u < 0xDC00 && i+1 < n:
			if r := utf16.DecodeRune(u, rune(le.Uint16(b[2*i+2:]))); r != utf8.RuneError {
				dst = utf8.AppendRune(dst, r)
				i++
				continue
			}
		}
		if utf16.IsSurrogate(u) {
			u = utf8.RuneError
		}
		dst = utf8.AppendRune(dst, u)
	}
	return dst
}

// pack4 is the low bytes of the four 16-bit words of v, in order.
func pack4(v uint64) uint64 {
	v = (v | v>>8) & 0x0000FFFF0000FFFF
	return (v | v>>16) & 0xFFFFFFFF
}

// mtfDate decodes the 5-byte packed MTF DATE_TIME; ok is false for zero or
// out-of-range values.
func mtfDate(b []byte, loc *time.Location) (time.Time, bool) {
	year, mon, day, hour, minute, sec, ok := mtfFields(b)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mon), day, hour, minute, sec, 0, loc), true
}

// mtfDateFixed is mtfDate in a location whose UTC offset, off seconds,
// never changes (fixedOffset): the same time.Time, computed without
// time.Date's general calendar and zone look-ups.
func mtfDateFixed(b []byte, loc *time.Location, off int) (time.Time, bool) {
	year, mon, day, hour, minute, sec, ok := mtfFields(b)
	if !ok {
		return time.Time{}, false
	}
	unix := daysFromCivil(year, mon, day)*86400 + int64(hour*3600+minute*60+sec-off)
	return time.Unix(unix, 0).In(loc), true
}

// mtfFields splits a packed MTF DATE_TIME into its fields; ok is false for
// zero or out-of-range values.
func mtfFields(b []byte) (year, mon, day, hour, minute, sec int, ok bool) {
	b = b[:5]
	v := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	if v == 0 {
		return 0, 0, 0, 0, 0, 0, false
	}
	sec = int(v & 63)
	minute = int(v >> 6 & 63)
	hour = int(v >> 12 & 31)
	day = int(v >> 17 & 31)
	mon = int(v >> 22 & 15)
	year = int(v >> 26)
	ok = mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && sec <= 59 && year >= 1900 && year <= 9999
	return year, mon, day, hour, minute, sec, ok
}

// daysFromCivil is the days from 1970-01-01 to the date (proleptic
// Gregorian, year >= 1): day past the month's end runs on into the next
// months, as time.Date normalizes it.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}

// zones are the locations of the SSET time zones, one per quarter hour
// from -12:00 to +14:00, UTC at 0; made once, so that their offsets are
// known never to change (fixedOffset).
var zones = func() (z [105]*time.Location) {
	for i := range z {
		if tz := i - 48; tz == 0 {
			z[i] = time.UTC
		} else {
			z[i] = time.FixedZone("", tz*15*60)
		}
	}
	return z
}()

// zone is the SSET time zone (15-minute units east of UTC; 127 = unknown).
func zone(tz int8) *time.Location {
	if tz < -48 || tz > 56 {
		return nil
	}
	return zones[int(tz)+48]
}

// fixedOffset is loc's UTC offset in seconds when loc is one of zones,
// whose offsets never change.
func fixedOffset(loc *time.Location) (int, bool) {
	if loc == time.UTC {
		return 0, true
	}
	if loc == nil {
		return 0, false
	}
	_, off := time.Unix(0, 0).In(loc).Zone()
	if k := off/900 + 48; off%900 != 0 || k < 0 || k >= len(zones) || zones[k] != loc {
		return 0, false
	}
	return off, true
}

// guid formats 16 bytes in the .NET mixed-endian order SQL Server prints;
// "" for the all-zero GUID (NULL).
func guid(b []byte) string { return string(appendGUID(nil, b)) }

// appendGUID appends what guid returns to dst.
func appendGUID(dst, b []byte) []byte {
	if len(b) < 16 {
		return dst
	}
	b = b[:16]
	if le.Uint64(b)|le.Uint64(b[8:]) == 0 {
		return dst
	}
	// The first three groups are little-endian numbers, the last two
	// bytes as stored.
	var t [36]byte
	be := binary.BigEndian
	le.PutUint64(t[0:], hex8(le.Uint32(b)))
	mid := hex8(uint32(le.Uint16(b[4:]))<<16 | uint32(le.Uint16(b[6:])))
	le.PutUint32(t[9:], uint32(mid))
	le.PutUint32(t[14:], uint32(mid>>32))
	four := hex8(uint32(be.Uint16(b[8:]))<<16 | uint32(be.Uint16(b[10:])))
	le.PutUint32(t[19:], uint32(four))
	le.PutUint32(t[24:], uint32(four>>32))
	le.PutUint64(t[28:], hex8(be.Uint32(b[12:])))
	t[8], t[13], t[18], t[23] = '-', '-', '-', '-'
	return append(dst, t[:]...)
}

// hex8 is x as eight upper-case hex digits, the first in the low byte.
func hex8(x uint32) uint64 {
	v := uint64(bits.ReverseBytes32(x)) // the most significant byte first
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF // byte i of x's big-endian form in 16-bit lane i
	v = v>>4&0x000F000F000F000F | (v&0x000F000F000F000F)<<8
	// One nibble a byte: '0'+n, and 7 more past '9'.
	over := (v + 0x0606060606060606) >> 4 & 0x0101010101010101
	return v + 0x3030303030303030 + over*7
}
