package backup

import (
	"strconv"
	"time"
	"unsafe"

	"github.com/dmsready/dmsready/internal/intern"
)

// texts decodes the strings of headers into a reused buffer and keeps one
// copy of each value seen recently: a database's names, server, version,
// file names and GUIDs repeat in every one of its backups, so reading an
// estate allocates them once, not once per backup. Only equal strings are
// shared, so nothing decoded changes.
//
// It also remembers, per field (a slot), the raw bytes it decoded last
// and the string they gave: the backups of one database come one after
// another, and for them a field costs one comparison of its raw bytes,
// not a decode and a lookup. The string is the one the raw bytes decode
// to (only equal raw bytes match), so nothing decoded changes either.
type texts struct {
	buf    []byte
	seen   intern.Table
	groups []group
	ids    []int
	// arena holds the strings unique to the header being read (its
	// media family, media set and backup set GUIDs): one allocation for
	// them, not one each. It is dropped after every Read.
	arena []byte
	last  [nSlots]memo
	guids [nGUIDSlots]guidMemo
	// loc is the last location offset looked up, and what it gave.
	loc struct {
		loc   *time.Location
		off   int
		fixed bool
	}
	// made is the last database creation date decoded, its raw bytes
	// and location (the same in every backup of a database).
	made struct {
		raw [5]byte
		loc *time.Location
		t   time.Time
		ok  bool
		set bool
	}
	// ver is the last version string and its numbers.
	ver struct {
		major, minor, build int
		s                   string
	}
}

// memo is a field's last raw bytes and their string.
type memo struct {
	raw []byte
	s   string
	set bool
}

// guidMemo is a GUID field's last raw bytes and their text.
type guidMemo struct {
	raw [16]byte
	s   string
	set bool
}

// Slots of the strings remembered per field; files and filegroups past
// the first few are decoded each time (noSlot).
const (
	slotMediaName = iota
	slotMediaDesc
	slotSoftware
	slotBackupName
	slotBackupDesc
	slotUser
	slotDatabase
	slotServer
	slotGroup                              // memoGroups of them
	slotLogical  = slotGroup + memoGroups  // memoFiles of them
	slotPhysical = slotLogical + memoFiles // memoFiles of them
	nSlots       = slotPhysical + memoFiles

	memoGroups = 4
	memoFiles  = 8
	noSlot     = -1
)

// Slots of the GUIDs remembered per field.
const (
	guidBinding = iota
	guidFork
	guidPrevFork
	guidFamily
	guidDiffBase
	nGUIDSlots
)

// maxSeen bounds the values kept: past it the memory is cleared.
const maxSeen = 4096

func newTexts() texts {
	return texts{buf: make([]byte, 0, 256), seen: intern.New(maxSeen)}
}

// intern returns b as a string, the kept copy when there is one.
func (t *texts) intern(b []byte) string { return t.seen.Bytes(b) }

// str is str(b, at), shared; slot is the field's (noSlot: none).
func (t *texts) str(b []byte, at, slot int) string {
	raw := strBytes(b, at)
	if slot < 0 || slot >= len(t.last) {
		return t.utf16(raw)
	}
	m := &t.last[slot]
	if m.set && string(raw) == string(m.raw) {
		return m.s
	}
	s := t.utf16(raw)
	m.raw, m.s, m.set = append(m.raw[:0], raw...), s, true
	return s
}

// utf16 is the UTF-16LE raw as UTF-8, shared.
func (t *texts) utf16(raw []byte) string {
	t.buf = appendUTF16(t.buf[:0], raw)
	return t.intern(t.buf)
}

// guid is guid(b), shared: for GUIDs that repeat across backups (a
// database's family and fork, a differential base); slot is the field's.
func (t *texts) guid(b []byte, slot int) string {
	m := &t.guids[slot]
	if len(b) >= 16 && m.set && string(b[:16]) == string(m.raw[:]) {
		return m.s
	}
	t.buf = appendGUID(t.buf[:0], b)
	s := t.intern(t.buf)
	if len(b) >= 16 {
		m.raw, m.s, m.set = [16]byte(b[:16]), s, true
	}
	return s
}

// offset is fixedOffset(loc), remembered.
func (t *texts) offset(loc *time.Location) (int, bool) {
	if l := &t.loc; l.loc != loc || loc == nil {
		l.loc = loc
		l.off, l.fixed = fixedOffset(loc)
	}
	return t.loc.off, t.loc.fixed
}

// created is box.date(0, raw, loc, off, fixed), remembered.
func (t *texts) created(box *setBox, raw []byte, loc *time.Location, off int, fixed bool) *time.Time {
	m := &t.made
	if !m.set || m.loc != loc || [5]byte(raw) != m.raw {
		d := box.date(0, raw, loc, off, fixed)
		m.raw, m.loc, m.set, m.ok = [5]byte(raw), loc, true, d != nil
		if d != nil {
			m.t = *d
		}
		return d
	}
	if !m.ok {
		return nil
	}
	box.dates[0] = m.t
	return &box.dates[0]
}

// version is "major.minor.build", shared.
func (t *texts) version(major, minor, build int) string {
	if v := &t.ver; v.s != "" && v.major == major && v.minor == minor && v.build == build {
		return v.s
	}
	b := strconv.AppendInt(t.buf[:0], int64(major), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(minor), 10)
	b = append(b, '.')
	t.buf = strconv.AppendInt(b, int64(build), 10)
	s := t.intern(t.buf)
	t.ver.major, t.ver.minor, t.ver.build, t.ver.s = major, minor, build, s
	return s
}

// uniqueGUID is guid(b), not shared: for GUIDs that name one backup.
func (t *texts) uniqueGUID(b []byte) string {
	t.buf = appendGUID(t.buf[:0], b)
	return t.unique(t.buf)
}

// arenaSize is the room for a header's unique strings: a media family
// id (8 bytes) and two GUIDs (36 each), an 80-byte size class.
const arenaSize = 80

// unique is b as a string in the arena, not shared with other headers.
// The arena's bytes are written once and never again (nothing but
// append writes to it, and only past the strings it holds), so the
// strings are immutable as strings must be.
func (t *texts) unique(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(t.arena)-len(t.arena) < len(b) {
		t.arena = make([]byte, 0, max(arenaSize, len(b)))
	}
	i := len(t.arena)
	t.arena = append(t.arena, b...)
	return unsafe.String(&t.arena[i], len(b))
}
