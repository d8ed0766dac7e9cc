package backup

import (
	"errors"
	"io"
	"sync"

	"github.com/dmsready/dmsready/internal/backup/xpress"
)

// maxRead caps one read: no header structure is anywhere near this large, so
// a length field asking for more is corrupt, not a reason to allocate.
const maxRead = 16 << 20

// maxWin caps the growing miss window.
const maxWin = 256 << 10

// source serves byte ranges of the (logical) MTF stream from a few cached
// segments, reading from the underlying ReaderAt only on a miss. A miss reads
// at least win bytes so that walking consecutive blocks costs one read; win
// doubles with every miss.
type source struct {
	r    io.ReaderAt
	size int64
	win  int64
	base int64 // the window after a data skip
	bs   int64 // the media's block size
	// budget is the reads a walk through appended sets may make (0: no
	// limit).
	budget int
	segs   []segment
	// hot is the segment of the last look-up: the next is most often in
	// it (see near).
	hot   segment
	reads int
	bytes int64
	// pooled are buffers from bufPool that release returns.
	pooled []*[]byte
	// spare are buffers of bufClass kept by the state between reads,
	// taken before bufPool's and refilled by release (cap: how many).
	spare []*[]byte
	// txt decodes the strings of the headers read through s.
	txt *texts
}

// state is what one Read works with, reused across Reads (an estate reads
// headers by the thousand): the source with room for its segments and
// buffers, the strings decoder, the tail index, the xpress decoder and the
// TAPE block.
type state struct {
	src    source
	segs   [6]segment
	pooled [6]*[]byte
	spare  [2]*[]byte
	nspare int
	txt    texts
	tail   tailIndex
	dec    xpress.Decoder
	tape   tapeHead
}

var states = sync.Pool{New: func() any { return &state{txt: newTexts()} }}

func getState() *state { return states.Get().(*state) }

// source returns the state's source, reset to read r.
func (st *state) source(r io.ReaderAt, size int64, budget int) *source {
	st.src = source{r: r, size: size, win: missSize, budget: budget, segs: st.segs[:0], pooled: st.pooled[:0],
		spare: st.spare[:st.nspare], txt: &st.txt}
	return &st.src
}

// put releases the source's buffers and returns the state to the pool.
func (st *state) put() {
	st.src.release()
	st.nspare = len(st.src.spare)
	st.txt.arena = nil // its strings belong to the media read
	st.src = source{}
	st.tape = tapeHead{ts: tapeStreams{more: st.tape.ts.more[:0]}}
	clear(st.segs[:])
	clear(st.pooled[:])
	states.Put(st)
}

// bufClass is the size of pooled buffers: a head or tail read, a decoded
// record, fits. Reading headers by the thousand (an estate) then costs
// little garbage.
const bufClass = 64 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, bufClass); return &b }}

// buf returns n bytes of scratch memory, pooled when small enough; its
// content is undefined.
func (s *source) buf(n int64) []byte {
	if n > bufClass {
		return make([]byte, n)
	}
	var p *[]byte
	if k := len(s.spare) - 1; k >= 0 {
		p, s.spare[k] = s.spare[k], nil
		s.spare = s.spare[:k]
	} else {
		p = bufPool.Get().(*[]byte)
	}
	s.pooled = append(s.pooled, p)
	return (*p)[:n]
}

// release returns the pooled buffers: nothing read through s may be used
// after it (the facts decoded hold copies). Only the state's put calls it.
func (s *source) release() {
	for _, p := range s.pooled {
		if len(s.spare) < cap(s.spare) {
			s.spare = append(s.spare, p)
		} else {
			bufPool.Put(p)
		}
	}
	// The state's put clears the arrays behind pooled and segs.
	s.pooled, s.segs, s.hot = s.pooled[:0], s.segs[:0], segment{}
}

type segment struct {
	off int64
	b   []byte
}

func (s *source) at(off, n int64) ([]byte, error) {
	b, err := s.span(off, n)
	if err != nil {
		return nil, err
	}
	return b[:n], nil
}

// span is at(off, n) with the rest of the segment that holds it: at
// least n bytes, the first n those at returns. Reading a block's header
// and then its type-specific part costs one look-up.
func (s *source) span(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || n > maxRead {
		return nil, errf(KindCorrupt, off, "implausible length %d", n)
	}
	if off > s.size || n > s.size-off {
		return nil, errf(KindTruncated, s.size, "need %d bytes at offset %d, the file ends at %d", n, off, s.size)
	}
	for i := range s.segs {
		g := &s.segs[i]
		if d := off - g.off; d >= 0 && d+n <= int64(len(g.b)) {
			s.hot = *g
			return g.b[d:], nil
		}
	}
	end := off + max(n, s.win)
	if end > s.size {
		end = s.size
	}
	if err := s.fetch(off, end); err != nil {
		return nil, err
	}
	// Misses mean large blocks or a long walk: read more each time, so
	// that the number of reads (the latency on a blob) stays small.
	s.win = min(2*s.win, max(maxWin, s.base))
	s.hot = s.segs[len(s.segs)-1]
	return s.hot.b, nil
}

// near is at(off, n) when the segment of the last look-up holds those
// bytes, else nil; small enough to be inlined where headers are read.
// A segment holds only bytes of the file, so no range check is needed.
func (s *source) near(off, n int64) []byte {
	d := off - s.hot.off
	if d < 0 || n < 0 || d > int64(len(s.hot.b))-n {
		return nil
	}
	return s.hot.b[d : d+n]
}

// fetch reads [off, end) into a new segment.
func (s *source) fetch(off, end int64) error {
	b := s.buf(end - off)
	n, err := s.r.ReadAt(b, off)
	s.reads++
	s.bytes += int64(n)
	if n < len(b) {
		if err == nil || errors.Is(err, io.EOF) {
			return errf(KindTruncated, off+int64(n), "the file ends before its listed size %d", s.size)
		}
		return errf(KindUnreadable, off+int64(n), "%v", err)
	}
	s.segs = append(s.segs, segment{off, b})
	return nil
}

// segment returns a cached segment holding [off, end), reading it if none
// does.
func (s *source) segment(off, end int64) (segment, error) {
	for _, g := range s.segs {
		if off >= g.off && end <= g.off+int64(len(g.b)) {
			return segment{off, g.b[off-g.off : end-g.off]}, nil
		}
	}
	if err := s.fetch(off, end); err != nil {
		return segment{}, err
	}
	return s.segs[len(s.segs)-1], nil
}
