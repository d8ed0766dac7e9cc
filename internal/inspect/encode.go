package inspect

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dmsready/dmsready/checks/facts"
)

// File is one element of the report's "files": a path and what reading it
// gave. Its JSON names are stable.
type File struct {
	Path      string             `json:"path"`
	Size      int64              `json:"size"`
	Media     *facts.BackupMedia `json:"media,omitempty"`
	Error     string             `json:"error,omitempty"`
	ErrorKind string             `json:"errorKind,omitempty"`
}

// The encoder below writes a File as json.MarshalIndent would inside the
// report (prefix "    ", indent "  "), without reflection: at 100,000
// files encoding/json cost more than reading the headers. It knows every
// field of File, facts.BackupMedia, facts.BackupSet and facts.BackupFile;
// TestEncoderKnowsEveryField fails when one is added without it, and
// FuzzEncoder compares it with encoding/json on randomly filled values.

// Where each member and element goes: the report nests a file's members
// at a fixed depth (prefix "    ", indent "  "), so each line break with
// its indentation, and each key with the comma before it, is a constant.
const (
	nl4  = "\n    "    // a file's brace
	nl6  = nl4 + "  "  // its members; the media's brace
	nl8  = nl6 + "  "  // the media's members
	nl10 = nl8 + "  "  // a set's brace, an unknown of the media
	nl12 = nl10 + "  " // a set's members
	nl14 = nl12 + "  " // a database file's brace, an unknown of a set
	nl16 = nl14 + "  " // a database file's members

	fk = "," + nl6  // before a file's member
	mk = "," + nl8  // a media's
	sk = "," + nl12 // a set's
	bk = "," + nl16 // a database file's
)

// enc appends one indented element. ok turns false when a value must be
// left to encoding/json (a time it refuses to encode), whose error the
// caller then reports.
type enc struct {
	b  []byte
	ok bool
}

// str appends k (the key with what goes before it) and v quoted.
func (e *enc) str(k, v string) {
	e.b = append(e.b, k...)
	e.b = appendString(e.b, v)
}

func (e *enc) int(k string, v int64) {
	e.b = append(e.b, k...)
	// Half a header's numbers are 0-99 (sequences, versions, codes,
	// ids): written here, where strconv's call chain cost more.
	switch {
	case 0 <= v && v < 10:
		e.b = append(e.b, byte('0'+v))
	case 10 <= v && v < 100:
		e.b = append(e.b, byte('0'+v/10), byte('0'+v%10))
	default:
		e.b = strconv.AppendInt(e.b, v, 10)
	}
}

func (e *enc) bool(k string, v bool) {
	e.b = append(e.b, k...)
	if v {
		e.b = append(e.b, "true"...)
	} else {
		e.b = append(e.b, "false"...)
	}
}

// lsn appends v as facts.LSN.MarshalJSON writes it: null, or the
// decimal numeric(25,0) quoted (the VLF, then Block*10^5+Slot in 15
// digits; the low part alone when the VLF is 0).
func (e *enc) lsn(k string, v facts.LSN) {
	e.b = append(e.b, k...)
	if v.IsZero() {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '"')
	low := uint64(v.Block)*100000 + uint64(v.Slot)
	if v.VLF == 0 {
		e.b = strconv.AppendUint(e.b, low, 10)
	} else {
		if v.VLF < 100 {
			if v.VLF >= 10 {
				e.b = append(e.b, byte('0'+v.VLF/10))
			}
			e.b = append(e.b, byte('0'+v.VLF%10))
		} else {
			e.b = strconv.AppendUint(e.b, uint64(v.VLF), 10)
		}
		// low < 10^15: 15 digits, two at a time from the right.
		var d [15]byte
		for i := 13; i > 0; i -= 2 {
			q := low % 100
			low /= 100
			d[i], d[i+1] = pairs[2*q], pairs[2*q+1]
		}
		d[0] = byte('0' + low)
		e.b = append(e.b, d[:]...)
	}
	e.b = append(e.b, '"')
}

// time appends t as time.Time.MarshalJSON does (RFC 3339 with nanoseconds,
// trailing zeros dropped), or clears ok where MarshalJSON returns an error
// (a year outside 0-9999, a zone hour outside 0-23). Years 0-9999 in a
// zone of whole quarter hours, all a backup header holds, are written
// here; anything else by time.AppendFormat and checked as MarshalJSON
// checks it.
func (e *enc) time(k string, t time.Time) {
	e.b = append(e.b, k...)
	e.b = append(e.b, '"')
	_, off := t.Zone()
	y, mo, d := t.Date()
	if 0 <= y && y <= 9999 && off%900 == 0 && -24*3600 < off && off < 24*3600 {
		h, mi, sec := t.Clock()
		var b [35]byte
		b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
		b[4] = '-'
		b[5], b[6] = byte('0'+mo/10), byte('0'+mo%10)
		b[7] = '-'
		b[8], b[9] = byte('0'+d/10), byte('0'+d%10)
		b[10] = 'T'
		b[11], b[12] = byte('0'+h/10), byte('0'+h%10)
		b[13] = ':'
		b[14], b[15] = byte('0'+mi/10), byte('0'+mi%10)
		b[16] = ':'
		b[17], b[18] = byte('0'+sec/10), byte('0'+sec%10)
		n := 19
		if ns := t.Nanosecond(); ns != 0 {
			b[n] = '.'
			for i := n + 9; i > n; i-- {
				b[i] = byte('0' + ns%10)
				ns /= 10
			}
			n += 10
			for b[n-1] == '0' {
				n--
			}
		}
		if off == 0 {
			b[n] = 'Z'
			n++
		} else {
			b[n] = '+'
			if off < 0 {
				b[n], off = '-', -off
			}
			zh, zm := off/3600, off/60%60
			b[n+1], b[n+2], b[n+3], b[n+4], b[n+5] = byte('0'+zh/10), byte('0'+zh%10), ':', byte('0'+zm/10), byte('0'+zm%10)
			n += 6
		}
		e.b = append(e.b, b[:n]...)
		e.b = append(e.b, '"')
		return
	}
	n := len(e.b)
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	s := e.b[n:]
	if len(s) < 6 || s[4] != '-' {
		e.ok = false
	} else if s[len(s)-1] != 'Z' {
		z := s[len(s)-6]
		if '0' <= z && z <= '9' || 10*(s[len(s)-5]-'0')+(s[len(s)-4]-'0') >= 24 {
			e.ok = false
		}
	}
	e.b = append(e.b, '"')
}

// strings appends k and v, whose elements go on lines nl (their depth),
// the bracket closing on line end.
func (e *enc) strings(k string, v []string, nl, end string) {
	e.b = append(e.b, k...)
	e.b = append(e.b, '[')
	for i, s := range v {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, nl...)
		e.b = appendString(e.b, s)
	}
	e.b = append(e.b, end...)
	e.b = append(e.b, ']')
}

// file appends f (its braces; the caller wrote the line break before).
func (e *enc) file(f *File) {
	e.str("{"+nl6+`"path": `, f.Path)
	e.int(fk+`"size": `, f.Size)
	if f.Media != nil {
		e.media(f.Media)
	}
	if f.Error != "" {
		e.str(fk+`"error": `, f.Error)
	}
	if f.ErrorKind != "" {
		e.str(fk+`"errorKind": `, f.ErrorKind)
	}
	e.b = append(e.b, nl4+"}"...)
}

// media appends the "media" member.
func (e *enc) media(m *facts.BackupMedia) {
	e.bool(fk+`"media": {`+nl8+`"compressed": `, m.Compressed)
	if m.BlockSize != 0 {
		e.int(mk+`"blockSize": `, int64(m.BlockSize))
	}
	if m.MediaSetID != "" {
		e.str(mk+`"mediaSetId": `, m.MediaSetID)
	}
	if m.MediaFamilyID != "" {
		e.str(mk+`"mediaFamilyId": `, m.MediaFamilyID)
	}
	if m.MediaSequence != 0 {
		e.int(mk+`"mediaSequence": `, int64(m.MediaSequence))
	}
	if m.FamilyCount != 0 {
		e.int(mk+`"familyCount": `, int64(m.FamilyCount))
	}
	if m.FamilySequence != 0 {
		e.int(mk+`"familySequence": `, int64(m.FamilySequence))
	}
	if m.MediaName != "" {
		e.str(mk+`"mediaName": `, m.MediaName)
	}
	if m.MediaDescription != "" {
		e.str(mk+`"mediaDescription": `, m.MediaDescription)
	}
	if m.SoftwareName != "" {
		e.str(mk+`"softwareName": `, m.SoftwareName)
	}
	if m.PasswordProtected != nil {
		e.bool(mk+`"passwordProtected": `, *m.PasswordProtected)
	}
	switch {
	case m.Sets == nil:
		e.b = append(e.b, mk+`"sets": null`...)
	case len(m.Sets) == 0:
		e.b = append(e.b, mk+`"sets": []`...)
	default:
		e.b = append(e.b, mk+`"sets": [`...)
		for i := range m.Sets {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.set(&m.Sets[i])
		}
		e.b = append(e.b, nl8+"]"...)
	}
	if m.SetCount != 0 {
		e.int(mk+`"setCount": `, int64(m.SetCount))
	}
	if m.SetsIncomplete {
		e.b = append(e.b, mk+`"setsIncomplete": true`...)
	}
	if len(m.Unknown) > 0 {
		e.strings(mk+`"unknown": `, m.Unknown, nl10, nl8)
	}
	if m.Reads != 0 {
		e.int(mk+`"reads": `, int64(m.Reads))
	}
	if m.BytesRead != 0 {
		e.int(mk+`"bytesRead": `, m.BytesRead)
	}
	e.b = append(e.b, nl6+"}"...)
}

// set appends one element of "sets" (from its line break).
func (e *enc) set(s *facts.BackupSet) {
	e.int(nl10+"{"+nl12+`"position": `, int64(s.Position))
	if s.BackupName != "" {
		e.str(sk+`"backupName": `, s.BackupName)
	}
	if s.BackupDescription != "" {
		e.str(sk+`"backupDescription": `, s.BackupDescription)
	}
	if s.UserName != "" {
		e.str(sk+`"userName": `, s.UserName)
	}
	e.str(sk+`"databaseName": `, s.DatabaseName)
	if s.ServerName != "" {
		e.str(sk+`"serverName": `, s.ServerName)
	}
	e.str(sk+`"backupType": `, s.BackupType)
	e.int(sk+`"backupTypeCode": `, int64(s.BackupTypeCode))
	e.lsn(sk+`"firstLSN": `, s.FirstLSN)
	e.lsn(sk+`"lastLSN": `, s.LastLSN)
	e.lsn(sk+`"checkpointLSN": `, s.CheckpointLSN)
	e.lsn(sk+`"databaseBackupLSN": `, s.DatabaseBackupLSN)
	e.lsn(sk+`"differentialBaseLSN": `, s.DifferentialBaseLSN)
	if s.DifferentialBaseGUID != "" {
		e.str(sk+`"differentialBaseGUID": `, s.DifferentialBaseGUID)
	}
	e.bool(sk+`"hasBackupChecksums": `, s.HasBackupChecksums)
	e.int(sk+`"flags": `, s.Flags)
	if s.IsCopyOnly != nil {
		e.bool(sk+`"isCopyOnly": `, *s.IsCopyOnly)
	}
	if s.Encrypted != nil {
		e.bool(sk+`"encrypted": `, *s.Encrypted)
	}
	if s.TDEThumbprint != "" {
		e.str(sk+`"tdeThumbprint": `, s.TDEThumbprint)
	}
	e.str(sk+`"softwareVersion": `, s.SoftwareVersion)
	e.int(sk+`"softwareMajor": `, int64(s.SoftwareMajor))
	e.int(sk+`"softwareMinor": `, int64(s.SoftwareMinor))
	e.int(sk+`"softwareBuild": `, int64(s.SoftwareBuild))
	e.int(sk+`"databaseVersion": `, int64(s.DatabaseVersion))
	e.int(sk+`"compatibilityLevel": `, int64(s.CompatibilityLevel))
	if s.RecoveryModel != "" {
		e.str(sk+`"recoveryModel": `, s.RecoveryModel)
	}
	if s.DatabaseCreationDate != nil {
		e.time(sk+`"databaseCreationDate": `, *s.DatabaseCreationDate)
	}
	if s.BackupStartDate != nil {
		e.time(sk+`"backupStartDate": `, *s.BackupStartDate)
	}
	if s.BackupFinishDate != nil {
		e.time(sk+`"backupFinishDate": `, *s.BackupFinishDate)
	}
	e.int(sk+`"backupSize": `, s.BackupSize)
	if s.CompressedBackupSize != 0 {
		e.int(sk+`"compressedBackupSize": `, s.CompressedBackupSize)
	}
	if s.BackupSetGUID != "" {
		e.str(sk+`"backupSetGUID": `, s.BackupSetGUID)
	}
	if s.FamilyGUID != "" {
		e.str(sk+`"familyGUID": `, s.FamilyGUID)
	}
	if s.BindingID != "" {
		e.str(sk+`"bindingID": `, s.BindingID)
	}
	if s.RecoveryForkID != "" {
		e.str(sk+`"recoveryForkID": `, s.RecoveryForkID)
	}
	if s.FirstRecoveryForkID != "" {
		e.str(sk+`"firstRecoveryForkID": `, s.FirstRecoveryForkID)
	}
	e.lsn(sk+`"forkPointLSN": `, s.ForkPointLSN)
	e.lsn(sk+`"previousForkLSN": `, s.PreviousForkLSN)
	if s.PreviousRecoveryForkID != "" {
		e.str(sk+`"previousRecoveryForkID": `, s.PreviousRecoveryForkID)
	}
	e.lsn(sk+`"logChainLSN": `, s.LogChainLSN)
	e.int(sk+`"databaseStatus": `, s.DatabaseStatus)
	if s.PasswordProtected != nil {
		e.bool(sk+`"passwordProtected": `, *s.PasswordProtected)
	}
	if len(s.Files) > 0 {
		e.b = append(e.b, sk+`"files": [`...)
		for i := range s.Files {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.backupFile(&s.Files[i])
		}
		e.b = append(e.b, nl12+"]"...)
	}
	if s.Provisional {
		e.b = append(e.b, sk+`"provisional": true`...)
	}
	if len(s.Unknown) > 0 {
		e.strings(sk+`"unknown": `, s.Unknown, nl14, nl12)
	}
	e.b = append(e.b, nl10+"}"...)
}

// backupFile appends one element of a set's "files" (from its line break).
func (e *enc) backupFile(f *facts.BackupFile) {
	e.str(nl14+"{"+nl16+`"logicalName": `, f.LogicalName)
	e.str(bk+`"physicalName": `, f.PhysicalName)
	e.str(bk+`"type": `, f.Type)
	e.int(bk+`"typeCode": `, int64(f.TypeCode))
	e.int(bk+`"fileId": `, int64(f.FileID))
	e.int(bk+`"size": `, f.Size)
	if f.MaxSize != 0 {
		e.int(bk+`"maxSize": `, f.MaxSize)
	}
	if f.FileGroupName != "" {
		e.str(bk+`"fileGroupName": `, f.FileGroupName)
	}
	e.b = append(e.b, nl14+"}"...)
}

// plain[c] is true for the bytes a JSON string holds as they are under
// encoding/json's HTML-safe escaping: printable ASCII but " \ < > &
// (bytes from 0x80 are UTF-8, looked at as runes).
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// pairs holds "00" to "99".
const pairs = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" + "30313233343536373839" +
	"40414243444546474849" + "50515253545556575859" + "60616263646566676869" + "70717273747576777879" +
	"80818283848586878889" + "90919293949596979899"

// load8 is s[:8] as a little-endian word (one load, once compiled).
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// appendString appends s quoted as encoding/json quotes a string (HTML
// escaping on, as json.Marshal and json.Encoder default to): \" \\ \b \f
// \n \r \t, \u00XX for other control bytes and < > &, \ufffd for each
// byte of invalid UTF-8, \u2028 and \u2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	i := 0
	// 8 bytes at a time while none is from 0x80, below 0x20, or one of
	// " \ < > & (a zero byte in x^c marks c; the borrow of a subtraction
	// finds one, exactly as to whether there is any). Written out here,
	// where a function would not be inlined.
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(s) {
		x := load8(s[i : i+8])
		q, bs, lt, gt, amp := x^('"'*lo), x^('\\'*lo), x^('<'*lo), x^('>'*lo), x^('&'*lo)
		if (x|(x-0x20*lo)&^x|(q-lo)&^q|(bs-lo)&^bs|(lt-lo)&^lt|(gt-lo)&^gt|(amp-lo)&^amp)&hi != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	if i == len(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
