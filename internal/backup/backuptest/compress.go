package backuptest

import (
	"encoding/binary"
	"math/bits"
)

// compress turns an uncompressed MTF stream (512-byte blocks) into the
// compressed backup layout SQL Server 2014+ writes, as far as the reader
// knows it: "MSSQLBAK" file header, then 0x21 records of LZXPRESS Huffman
// holding up to 32 KiB of blocks each, soft filemarks stored raw at 512-byte
// boundaries, 0x24 padding records before them.
func compress(mtf []byte) []byte {
	out := make([]byte, 0x1E0)
	copy(out, "MSSQLBAK")
	binary.LittleEndian.PutUint32(out[8:], 2)
	binary.LittleEndian.PutUint32(out[12:], 3)
	const chunk = 32 << 10
	run := 0 // start of the pending run of non-SFMB blocks
	flush := func(end int) {
		for run < end {
			n := min(chunk, end-run)
			enc := huffman(mtf[run : run+n])
			h := make([]byte, 28)
			h[0], h[1] = 0x21, byte(n/512)
			binary.LittleEndian.PutUint16(h[2:], uint16(len(enc)))
			out = append(append(out, h...), enc...)
			run += n
		}
	}
	for off := 0; off < len(mtf); off += 512 {
		if string(mtf[off:off+4]) != "SFMB" {
			continue
		}
		flush(off)
		gap := (512 - len(out)%512) % 512
		if gap != 0 {
			if gap < 24 {
				gap += 512
			}
			p := make([]byte, gap)
			p[0] = 0x24
			binary.LittleEndian.PutUint16(p[2:], uint16(gap-24))
			out = append(out, p...)
		}
		out = append(out, mtf[off:off+512]...)
		run = off + 512
	}
	flush(len(mtf))
	return out
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
