package xpress

import (
	"bytes"
	"encoding/binary"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// same decodes in with the new decoder and the reference one, as a whole
// and as prefixes, and fails on any difference in output bytes, length or
// error (message included).
func same(t *testing.T, name string, in []byte, size int, d *Decoder) {
	t.Helper()
	var rd refDecoder
	for _, limit := range []int{size, 0, 1, 17, size / 3, size - 1, blockSize, blockSize + 1} {
		if limit < 0 {
			continue
		}
		for _, pre := range []string{"", "head"} {
			want, werr := rd.refAppend([]byte(pre), in, size, limit)
			got, gerr := d.Append([]byte(pre), in, size, limit)
			if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
				t.Fatalf("%s, limit %d: error %v, reference %v", name, limit, gerr, werr)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, limit %d: %d bytes, reference %d (equal prefix %v)", name, limit, len(got), len(want),
					bytes.HasPrefix(got, want[:min(len(want), len(got))]))
			}
		}
	}
}

// sameResumed decodes in in steps (Append, then Resume with growing
// limits, the output copied to a new buffer between steps) and fails
// unless each step gives what the reference gives for that limit.
func sameResumed(t *testing.T, name string, in []byte, size int, d *Decoder) {
	t.Helper()
	var rd refDecoder
	var got []byte
	var gerr error
	for i, limit := range []int{size / 5, size / 5, size/2 + 3, blockSize + 7, size} {
		if i == 0 {
			got, gerr = d.Append([]byte("x"), in, size, limit)
		} else {
			got, gerr = d.Resume(append([]byte("x"), got[1:]...), limit)
		}
		want, werr := rd.refAppend([]byte("x"), in, size, limit)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("%s, step %d, limit %d: error %v, reference %v", name, i, limit, gerr, werr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s, step %d, limit %d: %d bytes, reference %d", name, i, limit, len(got), len(want))
		}
		if gerr != nil {
			if _, err := d.Resume(got, size); err != gerr {
				t.Fatalf("%s: Resume after an error: %v, want %v", name, err, gerr)
			}
			return
		}
	}
}

// records lists the 0x21 records of a compressed backup: every offset with
// a plausible record header (false starts inside compressed data
// included: corrupt streams both decoders must reject alike).
func records(b []byte) (ins [][]byte, sizes []int) {
	for p := 0; p+28 <= len(b); p++ {
		h := b[p:]
		if h[0] != 0x21 || h[1] == 0 || binary.LittleEndian.Uint32(h[20:]) != 0 {
			continue
		}
		n := int(binary.LittleEndian.Uint16(h[2:]))
		if n == 0 || p+28+n > len(b) {
			continue
		}
		ins = append(ins, b[p+28:p+28+n])
		sizes = append(sizes, int(h[1])*512)
	}
	return ins, sizes
}

// TestDifferentialSamples: the records of every real compressed sample and
// of writer files decode exactly as the reference decoder decodes them,
// whole, as prefixes, truncated and with bytes flipped.
func TestDifferentialSamples(t *testing.T) {
	files := map[string][]byte{}
	lsn := facts.LSN{VLF: 30, Block: 10, Slot: 1}
	for i, s := range []backuptest.Set{{DataBytes: 1 << 20}, {Type: facts.TypeDifferential, DataBytes: 256 << 10, DifferentialBaseLSN: lsn},
		{Type: facts.TypeLog, DataBytes: 64 << 10}} {
		for _, bs := range []int{512, 4096} {
			files["writer"+string(rune('0'+i))+"-"+string(rune('0'+bs/512))] = backuptest.Bytes(backuptest.Spec{Compressed: true,
				EndRecords: true, BlockSize: bs, Sets: []backuptest.Set{s}})
		}
	}
	dir := filepath.Join("..", "..", "..", "..", "shared", "samples")
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !(strings.HasSuffix(p, ".bak") || strings.HasSuffix(p, ".trn")) {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil && bytes.HasPrefix(b, []byte("MSSQLBAK")) {
			files[p] = b
		}
		return nil
	})
	if len(files) < 8 {
		t.Logf("no compressed samples under %s: writer files only", dir)
	}
	r := rand.New(rand.NewPCG(7, 8))
	var d Decoder // reused, as the reader does
	n := 0
	for _, name := range slices.Sorted(maps.Keys(files)) { // one order: one seeded choice
		ins, sizes := records(files[name])
		for i, in := range ins {
			if len(ins) > 150 && r.IntN(len(ins)/150) != 0 {
				continue // a sample of the false starts of large files
			}
			same(t, name, in, sizes[i], &d)
			sameResumed(t, name, in, sizes[i], &d)
			same(t, name+" cut", in[:r.IntN(len(in)+1)], sizes[i], &d)
			sameResumed(t, name+" cut", in[:r.IntN(len(in)+1)], sizes[i], &d)
			c := bytes.Clone(in)
			for range 1 + r.IntN(3) {
				c[r.IntN(len(c))] ^= byte(1 + r.IntN(255))
			}
			same(t, name+" flipped", c, sizes[i], &d)
			n++
		}
	}
	if n < 20 {
		t.Fatalf("only %d records compared", n)
	}
	t.Logf("%d records from %d files", n, len(files))
}

// TestDifferentialRandom: encoded random data (all lengths of matches,
// offsets, several 64 KiB blocks) and random bytes decode as the reference
// decodes them.
func TestDifferentialRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var d Decoder
	for i := range 150 {
		size := 1 + r.IntN(3000)
		if i%75 == 0 {
			size = 65000 + r.IntN(3000)
		}
		src := make([]byte, size)
		for j := range src {
			if j > 40 && r.IntN(3) != 0 {
				src[j] = src[j-1-r.IntN(40)]
			} else {
				src[j] = byte(r.IntN(1 + r.IntN(256)))
			}
		}
		var in []byte
		if size <= 60000 {
			in = encode(src)
		} else {
			// Blocks of at most 64 KiB, each with its own table.
			for k := 0; k < size; k += blockSize {
				e := encode(src[k:min(size, k+blockSize)])
				in = append(in, e[:len(e)-4]...)
			}
			in = append(in, 0, 0, 0, 0)
		}
		same(t, "encoded", in, size, &d)
		sameResumed(t, "encoded", in, size, &d)
		same(t, "encoded cut", in[:r.IntN(len(in)+1)], size, &d)
		c := bytes.Clone(in)
		c[r.IntN(len(c))] ^= byte(1 + r.IntN(255))
		same(t, "encoded flipped", c, size, &d)
		sameResumed(t, "encoded flipped", c, size, &d)
		junk := make([]byte, r.IntN(2000))
		for j := range junk {
			junk[j] = byte(r.Uint32())
		}
		same(t, "random", junk, r.IntN(5000), &d)
	}
}

// FuzzDifferential: any input decodes as the reference decodes it.
func FuzzDifferential(f *testing.F) {
	f.Add(encode([]byte("hello hello hello")), 17)
	f.Add(bytes.Repeat([]byte{0x99}, 300), 100)
	f.Fuzz(func(t *testing.T, in []byte, size int) {
		if size < 0 || size > 1<<18 {
			return
		}
		var d Decoder
		same(t, "fuzz", in, size, &d)
		sameResumed(t, "fuzz", in, size, &d)
	})
}
