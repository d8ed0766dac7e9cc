package backup

import (
	"encoding/binary"
	"time"
	"unicode/utf16"
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
	id      string
	off     int64 // of the stream header
	data    int64 // of the stream data
	length  int64
	enc     uint16
	comp    uint16
	fsAttr  uint16
	fmtAttr uint16
}

// next is where the stream after this one starts (streams are 4-byte aligned).
func (st stream) next() int64 { return (st.data + st.length + 3) &^ 3 }

func isTag(b []byte) bool {
	for _, c := range b[:4] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// xorSum is the MTF header checksum: the XOR of n little-endian 16-bit words.
func xorSum(b []byte, n int) uint16 {
	var x uint16
	for i := range n {
		x ^= le.Uint16(b[2*i:])
	}
	return x
}

// validDBLK reports whether b (at least 52 bytes) looks like a DBLK header
// with a correct checksum.
func validDBLK(b []byte) bool {
	return len(b) >= dblkHeader && isTag(b) && xorSum(b, 25) == le.Uint16(b[50:]) &&
		int(le.Uint16(b[8:])) >= dblkHeader
}

func readBlock(s *source, off int64) (*block, error) {
	h, err := s.at(off, dblkHeader)
	if err != nil {
		return nil, err
	}
	if !isTag(h) {
		return nil, errf(KindCorrupt, off, "no MTF descriptor block here")
	}
	if xorSum(h, 25) != le.Uint16(h[50:]) {
		return nil, errf(KindCorrupt, off, "%s block header checksum mismatch", h[:4])
	}
	fs := int64(le.Uint16(h[8:]))
	if fs < dblkHeader {
		return nil, errf(KindCorrupt, off, "%s block: first stream offset %d inside the header", h[:4], fs)
	}
	b := &block{off: off, typ: string(h[:4]), attr: le.Uint32(h[4:]), firstStream: off + fs}
	if b.typ == "SFMB" {
		// A soft filemark has no streams; its "first stream" offset is where
		// the next block starts.
		b.hdr = h
		return b, nil
	}
	if b.hdr, err = s.at(off, fs); err != nil {
		return nil, err
	}
	return b, nil
}

func readStream(s *source, off int64) (stream, error) {
	h, err := s.at(off, streamHeader)
	if err != nil {
		return stream{}, err
	}
	if !isAlnum(h[:4]) || xorSum(h, 10) != le.Uint16(h[20:]) {
		return stream{}, errf(KindCorrupt, off, "bad MTF stream header")
	}
	n := le.Uint64(h[8:])
	if n > uint64(s.size) {
		return stream{}, errf(KindTruncated, s.size, "stream %s at %d claims %d bytes", h[:4], off, n)
	}
	return stream{id: string(h[:4]), off: off, data: off + streamHeader, length: int64(n),
		fsAttr: le.Uint16(h[4:]), fmtAttr: le.Uint16(h[6:]), enc: le.Uint16(h[16:]), comp: le.Uint16(h[18:])}, nil
}

func isAlnum(b []byte) bool {
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// streams walks the block's streams up to its SPAD and returns them and the
// offset of the next block. stop, when it returns true for a stream, ends
// the walk early (next is then 0): it lets a caller avoid reading past data.
func (b *block) streams(s *source, stop func(stream) bool) ([]stream, int64, error) {
	var out []stream
	p := b.firstStream
	for range maxStreams {
		st, err := readStream(s, p)
		if err != nil {
			return out, 0, err
		}
		out = append(out, st)
		if st.id == "SPAD" {
			return out, st.data + st.length, nil
		}
		if stop != nil && stop(st) {
			return out, 0, nil
		}
		if st.length > s.base {
			s.win = s.base // skipping data: the next region starts small again
		}
		p = st.next()
	}
	return out, 0, errf(KindCorrupt, p, "%s block at %d: too many streams", b.typ, b.off)
}

// str reads an MTF TAPE_ADDRESS string ({u16 size, u16 offset} from base) as
// UTF-16LE; "" when absent or out of range.
func str(b []byte, at int) string {
	if at+4 > len(b) {
		return ""
	}
	n, o := int(le.Uint16(b[at:])), int(le.Uint16(b[at+2:]))
	if n == 0 || o+n > len(b) || o < 0 {
		return ""
	}
	return utf16le(b[o : o+n])
}

func utf16le(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = le.Uint16(b[2*i:])
	}
	for len(u) > 0 && u[len(u)-1] == 0 {
		u = u[:len(u)-1]
	}
	return string(utf16.Decode(u))
}

// mtfDate decodes the 5-byte packed MTF DATE_TIME; ok is false for zero or
// out-of-range values.
func mtfDate(b []byte, loc *time.Location) (time.Time, bool) {
	var v uint64
	for _, c := range b[:5] {
		v = v<<8 | uint64(c)
	}
	if v == 0 {
		return time.Time{}, false
	}
	sec := int(v & 63)
	minute := int(v >> 6 & 63)
	hour := int(v >> 12 & 31)
	day := int(v >> 17 & 31)
	mon := int(v >> 22 & 15)
	year := int(v >> 26)
	if mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 || year < 1900 || year > 9999 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mon), day, hour, minute, sec, 0, loc), true
}

// guid formats 16 bytes in the .NET mixed-endian order SQL Server prints;
// "" for the all-zero GUID (NULL).
func guid(b []byte) string {
	if len(b) < 16 {
		return ""
	}
	zero := true
	for _, c := range b[:16] {
		if c != 0 {
			zero = false
			break
		}
	}
	if zero {
		return ""
	}
	const hx = "0123456789ABCDEF"
	order := []int{3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15}
	out := make([]byte, 0, 36)
	for _, i := range order {
		if i < 0 {
			out = append(out, '-')
			continue
		}
		out = append(out, hx[b[i]>>4], hx[b[i]&15])
	}
	return string(out)
}
