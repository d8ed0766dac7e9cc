package backup

import (
	"bytes"
	"io"
	"os"
	"slices"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// Read sizes. The head holds TAPE..MSCI of a 512-byte-block backup; the
// tail holds the last set's MSLS (final header copy) and ESET. Together
// they are the ~64 KiB budget of a 512-byte-block backup.
const (
	headSize = 32 << 10
	tailSize = 32 << 10
	missSize = 32 << 10
	// maxMQCI bounds the configuration stream: a few KB per database file.
	maxMQCI = 8 << 20
)

var compressedMagic = []byte("MSSQLBAK")

// Read decodes every backup set header of a backup file. size is the file's
// total size (known from a listing) so the final header copy near the end can
// be read. It never reads the whole file (except files under 64 KiB).
//
// Errors are *Error. On a truncated or corrupt file whose first set header
// was decoded, Read returns the media decoded so far along with the error.
func Read(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
	return readMedia(r, size, maxReads)
}

// maxReads is the read budget of a walk through appended sets: past it,
// the sets between are left unread and the last set is taken from the
// tail (ReadDeep has no budget).
const maxReads = 8

func readMedia(r io.ReaderAt, size int64, budget int) (*facts.BackupMedia, error) {
	if size <= 0 {
		return nil, &Error{Kind: KindEmpty}
	}
	st := getState()
	defer st.put()
	s := st.source(r, size, budget)
	if err := s.fetch(0, min(size, headSize)); err != nil {
		return nil, err
	}
	head := s.segs[0].b
	if bytes.HasPrefix(head, compressedMagic) {
		m, err := readCompressed(s, &st.dec)
		if m != nil {
			m.Reads, m.BytesRead = s.reads, s.bytes
		}
		return m, err
	}
	if len(head) < dblkHeader || string(head[:4]) != "TAPE" {
		return nil, errf(KindNotBackup, 0, "no MTF TAPE block at the start of the file")
	}
	if !validDBLK(head) {
		return nil, errf(KindNotBackup, 0, "the TAPE block's header checksum is wrong")
	}
	// The TAPE block fills the first physical block (1 KiB on 512-byte
	// media): its end tells the block size, which sizes the other reads.
	// (tapeBlockSize, keeping the block and its streams for the walk.)
	var pre *tapeHead
	bs := int64(512)
	if tape, err := readBlock(s, 0); err == nil {
		th := &st.tape
		th.blk = tape
		if err := walkTape(s, &th.blk, &th.ts); err == nil {
			pre = th
			if next := th.ts.next; next > 1024 && next <= maxBlock {
				bs = next
			}
		}
	}
	s.bs = bs
	s.base = max(missSize, 5*bs) // SFMB SSET VOLB MSCI and the configuration
	s.win = s.base
	tail := &tailScan{idx: st.tail[:0]}
	if size > headSize {
		// The tail holds MSLS SFMB ESET ESET SFMB: five blocks and the
		// configuration stream.
		from := max(headSize, size-max(tailSize, 6*bs))
		if err := s.fetch(from, size); err != nil {
			return nil, err
		}
		tail.g = s.segs[len(s.segs)-1]
	} else {
		tail.g = s.segs[0]
	}
	m, err := walkFrom(s, tail, pre)
	st.tail = tail.idx[:0]
	if m != nil {
		m.BlockSize = int(bs)
		m.Reads, m.BytesRead = s.reads, s.bytes
	}
	return m, err
}

// setsRead sets the media's set count, at least the highest position
// seen, and marks the set list incomplete (and "sets" unknown) when it
// does not hold them all.
func setsRead(m *facts.BackupMedia) *facts.BackupMedia {
	n := len(m.Sets)
	for _, s := range m.Sets {
		n = max(n, s.Position)
	}
	m.SetCount = max(m.SetCount, n)
	if m.SetCount > len(m.Sets) {
		m.SetsIncomplete = true
	}
	if m.SetsIncomplete && !slices.Contains(m.Unknown, "sets") {
		m.Unknown = append(m.Unknown, "sets")
	}
	return m
}

// tailEntry is the MSLS block of the set at position pos.
type tailEntry struct {
	pos int
	off int64
}

// tailIndex is what scanTail found, in file order.
type tailIndex []tailEntry

// get is the MSLS of the set at pos (the last one found, if several).
func (t tailIndex) get(pos int) (int64, bool) {
	for i := len(t) - 1; i >= 0; i-- {
		if t[i].pos == pos {
			return t[i].off, true
		}
	}
	return 0, false
}

// last is the highest positive position and its MSLS (pos 0 when none).
func (t tailIndex) last() (int, int64) {
	pos, at := 0, int64(-1)
	for _, e := range t {
		if e.pos > pos || e.pos == pos && pos > 0 {
			pos, at = e.pos, e.off
		}
	}
	return pos, at
}

// tailScan answers tailIndex's questions about a tail segment, scanning
// it only as far as they need: the walk of a file usually asks once, for
// the set whose final copy is near the end, and lastFor answers that from
// the end back in a few blocks. Another question scans it all (scanTail),
// once. The nil *tailScan has found nothing.
type tailScan struct {
	g   segment
	idx tailIndex // the whole scan, when full
	// full: idx holds scanTail's answer.
	full bool
	// asked: pos was asked, and at, ok answered (before full).
	asked bool
	pos   int
	at    int64
	ok    bool
}

// get is tailIndex.get of scanTail's answer.
func (t *tailScan) get(pos int) (int64, bool) {
	switch {
	case t == nil:
		return 0, false
	case t.full:
		return t.idx.get(pos)
	case t.asked && t.pos == pos:
		return t.at, t.ok
	case t.asked:
		t.scan()
		return t.idx.get(pos)
	}
	t.at, t.ok = lastFor(t.g, pos)
	t.asked, t.pos = true, pos
	return t.at, t.ok
}

// last is tailIndex.last of scanTail's answer.
func (t *tailScan) last() (int, int64) {
	if t == nil {
		return tailIndex(nil).last()
	}
	t.scan()
	return t.idx.last()
}

func (t *tailScan) scan() {
	if !t.full {
		t.idx, t.full = scanTail(t.g, t.idx[:0]), true
	}
}

// lastFor is scanTail(g, nil).get(pos), found from the end of g back.
// Going forward, an ESET (a valid one with 80 bytes in g; one nearer the
// end changes nothing) pairs with the MSLS kept since the last ESET that
// paired, and the MSLS kept is the last valid one seen: so an ESET pairs
// exactly when the nearest valid MSLS or pairing-capable ESET before it
// is an MSLS, and with that MSLS. Going back from the end, those events
// come in reverse, and the first pair with the position asked for is the
// last scanTail lists.
func lastFor(g segment, pos int) (int64, bool) {
	b := g.b
	first := int((g.off+511)&^511 - g.off)
	if first > len(b)-dblkHeader {
		return 0, false
	}
	var above uint32 // the event after the one at i: tMSLS, tESET or 0
	aboveAt := 0
	for i := first + (len(b)-dblkHeader-first)/512*512; ; i -= 512 {
		if i = prevMark(b, i, first); i < 0 {
			break
		}
		h := b[i:]
		t := le.Uint32(h)
		if t != tMSLS && (t != tESET || len(h) < 80) || !validDBLK(h) {
			continue
		}
		if t == tMSLS && above == tESET && int(le.Uint16(b[aboveAt+78:])) == pos {
			return g.off + int64(i), true
		}
		above, aboveAt = t, i
	}
	return 0, false
}

// prevMark is the last of the boundaries from, from-512, ... down to
// first whose first byte is 'M' or 'E' (c|8 == 'M' for just those two),
// or -1: most boundaries, in data, are neither.
func prevMark(b []byte, from, first int) int {
	for i := from; i >= first; i -= 512 {
		if b[i]|8 == 'M' {
			return i
		}
	}
	return -1
}

// scanTail finds, in the tail segment, the MSLS block of each set whose ESET
// is also there, keyed by the ESET's data set number, appending to out. It
// lets the walk jump over the set's data straight to its final header copy.
func scanTail(g segment, out tailIndex) tailIndex {
	msls := int64(-1)
	b := g.b
	for i := int((g.off+511)&^511 - g.off); i+dblkHeader <= len(b); i += 512 {
		// Pass over boundaries four at a time while four are in b (one
		// bounds check for the four loads), then one at a time.
		for i+3*512+dblkHeader <= len(b) {
			w := b[i : i+3*512+4]
			if t := le.Uint32(w); t == tMSLS || t == tESET {
				break
			}
			if t := le.Uint32(w[512:]); t == tMSLS || t == tESET {
				break
			}
			if t := le.Uint32(w[1024:]); t == tMSLS || t == tESET {
				break
			}
			if t := le.Uint32(w[1536:]); t == tMSLS || t == tESET {
				break
			}
			i += 4 * 512
		}
		if i+dblkHeader > len(b) {
			break
		}
		t := le.Uint32(b[i:])
		if t != tMSLS && t != tESET {
			continue
		}
		h := b[i:]
		if !validDBLK(h) {
			continue
		}
		if t == tMSLS {
			msls = g.off + int64(i)
		} else if len(h) >= 80 && msls >= 0 {
			out = append(out, tailEntry{int(le.Uint16(h[78:])), msls})
			msls = -1
		}
	}
	return out
}

// walk decodes the media header and every set, from offset 0 of s.
func walk(s *source, tail *tailScan) (*facts.BackupMedia, error) {
	return walkFrom(s, tail, nil)
}

// tapeHead is the TAPE block and its streams as a first walk through
// them found them.
type tapeHead struct {
	blk block
	ts  tapeStreams
}

// walkFrom is walk; pre, when not nil, is the TAPE block and its streams
// already walked without an error. Reading them again would read the
// same cached bytes (nothing is read from the file) and find the same;
// the window, reset to the base after a long stream, is the base already.
func walkFrom(s *source, tail *tailScan, pre *tapeHead) (*facts.BackupMedia, error) {
	var tape block
	if pre != nil {
		tape = pre.blk
	} else {
		var err error
		if tape, err = readBlock(s, 0); err != nil {
			return nil, err
		}
	}
	if tape.typ != "TAPE" {
		return nil, errf(KindNotBackup, 0, "no MTF TAPE block at the start")
	}
	m := newMedia()
	var off int64
	var err error
	if pre != nil {
		off, err = decodeTapeFields(s, &tape, &pre.ts, m)
	} else {
		off, err = decodeTape(s, &tape, m)
	}
	if err != nil {
		return nil, err
	}
	// trailer counts the blocks of the last set's trailer still to come
	// after its first ESET: the second ESET, then a soft filemark. A file
	// cut inside them cannot be restored.
	trailer := 0
	var loc *time.Location // the last set's time zone
	var b block
	for off < s.size {
		if err := readBlockTo(s, off, &b); err != nil {
			if len(m.Sets) > 0 && trailer == 0 && allZero(s, off) {
				break // padding after the last set
			}
			if h := s.near(off, dblkHeader); len(m.Sets) > 0 && h != nil && le.Uint32(h) == tSSET && validDBLK(h) {
				// Another set begins here, cut short in its first block.
				m.SetCount = max(m.SetCount, m.Sets[len(m.Sets)-1].Position+1)
			}
			return partial(m, err)
		}
		switch b.typ {
		case "SFMB":
			if b.off+s.bs > s.size {
				return partial(m, errf(KindTruncated, s.size, "the soft filemark at %d runs past the end of the file", b.off))
			}
			if off, err = afterSFMB(s, &b); err != nil {
				return partial(m, err)
			}
			if end := b.off + s.bs; len(m.Sets) > 0 && off >= s.size && end < s.size && !zeroRange(s, end, s.size) {
				// Bytes after the filemark that hold no whole block:
				// the next one (another set's SSET) cut short.
				return partial(m, errf(KindTruncated, s.size, "%d bytes after the soft filemark at %d hold no whole descriptor block: the file is cut short", s.size-end, b.off))
			}
			if trailer == 1 {
				trailer = 0
			}
		case "SSET":
			if s.budget > 0 && s.reads >= s.budget && len(m.Sets) > 0 {
				// Past the read budget: take the last set from the tail
				// and say the sets between were not read.
				if done, err := lastFromTail(s, tail, m, loc); done || err != nil {
					return partial(m, err)
				}
			}
			h, next, err := walkSetFrom(s, &b, tail, false)
			loc = h.loc
			if h.has {
				m.Sets = append(m.Sets, facts.BackupSet{})
				h.fill(&m.Sets[len(m.Sets)-1], s.txt)
			} else if err != nil && len(m.Sets) > 0 {
				// A later set whose configuration was not reached (the
				// file ends or breaks first): it is there all the same.
				m.SetCount = max(m.SetCount, m.Sets[len(m.Sets)-1].Position+1)
			}
			if err != nil {
				return partial(m, err)
			}
			off, trailer = next, 2
		case "ESET", "VOLB":
			if off, err = b.skip(s); err != nil {
				return partial(m, err)
			}
			if b.typ == "ESET" && trailer == 2 {
				trailer = 1
			}
		case "EOTM":
			off = s.size
		default:
			return partial(m, errf(KindCorrupt, off, "unexpected %s block outside a backup set", b.typ))
		}
	}
	if len(m.Sets) == 0 {
		return nil, errf(KindCorrupt, off, "no backup set found on the media")
	}
	if off > s.size || trailer > 0 {
		return partial(m, errf(KindTruncated, s.size, "the last backup set's trailer (SFMB ESET ESET SFMB) is not all in the file"))
	}
	return setsRead(m), nil
}

// newMedia allocates a media header with room for its first set (most
// files hold one). Apart, not in one box: a box of both (776 bytes with
// a password flag, 768 without, plus the 8-byte header Go gives objects
// over 512 bytes that hold pointers) takes the 896-byte size class, while
// the header (208) and the set (560+8, in the 576 class) take 784: 10 MiB
// less live at 100,000 files for one more allocation each.
func newMedia() *facts.BackupMedia {
	return &facts.BackupMedia{Sets: make([]facts.BackupSet, 0, 1)}
}

// pwYes and pwNo are the media password flags: nothing writes through
// them.
var pwYes, pwNo = true, false

func pwFlag(v bool) *bool {
	if v {
		return &pwYes
	}
	return &pwNo
}

// afterSFMB finds the block after a soft filemark. A soft filemark fills
// one physical block; with 512-byte blocks its first-stream offset (0x200)
// points at the next block, but the u16 cannot say 64 KiB, so when nothing
// valid is there the next 512-byte boundaries up to 64 KiB on are tried.
func afterSFMB(s *source, b *block) (int64, error) {
	if p := b.firstStream; p >= s.size || isBlockAt(s, p) {
		return p, nil
	}
	for p := b.off + 512; p <= b.off+maxBlock; p += 512 {
		if p >= s.size {
			return s.size, nil
		}
		if isBlockAt(s, p) {
			return p, nil
		}
	}
	return 0, errf(KindCorrupt, b.off, "no descriptor block follows the soft filemark")
}

// maxBlock is the largest backup block size (BLOCKSIZE = 65536).
const maxBlock = 64 << 10

func isBlockAt(s *source, p int64) bool {
	if p+dblkHeader > s.size {
		return false
	}
	if h := s.near(p, dblkHeader); h != nil {
		return validDBLK(h)
	}
	h, err := s.at(p, dblkHeader)
	return err == nil && validDBLK(h)
}

// partial is the media decoded before err: what follows was not read.
func partial(m *facts.BackupMedia, err error) (*facts.BackupMedia, error) {
	if len(m.Sets) == 0 {
		return nil, err
	}
	if err != nil {
		m.SetsIncomplete = true
	}
	return setsRead(m), err
}

// lastFromTail adds the last set of the media from its final header copy
// in the tail, when it lies beyond the sets read, and checks its trailer.
// done reports that it did; the sets between are then marked not read.
func lastFromTail(s *source, tail *tailScan, m *facts.BackupMedia, loc *time.Location) (bool, error) {
	pos, at := tail.last()
	if pos <= m.Sets[len(m.Sets)-1].Position {
		return false, nil
	}
	blk, err := readBlock(s, at)
	if err != nil {
		return false, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	cfg, err := readConfig(s, &blk)
	if err != nil {
		return false, nil
	}
	m.Sets = append(m.Sets, facts.BackupSet{Position: pos})
	set := &m.Sets[len(m.Sets)-1]
	cfg.fill(set, loc, s.txt, new(setBox), len(notInTail))
	// Its SSET block (names, GUID, password, time zone) lies before its
	// data, where the reads did not go.
	set.Unknown = append(set.Unknown, notInTail[:]...)
	if pos > m.Sets[len(m.Sets)-2].Position+1 {
		m.SetsIncomplete = true
	}
	return true, checkTrailer(s, &blk, s.bs)
}

// notInTail is what a set decoded from its final header copy alone does
// not tell: the fields of its SSET block.
var notInTail = [...]string{"backupName", "backupDescription", "userName", "backupSetGUID", "passwordProtected", "timeZone"}

// zeroRange reports whether the bytes [from, to) of s are all zero.
func zeroRange(s *source, from, to int64) bool {
	for from < to {
		n := min(to-from, 64<<10)
		b, err := s.at(from, n)
		if err != nil {
			return false
		}
		for _, c := range b {
			if c != 0 {
				return false
			}
		}
		from += n
	}
	return true
}

// allZero reports whether the 512 bytes at off are zero or missing.
func allZero(s *source, off int64) bool {
	n := min(512, s.size-off)
	if n <= 0 {
		return true
	}
	b, err := s.at(off, n)
	if err != nil {
		return false
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// tapeStreams is what a walk through the TAPE block's streams found:
// its RAID streams (n of them, the first four in raids) and the next
// block's offset.
type tapeStreams struct {
	raids [4]stream
	more  []stream
	n     int
	next  int64
}

// walkTape walks the TAPE block's streams as skip does, keeping the RAID
// streams in ts.
func walkTape(s *source, tape *block, ts *tapeStreams) error {
	ts.n, ts.more = 0, ts.more[:0]
	w := streamWalk{p: tape.firstStream}
	for {
		st, next, err := tape.walkTo(s, &w, tRAID)
		if err != nil {
			return err
		}
		if next > 0 {
			ts.next = next
			return nil
		}
		if ts.n < len(ts.raids) {
			ts.raids[ts.n] = st
		} else {
			ts.more = append(ts.more, st)
		}
		ts.n++
		w.pass(s, st)
	}
}

// decodeTape decodes the TAPE block and its RAID stream into m and returns
// the offset of the next block.
func decodeTape(s *source, tape *block, m *facts.BackupMedia) (int64, error) {
	var ts tapeStreams
	if err := walkTape(s, tape, &ts); err != nil {
		return 0, err
	}
	return decodeTapeFields(s, tape, &ts, m)
}

// decodeTapeFields is decodeTape once the streams were walked.
func decodeTapeFields(s *source, tape *block, ts *tapeStreams, m *facts.BackupMedia) (int64, error) {
	n, raids, more, off := ts.n, &ts.raids, ts.more, ts.next
	h := tape.hdr
	if len(h) < 93 {
		return 0, errf(KindCorrupt, 0, "TAPE block header is %d bytes", len(h))
	}
	t := s.txt
	m.MediaFamilyID = t.unique(appendHex32(t.buf[:0], le.Uint32(h[52:])))
	m.MediaSequence = int(le.Uint16(h[60:]))
	m.PasswordProtected = pwFlag(le.Uint16(h[62:]) != 0)
	m.MediaName = t.str(h, 68, slotMediaName)
	m.MediaDescription = t.str(h, 72, slotMediaDesc)
	m.SoftwareName = t.str(h, 80, slotSoftware)
	for i := range n {
		var st stream
		if i < len(raids) {
			st = raids[i]
		} else {
			st = more[i-len(raids)]
		}
		if st.length < 26 {
			return 0, errf(KindCorrupt, st.off, "RAID stream is %d bytes", st.length)
		}
		d, err := s.at(st.data, st.length)
		if err != nil {
			return 0, err
		}
		m.MediaSetID = t.uniqueGUID(d)
		m.FamilyCount = int(le.Uint16(d[20:]))
		m.FamilySequence = int(le.Uint16(d[24:]))
		// SQL Server writes at most 64 backup devices per media set.
		if m.FamilyCount > maxFamilies || m.FamilySequence > m.FamilyCount {
			return 0, errf(KindCorrupt, st.data+20, "media family %d of %d (at most %d)", m.FamilySequence, m.FamilyCount, maxFamilies)
		}
	}
	if m.MediaSetID == "" {
		m.Unknown = append(m.Unknown, "mediaSetId", "familyCount", "familySequence")
	}
	return off, nil
}

// appendHex32 appends v as 8 upper-case hex digits ("%08X") to dst.
func appendHex32(dst []byte, v uint32) []byte {
	return le.AppendUint64(dst, hex8(v))
}

// maxFamilies is the most backup devices (stripes) one media set can have.
const maxFamilies = 64

// setHead is a backup set as a walk found it: its SSET block and the
// configuration copy it keeps, decoded into facts only by fill, once the
// walk has chosen (the provisional copy is checked but, when a final copy
// follows, never decoded).
type setHead struct {
	sset []byte // the SSET block header
	pos  int
	loc  *time.Location
	// tzUnknown: the SSET time zone is out of range (loc is then UTC).
	tzUnknown bool
	cfg       config
	has       bool // a configuration copy was read
	prov      bool // it is not the final copy
}

// fill decodes the set into set.
func (h *setHead) fill(set *facts.BackupSet, t *texts) {
	sset := h.sset
	*set = facts.BackupSet{
		Position:          h.pos,
		BackupName:        t.str(sset, 64, slotBackupName),
		BackupDescription: t.str(sset, 68, slotBackupDesc),
		UserName:          t.str(sset, 76, slotUser),
		BackupSetGUID:     t.uniqueGUID(sset[100:]),
		Provisional:       h.prov,
	}
	if h.tzUnknown {
		set.Unknown = tzUnknown
	}
	box := new(setBox)
	box.pw = le.Uint16(sset[56:]) != 0
	set.PasswordProtected = &box.pw
	h.cfg.fill(set, h.loc, t, box, 0)
}

// tzUnknown is the Unknown list of a set whose time zone is out of range,
// before its configuration is decoded (fill copies it).
var tzUnknown = []string{"timeZone"}

// provisional marks the set's copy provisional (a walk cut short).
func (h setHead) provisional() setHead {
	h.prov = true
	return h
}

// walkSetFrom walks the set starting at SSET block b and returns it and
// the offset after its first ESET; with headOnly it stops after the
// provisional configuration block (MSCI). On an error the set is returned
// when a configuration copy was read (has).
func walkSetFrom(s *source, b *block, tail *tailScan, headOnly bool) (setHead, int64, error) {
	hd := b.hdr
	if len(hd) < 116 {
		return setHead{}, 0, errf(KindCorrupt, b.off, "SSET block header is %d bytes", len(hd))
	}
	h := setHead{sset: hd, pos: int(le.Uint16(hd[62:]))}
	major, minor := int(hd[93]), int(hd[94])
	h.loc = zone(int8(hd[95]))
	if h.loc == nil {
		h.loc = time.UTC
		h.tzUnknown = true
	}
	next, err := b.skip(s)
	if err != nil {
		return setHead{}, 0, err
	}
	final := false
	var blk block
	for {
		if err := readBlockTo(s, next, &blk); err != nil {
			return h.provisional(), 0, err
		}
		switch blk.typ {
		case "MSCI", "MSLS":
			var cfg config
			var w streamWalk
			var mq stream
			if cfg, mq, err = readConfigAt(s, &blk, &w); err != nil {
				return h.provisional(), 0, err
			}
			if cfg.major() != major || cfg.minor() != minor {
				return h.provisional(), 0, errf(KindCorrupt, blk.off, "SSET says version %d.%d, the configuration %d.%d", major, minor, cfg.major(), cfg.minor())
			}
			if blk.typ == "MSLS" || !h.has {
				h.cfg, h.has = cfg, true
				final = blk.typ == "MSLS"
			}
			if headOnly {
				h.prov = true
				return h, 0, nil
			}
			next, err = blk.skipRest(s, &w, mq)
		case "SFMB":
			if next, err = afterSFMB(s, &blk); err != nil {
				return h.provisional(), 0, err
			}
			continue
		case "ESET":
			next, err = blk.skip(s)
			if err != nil {
				return h.provisional(), 0, err
			}
			if !h.has {
				return setHead{}, 0, errf(KindCorrupt, b.off, "backup set %d has no configuration block", h.pos)
			}
			h.prov = !final
			return h, next, nil
		case "SSET", "TAPE":
			return h.provisional(), 0, errf(KindCorrupt, blk.off, "backup set %d ends without an ESET block", h.pos)
		default:
			if to, ok := tail.get(h.pos); ok && h.has && !final && to > blk.off {
				next = to
				continue
			}
			next, err = blk.skip(s)
		}
		if err != nil {
			return h.provisional(), 0, err
		}
	}
}

// readConfig checks the MQCI stream of an MSCI or MSLS block.
func readConfig(s *source, blk *block) (config, error) {
	var w streamWalk
	cfg, _, err := readConfigAt(s, blk, &w)
	return cfg, err
}

// readConfigAt is readConfig that also returns the MQCI stream and,
// in w, where the walk through the block's streams stopped.
func readConfigAt(s *source, blk *block, w *streamWalk) (config, stream, error) {
	st, err := blk.find(s, tMQCI, w)
	if err != nil {
		return config{}, st, err
	}
	if st.id != tMQCI {
		return config{}, st, errf(KindCorrupt, blk.off, "%s block has no MQCI stream", blk.typ)
	}
	if st.enc != 0 {
		return config{}, st, errf(KindEncrypted, st.off, "the configuration stream is encrypted (algorithm %d)", st.enc)
	}
	if st.length > maxMQCI {
		return config{}, st, errf(KindCorrupt, st.off, "configuration stream of %d bytes", st.length)
	}
	d, err := s.at(st.data, st.length)
	if err != nil {
		return config{}, st, err
	}
	cfg, err := parseMQCI(d, st.data)
	return cfg, st, err
}

// ReadFile is Read on a local file.
func ReadFile(path string) (*facts.BackupMedia, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Kind: KindUnreadable, Msg: err.Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{Kind: KindUnreadable, Msg: err.Error()}
	}
	return Read(f, st.Size())
}
