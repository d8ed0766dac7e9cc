package facts

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dmsready/dmsready/internal/intern"
)

// fileDec decodes one element of storage.files, the bulk of a facts file,
// without reflection. It accepts a strict subset of what encoding/json
// accepts: the keys exactly as Write spells them, each at most once, plain
// numbers, strings without \u escapes, RFC 3339 UTC times and decimal LSNs.
// Anything else (an unknown or differently cased key, a duplicate, a float
// for an int, null for a non-pointer, an offset time) makes it give up, and
// the caller decodes that element with encoding/json, whose result and
// error messages are the reference: on what it accepts, fileDec gives
// exactly encoding/json's result (FuzzFileDec compares them).
type fileDec struct {
	b  []byte
	i  int
	ok bool
	// intern shares the strings that repeat from file to file (database,
	// server and logical file names, GUIDs of a family, versions): fewer
	// allocations, and the facts hold each once per decoder.
	intern intern.Table
	// esc holds the last unescaped string; files the BackupFiles of the
	// set being read; times is a slab the decoded times are cut from.
	esc   []byte
	files []BackupFile
	times []time.Time
}

// maxIntern bounds the intern table; it starts over when full.
const maxIntern = 1 << 14

func newFileDec() *fileDec { return &fileDec{intern: intern.New(maxIntern)} }

// file decodes b, one whole JSON value, into f; false when it gave up.
func (d *fileDec) file(b []byte, f *File) bool {
	d.b, d.i, d.ok = b, 0, true
	*f = File{}
	d.fileObj(f)
	d.ws()
	return d.ok && d.i == len(d.b)
}

func (d *fileDec) fail() { d.ok = false }

func (d *fileDec) ws() { d.i = skipWS(d.b, d.i) }

// spaces8 is eight spaces read as a little-endian word.
const spaces8 = 0x2020202020202020

// skipWS returns the index of the first byte from i on that is not white
// space. Indentation goes eight spaces at a time: Write indents, and
// spaces are some 40 % of a facts file.
func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ':
			i++
			if i < len(b) && b[i] == ' ' { // indentation, not ": "
				for i+8 <= len(b) {
					if x := binary.LittleEndian.Uint64(b[i:]) ^ spaces8; x != 0 {
						i += bits.TrailingZeros64(x) >> 3
						break
					}
					i += 8
				}
				for i < len(b) && b[i] == ' ' {
					i++
				}
			}
		case '\n', '\t', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// next skips white space and returns the next byte (0 at the end).
func (d *fileDec) next() byte {
	if d.i < len(d.b) && d.b[d.i] > ' ' { // no white space: most often
		return d.b[d.i]
	}
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// object calls field with the index in keys of each key of an object,
// the cursor on its value. Keys are tried in keys' order from the one
// after the last (Write's order, the struct's); an unknown, escaped or
// repeated key gives up.
func (d *fileDec) object(keys []string, field func(k int)) {
	if d.next() != '{' {
		d.fail()
		return
	}
	d.i++
	if d.next() == '}' {
		d.i++
		return
	}
	var seen uint64
	from := 0
	for d.ok {
		if d.next() != '"' {
			d.fail()
			return
		}
		k := d.key(keys, from)
		if k < 0 || seen&(1<<k) != 0 || d.next() != ':' {
			d.fail()
			return
		}
		d.i++
		d.ws()
		seen |= 1 << k
		from = k + 1
		field(k)
		switch d.next() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.fail()
			return
		}
	}
}

// key returns the index of the key at the cursor (its quote) in keys and
// moves past it; -1 when it is none of them.
func (d *fileDec) key(keys []string, from int) int {
	b := d.b[d.i+1:]
	for k := from; k < len(keys); k++ {
		if n := len(keys[k]); len(b) > n && b[n] == '"' && string(b[:n]) == keys[k] {
			d.i += n + 2
			return k
		}
	}
	for k := range min(from, len(keys)) {
		if n := len(keys[k]); len(b) > n && b[n] == '"' && string(b[:n]) == keys[k] {
			d.i += n + 2
			return k
		}
	}
	return -1
}

// strClass marks the bytes a string scan stops at: 1 the quote, 2 a
// backslash, 3 a control character (invalid), 4 a non-ASCII byte.
var strClass = func() (t [256]byte) {
	for c := range 0x20 {
		t[c] = 3
	}
	t['"'], t['\\'] = 1, 2
	for c := 0x80; c < 0x100; c++ {
		t[c] = 4
	}
	return t
}()

// null consumes a null literal if one is next.
func (d *fileDec) null() bool {
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// strBytes reads a string's content: raw when it has no escapes (shared
// with the input), unescaped into a new slice otherwise.
func (d *fileDec) strBytes() []byte {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		d.fail()
		return nil
	}
	s := d.i + 1
	ascii := true
	for j := s; j < len(d.b); j++ {
		j = strStop(d.b, j)
		if j == len(d.b) {
			break
		}
		switch strClass[d.b[j]] {
		case 1:
			d.i = j + 1
			if !ascii && !utf8.Valid(d.b[s:j]) {
				d.fail() // encoding/json replaces invalid UTF-8: its job
			}
			return d.b[s:j]
		case 2:
			return d.unescape(s)
		case 3:
			d.fail()
			return nil
		case 4:
			ascii = false
		}
	}
	d.fail()
	return nil
}

// SWAR: eight bytes at a time, as a little-endian word.
const (
	ones    = 0x0101010101010101
	highs   = 0x8080808080808080
	quotes8 = '"' * ones
	bslash8 = '\\' * ones
)

// zeroBytes flags the zero bytes of x in their high bits; the lowest flag
// is exact (borrows only run upwards).
func zeroBytes(x uint64) uint64 { return (x - ones) &^ x & highs }

// strStop returns the index of the first byte from j on that ends a
// plain run of string content ('"', '\\', a control or non-ASCII byte),
// or len(b).
func strStop(b []byte, j int) int {
	for ; j+8 <= len(b); j += 8 {
		x := binary.LittleEndian.Uint64(b[j:])
		m := zeroBytes(x^quotes8) | zeroBytes(x^bslash8) | (x-0x20*ones)&^x&highs | x&highs
		if m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
	}
	for ; j < len(b); j++ {
		if strClass[b[j]] != 0 {
			return j
		}
	}
	return j
}

// unescape reads a string with escapes from s, just after its quote. A
// \u escape of a lone surrogate gives up (encoding/json replaces it).
func (d *fileDec) unescape(s int) []byte {
	out := d.esc[:0]
	defer func() { d.esc = out[:0] }()
	ascii := true
	for j := s; j < len(d.b); j++ {
		c := d.b[j]
		switch {
		case c == '"':
			d.i = j + 1
			if !ascii && !utf8.Valid(out) {
				d.fail()
			}
			return out
		case c == '\\':
			j++
			if j >= len(d.b) {
				d.fail()
				return nil
			}
			switch d.b[j] {
			case '"', '\\', '/':
				out = append(out, d.b[j])
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, n := unicodeEscape(d.b[j-1:])
				if n == 0 {
					d.fail()
					return nil
				}
				out = utf8.AppendRune(out, r)
				j += n - 2
			default:
				d.fail()
				return nil
			}
		case c < 0x20:
			d.fail()
			return nil
		default:
			if c >= 0x80 {
				ascii = false
			}
			out = append(out, c)
		}
	}
	d.fail()
	return nil
}

// unicodeEscape reads \uXXXX, or a surrogate pair of them, at the start
// of b: the rune and the bytes read, 0 when invalid or a lone surrogate.
func unicodeEscape(b []byte) (rune, int) {
	r := hex4(b)
	switch {
	case r < 0:
		return 0, 0
	case r < 0xD800 || r > 0xDFFF:
		return r, 6
	case r >= 0xDC00:
		return 0, 0
	}
	lo := hex4(b[min(6, len(b)):])
	if lo < 0xDC00 || lo > 0xDFFF {
		return 0, 0
	}
	return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
}

// hex4 reads \uXXXX at the start of b; -1 when it is not there.
func hex4(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1
		}
	}
	return r
}

func (d *fileDec) str() string { return string(d.strBytes()) }

// shared is str through the intern table.
func (d *fileDec) shared() string {
	b := d.strBytes()
	if len(b) == 0 || !d.ok {
		return ""
	}
	return d.intern.Bytes(b)
}

// int64 reads an integer as encoding/json does into a signed field of
// the given bits: JSON number grammar without fraction or exponent (those,
// and overflow, give up).
func (d *fileDec) int64(bits int) int64 {
	j := d.i
	neg := j < len(d.b) && d.b[j] == '-'
	if neg {
		j++
	}
	ds := j
	var v uint64
	for j < len(d.b) && d.b[j] >= '0' && d.b[j] <= '9' && j-ds < 19 {
		v = v*10 + uint64(d.b[j]-'0')
		j++
	}
	if j == ds || (d.b[ds] == '0' && j > ds+1) {
		d.fail()
		return 0
	}
	if j < len(d.b) {
		switch d.b[j] {
		case '.', 'e', 'E', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			d.fail() // a fraction, an exponent or a 20th digit
			return 0
		}
	}
	limit := uint64(1) << (bits - 1)
	if (!neg && v >= limit) || (neg && v > limit) {
		d.fail()
		return 0
	}
	d.i = j
	if neg {
		return -int64(v)
	}
	return int64(v)
}

func (d *fileDec) int() int { return int(d.int64(strconv.IntSize)) }

func (d *fileDec) bool() bool {
	switch {
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		d.i += 4
		return true
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		d.i += 5
		return false
	}
	d.fail()
	return false
}

func (d *fileDec) boolPtr() *bool {
	if d.null() {
		return nil
	}
	v := d.bool()
	return &v
}

// lsn reads a decimal string or null, as LSN.UnmarshalJSON does for the
// forms it meets; signs and escapes give up.
func (d *fileDec) lsn() LSN {
	if d.null() {
		return LSN{}
	}
	b := d.strBytes()
	if !d.ok {
		return LSN{}
	}
	l, ok := lsnDigits(b)
	if !ok {
		d.fail()
	}
	return l
}

// lsnDigits is ParseLSN for a string of ASCII digits (or empty);
// false for anything else or out of range.
func lsnDigits(b []byte) (LSN, bool) {
	for len(b) > 0 && b[0] == '0' {
		b = b[1:]
	}
	if len(b) > 25 {
		return LSN{}, false
	}
	var vlf, low uint64
	for k, c := range b {
		if c < '0' || c > '9' {
			return LSN{}, false
		}
		if k < len(b)-15 {
			vlf = vlf*10 + uint64(c-'0')
		} else {
			low = low*10 + uint64(c-'0')
		}
	}
	block, slot := low/100000, low%100000
	if vlf > 0xFFFFFFFF || block > 0xFFFFFFFF || slot > 0xFFFF {
		return LSN{}, false
	}
	return LSN{VLF: uint32(vlf), Block: uint32(block), Slot: uint16(slot)}, true
}

// timePtr reads null or an RFC 3339 time in UTC ("Z", optional fraction),
// as time.Time.UnmarshalJSON reads it; offsets give up (Parse may pick
// time.Local for them).
func (d *fileDec) timePtr() *time.Time {
	if d.null() {
		return nil
	}
	b := d.strBytes()
	if !d.ok {
		return nil
	}
	t, ok := utcTime(b)
	if !ok {
		d.fail()
		return nil
	}
	if len(d.times) == 0 {
		d.times = make([]time.Time, 256)
	}
	p := &d.times[0]
	*p, d.times = t, d.times[1:]
	return p
}

// utcTime parses YYYY-MM-DDTHH:MM:SS[.fraction]Z.
func utcTime(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(p, n int) (int, bool) {
		v := 0
		for _, c := range b[p : p+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	dd, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	s, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || dd < 1 || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, false
	}
	ns := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		v, ok := num(20, len(frac)-1)
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			v *= 10
		}
		ns = v
	}
	t := time.Date(y, time.Month(mo), dd, h, mi, s, ns, time.UTC)
	if t.Day() != dd { // Feb 30 and the like: Parse refuses them
		return time.Time{}, false
	}
	return t, true
}

var fileKeys = []string{"path", "size", "blobType", "accessTier", "lastModified", "archiveStatus", "backup", "readError", "readErrorKind", "bytesRead", "reads"}

func (d *fileDec) fileObj(f *File) {
	d.object(fileKeys, func(k int) {
		switch k {
		case 0: // path
			f.Path = d.str()
		case 1: // size
			f.Size = d.int64(64)
		case 2: // blobType
			f.BlobType = d.shared()
		case 3: // accessTier
			f.AccessTier = d.shared()
		case 4: // lastModified
			f.LastModified = d.timePtr()
		case 5: // archiveStatus
			f.ArchiveStatus = d.shared()
		case 6: // backup
			if !d.null() {
				f.Backup = d.media()
			}
		case 7: // readError
			f.ReadError = d.shared()
		case 8: // readErrorKind
			f.ReadErrorKind = ReadErrorKind(d.shared())
		case 9: // bytesRead
			f.BytesRead = d.int64(64)
		case 10: // reads
			f.Reads = d.int()
		}
	})
}

var mediaKeys = []string{"compressed", "blockSize", "mediaSetId", "mediaFamilyId", "mediaSequence", "familyCount", "familySequence", "mediaName", "mediaDescription", "softwareName", "passwordProtected", "sets", "setCount", "setsIncomplete", "unknown", "reads", "bytesRead"}

// mediaSet is a BackupMedia and room for its one set (as most hold), in
// one allocation.
type mediaSet struct {
	m   BackupMedia
	set [1]BackupSet
}

func (d *fileDec) media() *BackupMedia {
	ms := &mediaSet{}
	m := &ms.m
	d.object(mediaKeys, func(k int) {
		switch k {
		case 0: // compressed
			m.Compressed = d.bool()
		case 1: // blockSize
			m.BlockSize = d.int()
		case 2: // mediaSetId
			m.MediaSetID = d.str()
		case 3: // mediaFamilyId
			m.MediaFamilyID = d.str()
		case 4: // mediaSequence
			m.MediaSequence = d.int()
		case 5: // familyCount
			m.FamilyCount = d.int()
		case 6: // familySequence
			m.FamilySequence = d.int()
		case 7: // mediaName
			m.MediaName = d.shared()
		case 8: // mediaDescription
			m.MediaDescription = d.shared()
		case 9: // softwareName
			m.SoftwareName = d.shared()
		case 10: // passwordProtected
			m.PasswordProtected = d.boolPtr()
		case 11: // sets
			m.Sets = nil
			if !d.null() {
				d.array(func() {
					if m.Sets == nil {
						m.Sets = ms.set[:1:1]
					} else {
						m.Sets = append(m.Sets, BackupSet{})
					}
					d.set(&m.Sets[len(m.Sets)-1])
				}, func() { m.Sets = []BackupSet{} })
			}
		case 12: // setCount
			m.SetCount = d.int()
		case 13: // setsIncomplete
			m.SetsIncomplete = d.bool()
		case 14: // unknown
			m.Unknown = d.strings()
		case 15: // reads
			m.Reads = d.int()
		case 16: // bytesRead
			m.BytesRead = d.int64(64)
		}
	})
	return m
}

// array calls elem for each element of an array, empty for [] (a
// non-nil empty slice, as encoding/json makes).
func (d *fileDec) array(elem, empty func()) {
	if d.next() != '[' {
		d.fail()
		return
	}
	d.i++
	if d.next() == ']' {
		d.i++
		empty()
		return
	}
	for d.ok {
		d.ws()
		elem()
		switch d.next() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.fail()
			return
		}
	}
}

func (d *fileDec) strings() []string {
	if d.null() {
		return nil
	}
	var v []string
	d.array(func() { v = append(v, d.shared()) }, func() { v = []string{} })
	return v
}

var setKeys = []string{"position", "backupName", "backupDescription", "userName", "databaseName", "serverName", "backupType", "backupTypeCode", "firstLSN", "lastLSN", "checkpointLSN", "databaseBackupLSN", "differentialBaseLSN", "differentialBaseGUID", "hasBackupChecksums", "flags", "isCopyOnly", "encrypted", "tdeThumbprint", "softwareVersion", "softwareMajor", "softwareMinor", "softwareBuild", "databaseVersion", "compatibilityLevel", "recoveryModel", "databaseCreationDate", "backupStartDate", "backupFinishDate", "backupSize", "compressedBackupSize", "backupSetGUID", "familyGUID", "bindingID", "recoveryForkID", "firstRecoveryForkID", "forkPointLSN", "previousForkLSN", "previousRecoveryForkID", "logChainLSN", "databaseStatus", "passwordProtected", "files", "provisional", "unknown"}

func (d *fileDec) set(s *BackupSet) {
	d.object(setKeys, func(k int) {
		switch k {
		case 0: // position
			s.Position = d.int()
		case 1: // backupName
			s.BackupName = d.shared()
		case 2: // backupDescription
			s.BackupDescription = d.shared()
		case 3: // userName
			s.UserName = d.shared()
		case 4: // databaseName
			s.DatabaseName = d.shared()
		case 5: // serverName
			s.ServerName = d.shared()
		case 6: // backupType
			s.BackupType = d.shared()
		case 7: // backupTypeCode
			s.BackupTypeCode = d.int()
		case 8: // firstLSN
			s.FirstLSN = d.lsn()
		case 9: // lastLSN
			s.LastLSN = d.lsn()
		case 10: // checkpointLSN
			s.CheckpointLSN = d.lsn()
		case 11: // databaseBackupLSN
			s.DatabaseBackupLSN = d.lsn()
		case 12: // differentialBaseLSN
			s.DifferentialBaseLSN = d.lsn()
		case 13: // differentialBaseGUID
			s.DifferentialBaseGUID = d.shared()
		case 14: // hasBackupChecksums
			s.HasBackupChecksums = d.bool()
		case 15: // flags
			s.Flags = d.int64(64)
		case 16: // isCopyOnly
			s.IsCopyOnly = d.boolPtr()
		case 17: // encrypted
			s.Encrypted = d.boolPtr()
		case 18: // tdeThumbprint
			s.TDEThumbprint = d.shared()
		case 19: // softwareVersion
			s.SoftwareVersion = d.shared()
		case 20: // softwareMajor
			s.SoftwareMajor = d.int()
		case 21: // softwareMinor
			s.SoftwareMinor = d.int()
		case 22: // softwareBuild
			s.SoftwareBuild = d.int()
		case 23: // databaseVersion
			s.DatabaseVersion = d.int()
		case 24: // compatibilityLevel
			s.CompatibilityLevel = d.int()
		case 25: // recoveryModel
			s.RecoveryModel = d.shared()
		case 26: // databaseCreationDate
			s.DatabaseCreationDate = d.timePtr()
		case 27: // backupStartDate
			s.BackupStartDate = d.timePtr()
		case 28: // backupFinishDate
			s.BackupFinishDate = d.timePtr()
		case 29: // backupSize
			s.BackupSize = d.int64(64)
		case 30: // compressedBackupSize
			s.CompressedBackupSize = d.int64(64)
		case 31: // backupSetGUID
			s.BackupSetGUID = d.str()
		case 32: // familyGUID
			s.FamilyGUID = d.shared()
		case 33: // bindingID
			s.BindingID = d.shared()
		case 34: // recoveryForkID
			s.RecoveryForkID = d.shared()
		case 35: // firstRecoveryForkID
			s.FirstRecoveryForkID = d.shared()
		case 36: // forkPointLSN
			s.ForkPointLSN = d.lsn()
		case 37: // previousForkLSN
			s.PreviousForkLSN = d.lsn()
		case 38: // previousRecoveryForkID
			s.PreviousRecoveryForkID = d.shared()
		case 39: // logChainLSN
			s.LogChainLSN = d.lsn()
		case 40: // databaseStatus
			s.DatabaseStatus = d.int64(64)
		case 41: // passwordProtected
			s.PasswordProtected = d.boolPtr()
		case 42: // files
			s.Files = nil
			if !d.null() {
				fs := d.files[:0]
				d.array(func() {
					fs = append(fs, BackupFile{})
					d.backupFile(&fs[len(fs)-1])
				}, func() { s.Files = []BackupFile{} })
				if len(fs) > 0 {
					s.Files = slices.Clone(fs) // one allocation of the right size
				}
				clear(fs)
				d.files = fs[:0]
			}
		case 43: // provisional
			s.Provisional = d.bool()
		case 44: // unknown
			s.Unknown = d.strings()
		}
	})
}

var backupFileKeys = []string{"logicalName", "physicalName", "type", "typeCode", "fileId", "size", "maxSize", "fileGroupName"}

func (d *fileDec) backupFile(f *BackupFile) {
	d.object(backupFileKeys, func(k int) {
		switch k {
		case 0: // logicalName
			f.LogicalName = d.shared()
		case 1: // physicalName
			f.PhysicalName = d.shared()
		case 2: // type
			f.Type = d.shared()
		case 3: // typeCode
			f.TypeCode = d.int()
		case 4: // fileId
			f.FileID = d.int()
		case 5: // size
			f.Size = d.int64(64)
		case 6: // maxSize
			f.MaxSize = d.int64(64)
		case 7: // fileGroupName
			f.FileGroupName = d.shared()
		}
	})
}
