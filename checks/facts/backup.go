package facts

import "time"

// BackupMedia is what one backup file's headers say: the media (tape) header
// and every backup set in the file. Fields the reader could not decode are
// listed by JSON name in Unknown; they are never guessed.
type BackupMedia struct {
	Compressed bool `json:"compressed"`
	// BlockSize is the media's physical block size in bytes (512, 4096,
	// 65536: BACKUP ... BLOCKSIZE, or the disk's sector size).
	BlockSize         int         `json:"blockSize,omitempty"`
	MediaSetID        string      `json:"mediaSetId,omitempty"`
	MediaFamilyID     string      `json:"mediaFamilyId,omitempty"`
	MediaSequence     int         `json:"mediaSequence,omitempty"`
	FamilyCount       int         `json:"familyCount,omitempty"`
	FamilySequence    int         `json:"familySequence,omitempty"`
	MediaName         string      `json:"mediaName,omitempty"`
	MediaDescription  string      `json:"mediaDescription,omitempty"`
	SoftwareName      string      `json:"softwareName,omitempty"`
	PasswordProtected *bool       `json:"passwordProtected,omitempty"`
	Sets              []BackupSet `json:"sets"`
	// SetCount is how many backup sets the media holds: len(Sets) when
	// every set was read, else at least the highest position seen.
	SetCount int `json:"setCount,omitempty"`
	// SetsIncomplete is true when Sets does not list every set on the
	// media (positions between or after were not read); "sets" is then in
	// Unknown. inspect --deep reads them all.
	SetsIncomplete bool     `json:"setsIncomplete,omitempty"`
	Unknown        []string `json:"unknown,omitempty"`
	// Reads and BytesRead say what reading the headers cost: ranged reads
	// made and bytes they returned (never the whole file).
	Reads     int   `json:"reads,omitempty"`
	BytesRead int64 `json:"bytesRead,omitempty"`
}

// Backup types as RESTORE HEADERONLY names them.
const (
	TypeFull         = "full"         // D, BackupType 1
	TypeDifferential = "differential" // I, 5
	TypeLog          = "log"          // L, 2
	TypeFile         = "file"         // F, 4
	TypeFileDiff     = "file-differential"
	TypePartial      = "partial"
	TypePartialDiff  = "partial-differential"
)

// BackupSet is one backup set (RESTORE HEADERONLY row plus FILELISTONLY).
type BackupSet struct {
	Position             int    `json:"position"`
	BackupName           string `json:"backupName,omitempty"`
	BackupDescription    string `json:"backupDescription,omitempty"`
	UserName             string `json:"userName,omitempty"`
	DatabaseName         string `json:"databaseName"`
	ServerName           string `json:"serverName,omitempty"`
	BackupType           string `json:"backupType"`     // TypeFull, ...
	BackupTypeCode       int    `json:"backupTypeCode"` // HEADERONLY BackupType: 1, 2, 5 ...
	FirstLSN             LSN    `json:"firstLSN"`
	LastLSN              LSN    `json:"lastLSN"`
	CheckpointLSN        LSN    `json:"checkpointLSN"`
	DatabaseBackupLSN    LSN    `json:"databaseBackupLSN"`
	DifferentialBaseLSN  LSN    `json:"differentialBaseLSN"`
	DifferentialBaseGUID string `json:"differentialBaseGUID,omitempty"`
	// ForkPointLSN / BeginsLogChain etc. may be added by the reader.
	HasBackupChecksums bool `json:"hasBackupChecksums"`
	// Flags is the raw flags word of the backup header (bit 0x10 =
	// checksums, 0x800 on differentials); its other bits are not
	// HEADERONLY's Flags column and are not decoded.
	Flags int64 `json:"flags"`
	// IsCopyOnly is nil when the header does not say (no sample confirms the bit).
	IsCopyOnly *bool `json:"isCopyOnly,omitempty"`
	// Encrypted is nil when unknown; true for WITH ENCRYPTION backups.
	Encrypted *bool `json:"encrypted,omitempty"`
	// TDEThumbprint is the hex thumbprint of the certificate protecting the
	// database encryption key, when found (unconfirmed by samples).
	TDEThumbprint        string     `json:"tdeThumbprint,omitempty"`
	SoftwareVersion      string     `json:"softwareVersion"` // major.minor.build
	SoftwareMajor        int        `json:"softwareMajor"`
	SoftwareMinor        int        `json:"softwareMinor"`
	SoftwareBuild        int        `json:"softwareBuild"`
	DatabaseVersion      int        `json:"databaseVersion"`
	CompatibilityLevel   int        `json:"compatibilityLevel"`
	RecoveryModel        string     `json:"recoveryModel,omitempty"` // FULL, BULK-LOGGED, SIMPLE
	DatabaseCreationDate *time.Time `json:"databaseCreationDate,omitempty"`
	BackupStartDate      *time.Time `json:"backupStartDate,omitempty"`
	BackupFinishDate     *time.Time `json:"backupFinishDate,omitempty"`
	BackupSize           int64      `json:"backupSize"`
	CompressedBackupSize int64      `json:"compressedBackupSize,omitempty"`
	BackupSetGUID        string     `json:"backupSetGUID,omitempty"`
	FamilyGUID           string     `json:"familyGUID,omitempty"`
	BindingID            string     `json:"bindingID,omitempty"`
	RecoveryForkID       string     `json:"recoveryForkID,omitempty"`
	FirstRecoveryForkID  string     `json:"firstRecoveryForkID,omitempty"`
	ForkPointLSN         LSN        `json:"forkPointLSN"`
	// PreviousForkLSN and PreviousRecoveryForkID describe the fork the
	// database last left (a restore with recovery); zero/empty if none.
	// Unlike HEADERONLY's ForkPointLSN they are set on every backup.
	PreviousForkLSN        LSN    `json:"previousForkLSN"`
	PreviousRecoveryForkID string `json:"previousRecoveryForkID,omitempty"`
	// LogChainLSN is the checkpoint LSN of the full backup that began the
	// current log chain (zero under SIMPLE recovery); a log backup whose
	// FirstLSN equals it begins the chain. Medium confidence.
	LogChainLSN LSN `json:"logChainLSN"`
	// DatabaseStatus is the raw database status word of the header; bit
	// 0x8 is SIMPLE recovery.
	DatabaseStatus int64 `json:"databaseStatus"`
	// PasswordProtected reports a backup set password (MTF SSET password
	// algorithm field), nil when unknown.
	PasswordProtected *bool        `json:"passwordProtected,omitempty"`
	Files             []BackupFile `json:"files,omitempty"`
	// Provisional is true when only the copy written before the data was read
	// (the final copy near the end of the set was unavailable).
	Provisional bool     `json:"provisional,omitempty"`
	Unknown     []string `json:"unknown,omitempty"`
}

// BackupFile is one RESTORE FILELISTONLY row.
type BackupFile struct {
	LogicalName   string `json:"logicalName"`
	PhysicalName  string `json:"physicalName"`
	Type          string `json:"type"` // D data, L log, F full-text, S filestream/in-memory; "" unknown
	TypeCode      int    `json:"typeCode"`
	FileID        int    `json:"fileId"`
	Size          int64  `json:"size"`
	MaxSize       int64  `json:"maxSize,omitempty"`
	FileGroupName string `json:"fileGroupName,omitempty"`
}
