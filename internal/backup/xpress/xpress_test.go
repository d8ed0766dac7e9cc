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

// TestLongCodes decodes literals coded with every length from 1 to 15 bits
// (the table's slow path beyond fastBits), with a canonical code assigned
// in (length, symbol) order as MS-XCA does.
func TestLongCodes(t *testing.T) {
	var lens [symbols]int
	for s := range 15 {
		lens[s] = s + 1
	}
	lens[15] = 15
	// 0x41 'A' gets a short code too: swap it with symbol 3.
	lens[0x41], lens[3] = lens[3], 0
	codes := map[int]uint32{}
	code := uint32(0)
	for l := 1; l <= 15; l++ {
		for s := range symbols {
			if lens[s] == l {
				codes[s] = code >> (15 - l)
				code += 1 << (15 - l)
			}
		}
	}
	out := make([]byte, tableLen)
	for i := range tableLen {
		out[i] = byte(lens[2*i]) | byte(lens[2*i+1])<<4
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
	r := rand.New(rand.NewPCG(3, 4))
	var want []byte
	for range 3000 {
		s := []int{0, 1, 2, 0x41, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}[r.IntN(16)]
		put(codes[s], lens[s])
		want = append(want, byte(s))
	}
	put(0, 16-n%16)
	out = append(out, 0, 0, 0, 0)
	got, err := Decompress(out, len(want))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("err %v, equal %v", err, bytes.Equal(got, want))
	}
	// A prefix costs only what it needs and matches the whole.
	var d Decoder
	pre, err := d.Append([]byte("xy"), out, len(want), 100)
	if err != nil || len(pre) < 102 || !bytes.Equal(pre[2:102], want[:100]) || string(pre[:2]) != "xy" {
		t.Fatalf("prefix: err %v len %d", err, len(pre))
	}
}

// TestAppendPrefix: a prefix decode holds at least limit bytes, equal to
// the whole decode's, appended after dst's content (which matches never
// reach into).
func TestAppendPrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	src := make([]byte, 20000)
	for i := range src {
		if i > 10 && r.IntN(4) != 0 {
			src[i] = src[i-1-r.IntN(8)]
		} else {
			src[i] = byte(r.IntN(256))
		}
	}
	in := encode(src)
	var d Decoder
	for _, limit := range []int{0, 1, 2, 100, 4095, 4096, 19999, 20000, 50000} {
		dst := []byte("prefix")
		out, err := d.Append(dst, in, len(src), limit)
		if err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
		got := out[len(dst):]
		if string(out[:len(dst)]) != "prefix" || len(got) < min(limit, len(src)) || len(got) > len(src) || !bytes.Equal(got, src[:len(got)]) {
			t.Errorf("limit %d: %d bytes, equal %v", limit, len(got), bytes.Equal(got, src[:min(len(got), len(src))]))
		}
	}
}

// TestTableMatchesCanonical: for random code-length tables (complete,
// incomplete, with long codes), decode maps every 15-bit input to the
// symbol and length of the canonical code a plain construction gives, or
// to none where no code starts.
func TestTableMatchesCanonical(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	var tb table
	for n := range 300 {
		// Random lengths kept within the Kraft bound (sum of 2^-l <= 1,
		// in units of 2^-15): some complete, some not.
		var lens [symbols]int
		m := 2 + r.IntN(symbols-1)
		kraft := 0
		for s := range m {
			lens[s] = maxBits
			kraft += 1
		}
		for range 4000 {
			s := r.IntN(m)
			l := lens[s]
			if r.IntN(4) == 0 && l < maxBits {
				lens[s]++
				kraft -= 1 << (maxBits - l - 1)
			} else if l > 1 && kraft+1<<(maxBits-l) <= 1<<maxBits {
				lens[s]--
				kraft += 1 << (maxBits - l)
			}
		}
		r.Shuffle(symbols, func(i, j int) { lens[i], lens[j] = lens[j], lens[i] })
		b := make([]byte, tableLen)
		for i := range b {
			b[i] = byte(lens[2*i] | lens[2*i+1]<<4)
		}
		_ = n
		// One table reused, as a Decoder does: nothing of the last
		// one may remain.
		if err := buildTable(&tb, b); err != nil {
			t.Fatalf("table %d: %v", n, err)
		}
		checked++
		// Reference: codes in (length, symbol) order, each filling its
		// range of the 15-bit space.
		type ent struct{ sym, l int }
		ref := make([]ent, 1<<maxBits)
		code := 0
		for l := 1; l <= maxBits; l++ {
			for s := range symbols {
				if int(b[s/2]>>(4*(s%2))&15) == l {
					for v := code; v < code+1<<(maxBits-l); v++ {
						ref[v] = ent{s, l}
					}
					code += 1 << (maxBits - l)
				}
			}
		}
		for v := range ref {
			sym, l, ok := tb.decode(uint32(v))
			want := ref[v]
			if ok != (want.l != 0) || ok && (sym != want.sym || l != want.l) {
				t.Fatalf("table %d, input %#x: got %d/%d/%v, want %d/%d", n, v, sym, l, ok, want.sym, want.l)
			}
		}
	}
	if checked < 300 {
		t.Fatalf("%d tables checked", checked)
	}
}
