// Package xpress decodes LZXPRESS Huffman (LZ77+Huffman), the codec of
// compressed SQL Server backups, as specified in Microsoft's open
// specification [MS-XCA] section 2.2 (decompression, 2.2.4). Every length
// and offset read from the input is bounds-checked: bad input is an error,
// never a panic.
package xpress

import (
	"encoding/binary"
	"errors"
	"fmt"
	mbits "math/bits"
	"slices"
)

const (
	symbols   = 512
	tableLen  = 256 // 512 4-bit code lengths
	maxBits   = 15
	blockSize = 65536 // output bytes per Huffman table
)

// ErrCorrupt wraps every decoding failure.
var ErrCorrupt = errors.New("xpress: corrupt input")

func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
}

// Decompress decodes in, which must produce exactly size bytes.
func Decompress(in []byte, size int) ([]byte, error) {
	var d Decoder
	return d.Append(nil, in, size, size)
}

// Decoder decodes LZXPRESS Huffman; its zero value is ready, and reusing
// one keeps its code tables off the heap.
type Decoder struct {
	t table
	// key is the code-length table t was built from (valid when built):
	// a block with the same 256 bytes has the same code, so its table is
	// not built again (writers may use one table for every block).
	key   [tableLen]byte
	built bool
	rec   record
	// produced counts the bytes decoded, for tests of how much work a
	// reader does.
	produced int64
}

// Produced is the number of bytes d has decoded.
func (d *Decoder) Produced() int64 { return d.produced }

// Append decodes in, whose whole output is size bytes, appending it to dst,
// and stops once at least limit bytes (at most size) were produced: a
// caller wanting a prefix does not pay for the rest, and Resume decodes
// more of it later. Matches never reach back into dst's earlier content.
func (d *Decoder) Append(dst, in []byte, size, limit int) ([]byte, error) {
	d.rec = record{}
	if size < 0 || limit < 0 {
		d.rec.err = corrupt("negative output size")
		return dst, d.rec.err
	}
	d.rec.in, d.rec.size = in, size
	return d.run(dst, limit)
}

// Resume decodes more of the input of the last Append, as if that call had
// been given limit: dst must end with all that was decoded of it so far
// (what Append and Resume returned, or a copy), since matches reach back
// into it. An error is final: Resume returns it again.
func (d *Decoder) Resume(dst []byte, limit int) ([]byte, error) {
	if d.rec.err != nil {
		return dst, d.rec.err
	}
	if len(dst) < d.rec.done {
		return dst, errors.New("xpress: Resume without the output decoded so far")
	}
	return d.run(dst, limit)
}

// record is where the decoding of one input stands, for Resume.
type record struct {
	in   []byte
	size int
	// pos is the next Huffman table when done >= end (a new block), else
	// the bit reader's input position, with bb and nb its lookahead.
	pos  int
	bb   uint64
	nb   int
	done int // output bytes so far
	end  int // output bytes at the end of the current block
	err  error
}

func (d *Decoder) run(dst []byte, limit int) ([]byte, error) {
	r := &d.rec
	limit = min(limit, r.size)
	base := len(dst) - r.done
	if cap(dst)-base < limit {
		dst = append(make([]byte, 0, base+limit), dst...)
	}
	out := dst
	n0 := len(out)
	var err error
	for r.done < limit && err == nil {
		if r.done >= r.end {
			// A new block: its table, then 32 bits of codes.
			if r.pos+tableLen > len(r.in) {
				err = corrupt("input ends before the Huffman table at %d", r.pos)
				break
			}
			if err = d.table(r.in[r.pos : r.pos+tableLen]); err != nil {
				break
			}
			r.bb, r.pos, r.nb = refill(r.in, r.pos+tableLen, 0, 0)
			r.end = r.done + blockSize
		}
		out, r.pos, r.bb, r.nb, err = d.codes(r.in, r.pos, r.bb, r.nb, out, base, min(limit, r.end), r.size)
		r.done = len(out) - base
		if r.done >= r.end {
			// The next table is where the spec's reader stands.
			r.pos = refPos(r.pos, r.nb)
		}
	}
	r.err = err
	d.produced += int64(len(out) - n0)
	return out, err
}

// table makes d.t the code of the 256 bytes of code lengths b, reusing the
// last one when b is the same.
func (d *Decoder) table(b []byte) error {
	if k := [tableLen]byte(b); !d.built || k != d.key {
		d.built = false
		if err := buildTable(&d.t, k[:]); err != nil {
			return err
		}
		d.key, d.built = k, true
	}
	return nil
}

// fastBits is the width of the direct lookup table; longer codes are
// decoded from the canonical code ranges. A record decodes a few hundred
// symbols per table, almost all with codes of 7 to 9 bits (the samples:
// 3 % of 10 bits, none longer), so a narrow table that is cheap to fill
// costs less than a wide one that decodes a few more symbols directly.
const fastBits = 9

// Entries of table.fast: sym<<4 | length, or leave for a code longer
// than fastBits (the careful loop of codes decodes it; leave is above
// every other entry, so the fast loop tests it only for matches).
const leave = 0x8000

type table struct {
	// fast maps the next fastBits bits to an entry (above) for codes of
	// at most fastBits bits.
	fast [1 << fastBits]uint16
	// Codes of length l occupy the left-aligned 15-bit range
	// [start[l], start[l+1]); sorted lists the symbols by (length,
	// symbol) and first[l] is the index of the first of length l.
	start  [maxBits + 2]uint32
	first  [maxBits + 1]uint16
	sorted [symbols]uint16
}

func buildTable(t *table, b []byte) error {
	b = b[:tableLen]
	var count [maxBits + 1]int
	for _, c := range b {
		count[c&15]++
		count[c>>4]++
	}
	if count[0] == symbols {
		return corrupt("empty Huffman table")
	}
	code, idx := uint32(0), 0
	var next [maxBits + 1]int
	for l := 1; l <= maxBits; l++ {
		t.start[l] = code
		t.first[l] = uint16(idx)
		next[l] = idx
		idx += count[l]
		code += uint32(count[l]) << (maxBits - l)
		if code > 1<<maxBits {
			return corrupt("Huffman table over-subscribed")
		}
	}
	t.start[maxBits+1] = code
	// Sort the used symbols by (length, symbol).
	for i, c := range b {
		if c == 0 {
			continue // two unused symbols (common)
		}
		if lo := c & 15; lo != 0 {
			k := next[lo]
			next[lo] = k + 1
			t.sorted[k&(symbols-1)] = uint16(2 * i)
		}
		if hi := c >> 4; hi != 0 {
			k := next[hi]
			next[hi] = k + 1
			t.sorted[k&(symbols-1)] = uint16(2*i + 1)
		}
	}
	// Canonical codes of one length are consecutive, lengths in order:
	// codes of at most fastBits bits fill fast from 0 to start[fastBits+1]
	// without a gap, 1<<(fastBits-l) entries each; the rest is leave.
	at := 0
	for l := 1; l <= fastBits; l++ {
		syms := t.sorted[t.first[l] : int(t.first[l])+count[l]]
		switch l {
		case fastBits:
			f := t.fast[at : at+len(syms)]
			for j, sym := range syms {
				f[j] = sym<<4 | fastBits
			}
			at += len(syms)
		case fastBits - 1:
			f := t.fast[at : at+2*len(syms)]
			for j, sym := range syms {
				e := sym<<4 | (fastBits - 1)
				f[2*j], f[2*j+1] = e, e
			}
			at += 2 * len(syms)
		default:
			// Four entries a step, one bounds check for the four.
			n := 1 << (fastBits - l)
			for _, sym := range syms {
				e := sym<<4 | uint16(l)
				for end := at + n; at < end; at += 4 {
					f := (*[4]uint16)(t.fast[at:])
					f[0], f[1], f[2], f[3] = e, e, e, e
				}
			}
		}
	}
	f := t.fast[at:]
	for j := range f {
		f[j] = leave
	}
	return nil
}

// decode returns the symbol whose code starts the 15 bits v, and its length.
func (t *table) decode(v uint32) (int, int, bool) {
	if e := t.fast[v>>(maxBits-fastBits)]; e&15 != 0 {
		return int(e>>4) & (symbols - 1), int(e & 15), true
	}
	for l := fastBits + 1; l <= maxBits; l++ {
		if v < t.start[l+1] {
			if v < t.start[l] {
				return 0, 0, false
			}
			i := int(t.first[l]) + int((v-t.start[l])>>(maxBits-l))
			return int(t.sorted[i]), l, true
		}
	}
	return 0, 0, false
}

// The bit reader of block keeps up to 64 bits of lookahead in bb (left
// aligned, nb of them valid) and refills it 32 bits at a time. MS-XCA's
// reader keeps 32: its next 16-bit word is read only when fewer than 16
// unconsumed bits remain, and the bytes of a long match length are read
// from the input right after the words it has read. So the position of
// the spec's reader is derived from ours (refPos), and before a byte read
// the words read ahead are given back (rewind).

// refPos is the input position of the MS-XCA reader that has consumed what
// the 64-bit one has (pos, nb of its bits unconsumed): it holds 16 to 31
// unconsumed bits, as many modulo 16 as we do (with nb < 16, one word more
// than we have read).
func refPos(pos, nb int) int {
	return pos - 2*((nb-16)>>4)
}

// refill adds 32 bits to bb (nb < 32): two 16-bit little-endian words,
// most significant bit first; words past the end of the input are zero.
func refill(in []byte, pos int, bb uint64, nb int) (uint64, int, int) {
	var v uint32
	if pos+4 <= len(in) {
		v = mbits.RotateLeft32(binary.LittleEndian.Uint32(in[pos:]), 16)
	} else if pos+2 <= len(in) {
		// The second word is not whole: zero.
		v = uint32(binary.LittleEndian.Uint16(in[pos:])) << 16
	}
	return bb | uint64(v)<<(32-uint(nb)), pos + 4, nb + 32
}

// byteAt, u16At and u32At read the long match length bytes at pos.
func byteAt(in []byte, pos int) (int, int, error) {
	if pos >= len(in) || pos < 0 {
		return 0, pos, corrupt("input ends inside a match length")
	}
	return int(in[pos]), pos + 1, nil
}

func u16At(in []byte, pos int) (int, int, error) {
	if pos+2 > len(in) || pos < 0 {
		return 0, pos, corrupt("input ends inside a match length")
	}
	return int(binary.LittleEndian.Uint16(in[pos:])), pos + 2, nil
}

func u32At(in []byte, pos int) (int, int, error) {
	if pos+4 > len(in) || pos < 0 {
		return 0, pos, corrupt("input ends inside a match length")
	}
	v := binary.LittleEndian.Uint32(in[pos:])
	pos += 4
	if v > 1<<30 {
		return 0, pos, corrupt("match length %d", v)
	}
	return int(v), pos, nil
}

// longLength reads the length bytes of a match whose length symbol is 15
// (MS-XCA 2.2.4): the bit reader gives back its words read ahead first,
// then reads resume after the bytes.
func longLength(in []byte, pos int, bb uint64, nb int) (int, int, uint64, int, error) {
	// Give back the words beyond the spec's 16..31 bits.
	pos = refPos(pos, nb)
	nb = 16 + (nb-16)&15
	bb &= ^uint64(0) << (64 - uint(nb))
	v, pos, err := byteAt(in, pos)
	if err != nil {
		return 0, pos, bb, nb, err
	}
	if v == 255 {
		if v, pos, err = u16At(in, pos); err != nil {
			return 0, pos, bb, nb, err
		}
		if v == 0 {
			if v, pos, err = u32At(in, pos); err != nil {
				return 0, pos, bb, nb, err
			}
		}
		if v < 15 {
			return 0, pos, bb, nb, corrupt("match length %d", v)
		}
		v -= 15
	}
	return v + 15, pos, bb, nb, nil
}

// codes decodes the codes of a block from in at pos (bb and nb the bit
// reader's lookahead), appending to out until out[base:] holds end bytes
// (a match may cross end, not size, the total), and returns where the bit
// reader stands.
//
// A fast loop decodes while the input has a whole refill left and the
// output room for any match it takes: it has no length, room or error
// checks beyond those, and leaves every unusual symbol (a long code, a
// long match length, a match that is wrong or near the end) to the
// careful loop after it, before consuming it; that loop's checks and
// messages are the decoder's.
func (d *Decoder) codes(in []byte, pos int, bb uint64, nb int, out []byte, base, end, size int) ([]byte, int, uint64, int, error) {
	t := &d.t
	w := len(out)
	o := out[:cap(out)]
	stop := base + end
	for w < stop {
		if fo := min(stop, len(o)-fastRoom, base+size-fastRoom); w < fo {
			w, pos, bb, nb = fastCodes(t, in, pos, bb, nb, o[base:fo+fastRoom], w-base)
			w += base
			if w >= stop {
				break
			}
		}
		if pos > len(in)+2 { // refPos(pos, nb) <= pos+2
			if refPos(pos, nb) > len(in)+4 {
				return o[:w], pos, bb, nb, corrupt("input ends at output byte %d of %d", w-base, end)
			}
		}
		if nb < 32 {
			bb, pos, nb = refill(in, pos, bb, nb)
		}
		e := t.fast[bb>>(64-fastBits)]
		sym, n := int(e>>4)&(symbols-1), int(e&15)
		if n == 0 {
			// A code longer than fastBits, here rather than in a call
			// (a call in the loop makes the compiler keep the reader
			// state in memory).
			v := uint32(bb >> (64 - maxBits))
			n = fastBits + 1
			for n <= maxBits && v >= t.start[n+1] {
				n++
			}
			if n > maxBits || v < t.start[n] {
				return o[:w], pos, bb, nb, corrupt("invalid Huffman code")
			}
			sym = int(t.sorted[(int(t.first[n])+int((v-t.start[n])>>(maxBits-uint(n))))&(symbols-1)])
		}
		bb <<= uint(n)
		nb -= n
		if sym < 256 {
			if w >= len(o) {
				o = slices.Grow(o[:w], 1)
				o = o[:cap(o)]
			}
			o[w] = byte(sym)
			w++
			continue
		}
		sym -= 256
		length := sym & 15
		offBits := uint(sym >> 4)
		if length == 15 {
			var err error
			if length, pos, bb, nb, err = longLength(in, pos, bb, nb); err != nil {
				return o[:w], pos, bb, nb, err
			}
		}
		length += 3
		off := int(bb>>(64-offBits)) | 1<<offBits
		if offBits == 0 {
			off = 1
		}
		bb <<= offBits
		nb -= int(offBits)
		have := w - base
		if off > have {
			return o[:w], pos, bb, nb, corrupt("match offset %d before the start of the output (%d)", off, have)
		}
		if have+length > size {
			return o[:w], pos, bb, nb, corrupt("match of %d bytes runs past the output size", length)
		}
		from := w - off
		if w+length > len(o) {
			o = slices.Grow(o[:w], length)
			o = o[:cap(o)]
		}
		switch {
		case off >= length:
			copy(o[w:w+length], o[from:from+length])
		case length <= 32:
			// Short and overlapping: byte by byte, each byte may be
			// one just written.
			d, s := o[w:w+length], o[from:from+length]
			for i := range d {
				d[i] = s[i]
			}
		case off == 1 && o[from] == 0:
			clear(o[w : w+length]) // a run of zeros
		case off == 1:
			// A run of one byte: fill, in doubling copies.
			o[w] = o[from]
			for n := 1; n < length; {
				n += copy(o[w+n:w+length], o[w:w+n])
			}
		default:
			// Copy in doubling runs: o[from:w+n] repeats with period
			// off, so each copy may take everything written so far.
			for n := 0; n < length; {
				n += copy(o[w+n:w+length], o[from:w+n])
			}
		}
		w += length
	}
	return o[:w], pos, bb, nb, nil
}

// fastRoom is what fastCodes may write past the output it stops at: the
// longest match it takes (18 bytes) rounded up to whole words, and a word
// of scratch.
const fastRoom = 32

// fastCodes is the fast loop of codes: it decodes into o (whose first
// byte is the first of the record's output, and whose end is at most the
// record's) while w < len(o)-fastRoom and the input has a whole refill
// left, and returns before consuming any symbol it leaves to the careful
// loop (see codes): an invalid code, a match that reaches before the
// output or past o, a match length that runs past the input.
func fastCodes(t *table, in []byte, pos int, bb uint64, nb int, o []byte, w int) (int, int, uint64, int) {
	fo := len(o) - fastRoom
	if fo <= 0 || pos+4 > len(in) {
		// Without a whole refill left, bb may hold the zeros read past
		// the end of the input, which the careful loop checks.
		return w, pos, bb, nb
	}
	fast := &t.fast
	for w < fo {
		if nb < 32 {
			if pos+4 > len(in) {
				break
			}
			bb |= uint64(mbits.RotateLeft32(binary.LittleEndian.Uint32(in[pos:pos+4]), 16)) << ((32 - nb) & 63)
			pos += 4
			nb += 32
		}
		e := uint(fast[bb>>(64-fastBits)])
		if e < 256<<4 {
			n := e & 15
			bb <<= n
			nb -= int(n)
			o[w] = byte(e >> 4)
			w++
			// A second literal needs no refill: at least 23 bits are
			// left, and a literal's code has at most fastBits.
			if e = uint(fast[bb>>(64-fastBits)]); e < 256<<4 && w < fo {
				n := e & 15
				bb <<= n
				nb -= int(n)
				o[w] = byte(e >> 4)
				w++
			}
			continue
		}
		n := int(e & 15)
		sym := int(e >> 4)
		if e == leave {
			// A code longer than fastBits (rare).
			v := uint32(bb >> (64 - maxBits))
			n = fastBits + 1
			for n <= maxBits && v >= t.start[n+1] {
				n++
			}
			if n > maxBits || v < t.start[n] {
				break // invalid
			}
			sym = int(t.sorted[(int(t.first[n])+int((v-t.start[n])>>(maxBits-uint(n))))&(symbols-1)])
			if sym < 256 {
				bb <<= n & 63
				nb -= n
				o[w] = byte(sym)
				w++
				continue
			}
		}
		length := sym&15 + 3
		offBits := (sym >> 4) & 15
		v, nv, p := bb<<(n&63), nb-n, pos
		if length == 18 {
			// The length is in the byte stream (MS-XCA 2.2.4), read
			// where the spec's reader stands (see longLength): peeked
			// here, committed once the match is known to fit.
			p = refPos(pos, nv)
			if p >= len(in) || p < 0 {
				break
			}
			length = int(in[p])
			p++
			if length == 255 {
				if p+2 > len(in) {
					break
				}
				length = int(binary.LittleEndian.Uint16(in[p:]))
				p += 2
				if length == 0 {
					if p+4 > len(in) {
						break
					}
					l := binary.LittleEndian.Uint32(in[p:])
					if l > 1<<30 {
						break
					}
					length = int(l)
					p += 4
				}
				if length < 15 {
					break
				}
				length -= 15
			}
			length += 15 + 3
			nv = 16 + (nv-16)&15
			v &= ^uint64(0) << ((64 - nv) & 63)
		}
		off := int((v>>1)>>((63-offBits)&63)) | 1<<offBits
		if off > w || length > len(o)-w {
			break // the careful loop says what is wrong
		}
		bb, nb, pos = v<<(offBits&63), nv-offBits, p
		from := w - off
		if length > 18 {
			// A long match (runs of zeros, mostly).
			switch {
			case off >= length:
				copy(o[w:w+length], o[from:from+length])
			case off == 1 && o[from] == 0:
				clear(o[w : w+length])
			default:
				// Copy in doubling runs: o[from:w+n] repeats with
				// period off, so each copy may take all written so far.
				for n := 0; n < length; {
					n += copy(o[w+n:w+length], o[from:w+n])
				}
			}
		} else if off >= 8 {
			// Eight bytes at a time: each word read is all written
			// already; up to 7 bytes past the match are scratch
			// (fastRoom).
			s, d := o[from:from+24], o[w:w+24]
			binary.LittleEndian.PutUint64(d, binary.LittleEndian.Uint64(s))
			if length > 8 {
				binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(s[8:]))
				if length > 16 {
					binary.LittleEndian.PutUint64(d[16:], binary.LittleEndian.Uint64(s[16:]))
				}
			}
		} else if off == 1 {
			// A run of one byte (zeros, mostly): three words of it.
			v := uint64(o[from]) * 0x0101010101010101
			d := o[w : w+24]
			binary.LittleEndian.PutUint64(d, v)
			binary.LittleEndian.PutUint64(d[8:], v)
			binary.LittleEndian.PutUint64(d[16:], v)
		} else {
			// Overlapping: byte by byte, each byte may be one just
			// written.
			s, d := o[from:from+length], o[w:w+length]
			for i := range d {
				d[i] = s[i]
			}
		}
		w += length
	}
	return w, pos, bb, nb
}
