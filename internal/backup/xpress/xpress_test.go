package xpress

import (
	"bytes"
	"encoding/binary"
	"errors"
	mbits "math/bits"
	"math/rand/v2"
	"testing"
)

// encode is a test-only LZXPRESS Huffman encoder for one block (< 64 KiB of
// output): every symbol gets a 9-bit code (a complete canonical code, so
// symbol s has code s), greedy matches of 3..17 bytes (no length escape).
func encode(src []byte) []byte {
	out := bytes.Repeat([]byte{0x99}, tableLen)
	var acc uint64
	n := 0
	put := func(v uint32, width int) {
		acc = acc<<uint(width) | uint64(v)
		n += width
		for n >= 16 {
			w := uint16(acc >> uint(n-16))
			out = binary.LittleEndian.AppendUint16(out, w)
			n -= 16
		}
	}
	for i := 0; i < len(src); {
		bestLen, bestOff := 0, 0
		for off := 1; off <= min(i, 4096); off++ {
			l := 0
			for l < 17 && i+l < len(src) && src[i+l] == src[i+l-off] {
				l++
			}
			if l > bestLen {
				bestLen, bestOff = l, off
			}
		}
		if bestLen < 3 {
			put(uint32(src[i]), 9)
			i++
			continue
		}
		ob := mbits.Len(uint(bestOff)) - 1
		put(uint32(256+ob<<4+bestLen-3), 9)
		put(uint32(bestOff-1<<ob), ob)
		i += bestLen
	}
	put(0, 16-n%16)
	return append(out, 0, 0, 0, 0)
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{1, 3, 100, 1000, 5000, 60000} {
		src := make([]byte, size)
		for i := range src {
			if i > 10 && r.IntN(3) == 0 {
				src[i] = src[i-1-r.IntN(10)]
			} else {
				src[i] = byte(r.IntN(8))
			}
		}
		enc := encode(src)
		got, err := Decompress(enc, len(src))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(got, src) {
			t.Fatalf("size %d: round trip differs", size)
		}
		if size > 100 && len(enc) >= size+tableLen {
			t.Errorf("size %d: encoder test made %d bytes, matches unused?", size, len(enc))
		}
	}
}

func TestErrors(t *testing.T) {
	good := encode([]byte("abcabcabcabcabcabc xyz"))
	cases := map[string]struct {
		in   []byte
		size int
	}{
		"empty table":      {make([]byte, 300), 10},
		"over-subscribed":  {bytes.Repeat([]byte{0x11}, 300), 10},
		"short table":      {good[:100], 22},
		"truncated stream": {good[:tableLen+2], 22},
		"negative size":    {good, -1},
	}
	// A match reaching before the start: symbol 256+(3<<4) = offset 8..15 at output 0.
	bad := bytes.Repeat([]byte{0x99}, tableLen)
	bad = binary.LittleEndian.AppendUint16(bad, uint16((256+3<<4)<<7))
	bad = append(bad, 0, 0, 0, 0)
	cases["offset before start"] = struct {
		in   []byte
		size int
	}{bad, 10}
	for name, c := range cases {
		_, err := Decompress(c.in, c.size)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	if got, err := Decompress(good, 22); err != nil || string(got) != "abcabcabcabcabcabc xyz" {
		t.Errorf("good: %q %v", got, err)
	}
}

func FuzzDecompress(f *testing.F) {
	f.Add(encode([]byte("hello hello hello")), 17)
	f.Add(bytes.Repeat([]byte{0x99}, 300), 100)
	f.Fuzz(func(t *testing.T, in []byte, size int) {
		if size < 0 || size > 1<<18 {
			return
		}
		out, err := Decompress(in, size)
		if err == nil && len(out) != size {
			t.Fatalf("decoded %d bytes, want %d", len(out), size)
		}
	})
}
