// Package checks holds every dmsready check, one file each, and the one
// registry that lists them. A check is a documented value with a pure Run
// over the facts; adding one touches its file, its test, one line below,
// the known-issues map when it decides an entry there, and `make docs`
// (CONTRIBUTING.md walks through it).
package checks

import "github.com/dmsready/dmsready/checks/check"

// All is the registry, sorted by ID. IDs are a public contract: never
// renumber or reuse one; retire a check by leaving its ID unused.
//
// Ranges: DMS1xx plan and target; DMS2xx backup storage layout; DMS3xx backup
// contents and the restore plan; DMS4xx source SQL Server; DMS5xx live target;
// DMS6xx Azure Resource Manager.
var All = []*check.Check{
	// DMS1xx plan and target
	ReservedDatabaseName, // DMS101
	VMTargetVersion,      // DMS102
	DuplicateTargetName,  // DMS103
	SystemDatabase,       // DMS104

	// DMS2xx backup storage
	StorageReachable,       // DMS201
	StorageLeastPrivilege,  // DMS202
	SASExpiry,              // DMS203
	FlatFolders,            // DMS204
	OneDatabasePerFolder,   // DMS205
	SeparateFolders,        // DMS206
	PageBlobsForOldVM,      // DMS207
	ReadableBackups,        // DMS208
	FullBackupChecksums,    // DMS209
	PlannedDatabaseBackups, // DMS210
	UnplannedBackups,       // DMS211
	OneBackupSetPerFile,    // DMS212
	LRSNaming,              // DMS213

	// DMS3xx backup contents and restore plan
	BrokenLogChain,          // DMS301
	BridgedLogGap,           // DMS302
	NoFullBackup,            // DMS303
	LogsWithoutFull,         // DMS304
	MissingStripe,           // DMS305
	DifferentialWithoutBase, // DMS306
	NewerThanTarget,         // DMS307
	LogicalFileNames,        // DMS308
	LastBackupFile,          // DMS309
	SameNameDatabases,       // DMS310
	MIFileLayout,            // DMS311

	// DMS4xx source SQL Server
	TDECertificateBackup,      // DMS401
	NonASCIITableNames,        // DMS402
	TooManyTables,             // DMS403
	LargeObjectColumns,        // DMS404
	TableStartupOverhead,      // DMS405
	ServerObjectsNotMigrated,  // DMS406
	AgentJobsAndSSIS,          // DMS407
	AvailabilityGroupTopology, // DMS408
	RecoveryModelFull,         // DMS409
	LastFullChecksum,          // DMS410
	CopyOnlyInChain,           // DMS411
	LogBackupToNUL,            // DMS412
	StorageLimit,              // DMS413
	ContainedDatabase,         // DMS414
	SourceVersion,             // DMS415
	PlannedDatabaseOnSource,   // DMS416
	MIDatabaseFiles,           // DMS417

	// DMS5xx live target
	TargetDatabaseExists, // DMS501
	TargetTDECertificate, // DMS502
	TargetVersion,        // DMS503
	TargetStorage,        // DMS504

	// DMS6xx Azure Resource Manager
	StorageNetworkAccess,          // DMS601
	ManagedInstanceReady,          // DMS602
	ManagedInstanceStorage,        // DMS603
	ManagedInstanceTier,           // DMS604
	DMSServiceReady,               // DMS605
	IntegrationRuntimeOnline,      // DMS606
	SQLVMRegistered,               // DMS607
	SQLVMVersion,                  // DMS608
	SQLDBTargetDatabase,           // DMS609
	ManagedInstanceDatabaseExists, // DMS610
}
