package facts

import (
	"encoding/binary"
	"strconv"
	"time"
	"unicode/utf8"
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
	intern map[string]string
}

// maxIntern bounds the intern table; it starts over when full.
const maxIntern = 1 << 14

func newFileDec() *fileDec { return &fileDec{intern: make(map[string]string, 256)} }

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
			for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:]) == spaces8 {
				i += 8
			}
			for i < len(b) && b[i] == ' ' {
				i++
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
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// object calls field for each key of an object, the cursor on its value;
// field reports the key's bit (0: unknown). A repeated key gives up.
func (d *fileDec) object(field func(key []byte) uint64) {
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
	for d.ok {
		if d.next() != '"' {
			d.fail()
			return
		}
		key, ok := d.rawKey()
		if !ok || d.next() != ':' {
			d.fail()
			return
		}
		d.i++
		d.ws()
		bit := field(key)
		if bit == 0 || seen&bit != 0 {
			d.fail()
			return
		}
		seen |= bit
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

// rawKey reads a key without escapes, cursor on its opening quote.
func (d *fileDec) rawKey() ([]byte, bool) {
	s := d.i + 1
	for j := s; j < len(d.b); j++ {
		if c := d.b[j]; strClass[c] != 0 {
			if c == '"' {
				d.i = j + 1
				return d.b[s:j], true
			}
			return nil, false
		}
	}
	return nil, false
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
		switch strClass[d.b[j]] {
		case 0:
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

// unescape reads a string with escapes from s, just after its quote; \u
// escapes give up (surrogates and invalid ones are encoding/json's).
func (d *fileDec) unescape(s int) []byte {
	out := make([]byte, 0, 64)
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

func (d *fileDec) str() string { return string(d.strBytes()) }

// shared is str through the intern table.
func (d *fileDec) shared() string {
	b := d.strBytes()
	if len(b) == 0 || !d.ok {
		return ""
	}
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	if len(d.intern) >= maxIntern {
		clear(d.intern)
	}
	s := string(b)
	d.intern[s] = s
	return s
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
	return &t
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

func (d *fileDec) fileObj(f *File) {
	d.object(func(k []byte) uint64 {
		switch string(k) {
		case "path":
			f.Path = d.str()
			return 1 << 0
		case "size":
			f.Size = d.int64(64)
			return 1 << 1
		case "blobType":
			f.BlobType = d.shared()
			return 1 << 2
		case "accessTier":
			f.AccessTier = d.shared()
			return 1 << 3
		case "lastModified":
			f.LastModified = d.timePtr()
			return 1 << 4
		case "archiveStatus":
			f.ArchiveStatus = d.shared()
			return 1 << 5
		case "backup":
			if !d.null() {
				f.Backup = &BackupMedia{}
				d.media(f.Backup)
			}
			return 1 << 6
		case "readError":
			f.ReadError = d.shared()
			return 1 << 7
		case "readErrorKind":
			f.ReadErrorKind = ReadErrorKind(d.shared())
			return 1 << 8
		case "bytesRead":
			f.BytesRead = d.int64(64)
			return 1 << 9
		case "reads":
			f.Reads = d.int()
			return 1 << 10
		}
		return 0
	})
}

func (d *fileDec) media(m *BackupMedia) {
	d.object(func(k []byte) uint64 {
		switch string(k) {
		case "compressed":
			m.Compressed = d.bool()
			return 1 << 0
		case "blockSize":
			m.BlockSize = d.int()
			return 1 << 1
		case "mediaSetId":
			m.MediaSetID = d.str()
			return 1 << 2
		case "mediaFamilyId":
			m.MediaFamilyID = d.str()
			return 1 << 3
		case "mediaSequence":
			m.MediaSequence = d.int()
			return 1 << 4
		case "familyCount":
			m.FamilyCount = d.int()
			return 1 << 5
		case "familySequence":
			m.FamilySequence = d.int()
			return 1 << 6
		case "mediaName":
			m.MediaName = d.shared()
			return 1 << 7
		case "mediaDescription":
			m.MediaDescription = d.shared()
			return 1 << 8
		case "softwareName":
			m.SoftwareName = d.shared()
			return 1 << 9
		case "passwordProtected":
			m.PasswordProtected = d.boolPtr()
			return 1 << 10
		case "sets":
			m.Sets = nil
			if !d.null() {
				d.array(func() {
					m.Sets = append(m.Sets, BackupSet{})
					d.set(&m.Sets[len(m.Sets)-1])
				}, func() { m.Sets = []BackupSet{} })
			}
			return 1 << 11
		case "setCount":
			m.SetCount = d.int()
			return 1 << 12
		case "setsIncomplete":
			m.SetsIncomplete = d.bool()
			return 1 << 13
		case "unknown":
			m.Unknown = d.strings()
			return 1 << 14
		case "reads":
			m.Reads = d.int()
			return 1 << 15
		case "bytesRead":
			m.BytesRead = d.int64(64)
			return 1 << 16
		}
		return 0
	})
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

func (d *fileDec) set(s *BackupSet) {
	d.object(func(k []byte) uint64 {
		switch string(k) {
		case "position":
			s.Position = d.int()
			return 1 << 0
		case "backupName":
			s.BackupName = d.shared()
			return 1 << 1
		case "backupDescription":
			s.BackupDescription = d.shared()
			return 1 << 2
		case "userName":
			s.UserName = d.shared()
			return 1 << 3
		case "databaseName":
			s.DatabaseName = d.shared()
			return 1 << 4
		case "serverName":
			s.ServerName = d.shared()
			return 1 << 5
		case "backupType":
			s.BackupType = d.shared()
			return 1 << 6
		case "backupTypeCode":
			s.BackupTypeCode = d.int()
			return 1 << 7
		case "firstLSN":
			s.FirstLSN = d.lsn()
			return 1 << 8
		case "lastLSN":
			s.LastLSN = d.lsn()
			return 1 << 9
		case "checkpointLSN":
			s.CheckpointLSN = d.lsn()
			return 1 << 10
		case "databaseBackupLSN":
			s.DatabaseBackupLSN = d.lsn()
			return 1 << 11
		case "differentialBaseLSN":
			s.DifferentialBaseLSN = d.lsn()
			return 1 << 12
		case "differentialBaseGUID":
			s.DifferentialBaseGUID = d.shared()
			return 1 << 13
		case "hasBackupChecksums":
			s.HasBackupChecksums = d.bool()
			return 1 << 14
		case "flags":
			s.Flags = d.int64(64)
			return 1 << 15
		case "isCopyOnly":
			s.IsCopyOnly = d.boolPtr()
			return 1 << 16
		case "encrypted":
			s.Encrypted = d.boolPtr()
			return 1 << 17
		case "tdeThumbprint":
			s.TDEThumbprint = d.shared()
			return 1 << 18
		case "softwareVersion":
			s.SoftwareVersion = d.shared()
			return 1 << 19
		case "softwareMajor":
			s.SoftwareMajor = d.int()
			return 1 << 20
		case "softwareMinor":
			s.SoftwareMinor = d.int()
			return 1 << 21
		case "softwareBuild":
			s.SoftwareBuild = d.int()
			return 1 << 22
		case "databaseVersion":
			s.DatabaseVersion = d.int()
			return 1 << 23
		case "compatibilityLevel":
			s.CompatibilityLevel = d.int()
			return 1 << 24
		case "recoveryModel":
			s.RecoveryModel = d.shared()
			return 1 << 25
		case "databaseCreationDate":
			s.DatabaseCreationDate = d.timePtr()
			return 1 << 26
		case "backupStartDate":
			s.BackupStartDate = d.timePtr()
			return 1 << 27
		case "backupFinishDate":
			s.BackupFinishDate = d.timePtr()
			return 1 << 28
		case "backupSize":
			s.BackupSize = d.int64(64)
			return 1 << 29
		case "compressedBackupSize":
			s.CompressedBackupSize = d.int64(64)
			return 1 << 30
		case "backupSetGUID":
			s.BackupSetGUID = d.str()
			return 1 << 31
		case "familyGUID":
			s.FamilyGUID = d.shared()
			return 1 << 32
		case "bindingID":
			s.BindingID = d.shared()
			return 1 << 33
		case "recoveryForkID":
			s.RecoveryForkID = d.shared()
			return 1 << 34
		case "firstRecoveryForkID":
			s.FirstRecoveryForkID = d.shared()
			return 1 << 35
		case "forkPointLSN":
			s.ForkPointLSN = d.lsn()
			return 1 << 36
		case "previousForkLSN":
			s.PreviousForkLSN = d.lsn()
			return 1 << 37
		case "previousRecoveryForkID":
			s.PreviousRecoveryForkID = d.shared()
			return 1 << 38
		case "logChainLSN":
			s.LogChainLSN = d.lsn()
			return 1 << 39
		case "databaseStatus":
			s.DatabaseStatus = d.int64(64)
			return 1 << 40
		case "passwordProtected":
			s.PasswordProtected = d.boolPtr()
			return 1 << 41
		case "files":
			s.Files = nil
			if !d.null() {
				d.array(func() {
					s.Files = append(s.Files, BackupFile{})
					d.backupFile(&s.Files[len(s.Files)-1])
				}, func() { s.Files = []BackupFile{} })
			}
			return 1 << 42
		case "provisional":
			s.Provisional = d.bool()
			return 1 << 43
		case "unknown":
			s.Unknown = d.strings()
			return 1 << 44
		}
		return 0
	})
}

func (d *fileDec) backupFile(f *BackupFile) {
	d.object(func(k []byte) uint64 {
		switch string(k) {
		case "logicalName":
			f.LogicalName = d.shared()
			return 1 << 0
		case "physicalName":
			f.PhysicalName = d.shared()
			return 1 << 1
		case "type":
			f.Type = d.shared()
			return 1 << 2
		case "typeCode":
			f.TypeCode = d.int()
			return 1 << 3
		case "fileId":
			f.FileID = d.int()
			return 1 << 4
		case "size":
			f.Size = d.int64(64)
			return 1 << 5
		case "maxSize":
			f.MaxSize = d.int64(64)
			return 1 << 6
		case "fileGroupName":
			f.FileGroupName = d.shared()
			return 1 << 7
		}
		return 0
	})
}
