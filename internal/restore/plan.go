// Package restore works out, from backup headers alone, the restore sequence
// SQL Server (and so DMS) would apply per database: the latest usable full
// backup with all its stripes, the latest differential of that full, then the
// log backups that continue the chain. It names what breaks the chain and
// every file the restore cannot use. It is pure over facts: no I/O.
package restore

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// Plan statuses.
const (
	StatusReady     = "ready"      // full (+ diff) (+ logs), no break
	StatusBroken    = "broken"     // a log gap stops the chain (DMS 2007)
	StatusNoFull    = "no-full"    // backups exist but no complete full backup
	StatusNoBackups = "no-backups" // no backup of this database was found
	// StatusUndecided: a backup set of the database was read only from its
	// provisional header (the copy written before the data), whose LastLSN
	// may differ from the final one, so no sequence is built on guesses.
	StatusUndecided = "undecided"
)

// Issue kinds.
const (
	KindBreak         = "break"          // a gap the restore needs to cross (DMS 2007)
	KindGap           = "gap"            // a gap a later full or differential bridges (info)
	KindNoFull        = "no-full"        // no complete full backup
	KindMissingStripe = "missing-stripe" // a striped backup lacks a media family
	KindNoBase        = "no-base"        // a differential whose full is not present
	KindOverlap       = "overlap"        // a log starting before the previous one ended
	KindDuplicate     = "duplicate"      // the same backup twice
	KindCopyOnly      = "copy-only"      // a copy-only backup (info)
	KindProvisional   = "provisional"    // LSNs from the header copy written before the data
)

// Reasons a backup is not in the sequence.
const (
	ReasonBeforeBase    = "before-base"    // ends at or before the point the full/differential restores to
	ReasonSuperseded    = "superseded"     // an older full or differential than the one used
	ReasonOtherBase     = "other-base"     // a differential of a full that is not the one used
	ReasonNoBase        = "no-base"        // a differential whose full is not present
	ReasonNoFull        = "no-full"        // nothing to restore it onto
	ReasonAfterBreak    = "after-break"    // past a gap in the log chain
	ReasonIncomplete    = "incomplete"     // stripes missing
	ReasonDuplicate     = "duplicate"      // a copy of a backup already used or listed
	ReasonUnsupported   = "unsupported"    // file or partial backups: not planned
	ReasonOtherDatabase = "other-database" // a backup of another database in the folder
	ReasonUnreadable    = "unreadable"     // the header could not be read
	ReasonUnknownLSN    = "unknown-lsn"    // the reader could not decode its LSNs
	ReasonUnknownType   = "unknown-type"   // the reader could not decode its backup type
	ReasonProvisional   = "provisional"    // only its provisional header was read: LSNs not final
	ReasonPassword      = "password"       // its media set or backup set has a password DMS cannot give
)

// Sequence is the restore sequence for one database (one lineage: a database
// name, FamilyGUID and recovery fork, as the headers say).
type Sequence struct {
	Database string `json:"database"`
	Folder   string `json:"folder,omitempty"`
	// FamilyGUID, RecoveryForkID and CreationDate tell apart databases that
	// share a name.
	FamilyGUID     string     `json:"familyGUID,omitempty"`
	RecoveryForkID string     `json:"recoveryForkID,omitempty"`
	CreationDate   *time.Time `json:"creationDate,omitempty"`
	Status         string     `json:"status"`
	// Steps is the sequence in restore order.
	Steps []Backup `json:"steps"`
	// Reaches is the point the chain restores to; nil without a full.
	Reaches *Point   `json:"reaches,omitempty"`
	Issues  []Issue  `json:"issues,omitempty"`
	Unused  []Unused `json:"unused,omitempty"`
	// Nested are the files holding a backup of the database in subfolders
	// of Folder: DMS reads only the folder's own files, so they are not
	// planned (DMS204 fails the layout); listed so that a plan without
	// them says where its backups went.
	Nested []string `json:"nested,omitempty"`
}

// Backup is one backup set: one or more stripe files.
type Backup struct {
	Type string `json:"type"` // facts.TypeFull, ...
	// Files are the stripes present, in media family order.
	Files           []string  `json:"files"`
	Position        int       `json:"position,omitempty"`
	FamilyCount     int       `json:"familyCount,omitempty"`
	MissingFamilies []int     `json:"missingFamilies,omitempty"`
	FirstLSN        facts.LSN `json:"firstLSN"`
	LastLSN         facts.LSN `json:"lastLSN"`
	CheckpointLSN   facts.LSN `json:"checkpointLSN"`
	// DatabaseBackupLSN is, for a differential or log, the checkpoint LSN of
	// the full backup it follows.
	DatabaseBackupLSN    facts.LSN  `json:"databaseBackupLSN"`
	DifferentialBaseLSN  facts.LSN  `json:"differentialBaseLSN"`
	DifferentialBaseGUID string     `json:"differentialBaseGUID,omitempty"`
	BackupSetGUID        string     `json:"backupSetGUID,omitempty"`
	CopyOnly             *bool      `json:"copyOnly,omitempty"`
	Empty                bool       `json:"empty,omitempty"` // a log with FirstLSN == LastLSN
	Start                *time.Time `json:"start,omitempty"`
	Finish               *time.Time `json:"finish,omitempty"`
	DatabaseVersion      int        `json:"databaseVersion,omitempty"`
	SoftwareVersion      string     `json:"softwareVersion,omitempty"`
	// Header is the first stripe's decoded set (logical files, versions ...).
	Header *facts.BackupSet `json:"-"`
}

// File is the first stripe's path, the name to show for the backup.
func (b Backup) File() string {
	if len(b.Files) == 0 {
		return ""
	}
	return b.Files[0]
}

// Point is where a restore sequence ends.
type Point struct {
	LSN  facts.LSN  `json:"lsn"`
	Time *time.Time `json:"time,omitempty"` // finish time of the last backup restored
	File string     `json:"file"`
}

// Issue is something wrong or notable in a database's backups.
type Issue struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Before and After are the files on either side of a gap or overlap.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// From and To are the LSNs on either side of a gap.
	From      facts.LSN `json:"from"`
	To        facts.LSN `json:"to"`
	BridgedBy string    `json:"bridgedBy,omitempty"`
	Files     []string  `json:"files,omitempty"`
}

// Unused is a backup (or unreadable file) the sequence does not use. There
// is one per backup a share holds beyond the chain (~100,000 at estate
// scale), so it is kept small: the backup's values are read from its
// header when asked (Backup), not copied, and a Detail that differs from
// backup to backup only by the LSN it ends at is built when asked. The
// JSON is the same as when Unused embedded its Backup (MarshalJSON).
type Unused struct {
	Reason string
	// Database is the header's database name for other-database backups.
	Database string
	// hdr, files and fam are the backup when fromHeader(hdr, files, fam)
	// gives it (NewUnused checks); else own holds it.
	hdr   *facts.BackupSet
	files []string
	fam   int32
	// lsnDetail: Detail is "ends at LSN <LastLSN>" followed by detail.
	lsnDetail bool
	detail    string
	own       *Backup
}

// NewUnused is an unused backup b, not in the sequence for reason.
func NewUnused(b Backup, reason, detail string) Unused {
	u := Unused{Reason: reason, detail: detail}
	if b.Header != nil && len(b.MissingFamilies) == 0 && int(int32(b.FamilyCount)) == b.FamilyCount &&
		sameBackup(&b, fromHeader(b.Header, b.Files, b.FamilyCount)) {
		u.hdr, u.files, u.fam = b.Header, b.Files, int32(b.FamilyCount)
		return u
	}
	own := b // a copy: b itself stays on the stack
	u.own = &own
	return u
}

// unusedAt is NewUnused with the Detail "ends at LSN <b.LastLSN>" + tail.
func unusedAt(b Backup, reason, tail string) Unused {
	u := NewUnused(b, reason, tail)
	u.lsnDetail = true
	return u
}

// Backup is the backup not used (for an unreadable file, only its Files).
func (u *Unused) Backup() Backup {
	if u.own != nil {
		return *u.own
	}
	return fromHeader(u.hdr, u.files, int(u.fam))
}

// Header is the first stripe's decoded set; nil for an unreadable file.
func (u *Unused) Header() *facts.BackupSet {
	if u.own != nil {
		return u.own.Header
	}
	return u.hdr
}

// Files are the backup's stripes present.
func (u *Unused) Files() []string {
	if u.own != nil {
		return u.own.Files
	}
	return u.files
}

// File is the first stripe's path, the name to show for the backup.
func (u *Unused) File() string {
	if f := u.Files(); len(f) > 0 {
		return f[0]
	}
	return ""
}

// Type is the backup's type (facts.TypeFull, ...).
func (u *Unused) Type() string {
	if u.own != nil {
		return u.own.Type
	}
	return setType(u.hdr)
}

// LastLSN is the backup's last LSN.
func (u *Unused) LastLSN() facts.LSN {
	if u.own != nil {
		return u.own.LastLSN
	}
	return u.hdr.LastLSN
}

// Detail says why the backup is not used.
func (u *Unused) Detail() string {
	if !u.lsnDetail {
		return u.detail
	}
	var b [40]byte
	return "ends at LSN " + string(u.LastLSN().AppendDecimal(b[:0])) + u.detail
}

// Detached is u holding its values, not its header: what a caller keeps
// without keeping the facts the header is part of.
func (u Unused) Detached() Unused {
	b := u.Backup()
	b.Header = nil
	u.own, u.hdr, u.files, u.fam = &b, nil, nil, 0
	return u
}

// unusedJSON is Unused's JSON form, as when it embedded its Backup.
type unusedJSON struct {
	Backup
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	// Database is the header's database name for other-database backups.
	Database string `json:"otherDatabase,omitempty"`
}

// MarshalJSON writes the backup's fields, then reason, detail and
// otherDatabase.
func (u Unused) MarshalJSON() ([]byte, error) {
	return json.Marshal(unusedJSON{u.Backup(), u.Reason, u.Detail(), u.Database})
}

// fromHeader is the backup group makes of a set s found in files (the
// stripes present) with at most fam media families, before missing
// families are counted.
func fromHeader(s *facts.BackupSet, files []string, fam int) Backup {
	b := Backup{
		Type: setType(s), Files: files, FamilyCount: fam, FirstLSN: s.FirstLSN, LastLSN: s.LastLSN, CheckpointLSN: s.CheckpointLSN,
		DatabaseBackupLSN: s.DatabaseBackupLSN, DifferentialBaseLSN: s.DifferentialBaseLSN,
		DifferentialBaseGUID: s.DifferentialBaseGUID, BackupSetGUID: s.BackupSetGUID, CopyOnly: s.IsCopyOnly,
		Start: s.BackupStartDate, Finish: s.BackupFinishDate, DatabaseVersion: s.DatabaseVersion,
		SoftwareVersion: s.SoftwareVersion, Header: s,
	}
	if s.Position > 1 {
		b.Position = s.Position
	}
	b.Empty = b.Type == facts.TypeLog && s.FirstLSN == s.LastLSN
	return b
}

// sameBackup reports whether a and b hold the same values: every field
// (TestSameBackupEveryField fails when one is added and not compared
// here), slices element by element, pointers by address.
func sameBackup(a *Backup, b Backup) bool {
	return a.Type == b.Type && slices.Equal(a.Files, b.Files) && a.Position == b.Position &&
		a.FamilyCount == b.FamilyCount && slices.Equal(a.MissingFamilies, b.MissingFamilies) &&
		a.FirstLSN == b.FirstLSN && a.LastLSN == b.LastLSN && a.CheckpointLSN == b.CheckpointLSN &&
		a.DatabaseBackupLSN == b.DatabaseBackupLSN && a.DifferentialBaseLSN == b.DifferentialBaseLSN &&
		a.DifferentialBaseGUID == b.DifferentialBaseGUID && a.BackupSetGUID == b.BackupSetGUID &&
		a.CopyOnly == b.CopyOnly && a.Empty == b.Empty && a.Start == b.Start && a.Finish == b.Finish &&
		a.DatabaseVersion == b.DatabaseVersion && a.SoftwareVersion == b.SoftwareVersion && a.Header == b.Header
}
