package backup

import (
	"bytes"
	"errors"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/xpress"
)

// Compressed backups (SQL Server 2014 format, *empirical*): the file starts
// with "MSSQLBAK" and a file header, then records. A 0x21 record is a
// 28-byte header (byte 1: decoded length in 512-byte units; u16 at +2: the
// compressed length L; u32 at +20: zero) and L bytes of LZXPRESS Huffman.
// A 0x24 record is padding: a 24-byte header, u16 length at +2, then that
// many bytes. A 0x2C record ends a write buffer: the next record starts at
// the next 512-byte boundary. Soft filemarks (SFMB) are stored raw, one block,
// at 512-byte boundaries. Concatenating the decoded records and raw blocks
// gives the uncompressed MTF stream.
const (
	recCompressed = 0x21
	recPad        = 0x24
	recEnd        = 0x2C
	recHeader     = 28
	padHeader     = 24
	firstRecord   = 0x1E0
	// compHead is how much decoded stream the head walk wants: the TAPE,
	// SSET, VOLB and MSCI blocks are in the first few KB.
	compHead = 16 << 10
	// compTail is the compressed tail read for the final header copy.
	compTail = 64 << 10
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

// decodeRecords decodes records from p, appending the MTF stream to out,
// until out holds want bytes or the records reach end. It returns out and
// the position reached.
func decodeRecords(r recordReader, p, end int64, out []byte, want int) ([]byte, int64, error) {
	for p < end && len(out) < want {
		if p%512 == 0 && p+512 <= end {
			if b, err := r.at(p, 512); err == nil && string(b[:4]) == "SFMB" && validDBLK(b) {
				out = append(out, b...)
				p += 512
				continue
			}
		}
		k, err := r.at(p, 1)
		if err != nil {
			return out, p, err
		}
		switch k[0] {
		case recPad:
			h, err := r.at(p, 4)
			if err != nil {
				return out, p, err
			}
			p += padHeader + int64(le.Uint16(h[2:]))
			continue
		case recEnd:
			p = (p + 512) &^ 511
			continue
		case recCompressed:
		default:
			return out, p, errf(KindCorrupt, p, "unknown compressed record type %#x", k[0])
		}
		h, err := r.at(p, recHeader)
		if err != nil {
			return out, p, err
		}
		ulen := int(h[1]) * 512
		n := int64(le.Uint16(h[2:]))
		if ulen == 0 || n == 0 || le.Uint32(h[20:]) != 0 {
			return out, p, errf(KindCorrupt, p, "bad compressed record header")
		}
		data, err := r.at(p+recHeader, n)
		if err != nil {
			return out, p, err
		}
		dec, err := xpress.Decompress(data, ulen)
		if err != nil {
			return out, p, errf(KindCorrupt, p, "compressed record: %v", err)
		}
		out = append(out, dec...)
		p += recHeader + n
	}
	return out, p, nil
}

// chainsToEnd reports whether a record chain starting at c in g reaches
// exactly the end of g (the end of the file).
func chainsToEnd(g segment, c int64) bool {
	end := g.off + int64(len(g.b))
	for p := c; ; {
		if p == end {
			return true
		}
		var ok bool
		if p, ok = nextRecord(g, p); !ok {
			return false
		}
	}
}

// nextRecord is the start of the record after the one at p in g, if a
// plausible record starts at p and its header lies within g.
func nextRecord(g segment, p int64) (int64, bool) {
	end := g.off + int64(len(g.b))
	if p > end || p+4 > end {
		return 0, false
	}
	b := g.b[p-g.off:]
	switch {
	case p%512 == 0 && len(b) >= 512 && string(b[:4]) == "SFMB" && validDBLK(b):
		return p + 512, true
	case b[0] == recPad:
		return p + padHeader + int64(le.Uint16(b[2:])), true
	case b[0] == recEnd:
		return (p + 512) &^ 511, true
	case b[0] == recCompressed && len(b) >= recHeader && b[1] != 0 && le.Uint32(b[20:]) == 0:
		n := int64(le.Uint16(b[2:]))
		if n == 0 {
			return 0, false
		}
		return p + recHeader + n, true
	}
	return 0, false
}

// reachesEnd reports whether any record chain starting in g at or after
// from ends exactly at the end of g, or where only zeros (padding) follow.
// A complete file's last records do; a file cut short ends inside a record.
// Each start is followed once, so a crafted tail costs linear time.
func reachesEnd(g segment, from int64) bool {
	end := g.off + int64(len(g.b))
	from = max(from, g.off)
	pad := end // the trailing run of zeros starts here
	for pad > from && g.b[pad-1-g.off] == 0 {
		pad--
	}
	dead := make([]bool, end-from) // starts known not to reach the end
	for c := from; c < end; c++ {
		if g.b[c-g.off] != recCompressed || dead[c-from] {
			continue
		}
		var path []int64
		p, ok := c, true
		for ok && p < pad && !dead[p-from] {
			path = append(path, p)
			if p, ok = nextRecord(g, p); ok && p > end {
				ok = false
			}
		}
		if ok && p >= pad && p <= end {
			return true
		}
		for _, q := range path {
			dead[q-from] = true
		}
	}
	return false
}

// compressedHead decodes the media header and the first set's provisional
// header from the decoded head of the stream.
func compressedHead(head []byte) (*facts.BackupMedia, *facts.BackupSet, *time.Location, error) {
	hs := &source{r: bytes.NewReader(head), size: int64(len(head)), win: int64(len(head))}
	hs.segs = []segment{{0, head}}
	m := &facts.BackupMedia{Compressed: true, Sets: []facts.BackupSet{}}
	tape, err := readBlock(hs, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	sts, off, err := tape.streams(hs, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := decodeTape(hs, tape, sts, m); err != nil {
		return nil, nil, nil, err
	}
	b, err := readBlock(hs, off)
	if err == nil && b.typ == "SFMB" {
		var next int64
		if next, err = afterSFMB(hs, b); err == nil {
			b, err = readBlock(hs, next)
		}
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if b.typ != "SSET" {
		return nil, nil, nil, errf(KindCorrupt, b.off, "expected an SSET block, found %s", b.typ)
	}
	set, loc, _, err := walkSetFrom(hs, b, nil, true)
	if err != nil {
		return m, nil, nil, err
	}
	return m, set, loc, nil
}

func readCompressed(s *source) (*facts.BackupMedia, error) {
	start := int64(firstRecord)
	if s.size < start+recHeader {
		return nil, errf(KindTruncated, s.size, "compressed backup ends before its first record")
	}
	// Decode just enough of the stream for TAPE..MSCI, more when the
	// configuration block turns out to be larger.
	var m *facts.BackupMedia
	var set *facts.BackupSet
	var loc *time.Location
	for want := compHead; ; want *= 4 {
		head, p, derr := decodeRecords(s, start, s.size, nil, want)
		if len(head) < 4 || string(head[:4]) != "TAPE" {
			if derr != nil {
				return nil, derr
			}
			return nil, errf(KindCorrupt, start, "first compressed record does not decode to a TAPE block")
		}
		var err error
		m, set, loc, err = compressedHead(head)
		if err == nil {
			break
		}
		var e *Error
		if errors.As(err, &e) && e.Kind == KindTruncated && derr == nil && p < s.size && want < maxRead {
			continue // the header blocks run past what was decoded
		}
		if derr != nil {
			err = derr
		}
		return nil, err
	}
	m.Sets = append(m.Sets, *set)

	// The final header copy: decode the records of the compressed tail.
	from := max(0, s.size-compTail)
	g := s.segs[0] // the head read, which holds all of a small file
	if !s.has(from, s.size-from) || g.off+int64(len(g.b)) < s.size {
		if err := s.fetch(from, s.size); err != nil {
			return m, err
		}
		g = s.segs[len(s.segs)-1]
	} else {
		from = 0
	}
	// Try the last 16 KiB first: the final copy sits in the last records,
	// and each record decoded costs time.
	for _, w := range []int64{16 << 10, compTail} {
		if final(m, g, max(from, s.size-w), loc) {
			return m, nil
		}
	}
	// No final copy: keep the provisional header, but a file whose last
	// record runs past its end was cut short and cannot be restored.
	if !reachesEnd(g, max(from, s.size-compTail)) {
		return m, errf(KindTruncated, s.size, "the last compressed record runs past the end of the file")
	}
	return m, nil
}

// final decodes the record chain that runs from the first plausible record
// start at or after from to the end of the file, and replaces the first
// set's header by the final copy (MSLS) found there. It reports success.
func final(m *facts.BackupMedia, g segment, from int64, loc *time.Location) bool {
	end := g.off + int64(len(g.b))
	// Bound the decode attempts: a crafted tail could make every byte a
	// plausible record start.
	tries := 0
	for c := from; c < end && tries < 8; c++ {
		if g.b[c-g.off] != recCompressed || !chainsToEnd(g, c) {
			continue
		}
		tries++
		tail, _, err := decodeRecords(sliceSource(g), c, end, nil, maxRead)
		if err != nil {
			continue // a false start inside compressed data
		}
		first := m.Sets[0]
		msls, ok := scanTail(segment{0, tail})[first.Position]
		if !ok {
			continue
		}
		ts := &source{r: bytes.NewReader(tail), size: int64(len(tail)), win: int64(len(tail)), segs: []segment{{0, tail}}}
		blk, err := readBlock(ts, msls)
		if err != nil {
			continue
		}
		set := facts.BackupSet{Position: first.Position, BackupName: first.BackupName, BackupDescription: first.BackupDescription,
			UserName: first.UserName, BackupSetGUID: first.BackupSetGUID, PasswordProtected: first.PasswordProtected}
		if err := readConfig(ts, blk, loc, &set); err != nil {
			continue
		}
		m.Sets[0] = set
		return true
	}
	return false
}
