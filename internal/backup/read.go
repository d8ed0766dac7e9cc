package backup

import (
	"bytes"
	"fmt"
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
	s := &source{r: r, size: size, win: missSize, budget: budget}
	defer s.release()
	if err := s.fetch(0, min(size, headSize)); err != nil {
		return nil, err
	}
	head := s.segs[0].b
	if bytes.HasPrefix(head, compressedMagic) {
		m, err := readCompressed(s)
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
	bs := tapeBlockSize(s)
	s.bs = bs
	s.base = max(missSize, 5*bs) // SFMB SSET VOLB MSCI and the configuration
	s.win = s.base
	var tail map[int]int64
	if size > headSize {
		// The tail holds MSLS SFMB ESET ESET SFMB: five blocks and the
		// configuration stream.
		from := max(headSize, size-max(tailSize, 6*bs))
		if err := s.fetch(from, size); err != nil {
			return nil, err
		}
		tail = scanTail(s.segs[len(s.segs)-1])
	} else {
		tail = scanTail(s.segs[0])
	}
	m, err := walk(s, tail)
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

// scanTail finds, in the tail segment, the MSLS block of each set whose ESET
// is also there, keyed by the ESET's data set number. It lets the walk jump
// over the set's data straight to its final header copy.
func scanTail(g segment) map[int]int64 {
	out := map[int]int64{}
	msls := int64(-1)
	start := (g.off + 511) &^ 511
	for off := start; off+dblkHeader <= g.off+int64(len(g.b)); off += 512 {
		h := g.b[off-g.off:]
		if !validDBLK(h) {
			continue
		}
		switch string(h[:4]) {
		case "MSLS":
			msls = off
		case "ESET":
			if len(h) >= 80 && msls >= 0 {
				out[int(le.Uint16(h[78:]))] = msls
				msls = -1
			}
		}
	}
	return out
}

// walk decodes the media header and every set, from offset 0 of s.
func walk(s *source, tail map[int]int64) (*facts.BackupMedia, error) {
	tape, err := readBlock(s, 0)
	if err != nil {
		return nil, err
	}
	if tape.typ != "TAPE" {
		return nil, errf(KindNotBackup, 0, "no MTF TAPE block at the start")
	}
	m := &facts.BackupMedia{Sets: []facts.BackupSet{}}
	sts, off, err := tape.streams(s, nil)
	if err != nil {
		return nil, err
	}
	if err := decodeTape(s, tape, sts, m); err != nil {
		return nil, err
	}
	// trailer counts the blocks of the last set's trailer still to come
	// after its first ESET: the second ESET, then a soft filemark. A file
	// cut inside them cannot be restored.
	trailer := 0
	var loc *time.Location // the last set's time zone
	for off < s.size {
		b, err := readBlock(s, off)
		if err != nil {
			if len(m.Sets) > 0 && trailer == 0 && allZero(s, off) {
				break // padding after the last set
			}
			return partial(m, err)
		}
		switch b.typ {
		case "SFMB":
			if b.off+s.bs > s.size {
				return partial(m, errf(KindTruncated, s.size, "the soft filemark at %d runs past the end of the file", b.off))
			}
			if off, err = afterSFMB(s, b); err != nil {
				return partial(m, err)
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
			set, z, next, err := walkSetFrom(s, b, tail, false)
			loc = z
			if set != nil {
				m.Sets = append(m.Sets, *set)
			}
			if err != nil {
				return partial(m, err)
			}
			off, trailer = next, 2
		case "ESET", "VOLB":
			if _, off, err = b.streams(s, nil); err != nil {
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
func lastFromTail(s *source, tail map[int]int64, m *facts.BackupMedia, loc *time.Location) (bool, error) {
	pos, at := 0, int64(-1)
	for p, o := range tail {
		if p > pos {
			pos, at = p, o
		}
	}
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
	set := facts.BackupSet{Position: pos}
	if err := readConfig(s, blk, loc, &set); err != nil {
		return false, nil
	}
	// Its SSET block (names, GUID, password, time zone) lies before its
	// data, where the reads did not go.
	set.Unknown = append(set.Unknown, "backupName", "backupDescription", "userName", "backupSetGUID", "passwordProtected", "timeZone")
	m.Sets = append(m.Sets, set)
	if pos > m.Sets[len(m.Sets)-2].Position+1 {
		m.SetsIncomplete = true
	}
	return true, checkTrailer(s, blk, s.bs)
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

func decodeTape(s *source, tape *block, sts []stream, m *facts.BackupMedia) error {
	h := tape.hdr
	if len(h) < 93 {
		return errf(KindCorrupt, 0, "TAPE block header is %d bytes", len(h))
	}
	m.MediaFamilyID = fmt.Sprintf("%08X", le.Uint32(h[52:]))
	m.MediaSequence = int(le.Uint16(h[60:]))
	pw := le.Uint16(h[62:]) != 0
	m.PasswordProtected = &pw
	m.MediaName = str(h, 68)
	m.MediaDescription = str(h, 72)
	m.SoftwareName = str(h, 80)
	for _, st := range sts {
		if st.id != "RAID" {
			continue
		}
		if st.length < 26 {
			return errf(KindCorrupt, st.off, "RAID stream is %d bytes", st.length)
		}
		d, err := s.at(st.data, st.length)
		if err != nil {
			return err
		}
		m.MediaSetID = guid(d)
		m.FamilyCount = int(le.Uint16(d[20:]))
		m.FamilySequence = int(le.Uint16(d[24:]))
		// SQL Server writes at most 64 backup devices per media set.
		if m.FamilyCount > maxFamilies || m.FamilySequence > m.FamilyCount {
			return errf(KindCorrupt, st.data+20, "media family %d of %d (at most %d)", m.FamilySequence, m.FamilyCount, maxFamilies)
		}
	}
	if m.MediaSetID == "" {
		m.Unknown = append(m.Unknown, "mediaSetId", "familyCount", "familySequence")
	}
	return nil
}

// maxFamilies is the most backup devices (stripes) one media set can have.
const maxFamilies = 64

// zone is the SSET time zone (15-minute units east of UTC; 127 = unknown).
func zone(tz int8) *time.Location {
	if tz < -48 || tz > 56 {
		return nil
	}
	if tz == 0 {
		return time.UTC
	}
	return time.FixedZone("", int(tz)*15*60)
}

// walkSetFrom decodes the set starting at SSET block b and returns it, its
// time zone and the offset after its first ESET; with headOnly it stops
// after the provisional configuration block (MSCI).
func walkSetFrom(s *source, b *block, tail map[int]int64, headOnly bool) (*facts.BackupSet, *time.Location, int64, error) {
	h := b.hdr
	if len(h) < 116 {
		return nil, nil, 0, errf(KindCorrupt, b.off, "SSET block header is %d bytes", len(h))
	}
	base := facts.BackupSet{
		Position:          int(le.Uint16(h[62:])),
		BackupName:        str(h, 64),
		BackupDescription: str(h, 68),
		UserName:          str(h, 76),
		BackupSetGUID:     guid(h[100:]),
	}
	major, minor := int(h[93]), int(h[94])
	loc := zone(int8(h[95]))
	if loc == nil {
		loc = time.UTC
		base.Unknown = append(base.Unknown, "timeZone")
	}
	pw := le.Uint16(h[56:]) != 0
	base.PasswordProtected = &pw
	_, next, err := b.streams(s, nil)
	if err != nil {
		return nil, nil, 0, err
	}
	var set *facts.BackupSet
	final := false
	for {
		blk, err := readBlock(s, next)
		if err != nil {
			return provisional(set), loc, 0, err
		}
		switch blk.typ {
		case "MSCI", "MSLS":
			cfg := base
			cfg.Unknown = append([]string(nil), base.Unknown...)
			if err := readConfig(s, blk, loc, &cfg); err != nil {
				return provisional(set), loc, 0, err
			}
			if cfg.SoftwareMajor != major || cfg.SoftwareMinor != minor {
				return provisional(set), loc, 0, errf(KindCorrupt, blk.off, "SSET says version %d.%d, the configuration %d.%d", major, minor, cfg.SoftwareMajor, cfg.SoftwareMinor)
			}
			if blk.typ == "MSLS" || set == nil {
				set = &cfg
				final = blk.typ == "MSLS"
			}
			if headOnly {
				set.Provisional = true
				return set, loc, 0, nil
			}
			_, next, err = blk.streams(s, nil)
		case "SFMB":
			if next, err = afterSFMB(s, blk); err != nil {
				return provisional(set), loc, 0, err
			}
			continue
		case "ESET":
			_, next, err = blk.streams(s, nil)
			if err != nil {
				return provisional(set), loc, 0, err
			}
			if set == nil {
				return nil, nil, 0, errf(KindCorrupt, b.off, "backup set %d has no configuration block", base.Position)
			}
			set.Provisional = !final
			return set, loc, next, nil
		case "SSET", "TAPE":
			return provisional(set), loc, 0, errf(KindCorrupt, blk.off, "backup set %d ends without an ESET block", base.Position)
		default:
			if to, ok := tail[base.Position]; ok && set != nil && !final && to > blk.off {
				next = to
				continue
			}
			_, next, err = blk.streams(s, nil)
		}
		if err != nil {
			return provisional(set), loc, 0, err
		}
	}
}

func provisional(set *facts.BackupSet) *facts.BackupSet {
	if set != nil {
		set.Provisional = true
	}
	return set
}

// readConfig decodes the MQCI stream of an MSCI or MSLS block.
func readConfig(s *source, blk *block, loc *time.Location, set *facts.BackupSet) error {
	sts, _, err := blk.streams(s, func(st stream) bool { return st.id == "MQCI" })
	if err != nil {
		return err
	}
	st := sts[len(sts)-1]
	if st.id != "MQCI" {
		return errf(KindCorrupt, blk.off, "%s block has no MQCI stream", blk.typ)
	}
	if st.enc != 0 {
		return errf(KindEncrypted, st.off, "the configuration stream is encrypted (algorithm %d)", st.enc)
	}
	if st.length > maxMQCI {
		return errf(KindCorrupt, st.off, "configuration stream of %d bytes", st.length)
	}
	d, err := s.at(st.data, st.length)
	if err != nil {
		return err
	}
	return decodeMQCI(d, st.data, loc, set)
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
