package backup

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/xpress"
)

// Compressed backups (SQL Server 2014 format, *empirical*): the file starts
// with "MSSQLBAK" and a file header, then records. A 0x21 record is a
// 28-byte header (byte 1: decoded length in 512-byte units; u16 at +2: the
// compressed length L; u32 at +20: zero) and L bytes of LZXPRESS Huffman.
// A 0x24 record is padding: a 24-byte header, u16 length at +2, then that
// many bytes. A 0x2C record ends a write buffer: a 0x28-byte header whose
// u32 at +0x1C counts the 16-byte entries that follow; it may cross a
// 512-byte boundary, and the next record starts at the first 512-byte
// boundary after its end where a soft filemark or a 0x21 record begins.
// Soft filemarks (SFMB) are stored raw, one physical block (512 or 4096
// bytes), at block boundaries. Concatenating the decoded records and raw
// blocks gives the uncompressed MTF stream.
const (
	recCompressed = 0x21
	recPad        = 0x24
	recEnd        = 0x2C
	recHeader     = 28
	padHeader     = 24
	endHeader     = 0x28
	firstRecord   = 0x1E0
	// maxEndEntries bounds a 0x2C record (the samples have 2 or 3 entries).
	maxEndEntries = 4096
	// compTail is the compressed tail read for the final header copy.
	compTail = 64 << 10
	// maxTailDecode bounds the stream decoded backwards from the end.
	maxTailDecode = 1 << 20
)

type recordReader interface {
	at(off, n int64) ([]byte, error)
}

// sliceSource adapts a buffer at a file offset to at().
type sliceSource struct {
	off int64
	b   []byte
}

func (s sliceSource) at(off, n int64) ([]byte, error) {
	if off < s.off || n < 0 || off-s.off+n > int64(len(s.b)) {
		return nil, errf(KindTruncated, s.off+int64(len(s.b)), "compressed record runs past the data read")
	}
	return s.b[off-s.off : off-s.off+n], nil
}

// kinds of steps in the record chain
const (
	stepRaw  = 'S' // a soft filemark stored raw
	stepSkip = 0   // padding or end-of-buffer
)

func validRec(h []byte) bool {
	return len(h) >= recHeader && h[0] == recCompressed && h[1] != 0 && le.Uint16(h[2:]) != 0 && le.Uint32(h[20:]) == 0
}

func isSFMBAt(r recordReader, p int64) bool {
	if p%512 != 0 {
		return false
	}
	h, err := r.at(p, dblkHeader)
	return err == nil && string(h[:4]) == "SFMB" && validDBLK(h)
}

// step reads the record at p (end is the end of the file) and returns its
// kind (recCompressed, stepRaw or stepSkip) and where the next one starts.
func step(r recordReader, p, end, bs int64) (byte, int64, error) {
	if isSFMBAt(r, p) {
		if p+bs > end {
			return 0, p, errf(KindTruncated, end, "the soft filemark at %d runs past the end of the file", p)
		}
		return stepRaw, p + bs, nil
	}
	k, err := r.at(p, 1)
	if err != nil {
		return 0, p, err
	}
	switch k[0] {
	case recPad:
		h, err := r.at(p, 4)
		if err != nil {
			return 0, p, err
		}
		return stepSkip, p + padHeader + int64(le.Uint16(h[2:])), nil
	case recEnd:
		h, err := r.at(p, endHeader)
		if err != nil {
			return 0, p, err
		}
		n := le.Uint32(h[0x1C:])
		if n > maxEndEntries {
			return 0, p, errf(KindCorrupt, p, "end-of-buffer record with %d entries", n)
		}
		e := p + endHeader + 16*int64(n)
		if e > end {
			return 0, p, errf(KindTruncated, end, "the end-of-buffer record at %d runs past the end of the file", p)
		}
		// The next record starts at a 512-byte boundary after e; zeros
		// may fill the gap.
		for q := (e + 511) &^ 511; q <= e+maxBlock; q += 512 {
			if q >= end {
				return stepSkip, end, nil
			}
			if isSFMBAt(r, q) {
				return stepSkip, q, nil
			}
			if h, err := r.at(q, recHeader); err == nil && validRec(h) {
				return stepSkip, q, nil
			}
		}
		return 0, p, errf(KindCorrupt, p, "no record follows the end-of-buffer record")
	case recCompressed:
		h, err := r.at(p, recHeader)
		if err != nil {
			return 0, p, err
		}
		if !validRec(h) {
			return 0, p, errf(KindCorrupt, p, "bad compressed record header")
		}
		return recCompressed, p + recHeader + int64(le.Uint16(h[2:])), nil
	}
	return 0, p, errf(KindCorrupt, p, "unknown compressed record type %#x", k[0])
}

// decodeRecords decodes records from p, appending the MTF stream to out,
// until out holds want bytes, the records reach end, or (once) a
// compressed record was decoded; the last record is decoded only as far
// as needed. It returns out, the position reached, and where a caller
// wanting more resumes: out[:n] holds the records before q, all of each
// (q, n as given while no record is decoded whole), and a record at q
// before the position reached was decoded in part, by d.
func decodeRecords(r recordReader, d *xpress.Decoder, p, end, bs int64, out []byte, want int, q int64, n int, once bool) (_ []byte, reached, _ int64, _ int, _ error) {
	for p < end && len(out) < want {
		kind, next, err := step(r, p, end, bs)
		if err != nil {
			return out, p, q, n, err
		}
		start := len(out)
		var all bool
		if out, all, err = decodeRecord(r, d, p, next, kind, out, want-len(out)); err != nil {
			return out, p, q, n, err
		}
		if all {
			q, n = next, len(out)
		} else {
			q, n = p, start
		}
		p = next
		if once && kind == recCompressed {
			break
		}
	}
	return out, p, q, n, nil
}

// resumeRecord decodes more of the compressed record at q (next is the one
// after it), whose first part d decoded last and out ends with (out[:n] is
// before it), until out holds want bytes or the record is whole. It
// returns out and q, n as decodeRecords does.
func resumeRecord(r recordReader, d *xpress.Decoder, q, next int64, out []byte, n, want int) ([]byte, int64, int, error) {
	h, err := r.at(q, recHeader)
	if err != nil {
		return out, q, n, err
	}
	if out, err = d.Resume(out, want-n); err != nil {
		return out, q, n, errf(KindCorrupt, q, "compressed record: %v", err)
	}
	if len(out)-n == int(h[1])*512 {
		return out, next, len(out), nil
	}
	return out, q, n, nil
}

// decodeRecord appends what the record at p (next is the one after it)
// holds of the MTF stream: at least limit bytes of it, if it has them;
// whole reports that all of the record was decoded.
func decodeRecord(r recordReader, d *xpress.Decoder, p, next int64, kind byte, out []byte, limit int) (_ []byte, whole bool, _ error) {
	switch kind {
	case stepRaw:
		b, err := r.at(p, next-p)
		if err != nil {
			return out, false, err
		}
		return append(out, b...), true, nil
	case recCompressed:
		h, err := r.at(p, next-p)
		if err != nil {
			return out, false, err
		}
		ulen := int(h[1]) * 512
		n := len(out)
		out, err = d.Append(out, h[recHeader:], ulen, limit)
		if err != nil {
			return out, false, errf(KindCorrupt, p, "compressed record: %v", err)
		}
		return out, len(out)-n == ulen, nil
	}
	return out, true, nil
}

// chainToEnd returns the record starts of a chain that begins in g at or
// after from and ends exactly at the end of g (the end of the file), or
// where only zeros (padding) follow. A complete file's last records do; a
// file cut short ends inside a record. Each start is followed once, so a
// crafted tail costs linear time.
func chainToEnd(g segment, from, bs int64, sc *scratch) []int64 {
	end := g.off + int64(len(g.b))
	from = max(from, g.off)
	// The trailing run of zeros starts at pad: a word at a time, then
	// byte by byte.
	i, lo := len(g.b), int(from-g.off)
	for i-8 >= lo && le.Uint64(g.b[i-8:]) == 0 {
		i -= 8
	}
	for i > lo && g.b[i-1] == 0 {
		i--
	}
	pad := g.off + int64(i)
	r := &sc.src
	return followChains(g, from, sc, func(c int64, dead deadMarks, path []int64) ([]int64, bool) {
		p := c
		for p < pad && !dead.has(p) {
			_, next, err := step(r, p, end, bs)
			if err != nil || next <= p {
				break
			}
			path = append(path, p)
			p = next
		}
		return path, p >= pad && p <= end
	})
}

// followChains tries every place in g at or after from where a record or
// filemark may start, in order, and follows each with walk, which appends
// the starts it steps through to path and says whether that chain is the
// one sought (followChains returns it). The starts of a chain that is not
// are marked dead and never followed again, so a crafted tail costs
// linear time. sc.src reads g while walk runs.
func followChains(g segment, from int64, sc *scratch, walk func(c int64, dead deadMarks, path []int64) ([]int64, bool)) []int64 {
	end := g.off + int64(len(g.b))
	sc.src = sliceSource(g)
	nd := int((end - from + 63) / 64)
	if cap(sc.dead) < nd {
		sc.dead = make([]uint64, nd)
	}
	dead := deadMarks{sc.dead[:nd], from}
	clear(dead.bits)
	path := sc.path[:0]
	defer func() { sc.path = path[:0] }()
	for next := from; next < end; {
		c := nextStart(g, next)
		if c >= end {
			break
		}
		next = c + 1
		if dead.has(c) || !canStart(g, c, end) {
			continue
		}
		var ok bool
		if path, ok = walk(c, dead, path[:0]); ok {
			return path
		}
		for _, q := range path {
			dead.bits[(q-from)/64] |= 1 << ((q - from) % 64)
		}
	}
	return nil
}

// deadMarks marks starts from on known not to lead where a chain is
// sought, one bit each.
type deadMarks struct {
	bits []uint64
	from int64
}

func (d deadMarks) has(p int64) bool {
	return d.bits[(p-d.from)/64]&(1<<((p-d.from)%64)) != 0
}

// nextStart is the first offset at or after c in g where a record or a
// raw soft filemark may start: a 0x21 byte, or an 'S' at a 512-byte
// boundary (the end of g when there is none).
func nextStart(g segment, c int64) int64 {
	end := g.off + int64(len(g.b))
	n := end
	if i := bytes.IndexByte(g.b[c-g.off:], recCompressed); i >= 0 {
		n = c + int64(i)
	}
	for sb := (c + 511) &^ 511; sb < n; sb += 512 {
		if g.b[sb-g.off] == 'S' {
			return sb
		}
	}
	return n
}

// canStart reports whether step can succeed at c: a whole compressed
// record header or a soft filemark is there. It saves making an error for
// each of the many false starts in compressed data.
func canStart(g segment, c, end int64) bool {
	b := g.b[c-g.off:]
	if c%512 == 0 && len(b) >= dblkHeader && string(b[:4]) == "SFMB" && validDBLK(b) {
		return true
	}
	return b[0] == recCompressed && c+recHeader <= end && validRec(b)
}

// compressedHead decodes the media header and the first set's provisional
// header from the decoded head of the stream.
func compressedHead(head []byte, t *texts, seg *[1]segment) (*facts.BackupMedia, setHead, error) {
	hs := memSource(head, t, seg)
	m := newMedia()
	m.Compressed = true
	tape, err := readBlock(&hs, 0)
	if err != nil {
		return nil, setHead{}, err
	}
	off, err := decodeTape(&hs, &tape, m)
	if err != nil {
		return nil, setHead{}, err
	}
	b, err := readBlock(&hs, off)
	if err == nil && b.typ == "SFMB" {
		var next int64
		if next, err = afterSFMB(&hs, &b); err == nil {
			b, err = readBlock(&hs, next)
		}
	}
	if err != nil {
		return nil, setHead{}, err
	}
	if b.typ != "SSET" {
		return nil, setHead{}, errf(KindCorrupt, b.off, "expected an SSET block, found %s", b.typ)
	}
	set, _, err := walkSetFrom(&hs, &b, nil, true)
	if err != nil {
		return m, setHead{}, err
	}
	return m, set, nil
}

// memSource is a source over an in-memory stream: every read is served
// from b (or is out of range), so it never reads from its ReaderAt.
func memSource(b []byte, t *texts, seg *[1]segment) source {
	seg[0] = segment{0, b}
	return source{r: noReader{}, size: int64(len(b)), win: int64(len(b)), segs: seg[:], txt: t}
}

// noReader is the ReaderAt of a memSource, never called.
type noReader struct{}

func (noReader) ReadAt([]byte, int64) (int, error) { return 0, io.ErrUnexpectedEOF }

// tapeBlockSize is the media block size told by the TAPE block at the
// start of the stream: it fills the first physical block (1 KiB on
// 512-byte media).
func tapeBlockSize(s *source) int64 {
	if tape, err := readBlock(s, 0); err == nil {
		if next, err := tape.skip(s); err == nil && next > 1024 && next <= maxBlock {
			return next
		}
	}
	return 512
}

// headWant is a bound on the decoded head when headNeed cannot tell it:
// TAPE SFMB SSET VOLB MSCI and 8 KiB of configuration.
func headWant(bs int64) int { return int(max(1024, bs)+4*bs) + 8<<10 }

// headNeed is how much of the stream the head's header blocks need, as
// far as the decoded head tells it: the end of the configuration stream
// (MQCI) of the first MSCI block at or after from, or of the next stream
// header to read before it; 0 when no MSCI block is there. It only
// decides how much to decode: the header is then read and checked as
// ever.
func headNeed(head []byte, from int) int {
	for off := (from + 511) &^ 511; off+dblkHeader <= len(head); off += 512 {
		h := head[off:]
		if le.Uint32(h) != tMSCI || !validDBLK(h) {
			continue
		}
		for p := off + int(le.Uint16(h[8:])); ; {
			if p+streamHeader > len(head) {
				return p + streamHeader
			}
			st := head[p : p+streamHeader]
			n := le.Uint64(st[8:])
			if !isAlnum(st[:4]) || xorSum(st, 10) != le.Uint16(st[20:]) || n > maxMQCI {
				return 0 // not a stream header: the reader says what it is
			}
			if string(st[:4]) == "MQCI" {
				return p + streamHeader + int(n)
			}
			if string(st[:4]) == "SPAD" {
				return 0
			}
			p = (p + streamHeader + int(n) + 3) &^ 3
		}
	}
	return 0
}

func readCompressed(s *source, d *xpress.Decoder) (*facts.BackupMedia, error) {
	sc := scratches.Get().(*scratch)
	defer sc.put()
	start := int64(firstRecord)
	if s.size < start+recHeader {
		return nil, errf(KindTruncated, s.size, "compressed backup ends before its first record")
	}
	// The first record holds the TAPE block, which tells the block size
	// (the length of a raw soft filemark).
	var first []byte
	kind, next, derr := step(s, start, s.size, 512)
	if derr == nil {
		first, _, derr = decodeRecord(s, d, start, next, kind, s.buf(bufClass)[:0], maxRead)
	}
	if len(first) < 4 || string(first[:4]) != "TAPE" {
		if derr != nil {
			return nil, derr
		}
		return nil, errf(KindCorrupt, start, "first compressed record does not decode to a TAPE block")
	}
	fs := memSource(first, s.txt, &sc.first)
	bs := tapeBlockSize(&fs)
	// Decode just enough of the stream for TAPE..MSCI (SFMB SSET VOLB and
	// the configuration after the TAPE). Up to w0 = headWant, the head
	// is decoded up to the end of the MSCI block's configuration stream
	// once its header is decoded (headNeed), and the header tried after
	// each compressed record (SQL Server writes these blocks in records of
	// their own, before the data's). A header that decodes is the one a
	// longer head gives. If it does not, the head is decoded up to w0,
	// then to twice as much each time while the header blocks run past
	// it: where the reader always went, so that a corrupt stream is
	// reported as it always was (a decoding error the longer head meets is
	// the error). A larger try resumes where the last one stopped, in the
	// record it stopped inside: nothing is decoded twice.
	var m *facts.BackupMedia
	var set setHead
	w0 := headWant(bs)
	want := min(len(first)+int(bs)+3<<10, w0) // SFMB, and SSET VOLB MSCI's headers
	head := append(s.buf(int64(w0))[:0], first...)
	p, q, n := next, next, len(head)
	more := func(w int) { // decode up to w bytes from now on
		want = w
		if want > cap(head) {
			head = append(s.buf(int64(want))[:0], head...)
		}
	}
	for {
		var derr error
		if q < p {
			head, q, n, derr = resumeRecord(s, d, q, p, head, n, want)
		} else {
			head, p, q, n, derr = decodeRecords(s, d, p, s.size, bs, head, want, q, n, want < w0)
		}
		left := p < s.size || q < p // more of the stream to decode
		if want < w0 && derr == nil && left {
			if need := headNeed(head, len(first)); need > len(head) {
				more(min(max(need, want), w0))
				continue
			}
		}
		var err error
		m, set, err = compressedHead(head, s.txt, &sc.head)
		if err == nil {
			break
		}
		var e *Error
		if want < w0 && derr == nil && left {
			more(w0)
			continue
		}
		if errors.As(err, &e) && e.Kind == KindTruncated && derr == nil && left && want < maxRead {
			more(2 * want) // the header blocks run past what was decoded
			continue
		}
		if derr != nil {
			err = derr
		}
		return nil, err
	}
	m.BlockSize = int(bs)
	loc := set.loc
	m.Sets = append(m.Sets, facts.BackupSet{})
	set.fill(&m.Sets[0], s.txt)

	// The final header copy: the last records of the compressed tail, in
	// the last 16 KiB and two raw filemarks as a rule, else in a larger read.
	var tail tailFacts
	var err error
	var cut segment // the tail read, when its chain ends in a record cut off
	for _, w := range []int64{compTail/4 + 2*bs, compTail} {
		from := max(0, s.size-w)
		g := s.segs[0] // the head read, which holds all of a small file
		if g.off+int64(len(g.b)) < s.size {
			if g, err = s.segment(from, s.size); err != nil {
				return setsRead(m), err
			}
		}
		chain := chainToEnd(g, max(from, firstRecord), bs, sc)
		if chain == nil {
			err = errf(KindTruncated, s.size, "the last compressed record runs past the end of the file")
			cut = g
			if s.size <= w {
				break
			}
			continue
		}
		cut = segment{}
		if tail, err = finalCopy(s, d, g, chain, bs, loc, sc); tail.has {
			break
		}
		if tail.pos == 0 {
			// A whole file ends with its last set's ESET ESET SFMB.
			err = errf(KindTruncated, s.size, "the compressed stream does not end with a backup set's trailer")
		}
		if s.size <= w {
			break
		}
	}
	if tail.pos == 0 {
		m.Sets[0].Provisional = true
		m.SetsIncomplete = true
		if cut.b != nil {
			// Cut short: the whole records before the cut may still show
			// a later set (its SSET or ESET block), so appended sets are
			// found even when the last one is cut.
			m.SetCount = max(m.SetCount, cutPosition(s, d, cut, bs, sc))
		}
		return setsRead(m), err
	}
	if tail.has {
		if first := &m.Sets[0]; tail.pos == first.Position {
			// The SSET fields come from the head: the same set.
			name, desc, user, id, pw := first.BackupName, first.BackupDescription, first.UserName, first.BackupSetGUID, first.PasswordProtected
			*first = facts.BackupSet{Position: tail.pos}
			tail.cfg.fill(first, loc, s.txt, new(setBox), 0)
			first.BackupName, first.BackupDescription, first.UserName = name, desc, user
			first.BackupSetGUID, first.PasswordProtected = id, pw
		} else {
			// A later set: its SSET block (names, GUID, password, time
			// zone) lies before the data, where the reads did not go.
			m.Sets[0].Provisional = true
			m.Sets = append(m.Sets, facts.BackupSet{Position: tail.pos})
			t := &m.Sets[len(m.Sets)-1]
			tail.cfg.fill(t, loc, s.txt, new(setBox), len(notInTail))
			t.Unknown = append(t.Unknown, notInTail[:]...)
		}
	} else {
		m.Sets[0].Provisional = true
	}
	// Positions between the first set and the last were not read.
	if tail.pos > m.Sets[0].Position+1 || !tail.has && tail.pos > m.Sets[0].Position {
		m.SetsIncomplete = true
	}
	m.SetCount = max(m.SetCount, tail.pos)
	return setsRead(m), err
}

// chainToCut returns the record starts of a chain that begins in g at or
// after from and ends in a record (or raw soft filemark) that runs past the
// end of g: the chain of a file cut short, without the record cut. Each
// start is followed once, as in chainToEnd.
func chainToCut(g segment, from, bs int64, sc *scratch) []int64 {
	end := g.off + int64(len(g.b))
	r := &sc.src
	return followChains(g, max(from, g.off), sc, func(c int64, dead deadMarks, path []int64) ([]int64, bool) {
		p := c
		cutOff := false
		for p < end && !dead.has(p) {
			_, nx, err := step(r, p, end, bs)
			if err != nil {
				var e *Error
				// A record or filemark whose header is whole but runs
				// past the end, or too little left for its header.
				cutOff = errors.As(err, &e) && e.Kind == KindTruncated || end-p < dblkHeader && len(path) > 0
				break
			}
			if nx <= p || nx > end {
				cutOff = nx > end
				break
			}
			path = append(path, p)
			p = nx
		}
		return path, cutOff && len(path) > 0
	})
}

// cutPosition is the highest backup set position the SSET and ESET blocks
// of the whole records of a tail cut short tell (0 when none does). Sets
// follow one another in position order, so the last such block before the
// cut tells it: records are decoded from the cut back until one holds
// one, at most maxTailDecode bytes. Each record decodes to whole 512-byte
// blocks of the stream, so the blocks are found at 512-byte steps of each
// record's output.
func cutPosition(s *source, d *xpress.Decoder, g segment, bs int64, sc *scratch) int {
	chain := chainToCut(g, max(g.off, firstRecord), bs, sc)
	end := g.off + int64(len(g.b))
	sc.src = sliceSource(g)
	r := &sc.src
	buf := s.buf(bufClass)
	decoded := 0
	for i := len(chain) - 1; i >= 0 && decoded < maxTailDecode; i-- {
		p := chain[i]
		kind, next, err := step(r, p, end, bs)
		if err != nil || kind == stepSkip {
			continue
		}
		piece, whole, err := decodeRecord(r, d, p, next, kind, buf[:0], maxRead)
		if err != nil || !whole {
			break // a false start inside compressed data: stop here
		}
		if cap(piece) > cap(buf) {
			buf = piece // decodeRecord grew it: keep the larger one
		}
		decoded += len(piece)
		for off := (len(piece) - dblkHeader) &^ 511; off >= 0; off -= 512 {
			h := piece[off:]
			switch t := le.Uint32(h); {
			case t == tSSET && len(h) >= 116 && validDBLK(h):
				return int(le.Uint16(h[62:]))
			case t == tESET && len(h) >= 80 && validDBLK(h):
				return int(le.Uint16(h[78:]))
			}
		}
	}
	return 0
}

// tailFacts is what the end of a compressed stream told: the position of
// the last set (its ESET), and that set's final header copy when it was
// read (has).
type tailFacts struct {
	pos int
	cfg config
	has bool
}

// finalCopy decodes the chain's records backwards from the end of the file
// until the last set's final header copy (MSLS) and its trailer (SFMB ESET
// ESET SFMB) are decoded, and returns them. Records are independent, so
// only the last few are decoded; a false chain start far back is never
// reached. Each is decoded in place, before those after it, into one
// buffer. An error means the trailer is not all there (truncated).
func finalCopy(s *source, d *xpress.Decoder, g segment, chain []int64, bs int64, loc *time.Location, sc *scratch) (tailFacts, error) {
	var out tailFacts
	var terr error
	check := false // the last set's trailer is to be checked without its MSLS
	end := g.off + int64(len(g.b))
	sc.src = sliceSource(g)
	r := &sc.src
	buf := s.buf(bufClass)
	at := len(buf) // the tail decoded so far is buf[at:]
	for i := len(chain) - 1; i >= 0 && len(buf)-at < maxTailDecode; i-- {
		p := chain[i]
		kind, next, err := step(r, p, end, bs)
		if err != nil || kind == stepSkip {
			continue
		}
		n := int(next - p)
		if kind == recCompressed {
			n = int(r.b[p-r.off+1]) * 512 // step read the header
		}
		if n > at {
			// Room before the tail: a larger buffer, the tail at its end.
			t := s.buf(int64(2*(len(buf)-at) + n))
			at = len(t) - copy(t[len(t)-(len(buf)-at):], buf[at:])
			buf = t
		}
		// The record's output is n bytes, and no more is room: the
		// decoder writes none past it, before the tail.
		piece, _, err := decodeRecord(r, d, p, next, kind, buf[at-n:at-n:at], maxRead)
		if err != nil || len(piece) != n {
			break // a false start inside compressed data: stop here
		}
		if &piece[0] != &buf[at-n] {
			copy(buf[at-n:at], piece)
		}
		at -= n
		f, chk, err := lastSet(buf[at:], bs, loc, &sc.tail)
		if f.pos != 0 {
			out.pos, terr, check = f.pos, err, chk
		}
		if f.has {
			return f, err
		}
	}
	if check {
		ts := memSource(buf[at:], nil, &sc.tail)
		terr = checkLastBlocks(&ts, bs)
	}
	return out, terr
}

// lastSet finds, in a decoded tail of the stream, the last set's ESET
// (its position) and the MSLS before it, and decodes the final header copy
// there. err reports a trailer that is not all there; check, that the last
// set has no MSLS in tail, whose trailer checkLastBlocks is to check.
func lastSet(tail []byte, bs int64, loc *time.Location, seg *[1]segment) (_ tailFacts, check bool, _ error) {
	var out tailFacts
	msls := int64(-1)
	var mslsFor int64 = -1
	for off := int64(0); off+dblkHeader <= int64(len(tail)); off += 512 {
		h := tail[off:]
		if t := le.Uint32(h); t != tMSLS && t != tESET || !validDBLK(h) {
			continue
		}
		switch string(h[:4]) {
		case "MSLS":
			msls = off
		case "ESET":
			if len(h) >= 80 {
				out.pos = int(le.Uint16(h[78:]))
				mslsFor = msls
			}
		}
	}
	if out.pos == 0 {
		return out, false, nil
	}
	if mslsFor < 0 {
		return out, true, nil
	}
	ts := memSource(tail, nil, seg)
	blk, err := readBlock(&ts, mslsFor)
	if err != nil {
		return out, false, nil
	}
	if out.cfg, err = readConfig(&ts, &blk); err != nil {
		return out, false, nil
	}
	out.has = true
	return out, false, checkTrailer(&ts, &blk, bs)
}

// checkLastBlocks checks, when the final header copy was not decoded, that
// the stream ends with ESET ESET SFMB, the soft filemark whole.
func checkLastBlocks(s *source, bs int64) error {
	var last [3]block // the last three ESET or SFMB blocks, last[n%3] next
	n := 0
	for off := int64(0); off+dblkHeader <= s.size; off += 512 {
		if h := s.segs[0].b[off:]; le.Uint32(h) != tESET && le.Uint32(h) != tSFMB {
			continue // not one (saves an error for each other block)
		}
		if b, err := readBlock(s, off); err == nil && (b.typ == "ESET" || b.typ == "SFMB") {
			last[n%3] = b
			n++
		}
	}
	at := func(i int) block { return last[(n-i)%3] } // at(1) is the last
	if n < 3 || at(1).typ != "SFMB" || at(1).off+bs != s.size || at(2).typ != "ESET" || at(3).typ != "ESET" {
		return errf(KindTruncated, s.size, "the last backup set's trailer (ESET ESET SFMB) is not all in the file")
	}
	return nil
}

// checkTrailer checks that after the final header copy blk the set's
// trailer, SFMB ESET ESET SFMB, is all in s: a file cut inside it, even by
// a few bytes, cannot be restored.
func checkTrailer(s *source, blk *block, bs int64) error {
	p, err := blk.skip(s)
	if err != nil {
		return err
	}
	for _, want := range []string{"SFMB", "ESET", "ESET", "SFMB"} {
		if p >= s.size {
			return errf(KindTruncated, s.size, "the backup set's trailer ends before its %s block", want)
		}
		b, err := readBlock(s, p)
		if err != nil {
			return err
		}
		if b.typ != want {
			return errf(KindCorrupt, p, "%s block where the set's trailer has %s", b.typ, want)
		}
		if want == "SFMB" {
			p = b.off + bs
		} else if p, err = b.skip(s); err != nil {
			return err
		}
		if p > s.size {
			return errf(KindTruncated, s.size, "the %s block at %d runs past the end of the file", want, b.off)
		}
	}
	return nil
}

// scratch is what reading a compressed header works with, kept across
// reads (an estate reads headers by the thousand): the sources over
// decoded parts of the stream and chainToEnd's marks and path.
type scratch struct {
	first, head, tail [1]segment
	src               sliceSource
	dead              []uint64
	path              []int64
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// put returns sc to the pool, holding nothing of the read.
func (sc *scratch) put() {
	sc.first, sc.head, sc.tail, sc.src = [1]segment{}, [1]segment{}, [1]segment{}, sliceSource{}
	scratches.Put(sc)
}
