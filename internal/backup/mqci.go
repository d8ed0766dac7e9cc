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

var typeCodes = map[byte]struct {
	name string
	code int
}{
	'D': {facts.TypeFull, 1},
	'L': {facts.TypeLog, 2},
	'F': {facts.TypeFile, 4},
	'I': {facts.TypeDifferential, 5},
	'G': {facts.TypeFileDiff, 6},
	'P': {facts.TypePartial, 7},
	'Q': {facts.TypePartialDiff, 8},
}

func lsnAt(b []byte, at int) facts.LSN {
	return facts.LSN{VLF: le.Uint32(b[at:]), Block: le.Uint32(b[at+4:]), Slot: le.Uint16(b[at+8:])}
}

// decodeMQCI fills set from the MQCI stream data d, a chain of chunks (tag,
// u32 size including the 8-byte chunk header): one SCIN, SFGI, one SFIN per
// database file. base is d's offset, for errors.
func decodeMQCI(d []byte, base int64, loc *time.Location, set *facts.BackupSet) error {
	var scin []byte
	var files []facts.BackupFile
	var groupIDs []int
	groups := map[int]string{}
	for p := 0; p+8 <= len(d); {
		tag, n := d[p:p+4], int(le.Uint32(d[p+4:]))
		if !isTag(tag) {
			break // the chain ends in padding
		}
		if n < 8 || n > len(d)-p {
			return errf(KindCorrupt, base+int64(p), "configuration chunk %s size %d out of range", tag, n)
		}
		c := d[p : p+n]
		switch string(tag) {
		case "SCIN":
			if scin == nil {
				scin = c
			}
		case "SFGI":
			// One filegroup: id at +0x0C, name at +0x10 (PRIMARY and a
			// second filegroup in the samples).
			if len(c) >= 0x14 {
				groups[int(le.Uint32(c[0x0C:]))] = str(c, 0x10)
			}
		case "SFIN":
			f, err := decodeSFIN(c)
			if err != nil {
				return errf(KindCorrupt, base+int64(p), "%v", err)
			}
			files = append(files, f)
			groupIDs = append(groupIDs, int(le.Uint32(c[sfinGroup:])))
		}
		p += n
	}
	if scin == nil {
		return errf(KindCorrupt, base, "no SCIN chunk in the configuration stream")
	}
	if len(scin) < scinMin9 {
		return errf(KindCorrupt, base, "SCIN chunk is %d bytes, want at least %d", len(scin), scinMin9)
	}
	s := scin
	// SQL Server 2008 (10.0) added CompressedBackupSize; before it the
	// fixed part is shorter and the field does not exist.
	if major := int(s[scinBuild+3]); major >= 10 && len(s) < scinMin {
		return errf(KindCorrupt, base, "SCIN chunk is %d bytes, want at least %d", len(scin), scinMin)
	}
	set.Flags = int64(le.Uint32(s[scinFlags:]))
	set.HasBackupChecksums = set.Flags&flagChecksums != 0
	set.SoftwareBuild = int(le.Uint16(s[scinBuild:]))
	set.SoftwareMinor = int(s[scinBuild+2])
	set.SoftwareMajor = int(s[scinBuild+3])
	set.SoftwareVersion = fmt.Sprintf("%d.%d.%d", set.SoftwareMajor, set.SoftwareMinor, set.SoftwareBuild)
	set.FirstLSN = lsnAt(s, scinFirstLSN)
	set.LastLSN = lsnAt(s, scinLastLSN)
	set.CheckpointLSN = lsnAt(s, scinCkptLSN)
	set.DatabaseBackupLSN = lsnAt(s, scinDbBackupLSN)
	set.DatabaseCreationDate = datePtr(s[scinCreated:], loc)
	set.BackupStartDate = datePtr(s[scinStarted:], loc)
	set.BackupFinishDate = datePtr(s[scinFinished:], loc)
	if t, ok := typeCodes[s[scinType]]; ok {
		set.BackupType, set.BackupTypeCode = t.name, t.code
	} else {
		set.BackupType, set.BackupTypeCode = "", 0
		set.Unknown = append(set.Unknown, "backupType")
	}
	set.CompatibilityLevel = int(s[scinCompat])
	set.DatabaseVersion = int(le.Uint16(s[scinDbVersion:]))
	set.BackupSize = int64(le.Uint64(s[scinSize:]))
	set.DatabaseName = str(s, scinDbName)
	set.ServerName = str(s, scinServer)
	set.BindingID = guid(s[scinBindingID:])
	set.RecoveryForkID = guid(s[scinForkID:])
	set.PreviousForkLSN = lsnAt(s, scinForkLSN)
	set.PreviousRecoveryForkID = guid(s[scinPrevForkID:])
	set.FamilyGUID = guid(s[scinFamilyGUID:])
	set.DatabaseStatus = int64(le.Uint32(s[scinStatus:]))
	set.LogChainLSN = lsnAt(s, scinChainLSN)
	set.DifferentialBaseLSN = lsnAt(s, scinDiffLSN)
	set.DifferentialBaseGUID = guid(s[scinDiffGUID:])
	set.CompressedBackupSize = 0
	if set.SoftwareMajor >= 10 {
		set.CompressedBackupSize = int64(le.Uint64(s[scinCompSize:]))
	}
	switch st := set.DatabaseStatus; {
	case set.SoftwareMajor < 9:
		// No sample before 2005: the word's layout is not confirmed there.
		set.RecoveryModel = ""
		set.Unknown = append(set.Unknown, "recoveryModel")
	case st&statusSimple != 0:
		set.RecoveryModel = "SIMPLE"
	case st&statusBulk != 0:
		set.RecoveryModel = "BULK-LOGGED"
	default:
		set.RecoveryModel = "FULL"
	}
	// No sample confirms where these live (copy-only, WITH ENCRYPTION, the
	// TDE certificate thumbprint), and HEADERONLY's fork columns are derived
	// by SQL Server from the fork history (see previousForkLSN): say so
	// rather than default them.
	set.Unknown = append(set.Unknown, "isCopyOnly", "encrypted", "tdeThumbprint", "forkPointLSN", "firstRecoveryForkID")
	if set.DatabaseName == "" {
		return errf(KindCorrupt, base, "SCIN chunk has no database name")
	}
	for i, id := range groupIDs {
		if id != 0 {
			files[i].FileGroupName = groups[id]
		}
	}
	if files == nil {
		files = []facts.BackupFile{}
	}
	set.Files = files
	return nil
}

func datePtr(b []byte, loc *time.Location) *time.Time {
	t, ok := mtfDate(b, loc)
	if !ok {
		return nil
	}
	return &t
}

func decodeSFIN(c []byte) (facts.BackupFile, error) {
	if len(c) < sfinMin {
		return facts.BackupFile{}, fmt.Errorf("SFIN chunk is %d bytes, want at least %d", len(c), sfinMin)
	}
	f := facts.BackupFile{
		FileID:       int(le.Uint32(c[sfinFileID:])),
		Size:         int64(le.Uint64(c[sfinSize:])),
		MaxSize:      int64(le.Uint64(c[sfinMaxSize:])),
		LogicalName:  str(c, sfinLogical),
		PhysicalName: str(c, sfinPhys),
		TypeCode:     int(le.Uint32(c[sfinType:])),
	}
	switch f.TypeCode {
	case 1:
		f.Type = "D"
	case 2:
		f.Type = "L"
	}
	if f.LogicalName == "" {
		return f, fmt.Errorf("SFIN chunk for file %d has no logical name", f.FileID)
	}
	return f, nil
}
