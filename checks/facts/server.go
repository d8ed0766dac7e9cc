package facts

import "time"

// Server is what the source SQL Server said about itself.
type Server struct {
	Name          string `json:"name,omitempty"`
	Version       string `json:"version"` // product version, e.g. "15.0.2000.5"
	Major         int    `json:"major"`
	Edition       string `json:"edition,omitempty"`
	EngineEdition int    `json:"engineEdition,omitempty"`
	Collation     string `json:"collation,omitempty"`
	// Login is the login dmsready connected as (SUSER_SNAME()).
	Login string `json:"login,omitempty"`

	Databases []Database `json:"databases"`
	// SystemDatabases are master, model and msdb with their files and
	// sizes only (sys.master_files): what a Managed Instance's own system
	// databases may need. Nil when not read (and in older facts files).
	SystemDatabases []Database      `json:"systemDatabases,omitempty"`
	Certificates    []Certificate   `json:"certificates"`
	BackupHistory   []BackupHistory `json:"backupHistory"`
	Objects         *ServerObjects  `json:"objects,omitempty"`
}

// Database is one user database on the source.
type Database struct {
	Name               string         `json:"name"`
	State              string         `json:"state,omitempty"`         // ONLINE, OFFLINE, ...
	RecoveryModel      string         `json:"recoveryModel,omitempty"` // FULL, BULK_LOGGED, SIMPLE
	CompatibilityLevel int            `json:"compatibilityLevel,omitempty"`
	DataBytes          int64          `json:"dataBytes"`
	LogBytes           int64          `json:"logBytes"`
	Files              []DatabaseFile `json:"files,omitempty"`
	Encrypted          bool           `json:"encrypted"`
	// EncryptionState from sys.dm_database_encryption_keys (0-6); nil when no key.
	EncryptionState *int `json:"encryptionState,omitempty"`
	// EncryptorThumbprint is the hex SHA-1 of the certificate protecting the DEK.
	EncryptorThumbprint string `json:"encryptorThumbprint,omitempty"`
	// EncryptorType is sys.dm_database_encryption_keys.encryptor_type:
	// EncryptorCertificate, or EncryptorAsymmetricKey (an EKM key, such as
	// one in Azure Key Vault). The column exists from SQL Server 2012 on;
	// on 2008 and 2008 R2 the collector finds the thumbprint in
	// master.sys.asymmetric_keys or master.sys.certificates instead. Empty
	// when unknown: in neither, or an older facts file.
	EncryptorType string `json:"encryptorType,omitempty"`
	// DatabaseGUID is sys.database_recovery_status.database_guid: new
	// whenever RESTORE (re)creates the database, so msdb rows with another
	// backupset.database_guid are of an earlier database of this name.
	// Read for ONLINE databases only (the view starts a database that is
	// not open); empty when not read, and in older facts files.
	DatabaseGUID      string `json:"databaseGUID,omitempty"`
	Containment       string `json:"containment,omitempty"` // NONE, PARTIAL
	AvailabilityGroup string `json:"availabilityGroup,omitempty"`
	// AGBackupPreference is the group's automated_backup_preference_desc
	// (PRIMARY, SECONDARY_ONLY, SECONDARY, NONE): where backups are taken.
	AGBackupPreference string `json:"agBackupPreference,omitempty"`
	// InAvailabilityGroup: sys.databases.replica_id is set, so the database
	// is in an availability group even when AvailabilityGroup is empty
	// because the login may not see the group (sys.availability_groups
	// needs VIEW ANY DEFINITION). Absent in older facts files, where an
	// empty AvailabilityGroup alone said "not in a group".
	InAvailabilityGroup bool `json:"inAvailabilityGroup,omitempty"`
	// Tables is nil when table statistics were not collected for this database.
	Tables *TableStats `json:"tables,omitempty"`
	// TablesError says why Tables is nil (no access, offline, excluded ...).
	TablesError string `json:"tablesError,omitempty"`
	// TablesFailed: the table queries failed (denied, cut off), as opposed to
	// a database not read by choice or not online.
	TablesFailed bool `json:"tablesFailed,omitempty"`
	// FilegroupsError says why the filegroup types of the database's
	// FILESTREAM-type files were not read (not selected, offline, denied);
	// FilegroupsFailed marks a query that failed, as opposed to one not run.
	FilegroupsError  string `json:"filegroupsError,omitempty"`
	FilegroupsFailed bool   `json:"filegroupsFailed,omitempty"`
}

// DatabaseFile is one row of sys.master_files.
type DatabaseFile struct {
	FileID       int    `json:"fileId,omitempty"`
	LogicalName  string `json:"logicalName"`
	PhysicalName string `json:"physicalName,omitempty"`
	Type         string `json:"type"` // ROWS, LOG, FILESTREAM, FULLTEXT
	SizeBytes    int64  `json:"sizeBytes"`
	// FilegroupType is, for a FILESTREAM-type file, the type of its
	// filegroup in the database's sys.filegroups: FilegroupFILESTREAM (FD:
	// FILESTREAM or FileTable data) or FilegroupMemoryOptimized (FX: an
	// In-Memory OLTP container, which sys.master_files also lists as
	// FILESTREAM). Empty when not read.
	FilegroupType string `json:"filegroupType,omitempty"`
}

// sys.dm_database_encryption_keys.encryptor_type values.
const (
	EncryptorCertificate   = "CERTIFICATE"
	EncryptorAsymmetricKey = "ASYMMETRIC KEY"
)

// sys.filegroups types of FILESTREAM-type files.
const (
	FilegroupFILESTREAM      = "FD"
	FilegroupMemoryOptimized = "FX"
)

// TableStats summarises a database's tables for the Azure SQL Database data copy.
type TableStats struct {
	Count int `json:"count"`
	// NonASCIINames are table names with characters outside ASCII ("double-byte").
	NonASCIINames []string    `json:"nonAsciiNames,omitempty"`
	LOBColumns    []LOBColumn `json:"lobColumns,omitempty"`
}

type LOBColumn struct {
	Table  string `json:"table"`
	Column string `json:"column"`
	Type   string `json:"type"`
	// MaxBytes is the largest stored value when measured, else 0.
	MaxBytes int64 `json:"maxBytes,omitempty"`
	// TableLOBBytes is the LOB storage of the whole table (LOB_DATA
	// allocation units), a size measured without reading user data.
	TableLOBBytes int64 `json:"tableLobBytes,omitempty"`
}

// Certificate is one certificate in master.
type Certificate struct {
	Name       string `json:"name"`
	Thumbprint string `json:"thumbprint"` // hex
	// PrivateKeyBackedUp is nil when the column is not available (old versions).
	PrivateKeyLastBackup  *time.Time `json:"privateKeyLastBackup,omitempty"`
	PrivateKeyBackupKnown bool       `json:"privateKeyBackupKnown"`
	Expiry                *time.Time `json:"expiry,omitempty"`
}

// BackupHistory is one row of msdb.dbo.backupset joined with backupmediafamily.
type BackupHistory struct {
	Database          string      `json:"database"`
	Type              HistoryType `json:"type"`
	Start             *time.Time  `json:"start,omitempty"`
	Finish            *time.Time  `json:"finish,omitempty"`
	FirstLSN          LSN         `json:"firstLSN"`
	LastLSN           LSN         `json:"lastLSN"`
	CheckpointLSN     LSN         `json:"checkpointLSN"`
	DatabaseBackupLSN LSN         `json:"databaseBackupLSN"`
	HasChecksums      bool        `json:"hasChecksums"`
	// ChecksumsUnknown: msdb's has_backup_checksums is NULL (a nullable
	// column), so whether the backup has checksums is not recorded.
	ChecksumsUnknown    bool   `json:"checksumsUnknown,omitempty"`
	IsCopyOnly          bool   `json:"isCopyOnly"`
	IsDamaged           bool   `json:"isDamaged"`
	Compressed          bool   `json:"compressed"`
	EncryptorThumbprint string `json:"encryptorThumbprint,omitempty"`
	// DeviceType of the first media family: 2 disk, 5 tape, 7 virtual, 9 URL.
	DeviceType int `json:"deviceType"`
	// PhysicalDevices lists every media family (striped backups have several).
	PhysicalDevices []string `json:"physicalDevices,omitempty"`
	BackupSetGUID   string   `json:"backupSetGUID,omitempty"`
	// OtherServer marks a row msdb got from a RESTORE of another server's
	// backup (backupset.server_name is not this server's @@SERVERNAME).
	OtherServer bool `json:"otherServer,omitempty"`
	// RecoveryForkGUID is backupset.last_recovery_fork_guid.
	RecoveryForkGUID string `json:"recoveryForkGUID,omitempty"`
	// IsSnapshot is backupset.is_snapshot: a VSS snapshot, or SQL Server
	// 2022's BACKUP ... WITH METADATA_ONLY (a metadata file on disk), whose
	// data stays in a storage snapshot: no backup file DMS can restore.
	IsSnapshot bool `json:"isSnapshot,omitempty"`
	// DatabaseGUID is backupset.database_guid, the database's GUID when the
	// backup was taken (RESTORE HEADERONLY's BindingID); empty when not
	// read (older facts files).
	DatabaseGUID string `json:"databaseGUID,omitempty"`
}

// ServerObjects are server-level objects DMS does not migrate. Each list is
// nil when it could not be read (e.g. missing permission).
type ServerObjects struct {
	Logins        []string `json:"logins"`
	ServerRoles   []string `json:"serverRoles"`
	AgentJobs     []string `json:"agentJobs"`
	Credentials   []string `json:"credentials"`
	SSISPackages  []string `json:"ssisPackages"`
	Audits        []string `json:"audits"`
	LinkedServers []string `json:"linkedServers"`
	// Unread says, by JSON field name, why a nil list was not read when the
	// failure did not fail the whole source (e.g. SSISDB access).
	Unread map[string]string `json:"unread,omitempty"`
}

// TargetServer is what an optional live target connection said.
type TargetServer struct {
	Version       string   `json:"version,omitempty"`
	Major         int      `json:"major,omitempty"`
	EngineEdition int      `json:"engineEdition,omitempty"`
	Databases     []string `json:"databases"`
	// CertificateThumbprints present in the target's master (hex).
	CertificateThumbprints []string `json:"certificateThumbprints"`
	// StorageUsedMB and StorageLimitMB are Managed Instance figures
	// (sys.server_resource_stats); StorageKnown is false when not read.
	StorageUsedMB  int64 `json:"storageUsedMB,omitempty"`
	StorageLimitMB int64 `json:"storageLimitMB,omitempty"`
	StorageKnown   bool  `json:"storageKnown"`
}
