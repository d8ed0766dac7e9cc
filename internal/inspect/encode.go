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

// spaces holds the indentation: the report nests at most 9 levels deep.
const spaces = "                                        "

// enc appends one indented element. ok turns false when a value must be
// left to encoding/json (a time it refuses to encode), whose error the
// caller then reports.
type enc struct {
	b  []byte
	ok bool
}

// nl starts a line at depth d below the element ("    " + 2 per level).
func (e *enc) nl(d int) {
	e.b = append(e.b, '\n')
	e.b = append(e.b, spaces[:4+2*d]...)
}

// key starts member k (`"name": `, written by the caller with its quotes
// and colon) at depth d; first says no comma before it.
func (e *enc) key(d int, first bool, k string) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.nl(d)
	e.b = append(e.b, k...)
}

func (e *enc) str(d int, first bool, k, v string) {
	e.key(d, first, k)
	e.b = appendString(e.b, v)
}

func (e *enc) int(d int, first bool, k string, v int64) {
	e.key(d, first, k)
	e.b = strconv.AppendInt(e.b, v, 10)
}

func (e *enc) bool(d int, first bool, k string, v bool) {
	e.key(d, first, k)
	e.b = strconv.AppendBool(e.b, v)
}

func (e *enc) lsn(d int, k string, v facts.LSN) {
	e.key(d, false, k)
	if v.IsZero() {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '"')
	e.b = v.AppendDecimal(e.b)
	e.b = append(e.b, '"')
}

// time writes t as time.Time.MarshalJSON does, or clears ok where it
// returns an error (a year outside 0-9999, a zone hour outside 0-23).
func (e *enc) time(d int, k string, t time.Time) {
	e.key(d, false, k)
	e.b = append(e.b, '"')
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

func (e *enc) strings(d int, k string, v []string) {
	e.key(d, false, k)
	e.b = append(e.b, '[')
	for i, s := range v {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.nl(d + 1)
		e.b = appendString(e.b, s)
	}
	e.nl(d)
	e.b = append(e.b, ']')
}

// file appends f at depth 0 (its braces).
func (e *enc) file(f *File) {
	e.b = append(e.b, '{')
	e.str(1, true, `"path": `, f.Path)
	e.int(1, false, `"size": `, f.Size)
	if f.Media != nil {
		e.key(1, false, `"media": `)
		e.media(1, f.Media)
	}
	if f.Error != "" {
		e.str(1, false, `"error": `, f.Error)
	}
	if f.ErrorKind != "" {
		e.str(1, false, `"errorKind": `, f.ErrorKind)
	}
	e.nl(0)
	e.b = append(e.b, '}')
}

// media appends m, whose brace is at depth d.
func (e *enc) media(d int, m *facts.BackupMedia) {
	d1 := d + 1
	e.b = append(e.b, '{')
	e.bool(d1, true, `"compressed": `, m.Compressed)
	if m.BlockSize != 0 {
		e.int(d1, false, `"blockSize": `, int64(m.BlockSize))
	}
	if m.MediaSetID != "" {
		e.str(d1, false, `"mediaSetId": `, m.MediaSetID)
	}
	if m.MediaFamilyID != "" {
		e.str(d1, false, `"mediaFamilyId": `, m.MediaFamilyID)
	}
	if m.MediaSequence != 0 {
		e.int(d1, false, `"mediaSequence": `, int64(m.MediaSequence))
	}
	if m.FamilyCount != 0 {
		e.int(d1, false, `"familyCount": `, int64(m.FamilyCount))
	}
	if m.FamilySequence != 0 {
		e.int(d1, false, `"familySequence": `, int64(m.FamilySequence))
	}
	if m.MediaName != "" {
		e.str(d1, false, `"mediaName": `, m.MediaName)
	}
	if m.MediaDescription != "" {
		e.str(d1, false, `"mediaDescription": `, m.MediaDescription)
	}
	if m.SoftwareName != "" {
		e.str(d1, false, `"softwareName": `, m.SoftwareName)
	}
	if m.PasswordProtected != nil {
		e.bool(d1, false, `"passwordProtected": `, *m.PasswordProtected)
	}
	e.key(d1, false, `"sets": `)
	switch {
	case m.Sets == nil:
		e.b = append(e.b, "null"...)
	case len(m.Sets) == 0:
		e.b = append(e.b, "[]"...)
	default:
		e.b = append(e.b, '[')
		for i := range m.Sets {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.nl(d1 + 1)
			e.set(d1+1, &m.Sets[i])
		}
		e.nl(d1)
		e.b = append(e.b, ']')
	}
	if m.SetCount != 0 {
		e.int(d1, false, `"setCount": `, int64(m.SetCount))
	}
	if m.SetsIncomplete {
		e.bool(d1, false, `"setsIncomplete": `, true)
	}
	if len(m.Unknown) > 0 {
		e.strings(d1, `"unknown": `, m.Unknown)
	}
	if m.Reads != 0 {
		e.int(d1, false, `"reads": `, int64(m.Reads))
	}
	if m.BytesRead != 0 {
		e.int(d1, false, `"bytesRead": `, m.BytesRead)
	}
	e.nl(d)
	e.b = append(e.b, '}')
}

// set appends s, whose brace is at depth d.
func (e *enc) set(d int, s *facts.BackupSet) {
	d1 := d + 1
	e.b = append(e.b, '{')
	e.int(d1, true, `"position": `, int64(s.Position))
	if s.BackupName != "" {
		e.str(d1, false, `"backupName": `, s.BackupName)
	}
	if s.BackupDescription != "" {
		e.str(d1, false, `"backupDescription": `, s.BackupDescription)
	}
	if s.UserName != "" {
		e.str(d1, false, `"userName": `, s.UserName)
	}
	e.str(d1, false, `"databaseName": `, s.DatabaseName)
	if s.ServerName != "" {
		e.str(d1, false, `"serverName": `, s.ServerName)
	}
	e.str(d1, false, `"backupType": `, s.BackupType)
	e.int(d1, false, `"backupTypeCode": `, int64(s.BackupTypeCode))
	e.lsn(d1, `"firstLSN": `, s.FirstLSN)
	e.lsn(d1, `"lastLSN": `, s.LastLSN)
	e.lsn(d1, `"checkpointLSN": `, s.CheckpointLSN)
	e.lsn(d1, `"databaseBackupLSN": `, s.DatabaseBackupLSN)
	e.lsn(d1, `"differentialBaseLSN": `, s.DifferentialBaseLSN)
	if s.DifferentialBaseGUID != "" {
		e.str(d1, false, `"differentialBaseGUID": `, s.DifferentialBaseGUID)
	}
	e.bool(d1, false, `"hasBackupChecksums": `, s.HasBackupChecksums)
	e.int(d1, false, `"flags": `, s.Flags)
	if s.IsCopyOnly != nil {
		e.bool(d1, false, `"isCopyOnly": `, *s.IsCopyOnly)
	}
	if s.Encrypted != nil {
		e.bool(d1, false, `"encrypted": `, *s.Encrypted)
	}
	if s.TDEThumbprint != "" {
		e.str(d1, false, `"tdeThumbprint": `, s.TDEThumbprint)
	}
	e.str(d1, false, `"softwareVersion": `, s.SoftwareVersion)
	e.int(d1, false, `"softwareMajor": `, int64(s.SoftwareMajor))
	e.int(d1, false, `"softwareMinor": `, int64(s.SoftwareMinor))
	e.int(d1, false, `"softwareBuild": `, int64(s.SoftwareBuild))
	e.int(d1, false, `"databaseVersion": `, int64(s.DatabaseVersion))
	e.int(d1, false, `"compatibilityLevel": `, int64(s.CompatibilityLevel))
	if s.RecoveryModel != "" {
		e.str(d1, false, `"recoveryModel": `, s.RecoveryModel)
	}
	if s.DatabaseCreationDate != nil {
		e.time(d1, `"databaseCreationDate": `, *s.DatabaseCreationDate)
	}
	if s.BackupStartDate != nil {
		e.time(d1, `"backupStartDate": `, *s.BackupStartDate)
	}
	if s.BackupFinishDate != nil {
		e.time(d1, `"backupFinishDate": `, *s.BackupFinishDate)
	}
	e.int(d1, false, `"backupSize": `, s.BackupSize)
	if s.CompressedBackupSize != 0 {
		e.int(d1, false, `"compressedBackupSize": `, s.CompressedBackupSize)
	}
	if s.BackupSetGUID != "" {
		e.str(d1, false, `"backupSetGUID": `, s.BackupSetGUID)
	}
	if s.FamilyGUID != "" {
		e.str(d1, false, `"familyGUID": `, s.FamilyGUID)
	}
	if s.BindingID != "" {
		e.str(d1, false, `"bindingID": `, s.BindingID)
	}
	if s.RecoveryForkID != "" {
		e.str(d1, false, `"recoveryForkID": `, s.RecoveryForkID)
	}
	if s.FirstRecoveryForkID != "" {
		e.str(d1, false, `"firstRecoveryForkID": `, s.FirstRecoveryForkID)
	}
	e.lsn(d1, `"forkPointLSN": `, s.ForkPointLSN)
	e.lsn(d1, `"previousForkLSN": `, s.PreviousForkLSN)
	if s.PreviousRecoveryForkID != "" {
		e.str(d1, false, `"previousRecoveryForkID": `, s.PreviousRecoveryForkID)
	}
	e.lsn(d1, `"logChainLSN": `, s.LogChainLSN)
	e.int(d1, false, `"databaseStatus": `, s.DatabaseStatus)
	if s.PasswordProtected != nil {
		e.bool(d1, false, `"passwordProtected": `, *s.PasswordProtected)
	}
	if len(s.Files) > 0 {
		e.key(d1, false, `"files": `)
		e.b = append(e.b, '[')
		for i := range s.Files {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.nl(d1 + 1)
			e.backupFile(d1+1, &s.Files[i])
		}
		e.nl(d1)
		e.b = append(e.b, ']')
	}
	if s.Provisional {
		e.bool(d1, false, `"provisional": `, true)
	}
	if len(s.Unknown) > 0 {
		e.strings(d1, `"unknown": `, s.Unknown)
	}
	e.nl(d)
	e.b = append(e.b, '}')
}

// backupFile appends f, whose brace is at depth d.
func (e *enc) backupFile(d int, f *facts.BackupFile) {
	d1 := d + 1
	e.b = append(e.b, '{')
	e.str(d1, true, `"logicalName": `, f.LogicalName)
	e.str(d1, false, `"physicalName": `, f.PhysicalName)
	e.str(d1, false, `"type": `, f.Type)
	e.int(d1, false, `"typeCode": `, int64(f.TypeCode))
	e.int(d1, false, `"fileId": `, int64(f.FileID))
	e.int(d1, false, `"size": `, f.Size)
	if f.MaxSize != 0 {
		e.int(d1, false, `"maxSize": `, f.MaxSize)
	}
	if f.FileGroupName != "" {
		e.str(d1, false, `"fileGroupName": `, f.FileGroupName)
	}
	e.nl(d)
	e.b = append(e.b, '}')
}

// plain[c] is true for the ASCII bytes a JSON string holds as they are
// under encoding/json's HTML-safe escaping: printable, and not one of
// " \ < > &.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString appends s quoted as encoding/json quotes a string (HTML
// escaping on, as json.Marshal and json.Encoder default to): \" \\ \b \f
// \n \r \t, \u00XX for other control bytes and < > &, \ufffd for each
// byte of invalid UTF-8, \u2028 and \u2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && plain[s[i]] {
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
