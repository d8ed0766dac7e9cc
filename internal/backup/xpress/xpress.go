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
	if size < 0 {
		return nil, corrupt("negative output size")
	}
	out := make([]byte, 0, size)
	pos := 0
	for len(out) < size {
		var err error
		out, pos, err = block(in, pos, out, min(size, len(out)+blockSize), size)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

type table struct {
	lens [symbols]uint8
	// dec maps the next 15 bits to a symbol; -1 marks codes no symbol has.
	dec [1 << maxBits]int16
}

func buildTable(t *table, b []byte) error {
	for i := range tableLen {
		t.lens[2*i] = b[i] & 15
		t.lens[2*i+1] = b[i] >> 4
	}
	for i := range t.dec {
		t.dec[i] = -1
	}
	code := 0
	found := false
	for l := 1; l <= maxBits; l++ {
		for s := range symbols {
			if int(t.lens[s]) != l {
				continue
			}
			found = true
			n := 1 << (maxBits - l)
			if code+n > len(t.dec) {
				return corrupt("Huffman table over-subscribed")
			}
			for i := code; i < code+n; i++ {
				t.dec[i] = int16(s)
			}
			code += n
		}
	}
	if !found {
		return corrupt("empty Huffman table")
	}
	return nil
}

// bits is the MS-XCA bit reader: 16-bit little-endian words, most
// significant bit first, with 32 bits of lookahead. Reads past the end of
// the input yield zero bits, as the spec's implementations do; the caller
// checks the byte-oriented reads.
type bits struct {
	in    []byte
	pos   int
	next  uint32
	extra int
}

func (r *bits) word() uint32 {
	if r.pos+2 > len(r.in) {
		r.pos += 2
		return 0
	}
	v := uint32(binary.LittleEndian.Uint16(r.in[r.pos:]))
	r.pos += 2
	return v
}

func (r *bits) init(in []byte, pos int) {
	r.in, r.pos = in, pos
	r.next = r.word() << 16
	r.next |= r.word()
	r.extra = 16
}

func (r *bits) skip(n int) {
	r.next <<= uint(n)
	r.extra -= n
	if r.extra < 0 {
		r.next |= r.word() << uint(-r.extra)
		r.extra += 16
	}
}

func (r *bits) byte() (int, error) {
	if r.pos >= len(r.in) {
		return 0, corrupt("input ends inside a match length")
	}
	v := int(r.in[r.pos])
	r.pos++
	return v, nil
}

func (r *bits) u16() (int, error) {
	if r.pos+2 > len(r.in) {
		return 0, corrupt("input ends inside a match length")
	}
	v := int(binary.LittleEndian.Uint16(r.in[r.pos:]))
	r.pos += 2
	return v, nil
}

func (r *bits) u32() (int, error) {
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

// block decodes one Huffman block (table then codes) from in at pos,
// appending to out until it holds end bytes (a match may cross end, not
// size, the total).
func block(in []byte, pos int, out []byte, end, size int) ([]byte, int, error) {
	if pos+tableLen > len(in) {
		return out, pos, corrupt("input ends before the Huffman table at %d", pos)
	}
	t := new(table)
	if err := buildTable(t, in[pos:pos+tableLen]); err != nil {
		return out, pos, err
	}
	var r bits
	r.init(in, pos+tableLen)
	for len(out) < end {
		if r.pos > len(in)+4 {
			return out, r.pos, corrupt("input ends at output byte %d of %d", len(out), end)
		}
		sym := t.dec[r.next>>(32-maxBits)]
		if sym < 0 {
			return out, r.pos, corrupt("invalid Huffman code")
		}
		r.skip(int(t.lens[sym]))
		if sym < 256 {
			out = append(out, byte(sym))
			continue
		}
		sym -= 256
		length := int(sym & 15)
		offBits := int(sym >> 4)
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
		if off > len(out) {
			return out, r.pos, corrupt("match offset %d before the start of the output (%d)", off, len(out))
		}
		if len(out)+length > size {
			return out, r.pos, corrupt("match of %d bytes runs past the output size", length)
		}
		from := len(out) - off
		for i := range length {
			out = append(out, out[from+i])
		}
	}
	return out, r.pos, nil
}
