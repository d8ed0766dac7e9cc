// Package backuptest writes small, valid, uncompressed SQL Server backup
// files (Microsoft Tape Format with the SQL Server configuration stream)
// carrying chosen header values, so tests can build any backup scenario
// without real backups or SQL Server. backup.Read decodes them back exactly.
//
// The layout mirrors real SQL Server 2008 R2..2016 backups with 512-byte
// blocks: TAPE, SFMB, then per set SSET VOLB MSCI (provisional header)
// MSDA/MSTL (filler data) MSLS (final header) SFMB ESET ESET SFMB.
package backuptest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// Spec is one backup file: the media (one family of a media set) and its
// backup sets. Zero fields get defaults; GUIDs left empty are derived
// deterministically from the database name and position.
type Spec struct {
	// MediaSetID is shared by every family (stripe file) of one media set.
	MediaSetID    string
	MediaFamilyID uint32
	// FamilyCount and FamilySequence describe a stripe: file 2 of 3 is
	// FamilyCount 3, FamilySequence 2. Default 1 of 1.
	FamilyCount    int
	FamilySequence int
	MediaName      string
	// BlockSize is the physical block size (BACKUP ... BLOCKSIZE): 512
	// (default) up to 65536, a multiple of 512.
	BlockSize int
	// Compressed writes the compressed (MSSQLBAK, LZXPRESS Huffman) form
	// of the same media, with soft filemarks stored raw, one block each.
	Compressed bool
	// EndRecords (compressed only) ends each write buffer before a soft
	// filemark, except the first, with a 0x2C end-of-buffer record long
	// enough to cross a 512-byte boundary, as real files do.
	EndRecords bool
	// MediaPassword sets the TAPE password algorithm field (as a media
	// password does).
	MediaPassword bool
	// Sets are written in order, positions 1, 2, ... unless Set.Position is
	// given. No sets means one default full backup.
	Sets []Set
}

// Set is one backup set: the RESTORE HEADERONLY row and FILELISTONLY rows.
type Set struct {
	Position          int
	BackupName        string
	BackupDescription string
	UserName          string
	DatabaseName      string // default "db"
	ServerName        string // default "SRV"
	// Type is facts.TypeFull (default), TypeDifferential, TypeLog, TypeFile,
	// TypeFileDiff, TypePartial or TypePartialDiff.
	Type                 string
	FirstLSN             facts.LSN
	LastLSN              facts.LSN
	CheckpointLSN        facts.LSN
	DatabaseBackupLSN    facts.LSN
	DifferentialBaseLSN  facts.LSN
	DifferentialBaseGUID string
	// LogChainLSN is the checkpoint LSN of the full that began the log chain.
	LogChainLSN facts.LSN
	// ProvisionalLastLSN, when set, is the LastLSN of the provisional copy
	// written before the data (real stripes can differ there).
	ProvisionalLastLSN facts.LSN
	Checksums          bool
	// Version is major.minor.build of the server, default "13.0.5026".
	Version            string
	DatabaseVersion    int // default SQL Server 2016's
	CompatibilityLevel int // default SQL Server 2016's
	// RecoveryModel "SIMPLE" sets the status bit 0x8, "BULK-LOGGED" 0x4;
	// anything else neither (FULL).
	RecoveryModel string
	// Status is the raw database status word (default 0x10000, CHECKSUM
	// page verify); the recovery model bits are or-ed in.
	Status         uint32
	Created        time.Time // defaults: fixed dates in 2024
	Start          time.Time
	Finish         time.Time
	TimeZone       int // SSET time zone in 15-minute units east of UTC
	BackupSize     int64
	BackupSetGUID  string
	FamilyGUID     string
	BindingID      string
	RecoveryForkID string
	// PreviousForkLSN / PreviousRecoveryForkID: the fork left by a restore.
	PreviousForkLSN        facts.LSN
	PreviousRecoveryForkID string
	// SetPassword sets the SSET password algorithm field.
	SetPassword bool
	// Files default to one data and one log file named after the database;
	// data files without a FileGroupName are in PRIMARY.
	Files []facts.BackupFile
	// DataBytes is the filler data written in the set (default 4096).
	DataBytes int
}

// Bytes returns the backup file for spec; it panics only on a Spec it
// cannot express (e.g. a bad GUID string), which is a test bug.
func Bytes(spec Spec) []byte {
	var b bytes.Buffer
	if err := Write(&b, spec); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Write writes the backup file for spec to w.
func Write(w io.Writer, spec Spec) error {
	b, err := build(spec)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Defaults returns set with every zero field replaced by the value Write
// would use, so tests can compare what Read returns with what was written.
func Defaults(set Set, position int) (Set, error) {
	if set.Position == 0 {
		set.Position = position
	}
	if set.DatabaseName == "" {
		set.DatabaseName = "db"
	}
	if set.ServerName == "" {
		set.ServerName = "SRV"
	}
	if set.Type == "" {
		set.Type = facts.TypeFull
	}
	if _, ok := typeChar[set.Type]; !ok {
		return set, fmt.Errorf("backuptest: unknown backup type %q", set.Type)
	}
	if set.Version == "" {
		set.Version = "13.0.5026"
	}
	if set.DatabaseVersion == 0 {
		set.DatabaseVersion = sqlrelease.SQL2016.Writes
	}
	if set.CompatibilityLevel == 0 {
		set.CompatibilityLevel = sqlrelease.SQL2016.DefaultCompatLevel()
	}
	base := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(set.Position) * time.Hour)
	if set.Created.IsZero() {
		set.Created = time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)
	}
	if set.Start.IsZero() {
		set.Start = base
	}
	if set.Finish.IsZero() {
		set.Finish = set.Start.Add(3 * time.Second)
	}
	if set.FirstLSN.IsZero() {
		set.FirstLSN = facts.LSN{VLF: 30, Block: uint32(100 * set.Position), Slot: 1}
	}
	if set.LastLSN.IsZero() {
		set.LastLSN = facts.LSN{VLF: 30, Block: uint32(100*set.Position + 50), Slot: 1}
	}
	if set.CheckpointLSN.IsZero() {
		set.CheckpointLSN = set.FirstLSN
	}
	if set.DataBytes == 0 {
		set.DataBytes = 4096
	}
	if set.BackupSize == 0 {
		set.BackupSize = int64(set.DataBytes) + 8192
	}
	seed := set.DatabaseName + "/" + strconv.Itoa(set.Position)
	for _, g := range []*string{&set.BackupSetGUID, &set.FamilyGUID, &set.BindingID, &set.RecoveryForkID} {
		if *g == "" {
			seed += "+"
			*g = derivedGUID(seed)
		}
	}
	if set.Files == nil {
		set.Files = []facts.BackupFile{
			{LogicalName: set.DatabaseName, PhysicalName: `C:\data\` + set.DatabaseName + ".mdf", Type: "D", TypeCode: 1, FileID: 1, Size: 8 << 20, MaxSize: 35184372080640, FileGroupName: "PRIMARY"},
			{LogicalName: set.DatabaseName + "_log", PhysicalName: `C:\data\` + set.DatabaseName + "_log.ldf", Type: "L", TypeCode: 2, FileID: 2, Size: 8 << 20, MaxSize: 2199023255552},
		}
	}
	for i := range set.Files {
		f := &set.Files[i]
		if f.TypeCode == 0 {
			f.TypeCode = map[string]int{"D": 1, "L": 2}[f.Type]
		}
		if f.FileID == 0 {
			f.FileID = i + 1
		}
		if f.FileGroupName == "" && f.Type == "D" {
			f.FileGroupName = "PRIMARY"
		}
	}
	return set, nil
}

// derivedGUID is a stable GUID-shaped string for s.
func derivedGUID(s string) string {
	h := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%X-%X-%X-%X-%X", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

var typeChar = map[string]byte{
	facts.TypeFull: 'D', facts.TypeLog: 'L', facts.TypeFile: 'F', facts.TypeDifferential: 'I',
	facts.TypeFileDiff: 'G', facts.TypePartial: 'P', facts.TypePartialDiff: 'Q',
}

var le = binary.LittleEndian

// guidBytes encodes a GUID string in SQL Server's mixed-endian byte order.
func guidBytes(s string) ([16]byte, error) {
	var out [16]byte
	if s == "" {
		return out, nil
	}
	h := strings.ReplaceAll(s, "-", "")
	if len(h) != 32 {
		return out, fmt.Errorf("backuptest: bad GUID %q", s)
	}
	var raw [16]byte
	for i := range raw {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return out, fmt.Errorf("backuptest: bad GUID %q", s)
		}
		raw[i] = byte(v)
	}
	order := [16]int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15}
	for i, j := range order {
		out[j] = raw[i]
	}
	return out, nil
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		le.PutUint16(b[2*i:], c)
	}
	return b
}

func putLSN(b []byte, l facts.LSN) {
	le.PutUint32(b, l.VLF)
	le.PutUint32(b[4:], l.Block)
	le.PutUint16(b[8:], l.Slot)
}

// mtfDate packs t (wall clock as given) into the 5-byte MTF DATE_TIME.
func mtfDate(b []byte, t time.Time) {
	if t.IsZero() {
		return
	}
	v := uint64(t.Year())<<26 | uint64(t.Month())<<22 | uint64(t.Day())<<17 |
		uint64(t.Hour())<<12 | uint64(t.Minute())<<6 | uint64(t.Second())
	for i := 4; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
}

func parseVersion(v string) (major, minor, build int, err error) {
	p := strings.Split(v, ".")
	if len(p) != 3 {
		return 0, 0, 0, fmt.Errorf("backuptest: version %q is not major.minor.build", v)
	}
	n := make([]int, 3)
	for i := range p {
		if n[i], err = strconv.Atoi(p[i]); err != nil {
			return 0, 0, 0, fmt.Errorf("backuptest: version %q: %w", v, err)
		}
	}
	return n[0], n[1], n[2], nil
}
