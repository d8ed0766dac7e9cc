package backup

import (
	"fmt"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// Offsets in the SCIN chunk (from its tag), found empirically on SQL Server
// 10.50, 12.0 and 13.0 backups; see docs/backup-format.md for confidence.
const (
	scinFlags       = 0x08
	scinBuild       = 0x18
	scinFirstLSN    = 0x20
	scinLastLSN     = 0x2A
	scinCkptLSN     = 0x34
	scinDbBackupLSN = 0x3E
	scinCreated     = 0x48
	scinStarted     = 0x4D
	scinFinished    = 0x52
	scinType        = 0x57
	scinCompat      = 0x5B
	scinDbVersion   = 0x5E
	scinSize        = 0x60
	scinDbName      = 0x68
	scinServer      = 0x6C
	scinBindingID   = 0x7C
	scinForkID      = 0x9C
	scinForkLSN     = 0xAC
	scinPrevForkID  = 0xB8
	scinFamilyGUID  = 0xE0
	scinStatus      = 0xF4
	scinChainLSN    = 0xF8
	scinDiffLSN     = 0x104
	scinDiffGUID    = 0x110
	scinCompSize    = 0x158
	scinMin         = 0x160
	// scinMin9 is the SCIN fixed part of SQL Server 2005 (9.0): it ends
	// before CompressedBackupSize, where the strings start.
	scinMin9 = 0x158

	flagChecksums = 0x10

	// The database status word has the layout of sysdatabases.status:
	// 0x1 autoclose, 0x4 select into/bulkcopy, 0x8 trunc. log on chkpt,
	// 0x10 torn page detection, 0x10000 CHECKSUM page verify. Both
	// recovery bits are set with ALTER DATABASE ... SET RECOVERY: SIMPLE
	// sets 0x8 (2005 also 0x4), BULK_LOGGED 0x4 alone, FULL neither.
	statusSimple = 0x8
	statusBulk   = 0x4

	sfinFileID  = 0x14
	sfinGroup   = 0x24 // filegroup id, 0 for log files
	sfinType    = 0x1C
	sfinSize    = 0x28
	sfinLogical = 0x30
	sfinPhys    = 0x34
	sfinMaxSize = 0x56
	sfinMin     = 0x5E
)

// backupType is the type name and HEADERONLY code of a SCIN type char.
func backupType(c byte) (string, int, bool) {
	switch c {
	case 'D':
		return facts.TypeFull, 1, true
	case 'L':
		return facts.TypeLog, 2, true
	case 'F':
		return facts.TypeFile, 4, true
	case 'I':
		return facts.TypeDifferential, 5, true
	case 'G':
		return facts.TypeFileDiff, 6, true
	case 'P':
		return facts.TypePartial, 7, true
	case 'Q':
		return facts.TypePartialDiff, 8, true
	}
	return "", 0, false
}

func lsnAt(b []byte, at int) facts.LSN {
	return facts.LSN{VLF: le.Uint32(b[at:]), Block: le.Uint32(b[at+4:]), Slot: le.Uint16(b[at+8:])}
}

// config is a checked MQCI stream (a chain of chunks: tag, u32 size
// including the 8-byte chunk header; one SCIN, SFGI, one SFIN per database
// file). Checking it allocates nothing; fill decodes it into a set, which
// is done only for the copy a set keeps.
type config struct {
	d     []byte // the stream data
	scin  []byte
	files int
}

// major is the major version of the server that wrote the configuration.
func (c *config) major() int { return int(c.scin[scinBuild+3]) }

// minor is its minor version.
func (c *config) minor() int { return int(c.scin[scinBuild+2]) }

// parseMQCI checks the MQCI stream data d (base is its offset, for
// errors) for everything config.fill needs: each chunk in order, until
// the chain ends in padding.
func parseMQCI(d []byte, base int64) (config, error) {
	c := config{d: d}
	for p := 0; p+8 <= len(d); {
		n := int(le.Uint32(d[p+4:]))
		if !isTag(d[p:]) {
			break // the chain ends in padding
		}
		if n < 8 || n > len(d)-p {
			return c, errf(KindCorrupt, base+int64(p), "configuration chunk %s size %d out of range", d[p:p+4], n)
		}
		ch := d[p : p+n]
		switch le.Uint32(ch) {
		case tSCIN:
			if c.scin == nil {
				c.scin = ch
			}
		case tSFIN:
			if err := checkSFIN(ch); err != nil {
				return c, errf(KindCorrupt, base+int64(p), "%v", err)
			}
			c.files++
		}
		p += n
	}
	if c.scin == nil {
		return c, errf(KindCorrupt, base, "no SCIN chunk in the configuration stream")
	}
	if len(c.scin) < scinMin9 {
		return c, errf(KindCorrupt, base, "SCIN chunk is %d bytes, want at least %d", len(c.scin), scinMin9)
	}
	// SQL Server 2008 (10.0) added CompressedBackupSize; before it the
	// fixed part is shorter and the field does not exist.
	if c.major() >= 10 && len(c.scin) < scinMin {
		return c, errf(KindCorrupt, base, "SCIN chunk is %d bytes, want at least %d", len(c.scin), scinMin)
	}
	if strEmpty(c.scin, scinDbName) {
		return c, errf(KindCorrupt, base, "SCIN chunk has no database name")
	}
	return c, nil
}

// Unknown fields every set reports: no sample confirms where these live
// (copy-only, WITH ENCRYPTION, the TDE certificate thumbprint), and
// HEADERONLY's fork columns are derived by SQL Server from the fork history
// (see previousForkLSN): say so rather than default them.
var alwaysUnknown = [...]string{"isCopyOnly", "encrypted", "tdeThumbprint", "forkPointLSN", "firstRecoveryForkID"}

// fill decodes the checked configuration into set, after the fields set
// already has (its Unknown list is kept and extended; extra is room for
// more the caller adds). box, one allocation, holds the set's dates and
// its Unknown list.
func (c *config) fill(set *facts.BackupSet, loc *time.Location, t *texts, box *setBox, extra int) {
	s := c.scin
	set.Flags = int64(le.Uint32(s[scinFlags:]))
	set.HasBackupChecksums = set.Flags&flagChecksums != 0
	set.SoftwareBuild = int(le.Uint16(s[scinBuild:]))
	set.SoftwareMinor = int(s[scinBuild+2])
	set.SoftwareMajor = int(s[scinBuild+3])
	set.SoftwareVersion = t.version(set.SoftwareMajor, set.SoftwareMinor, set.SoftwareBuild)
	set.FirstLSN = lsnAt(s, scinFirstLSN)
	set.LastLSN = lsnAt(s, scinLastLSN)
	set.CheckpointLSN = lsnAt(s, scinCkptLSN)
	set.DatabaseBackupLSN = lsnAt(s, scinDbBackupLSN)
	// box holds the dates and the Unknown list.
	off, fixed := t.offset(loc)
	set.DatabaseCreationDate = t.created(box, s[scinCreated:], loc, off, fixed)
	set.BackupStartDate = box.date(1, s[scinStarted:], loc, off, fixed)
	set.BackupFinishDate = box.date(2, s[scinFinished:], loc, off, fixed)
	unk := append(box.unknown[:0], set.Unknown...)
	name, code, ok := backupType(s[scinType])
	set.BackupType, set.BackupTypeCode = name, code
	if !ok {
		unk = append(unk, "backupType")
	}
	set.CompatibilityLevel = int(s[scinCompat])
	set.DatabaseVersion = int(le.Uint16(s[scinDbVersion:]))
	set.BackupSize = int64(le.Uint64(s[scinSize:]))
	set.DatabaseName = t.str(s, scinDbName, slotDatabase)
	set.ServerName = t.str(s, scinServer, slotServer)
	set.BindingID = t.guid(s[scinBindingID:], guidBinding)
	set.RecoveryForkID = t.guid(s[scinForkID:], guidFork)
	set.PreviousForkLSN = lsnAt(s, scinForkLSN)
	set.PreviousRecoveryForkID = t.guid(s[scinPrevForkID:], guidPrevFork)
	set.FamilyGUID = t.guid(s[scinFamilyGUID:], guidFamily)
	set.DatabaseStatus = int64(le.Uint32(s[scinStatus:]))
	set.LogChainLSN = lsnAt(s, scinChainLSN)
	set.DifferentialBaseLSN = lsnAt(s, scinDiffLSN)
	set.DifferentialBaseGUID = t.guid(s[scinDiffGUID:], guidDiffBase)
	set.CompressedBackupSize = 0
	if set.SoftwareMajor >= 10 {
		set.CompressedBackupSize = int64(le.Uint64(s[scinCompSize:]))
	}
	switch st := set.DatabaseStatus; {
	case set.SoftwareMajor < 9:
		// No sample before 2005: the word's layout is not confirmed there.
		set.RecoveryModel = ""
		unk = append(unk, "recoveryModel")
	case st&statusSimple != 0:
		set.RecoveryModel = "SIMPLE"
	case st&statusBulk != 0:
		set.RecoveryModel = "BULK-LOGGED"
	default:
		set.RecoveryModel = "FULL"
	}
	unk = append(unk, alwaysUnknown[:]...)
	if extra > 0 {
		unk = append(make([]string, 0, len(unk)+extra), unk...)
	} else {
		// No spare capacity: an append by the caller must not write
		// into the box.
		unk = unk[:len(unk):len(unk)]
	}
	set.Unknown = unk
	c.fillFiles(set, t)
}

// fillFiles decodes the SFIN chunks into set.Files, with their filegroup
// names from the SFGI chunks (one filegroup each: id at +0x0C, name at
// +0x10; PRIMARY and a second filegroup in the samples).
func (c *config) fillFiles(set *facts.BackupSet, t *texts) {
	files := make([]facts.BackupFile, c.files)
	groups, ids := t.groups[:0], t.ids[:0]
	// The chain was checked (parseMQCI): it ends where parseMQCI's walk
	// ended, in padding or at the end.
	d := c.d
	for p := 0; p+8 <= len(d); {
		n := int(le.Uint32(d[p+4:]))
		if !isTag(d[p:]) || n < 8 || n > len(d)-p {
			break
		}
		ch := d[p : p+n]
		switch le.Uint32(ch) {
		case tSFGI:
			if len(ch) >= 0x14 {
				slot := noSlot
				if len(groups) < memoGroups {
					slot = slotGroup + len(groups)
				}
				groups = append(groups, group{int(le.Uint32(ch[0x0C:])), t.str(ch, 0x10, slot)})
			}
		case tSFIN:
			if i := len(ids); i < len(files) {
				decodeSFIN(&files[i], ch, t, i)
				ids = append(ids, int(le.Uint32(ch[sfinGroup:])))
			}
		}
		p += n
	}
	// Group names as they stand after the last SFGI chunk.
	for i, id := range ids {
		if id != 0 {
			files[i].FileGroupName = groupName(groups, id)
		}
	}
	clear(groups) // drop the names: the texts outlive this set
	t.groups, t.ids = groups[:0], ids[:0]
	set.Files = files
}

// setBox holds, in one allocation, a set's dates, Unknown list and
// password flag.
type setBox struct {
	dates   [3]time.Time
	unknown [8]string
	pw      bool
}

func (b *setBox) date(i int, raw []byte, loc *time.Location, off int, fixed bool) *time.Time {
	var t time.Time
	var ok bool
	if fixed {
		t, ok = mtfDateFixed(raw, loc, off)
	} else {
		t, ok = mtfDate(raw, loc)
	}
	if !ok {
		return nil
	}
	b.dates[i] = t
	return &b.dates[i]
}

// group is a filegroup id and name.
type group struct {
	id   int
	name string
}

func groupName(gs []group, id int) string {
	for i := len(gs) - 1; i >= 0; i-- {
		if gs[i].id == id {
			return gs[i].name
		}
	}
	return ""
}

func checkSFIN(c []byte) error {
	if len(c) < sfinMin {
		return fmt.Errorf("SFIN chunk is %d bytes, want at least %d", len(c), sfinMin)
	}
	if strEmpty(c, sfinLogical) {
		return fmt.Errorf("SFIN chunk for file %d has no logical name", int(le.Uint32(c[sfinFileID:])))
	}
	return nil
}

// decodeSFIN decodes a checked SFIN chunk, the i-th of its set.
func decodeSFIN(f *facts.BackupFile, c []byte, t *texts, i int) {
	logical, physical := noSlot, noSlot
	if i < memoFiles {
		logical, physical = slotLogical+i, slotPhysical+i
	}
	*f = facts.BackupFile{
		FileID:       int(le.Uint32(c[sfinFileID:])),
		Size:         int64(le.Uint64(c[sfinSize:])),
		MaxSize:      int64(le.Uint64(c[sfinMaxSize:])),
		LogicalName:  t.str(c, sfinLogical, logical),
		PhysicalName: t.str(c, sfinPhys, physical),
		TypeCode:     int(le.Uint32(c[sfinType:])),
	}
	switch f.TypeCode {
	case 1:
		f.Type = "D"
	case 2:
		f.Type = "L"
	}
}
