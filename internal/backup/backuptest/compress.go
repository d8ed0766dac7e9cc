package backuptest

import (
	"encoding/binary"
	"math/bits"
)

// compress turns an uncompressed MTF stream (bs-byte blocks) into the
// compressed backup layout SQL Server 2014+ writes, as far as the reader
// knows it: "MSSQLBAK" file header, then 0x21 records of LZXPRESS Huffman
// holding up to 32 KiB of blocks each, soft filemarks stored raw (one
// block, at a block boundary of the file), 0x24 padding records before
// them. With ends, each write buffer but the first ends in a 0x2C record
// that crosses a 512-byte boundary, followed by zeros to the filemark.
func compress(mtf []byte, bs int, ends bool) []byte {
	out := make([]byte, 0x1E0)
	copy(out, "MSSQLBAK")
	binary.LittleEndian.PutUint32(out[8:], 2)
	binary.LittleEndian.PutUint32(out[12:], 3)
	const chunk = 32 << 10
	run := 0 // start of the pending run of non-SFMB blocks
	records := 0
	flush := func(end int) {
		for run < end {
			n := min(chunk, end-run)
			enc := huffman(mtf[run : run+n])
			h := make([]byte, 28)
			h[0], h[1] = 0x21, byte(n/512)
			binary.LittleEndian.PutUint16(h[2:], uint16(len(enc)))
			out = append(append(out, h...), enc...)
			run += n
			records++
		}
	}
	marks := 0
	for off := 0; off < len(mtf); off += bs {
		if string(mtf[off:off+4]) != "SFMB" {
			continue
		}
		flush(off)
		if marks++; ends && marks > 1 {
			out = endRecord(out, records)
		}
		if gap := (bs - len(out)%bs) % bs; gap != 0 && !(ends && marks > 1) {
			if gap < 24 {
				gap += bs
			}
			p := make([]byte, gap)
			p[0] = 0x24
			binary.LittleEndian.PutUint16(p[2:], uint16(gap-24))
			out = append(out, p...)
		}
		out = append(out, make([]byte, (bs-len(out)%bs)%bs)...)
		out = append(out, mtf[off:off+bs]...)
		run = off + bs
	}
	flush(len(mtf))
	return out
}

// endRecord appends a 0x2C end-of-buffer record: a 0x28-byte header whose
// u32 at +0x1C counts the 16-byte entries that follow. The count is the
// smallest from 3 up that makes the record cross a 512-byte boundary; the
// entries hold 0x21 bytes and "SFMB", so a reader that resumes at the
// boundary inside the record misreads it.
func endRecord(out []byte, records int) []byte {
	p := len(out)
	k := 3
	for p/512 == (p+0x28+16*k-1)/512 {
		k++
	}
	h := make([]byte, 0x28+16*k)
	h[0] = 0x2C
	binary.LittleEndian.PutUint32(h[0x18:], 0x00010001)
	binary.LittleEndian.PutUint32(h[0x1C:], uint32(k))
	binary.LittleEndian.PutUint32(h[0x20:], uint32(records))
	for i := 0x28; i+16 <= len(h); i += 16 {
		copy(h[i:], "\x21\x40\x00\x01SFMB\x21\x21\x00\x00\x00\x00\x00\x00")
	}
	return append(out, h...)
}

// huffman encodes one LZXPRESS Huffman block (at most 64 KiB of input, so
// one code table): every symbol gets a 9-bit code (a complete canonical code
// in which symbol s has code s), with greedy matches of 3..17 bytes found
// through a hash of the next three bytes, so no length escape is needed.
func huffman(src []byte) []byte {
	out := make([]byte, 256, 256+len(src)*9/8+8)
	for i := range 256 {
		out[i] = 0x99
	}
	var acc uint64
	n := 0
	put := func(v uint32, width int) {
		acc = acc<<uint(width) | uint64(v)
		n += width
		for n >= 16 {
			out = binary.LittleEndian.AppendUint16(out, uint16(acc>>uint(n-16)))
			n -= 16
		}
	}
	last := make(map[uint32]int)
	key := func(i int) uint32 { return uint32(src[i]) | uint32(src[i+1])<<8 | uint32(src[i+2])<<16 }
	for i := 0; i < len(src); {
		l, off := 0, 0
		if i+3 <= len(src) {
			// Runs (zeros, repeated filler) match at offset 1; otherwise the
			// last position with the same three bytes.
			for _, cand := range []int{i - 1, last[key(i)] - 1} {
				if cand < 0 || cand >= i || i-cand > 65535 {
					continue
				}
				m := 0
				for m < 17 && i+m < len(src) && src[i+m] == src[cand+m] {
					m++
				}
				if m > l {
					l, off = m, i-cand
				}
			}
			last[key(i)] = i + 1
		}
		if l < 3 {
			put(uint32(src[i]), 9)
			i++
			continue
		}
		ob := bits.Len(uint(off)) - 1
		put(uint32(256+ob<<4+l-3), 9)
		put(uint32(off-1<<ob), ob)
		for j := i + 1; j < i+l && j+3 <= len(src); j++ {
			last[key(j)] = j + 1
		}
		i += l
	}
	put(0, (16-n%16)%16)
	return append(out, 0, 0, 0, 0)
}
