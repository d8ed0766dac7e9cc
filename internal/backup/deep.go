package backup

import (
	"bytes"
	"io"
	"sort"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/xpress"
)

// ReadDeep is Read that walks the whole file to list every backup set, for
// a compressed file with appended sets (Read reads its head and tail only
// and says when sets between were not read). progress, when not nil, is
// called with the bytes of the file walked so far and the file's size.
// On an uncompressed file the walk skips data by the stream lengths, as
// Read does; on a compressed one every record header is read.
func ReadDeep(r io.ReaderAt, size int64, progress func(done, total int64)) (*facts.BackupMedia, error) {
	if size <= 0 {
		return nil, &Error{Kind: KindEmpty}
	}
	head := make([]byte, min(size, int64(len(compressedMagic))))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, errf(KindUnreadable, 0, "%v", err)
	}
	if !bytes.Equal(head, compressedMagic) {
		c := &progressReaderAt{r: r, size: size, progress: progress}
		m, err := readMedia(c, size, 0)
		if progress != nil {
			progress(size, size)
		}
		return m, err
	}
	return readCompressedDeep(r, size, progress)
}

// progressReaderAt reports the furthest offset read.
type progressReaderAt struct {
	r        io.ReaderAt
	size     int64
	done     int64
	progress func(done, total int64)
}

func (p *progressReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := p.r.ReadAt(b, off)
	if end := off + int64(n); end > p.done {
		p.done = end
		if p.progress != nil {
			p.progress(p.done, p.size)
		}
	}
	return n, err
}

// seqReader serves record reads from a window that slides forward through
// the file in large reads.
type seqReader struct {
	r        io.ReaderAt
	size     int64
	g        segment
	reads    int
	bytes    int64
	progress func(done, total int64)
}

const deepWindow = 1 << 20

func (s *seqReader) at(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || n > maxRead {
		return nil, errf(KindCorrupt, off, "implausible length %d", n)
	}
	if off > s.size || n > s.size-off {
		return nil, errf(KindTruncated, s.size, "need %d bytes at offset %d, the file ends at %d", n, off, s.size)
	}
	if off >= s.g.off && off+n <= s.g.off+int64(len(s.g.b)) {
		return s.g.b[off-s.g.off : off-s.g.off+n], nil
	}
	end := min(s.size, off+max(n, deepWindow))
	b := make([]byte, end-off)
	k, err := s.r.ReadAt(b, off)
	s.reads++
	s.bytes += int64(k)
	if k < len(b) {
		if err == nil || err == io.EOF {
			return nil, errf(KindTruncated, off+int64(k), "the file ends before its listed size %d", s.size)
		}
		return nil, errf(KindUnreadable, off+int64(k), "%v", err)
	}
	s.g = segment{off, b}
	if s.progress != nil {
		s.progress(end, s.size)
	}
	return b[:n], nil
}

// record is one entry of a compressed file's record index: where it is in
// the file and where its bytes go in the MTF stream.
type record struct {
	file, next int64 // in the file: the record and the one after it
	stream     int64 // in the MTF stream
	kind       byte
}

// recordStream is the uncompressed MTF stream of a compressed file, decoded on
// demand record by record from the index.
type recordStream struct {
	src  *seqReader
	recs []record
	size int64
	d    xpress.Decoder
	// the last decoded record
	cur int
	buf []byte
}

func (v *recordStream) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		o := off + int64(n)
		if o >= v.size {
			return n, io.EOF
		}
		i := sort.Search(len(v.recs), func(i int) bool { return v.recs[i].stream > o }) - 1
		if i < 0 {
			return n, errf(KindCorrupt, o, "no record holds stream offset %d", o)
		}
		if v.cur != i || v.buf == nil {
			rc := v.recs[i]
			b, _, err := decodeRecord(v.src, &v.d, rc.file, rc.next, rc.kind, v.buf[:0], maxRead)
			if err != nil {
				return n, err
			}
			v.cur, v.buf = i, b
		}
		k := o - v.recs[i].stream
		if k >= int64(len(v.buf)) {
			return n, errf(KindCorrupt, o, "record at %d decodes short", v.recs[i].file)
		}
		n += copy(p[n:], v.buf[k:])
	}
	return n, nil
}

func readCompressedDeep(r io.ReaderAt, size int64, progress func(done, total int64)) (*facts.BackupMedia, error) {
	src := &seqReader{r: r, size: size, progress: progress}
	if size < firstRecord+recHeader {
		return nil, errf(KindTruncated, size, "compressed backup ends before its first record")
	}
	// The first record (the TAPE block) tells the block size.
	var d xpress.Decoder
	kind, next, err := step(src, firstRecord, size, 512)
	var first []byte
	if err == nil {
		first, _, err = decodeRecord(src, &d, firstRecord, next, kind, nil, maxRead)
	}
	if err != nil {
		return nil, err
	}
	if len(first) < 4 || string(first[:4]) != "TAPE" {
		return nil, errf(KindCorrupt, firstRecord, "first compressed record does not decode to a TAPE block")
	}
	var seg [1]segment
	fs := memSource(first, nil, &seg)
	bs := tapeBlockSize(&fs)
	// Index every record: its decoded length is in its header (or the
	// block size for a raw filemark), so nothing is decoded here.
	var recs []record
	var stream int64
	var ierr error
	for p := int64(firstRecord); p < size; {
		kind, next, err := step(src, p, size, bs)
		if err != nil {
			ierr = err
			break
		}
		switch kind {
		case stepRaw:
			recs = append(recs, record{p, next, stream, kind})
			stream += next - p
		case recCompressed:
			h, _ := src.at(p, 2)
			recs = append(recs, record{p, next, stream, kind})
			stream += int64(h[1]) * 512
		}
		p = next
	}
	v := &recordStream{src: src, recs: recs, size: stream, cur: -1}
	st := getState()
	defer st.put()
	s := st.source(v, stream, 0)
	s.bs = bs
	s.base = max(missSize, 5*s.bs)
	s.win = s.base
	m, err := walk(s, nil)
	if m != nil {
		m.Compressed = true
		m.BlockSize = int(bs)
		m.Reads, m.BytesRead = src.reads, src.bytes
	}
	if ierr != nil {
		if m != nil {
			m.SetsIncomplete = true
			setsRead(m)
		}
		return m, ierr
	}
	return m, err
}
