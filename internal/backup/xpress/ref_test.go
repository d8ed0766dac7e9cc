package xpress

// The reference decoder: the decoder as it was before the resumable one
// (p1's, commit dd8cafb), kept in test code so that the differential tests
// compare every output byte, length and error of the new decoder with it.

import (
	"encoding/binary"
	"slices"
)

// refDecoder decodes LZXPRESS Huffman; its zero value is ready, and reusing
// one keeps its code tables off the heap.
type refDecoder struct {
	t refTable
}

// refAppend decodes in, whose whole output is size bytes, appending it to dst,
// and stops once at least limit bytes (at most size) were produced: a
// caller wanting a prefix does not pay for the rest. Matches never reach
// back into dst's earlier content.
func (d *refDecoder) refAppend(dst, in []byte, size, limit int) ([]byte, error) {
	if size < 0 || limit < 0 {
		return dst, corrupt("negative output size")
	}
	limit = min(limit, size)
	base := len(dst)
	if cap(dst)-base < limit {
		dst = append(make([]byte, 0, base+limit), dst...)
	}
	out := dst
	pos := 0
	for len(out)-base < limit {
		var err error
		out, pos, err = d.block(in, pos, out, base, min(limit, len(out)-base+blockSize), size)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// refFastBits is the width of the direct lookup refTable; longer codes (rare)
// are decoded from the canonical code ranges.
const refFastBits = 10

type refTable struct {
	// fast maps the next refFastBits refBits to sym<<4 | length for codes of at
	// most refFastBits refBits; 0 sends the decoder to the slow path.
	fast [1 << refFastBits]uint16
	// For lengths l > refFastBits: codes of length l occupy the left-aligned
	// 15-bit range [start[l], start[l+1]); sorted lists symbols by (length,
	// symbol) and first[l] is the index of the first of length l.
	start  [maxBits + 2]uint32
	first  [maxBits + 1]uint16
	sorted [symbols]uint16
}

func refBuildTable(t *refTable, b []byte) error {
	var count [maxBits + 1]int
	for _, c := range b[:tableLen] {
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
	// Sort the symbols by (length, symbol) without branches: unused ones
	// (length 0) go after the used ones, where nothing looks.
	next[0] = idx
	for i, c := range b[:tableLen] {
		lo, hi := c&15, c>>4
		k := next[lo]
		next[lo] = k + 1
		t.sorted[k&(symbols-1)] = uint16(2 * i)
		k = next[hi]
		next[hi] = k + 1
		t.sorted[k&(symbols-1)] = uint16(2*i + 1)
	}
	// Canonical codes of one length are consecutive, lengths in order:
	// codes of at most refFastBits refBits fill fast from 0 to start[refFastBits+1]
	// without a gap, 1<<(refFastBits-l) entries each; the rest of fast stays
	// 0 (the slow path).
	at := 0
	for l := 1; l <= refFastBits; l++ {
		syms := t.sorted[t.first[l] : int(t.first[l])+count[l]]
		switch n := 1 << (refFastBits - l); n {
		case 1:
			f := t.fast[at : at+len(syms)]
			for j, sym := range syms {
				f[j] = sym<<4 | uint16(l)
			}
			at += len(syms)
		case 2:
			f := t.fast[at : at+2*len(syms)]
			for j, sym := range syms {
				e := sym<<4 | uint16(l)
				f[2*j], f[2*j+1] = e, e
			}
			at += 2 * len(syms)
		default:
			for _, sym := range syms {
				e := sym<<4 | uint16(l)
				f := t.fast[at : at+n]
				for j := range f {
					f[j] = e
				}
				at += n
			}
		}
	}
	clear(t.fast[at:])
	return nil
}

// decode returns the symbol whose code starts the 15 refBits v, and its length.
func (t *refTable) decode(v uint32) (int, int, bool) {
	if e := t.fast[v>>(maxBits-refFastBits)]; e != 0 {
		return int(e >> 4), int(e & 15), true
	}
	for l := refFastBits + 1; l <= maxBits; l++ {
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

// refBits is the MS-XCA bit reader: 16-bit little-endian words, most
// significant bit first, with 32 refBits of lookahead. Reads past the end of
// the input yield zero refBits, as the spec's implementations do; the caller
// checks the byte-oriented reads.
type refBits struct {
	in    []byte
	pos   int
	next  uint32
	extra int
}

func (r *refBits) word() uint32 {
	if r.pos+2 > len(r.in) {
		r.pos += 2
		return 0
	}
	v := uint32(binary.LittleEndian.Uint16(r.in[r.pos:]))
	r.pos += 2
	return v
}

func (r *refBits) init(in []byte, pos int) {
	r.in, r.pos = in, pos
	r.next = r.word() << 16
	r.next |= r.word()
	r.extra = 16
}

func (r *refBits) skip(n int) {
	r.next <<= uint(n)
	r.extra -= n
	if r.extra < 0 {
		r.next |= r.word() << uint(-r.extra)
		r.extra += 16
	}
}

func (r *refBits) byte() (int, error) {
	if r.pos >= len(r.in) {
		return 0, corrupt("input ends inside a match length")
	}
	v := int(r.in[r.pos])
	r.pos++
	return v, nil
}

func (r *refBits) u16() (int, error) {
	if r.pos+2 > len(r.in) {
		return 0, corrupt("input ends inside a match length")
	}
	v := int(binary.LittleEndian.Uint16(r.in[r.pos:]))
	r.pos += 2
	return v, nil
}

func (r *refBits) u32() (int, error) {
	if r.pos+4 > len(r.in) {
		return 0, corrupt("input ends inside a match length")
	}
	v := binary.LittleEndian.Uint32(r.in[r.pos:])
	r.pos += 4
	if v > 1<<30 {
		return 0, corrupt("match length %d", v)
	}
	return int(v), nil
}

// block decodes one Huffman block (refTable then codes) from in at pos,
// appending to out until out[base:] holds end bytes (a match may cross
// end, not size, the total).
func (d *refDecoder) block(in []byte, pos int, out []byte, base, end, size int) ([]byte, int, error) {
	if pos+tableLen > len(in) {
		return out, pos, corrupt("input ends before the Huffman table at %d", pos)
	}
	t := &d.t
	if err := refBuildTable(t, in[pos:pos+tableLen]); err != nil {
		return out, pos, err
	}
	var r refBits
	r.init(in, pos+tableLen)
	for len(out)-base < end {
		if r.pos > len(in)+4 {
			return out, r.pos, corrupt("input ends at output byte %d of %d", len(out)-base, end)
		}
		var sym, n int
		if e := t.fast[r.next>>(32-refFastBits)]; e != 0 {
			sym, n = int(e>>4), int(e&15)
		} else {
			var ok bool
			if sym, n, ok = t.decode(r.next >> (32 - maxBits)); !ok {
				return out, r.pos, corrupt("invalid Huffman code")
			}
		}
		r.skip(n)
		if sym < 256 {
			out = append(out, byte(sym))
			continue
		}
		sym -= 256
		length := sym & 15
		offBits := sym >> 4
		if length == 15 {
			v, err := r.byte()
			if err != nil {
				return out, r.pos, err
			}
			if v == 255 {
				if v, err = r.u16(); err != nil {
					return out, r.pos, err
				}
				if v == 0 {
					if v, err = r.u32(); err != nil {
						return out, r.pos, err
					}
				}
				if v < 15 {
					return out, r.pos, corrupt("match length %d", v)
				}
				v -= 15
			}
			length = v + 15
		}
		length += 3
		off := int(r.next>>(32-uint(offBits))) | 1<<offBits
		if offBits == 0 {
			off = 1
		}
		r.skip(offBits)
		have := len(out) - base
		if off > have {
			return out, r.pos, corrupt("match offset %d before the start of the output (%d)", off, have)
		}
		if have+length > size {
			return out, r.pos, corrupt("match of %d bytes runs past the output size", length)
		}
		p := len(out)
		from := p - off
		if p+length > cap(out) {
			out = slices.Grow(out, length)
		}
		out = out[:p+length]
		switch {
		case off >= length:
			copy(out[p:], out[from:from+length])
		case length <= 32:
			// Short and overlapping: byte by byte, each byte may be
			// one just written.
			d, s := out[p:p+length], out[from:from+length]
			for i := range d {
				d[i] = s[i]
			}
		default:
			// Copy in doubling runs: out[from:p+n] repeats with period
			// off, so each copy may take everything written so far.
			for n := 0; n < length; {
				n += copy(out[p+n:], out[from:p+n])
			}
		}
	}
	return out, r.pos, nil
}
