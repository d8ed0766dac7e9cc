package sqlsource

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/facts"
)

// Query is one statement dmsready sends. Every statement dmsready runs is in
// Queries below: a SELECT on catalog views, DMVs or msdb, never a write and
// never a temp table. The marker comment is how the test server and a DBA
// reading a trace recognise it; docs/permissions.md is generated from here.
type Query struct {
	Marker string       // "dmsready:databases", also the comment in SQL
	Source facts.Source // the facts it feeds; a failure fails only this source
	Reads  string       // catalog views and columns
	// MinMajor..MaxMajor is the range of SQL Server major versions the text
	// is written for (10 = 2008 / 2008 R2); MaxMajor 0 = no upper bound.
	MinMajor, MaxMajor int
	// Permission is what a least-privilege login needs; Grant is the T-SQL
	// that gives it, one block per element (run in master unless it says USE).
	Permission string
	Grant      []string
	// PerDatabase queries name the database with {db}, replaced by the
	// bracket-quoted name, because a three-part name cannot be a parameter.
	PerDatabase bool
	// Target queries run against the optional live target.
	Target bool
	SQL    string
}

const (
	permPublic     = "public (no grant needed)"
	permAnyDef     = "VIEW ANY DEFINITION"
	permState      = "VIEW SERVER STATE"
	permMsdb       = "db_datareader in msdb"
	permTables     = "VIEW ANY DEFINITION and CONNECT ANY DATABASE (2014+; older: a user in each database)"
	permAnyDB      = "VIEW ANY DATABASE"
	permLinked     = "ALTER ANY LINKED SERVER"
	grantLinked    = "GRANT ALTER ANY LINKED SERVER TO [dmsready];"
	grantAnyDef    = "GRANT VIEW ANY DEFINITION TO [dmsready];"
	grantState     = "GRANT VIEW SERVER STATE TO [dmsready];"
	grantAnyDB     = "GRANT VIEW ANY DATABASE TO [dmsready];"
	grantConnectDB = "GRANT CONNECT ANY DATABASE TO [dmsready];"
	grantMsdb      = "USE msdb; CREATE USER [dmsready] FOR LOGIN [dmsready]; ALTER ROLE db_datareader ADD MEMBER [dmsready];"
	grantSSISDB    = "USE SSISDB; CREATE USER [dmsready] FOR LOGIN [dmsready]; ALTER ROLE ssis_admin ADD MEMBER [dmsready];"
)

// Queries is every statement dmsready may send, source first, then target.
var Queries = []Query{
	{
		Marker: "dmsready:server", Source: facts.SrcServer, MinMajor: 10,
		Reads:      "SERVERPROPERTY: ServerName, ProductVersion, Edition, EngineEdition, Collation; SUSER_SNAME() (the login dmsready connects as, left out of the logins DMS does not migrate)",
		Permission: permPublic,
		SQL: `SELECT /* dmsready:server */
  CONVERT(nvarchar(256), SERVERPROPERTY('ServerName')) AS server_name,
  CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version,
  CONVERT(nvarchar(128), SERVERPROPERTY('Edition')) AS edition,
  CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition,
  CONVERT(nvarchar(128), SERVERPROPERTY('Collation')) AS collation,
  CONVERT(nvarchar(128), SUSER_SNAME()) AS login_name`,
	},
	{
		Marker: "dmsready:permissions", Source: facts.SrcServer, MinMajor: 10, MaxMajor: 15,
		Reads:      "HAS_PERMS_BY_NAME on the server for VIEW ANY DEFINITION, VIEW SERVER STATE, VIEW ANY DATABASE, ALTER ANY LINKED SERVER",
		Permission: permPublic,
		SQL: `SELECT /* dmsready:permissions */
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION')) AS view_any_definition,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW SERVER STATE')) AS view_server_state,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DATABASE')) AS view_any_database,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'ALTER ANY LINKED SERVER')) AS alter_any_linked_server,
  CONVERT(int, NULL) AS view_server_security_state`,
	},
	{
		// VIEW SERVER SECURITY STATE exists from 2022 on; older servers
		// have no such permission name to ask about.
		Marker: "dmsready:permissions-2022", Source: facts.SrcServer, MinMajor: 16,
		Reads:      "HAS_PERMS_BY_NAME on the server for VIEW ANY DEFINITION, VIEW SERVER STATE, VIEW ANY DATABASE, ALTER ANY LINKED SERVER, VIEW SERVER SECURITY STATE",
		Permission: permPublic,
		SQL: `SELECT /* dmsready:permissions-2022 */
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION')) AS view_any_definition,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW SERVER STATE')) AS view_server_state,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DATABASE')) AS view_any_database,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'ALTER ANY LINKED SERVER')) AS alter_any_linked_server,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW SERVER SECURITY STATE')) AS view_server_security_state`,
	},
	{
		Marker: "dmsready:databases", Source: facts.SrcDatabases, MinMajor: 11,
		Reads:      "sys.databases (database_id, name, state_desc, recovery_model_desc, compatibility_level, is_encrypted, containment_desc, replica_id: set for an availability database, source_database_id: snapshots are left out), sys.availability_replicas (replica_id, group_id), sys.availability_groups (group_id, name, automated_backup_preference_desc; without VIEW ANY DEFINITION these two show no rows, so the group's name and preference are then unknown while replica_id still tells membership)",
		Permission: "VIEW ANY DATABASE (granted to public by default) and VIEW ANY DEFINITION",
		Grant:      []string{grantAnyDB, grantAnyDef},
		SQL: `SELECT /* dmsready:databases */
  d.database_id, d.name, d.state_desc, d.recovery_model_desc, d.compatibility_level,
  d.is_encrypted, d.containment_desc, ag.name AS availability_group,
  ag.automated_backup_preference_desc AS ag_backup_preference,
  CONVERT(bit, CASE WHEN d.replica_id IS NULL THEN 0 ELSE 1 END) AS in_availability_group
FROM sys.databases AS d
LEFT JOIN sys.availability_replicas AS ar ON ar.replica_id = d.replica_id
LEFT JOIN sys.availability_groups AS ag ON ag.group_id = ar.group_id
WHERE d.database_id > 4 AND d.source_database_id IS NULL
ORDER BY d.name`,
	},
	{
		Marker: "dmsready:databases-2008r2", Source: facts.SrcDatabases, MinMajor: 10, MaxMajor: 10,
		Reads:      "sys.databases (database_id, name, state_desc, recovery_model_desc, compatibility_level, is_encrypted, source_database_id: snapshots are left out); no containment or availability groups before 2012",
		Permission: "VIEW ANY DATABASE (granted to public by default)",
		Grant:      []string{grantAnyDB},
		SQL: `SELECT /* dmsready:databases-2008r2 */
  d.database_id, d.name, d.state_desc, d.recovery_model_desc, d.compatibility_level,
  d.is_encrypted, N'NONE' AS containment_desc, CONVERT(nvarchar(128), NULL) AS availability_group,
  CONVERT(nvarchar(60), NULL) AS ag_backup_preference, CONVERT(bit, 0) AS in_availability_group
FROM sys.databases AS d
WHERE d.database_id > 4 AND d.source_database_id IS NULL
ORDER BY d.name`,
	},
	{
		Marker: "dmsready:files", Source: facts.SrcFiles, MinMajor: 10,
		Reads:      "sys.master_files (database_id, file_id, type_desc, name, physical_name, size in 8 KB pages); of the system databases only master, model and msdb, whose sizes stand in for a Managed Instance's own",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL: `SELECT /* dmsready:files */
  f.database_id, f.file_id, f.type_desc, f.name, f.physical_name, CONVERT(bigint, f.size) AS pages
FROM sys.master_files AS f
WHERE f.database_id <> 2
ORDER BY f.database_id, f.file_id`,
	},
	{
		Marker: "dmsready:encryption-keys", Source: facts.SrcEncryption, MinMajor: 11,
		Reads:      "sys.dm_database_encryption_keys (database_id, encryption_state, encryptor_thumbprint, encryptor_type: CERTIFICATE or ASYMMETRIC KEY, an EKM key such as Azure Key Vault's)",
		Permission: permState + " (2022+: VIEW SERVER SECURITY STATE)",
		Grant:      []string{grantState},
		SQL: `SELECT /* dmsready:encryption-keys */
  k.database_id, k.encryption_state, CONVERT(varchar(64), k.encryptor_thumbprint, 2) AS thumbprint,
  CONVERT(nvarchar(32), k.encryptor_type) AS encryptor_type
FROM sys.dm_database_encryption_keys AS k
WHERE k.database_id > 4`,
	},
	{
		// encryptor_type arrived in SQL Server 2012: before, the protector
		// is found by its thumbprint in master, where a TDE protector
		// lives (both views have had thumbprint since 2005; they show
		// every row with VIEW ANY DEFINITION, which the collector demands
		// before reading keys). In neither: NULL, unknown.
		Marker: "dmsready:encryption-keys-2008r2", Source: facts.SrcEncryption, MinMajor: 10, MaxMajor: 10,
		Reads: "sys.dm_database_encryption_keys (database_id, encryption_state, encryptor_thumbprint); encryptor_type is not there before 2012, " +
			"so the thumbprint is looked up in master.sys.asymmetric_keys (thumbprint: ASYMMETRIC KEY, an EKM key) and master.sys.certificates (thumbprint: CERTIFICATE); in neither it is unknown",
		Permission: permState + " and " + permAnyDef + " (to see master's asymmetric keys and certificates)",
		Grant:      []string{grantState, grantAnyDef},
		SQL: `SELECT /* dmsready:encryption-keys-2008r2 */
  k.database_id, k.encryption_state, CONVERT(varchar(64), k.encryptor_thumbprint, 2) AS thumbprint,
  CONVERT(nvarchar(32), CASE
    WHEN EXISTS (SELECT 1 FROM master.sys.asymmetric_keys AS a WHERE a.thumbprint = k.encryptor_thumbprint) THEN N'ASYMMETRIC KEY'
    WHEN EXISTS (SELECT 1 FROM master.sys.certificates AS c WHERE c.thumbprint = k.encryptor_thumbprint) THEN N'CERTIFICATE'
  END) AS encryptor_type
FROM sys.dm_database_encryption_keys AS k
WHERE k.database_id > 4`,
	},
	{
		Marker: "dmsready:certificates", Source: facts.SrcEncryption, MinMajor: 11,
		Reads:      "master.sys.certificates (name, thumbprint, pvt_key_last_backup_date, expiry_date)",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL: `SELECT /* dmsready:certificates */
  c.name, CONVERT(varchar(64), c.thumbprint, 2) AS thumbprint, c.pvt_key_last_backup_date, c.expiry_date
FROM master.sys.certificates AS c
WHERE c.name NOT LIKE N'##%'
ORDER BY c.name`,
	},
	{
		Marker: "dmsready:certificates-2008r2", Source: facts.SrcEncryption, MinMajor: 10, MaxMajor: 10,
		Reads:      "master.sys.certificates (name, thumbprint, expiry_date); pvt_key_last_backup_date is not read before 2012, so key backups are reported unknown",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL: `SELECT /* dmsready:certificates-2008r2 */
  c.name, CONVERT(varchar(64), c.thumbprint, 2) AS thumbprint, CONVERT(datetime, NULL) AS pvt_key_last_backup_date, c.expiry_date
FROM master.sys.certificates AS c
WHERE c.name NOT LIKE N'##%'
ORDER BY c.name`,
	},
	{
		Marker: "dmsready:backup-history", Source: facts.SrcBackupHistory, MinMajor: 12,
		Reads:      "msdb.dbo.backupset (backup_set_id, type, backup_start_date, backup_finish_date, first_lsn, last_lsn, checkpoint_lsn, database_backup_lsn, has_backup_checksums, is_copy_only, is_damaged, encryptor_thumbprint, backup_set_uuid), msdb.dbo.backupmediaset (is_compressed), msdb.dbo.backupmediafamily (family_sequence_number, device_type, physical_device_name), server_name (rows RESTORE wrote for another server's backups), last_recovery_fork_guid, is_snapshot, database_guid; and sys.database_recovery_status.database_guid, the current database's (new when RESTORE or CREATE DATABASE made it: rows with another are of an earlier database of the name), read only for a database that is ONLINE and not AUTO_CLOSE, since the view starts a database that is not open (its row needs VIEW ANY DATABASE, public by default; without it, unknown); from this server's latest non-copy-only, non-snapshot full written to a file (device_type 2 disk, 9 URL, 105 named device, or NULL; not to NUL) on, so that a VSS snapshot, a 2022 metadata-only snapshot or a third-party tool's full (device_type 7) does not hide the file full a restore starts from",
		Permission: permMsdb,
		Grant:      []string{grantMsdb},
		SQL: `SELECT /* dmsready:backup-history */
  bs.backup_set_id, bs.type, bs.backup_start_date, bs.backup_finish_date,
  CONVERT(varchar(25), bs.first_lsn) AS first_lsn, CONVERT(varchar(25), bs.last_lsn) AS last_lsn,
  CONVERT(varchar(25), bs.checkpoint_lsn) AS checkpoint_lsn, CONVERT(varchar(25), bs.database_backup_lsn) AS database_backup_lsn,
  bs.has_backup_checksums, bs.is_copy_only, bs.is_damaged, ms.is_compressed,
  CONVERT(varchar(64), bs.encryptor_thumbprint, 2) AS encryptor_thumbprint,
  CONVERT(varchar(36), bs.backup_set_uuid) AS backup_set_uuid,
  CONVERT(int, mf.device_type) AS device_type, mf.physical_device_name,
  CASE WHEN bs.server_name = @@SERVERNAME THEN 0 ELSE 1 END AS other_server,
  CONVERT(varchar(36), bs.last_recovery_fork_guid) AS recovery_fork, bs.is_snapshot,
  CONVERT(varchar(36), bs.database_guid) AS database_guid,
  CASE WHEN DATABASEPROPERTYEX(@p1, 'Status') = N'ONLINE' AND DATABASEPROPERTYEX(@p1, 'IsAutoClose') = 0
    THEN (SELECT CONVERT(varchar(36), rs.database_guid) FROM sys.database_recovery_status AS rs WHERE rs.database_id = DB_ID(@p1)) END AS current_database_guid
FROM msdb.dbo.backupset AS bs
JOIN msdb.dbo.backupmediaset AS ms ON ms.media_set_id = bs.media_set_id
LEFT JOIN msdb.dbo.backupmediafamily AS mf ON mf.media_set_id = bs.media_set_id AND mf.mirror = 0
WHERE bs.database_name = @p1
  AND bs.backup_start_date >= ISNULL((SELECT MAX(f.backup_start_date) FROM msdb.dbo.backupset AS f
      JOIN msdb.dbo.backupmediafamily AS fm ON fm.media_set_id = f.media_set_id AND fm.mirror = 0 AND fm.family_sequence_number = 1
      WHERE f.database_name = @p1 AND f.type = 'D' AND f.is_copy_only = 0 AND f.is_snapshot = 0 AND f.server_name = @@SERVERNAME
        AND (fm.device_type IN (2, 9, 105) OR fm.device_type IS NULL)
        AND UPPER(ISNULL(fm.physical_device_name, N'')) NOT IN (N'NUL', N'NUL:', N'\\.\NUL')), '19000101')
ORDER BY bs.backup_start_date, bs.backup_set_id, mf.family_sequence_number`,
	},
	{
		Marker: "dmsready:backup-history-2008r2", Source: facts.SrcBackupHistory, MinMajor: 10, MaxMajor: 11,
		Reads:      "as dmsready:backup-history, without encryptor_thumbprint (backup encryption came in 2014)",
		Permission: permMsdb,
		Grant:      []string{grantMsdb},
		SQL: `SELECT /* dmsready:backup-history-2008r2 */
  bs.backup_set_id, bs.type, bs.backup_start_date, bs.backup_finish_date,
  CONVERT(varchar(25), bs.first_lsn) AS first_lsn, CONVERT(varchar(25), bs.last_lsn) AS last_lsn,
  CONVERT(varchar(25), bs.checkpoint_lsn) AS checkpoint_lsn, CONVERT(varchar(25), bs.database_backup_lsn) AS database_backup_lsn,
  bs.has_backup_checksums, bs.is_copy_only, bs.is_damaged, ms.is_compressed,
  CONVERT(varchar(64), NULL) AS encryptor_thumbprint,
  CONVERT(varchar(36), bs.backup_set_uuid) AS backup_set_uuid,
  CONVERT(int, mf.device_type) AS device_type, mf.physical_device_name,
  CASE WHEN bs.server_name = @@SERVERNAME THEN 0 ELSE 1 END AS other_server,
  CONVERT(varchar(36), bs.last_recovery_fork_guid) AS recovery_fork, bs.is_snapshot,
  CONVERT(varchar(36), bs.database_guid) AS database_guid,
  CASE WHEN DATABASEPROPERTYEX(@p1, 'Status') = N'ONLINE' AND DATABASEPROPERTYEX(@p1, 'IsAutoClose') = 0
    THEN (SELECT CONVERT(varchar(36), rs.database_guid) FROM sys.database_recovery_status AS rs WHERE rs.database_id = DB_ID(@p1)) END AS current_database_guid
FROM msdb.dbo.backupset AS bs
JOIN msdb.dbo.backupmediaset AS ms ON ms.media_set_id = bs.media_set_id
LEFT JOIN msdb.dbo.backupmediafamily AS mf ON mf.media_set_id = bs.media_set_id AND mf.mirror = 0
WHERE bs.database_name = @p1
  AND bs.backup_start_date >= ISNULL((SELECT MAX(f.backup_start_date) FROM msdb.dbo.backupset AS f
      JOIN msdb.dbo.backupmediafamily AS fm ON fm.media_set_id = f.media_set_id AND fm.mirror = 0 AND fm.family_sequence_number = 1
      WHERE f.database_name = @p1 AND f.type = 'D' AND f.is_copy_only = 0 AND f.is_snapshot = 0 AND f.server_name = @@SERVERNAME
        AND (fm.device_type IN (2, 9, 105) OR fm.device_type IS NULL)
        AND UPPER(ISNULL(fm.physical_device_name, N'')) NOT IN (N'NUL', N'NUL:', N'\\.\NUL')), '19000101')
ORDER BY bs.backup_start_date, bs.backup_set_id, mf.family_sequence_number`,
	},
	{
		Marker: "dmsready:tables", Source: facts.SrcTables, MinMajor: 10, PerDatabase: true,
		Reads:      "<db>.sys.tables (name, schema_id, is_ms_shipped), <db>.sys.schemas (schema_id, name)",
		Permission: permTables,
		Grant:      []string{grantAnyDef, grantConnectDB},
		SQL: `SELECT /* dmsready:tables */ s.name AS schema_name, t.name AS table_name
FROM {db}.sys.tables AS t
JOIN {db}.sys.schemas AS s ON s.schema_id = t.schema_id
WHERE t.is_ms_shipped = 0`,
	},
	{
		// sys.master_files lists In-Memory OLTP containers as FILESTREAM
		// (type 2) too; the filegroup's type tells them apart. Asked only
		// of databases with such files.
		Marker: "dmsready:filegroups", Source: facts.SrcFiles, MinMajor: 10, PerDatabase: true,
		Reads:      "<db>.sys.database_files (file_id, type 2 = FILESTREAM, data_space_id), <db>.sys.filegroups (data_space_id, type: FD FILESTREAM, FX memory-optimized from 2014); only for databases whose sys.master_files lists FILESTREAM files",
		Permission: permTables,
		Grant:      []string{grantAnyDef, grantConnectDB},
		SQL: `SELECT /* dmsready:filegroups */ df.file_id, fg.type AS filegroup_type
FROM {db}.sys.database_files AS df
JOIN {db}.sys.filegroups AS fg ON fg.data_space_id = df.data_space_id
WHERE df.type = 2
ORDER BY df.file_id`,
	},
	{
		Marker: "dmsready:lob-columns", Source: facts.SrcTables, MinMajor: 10, PerDatabase: true,
		Reads:      "<db>.sys.columns (object_id, name, user_type_id, max_length), <db>.sys.types (user_type_id, name, is_assembly_type: geometry, geography, hierarchyid and CLR types), <db>.sys.tables, <db>.sys.schemas, <db>.sys.partitions (object_id, partition_id), <db>.sys.allocation_units (container_id, type 2 = LOB_DATA, used_pages)",
		Permission: permTables,
		Grant:      []string{grantAnyDef, grantConnectDB},
		SQL: `SELECT /* dmsready:lob-columns */ s.name AS schema_name, t.name AS table_name, c.name AS column_name,
  ty.name AS type_name,
  CONVERT(bigint, (SELECT SUM(au.used_pages) FROM {db}.sys.partitions AS p
    JOIN {db}.sys.allocation_units AS au ON au.container_id = p.partition_id AND au.type = 2
    WHERE p.object_id = t.object_id)) * 8192 AS table_lob_bytes
FROM {db}.sys.columns AS c
JOIN {db}.sys.tables AS t ON t.object_id = c.object_id
JOIN {db}.sys.schemas AS s ON s.schema_id = t.schema_id
JOIN {db}.sys.types AS ty ON ty.user_type_id = c.user_type_id
WHERE t.is_ms_shipped = 0
  AND (c.max_length = -1 OR ty.is_assembly_type = 1 OR ty.name IN (N'text', N'ntext', N'image', N'xml'))
ORDER BY s.name, t.name, c.column_id`,
	},
	{
		Marker: "dmsready:logins", Source: facts.SrcServerObjects, MinMajor: 10,
		Reads:      "sys.server_principals (name, type S U G C K E X, principal_id); a default install's logins (##…##, NT SERVICE\\, NT AUTHORITY\\, BUILTIN\\, the HOST\\SQLServer…User$… groups of 2005/2008 setup, sa, dmsready's own) are left out in dmsready, case-insensitively but for dmsready's own SQL login, compared by the server collation (on a case-sensitive server DMSREADY is another login)",
		Permission: permAnyDef + " (without it only the login itself is visible)",
		Grant:      []string{grantAnyDef},
		SQL: `SELECT /* dmsready:logins */ p.name
FROM sys.server_principals AS p
WHERE p.type IN ('S', 'U', 'G', 'C', 'K', 'E', 'X') AND p.principal_id <> 1
ORDER BY p.name`,
	},
	{
		Marker: "dmsready:server-roles", Source: facts.SrcServerObjects, MinMajor: 11,
		Reads:      "sys.server_principals (name, type R, is_fixed_role); user-defined server roles exist from 2012 on",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL: `SELECT /* dmsready:server-roles */ p.name
FROM sys.server_principals AS p
WHERE p.type = 'R' AND p.is_fixed_role = 0 AND p.principal_id <> 2
ORDER BY p.name`,
	},
	{
		Marker: "dmsready:credentials", Source: facts.SrcServerObjects, MinMajor: 10,
		Reads:      "sys.credentials (name)",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL:        `SELECT /* dmsready:credentials */ c.name FROM sys.credentials AS c ORDER BY c.name`,
	},
	{
		Marker: "dmsready:audits", Source: facts.SrcServerObjects, MinMajor: 10,
		Reads:      "sys.server_audits (name)",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL:        `SELECT /* dmsready:audits */ a.name FROM sys.server_audits AS a ORDER BY a.name`,
	},
	{
		Marker: "dmsready:linked-servers", Source: facts.SrcServerObjects, MinMajor: 10,
		Reads:      "sys.servers (name, is_linked); read only with ALTER ANY LINKED SERVER, since without it sys.servers shows only the linked servers the login is mapped to",
		Permission: permLinked,
		Grant:      []string{grantLinked},
		SQL:        `SELECT /* dmsready:linked-servers */ s.name FROM sys.servers AS s WHERE s.is_linked = 1 ORDER BY s.name`,
	},
	{
		Marker: "dmsready:agent-jobs", Source: facts.SrcBackupHistory, MinMajor: 10,
		Reads:      "msdb.dbo.sysjobs (name); syspolicy_purge_history, which every install has, is left out",
		Permission: permMsdb,
		Grant:      []string{grantMsdb},
		SQL:        `SELECT /* dmsready:agent-jobs */ j.name FROM msdb.dbo.sysjobs AS j ORDER BY j.name`,
	},
	{
		Marker: "dmsready:ssis-msdb", Source: facts.SrcBackupHistory, MinMajor: 10,
		Reads:      "msdb.dbo.sysssispackages (name); the Data Collector packages every install has are left out",
		Permission: permMsdb,
		Grant:      []string{grantMsdb},
		SQL:        `SELECT /* dmsready:ssis-msdb */ p.name FROM msdb.dbo.sysssispackages AS p ORDER BY p.name`,
	},
	{
		// The SSISDB catalog views show a login only the projects it may
		// READ, without an error: the list is complete only for sysadmin or
		// a member of ssis_admin. A user can see its own role memberships.
		Marker: "dmsready:ssis-admin", Source: facts.SrcServerObjects, MinMajor: 11,
		Reads:      "IS_SRVROLEMEMBER('sysadmin'); SSISDB.sys.database_role_members and SSISDB.sys.database_principals (name, principal_id, sid): whether the login's own user is in ssis_admin (membership through a Windows group is not seen, and leaves the catalog unread); only when SSISDB exists (named by the server collation: on a case-sensitive server a database ssisdb is not the catalog)",
		Permission: "a user in SSISDB (ssis_admin, to read the catalog)",
		Grant:      []string{grantSSISDB},
		SQL: `SELECT /* dmsready:ssis-admin */
  CONVERT(int, IS_SRVROLEMEMBER('sysadmin')) AS is_sysadmin,
  CONVERT(int, (SELECT COUNT(*) FROM SSISDB.sys.database_role_members AS rm
    JOIN SSISDB.sys.database_principals AS r ON r.principal_id = rm.role_principal_id
    JOIN SSISDB.sys.database_principals AS u ON u.principal_id = rm.member_principal_id
    WHERE r.name = N'ssis_admin' AND u.sid = SUSER_SID())) AS ssis_admin`,
	},
	{
		Marker: "dmsready:ssis-catalog", Source: facts.SrcServerObjects, MinMajor: 11,
		Reads:      "SSISDB.catalog.folders (folder_id, name), SSISDB.catalog.projects (project_id, folder_id, name), SSISDB.catalog.packages (project_id, name); only when SSISDB exists and dmsready:ssis-admin says the login sees every row (these views enforce row-level security)",
		Permission: "ssis_admin in SSISDB (or sysadmin): READ on a project shows that project only",
		Grant:      []string{grantSSISDB},
		SQL: `SELECT /* dmsready:ssis-catalog */ f.name + N'/' + pr.name + N'/' + pk.name AS package_path
FROM SSISDB.catalog.packages AS pk
JOIN SSISDB.catalog.projects AS pr ON pr.project_id = pk.project_id
JOIN SSISDB.catalog.folders AS f ON f.folder_id = pr.folder_id
ORDER BY package_path`,
	},

	// Target (optional live connection).
	{
		Marker: "dmsready:target-server", Source: facts.SrcTarget, MinMajor: 10, Target: true,
		Reads:      "SERVERPROPERTY: ProductVersion, EngineEdition",
		Permission: permPublic,
		SQL: `SELECT /* dmsready:target-server */
  CONVERT(nvarchar(128), SERVERPROPERTY('ProductVersion')) AS product_version,
  CONVERT(int, SERVERPROPERTY('EngineEdition')) AS engine_edition`,
	},
	{
		Marker: "dmsready:target-databases", Source: facts.SrcTargetDBs, MinMajor: 10, Target: true,
		Reads:      "sys.databases (name)",
		Permission: "VIEW ANY DATABASE (granted to public by default)",
		Grant:      []string{grantAnyDB},
		SQL:        `SELECT /* dmsready:target-databases */ d.name FROM sys.databases AS d ORDER BY d.name`,
	},
	{
		Marker: "dmsready:target-permissions", Source: facts.SrcTarget, MinMajor: 10, Target: true,
		Reads:      "HAS_PERMS_BY_NAME on the server for VIEW ANY DEFINITION and VIEW ANY DATABASE: without them sys.certificates and sys.databases hide rows instead of failing",
		Permission: permPublic,
		SQL: `SELECT /* dmsready:target-permissions */
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION')) AS view_any_definition,
  CONVERT(int, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DATABASE')) AS view_any_database`,
	},
	{
		Marker: "dmsready:target-certificates", Source: facts.SrcTargetCerts, MinMajor: 10, Target: true,
		Reads:      "master.sys.certificates (thumbprint)",
		Permission: permAnyDef,
		Grant:      []string{grantAnyDef},
		SQL: `SELECT /* dmsready:target-certificates */ CONVERT(varchar(64), c.thumbprint, 2) AS thumbprint
FROM master.sys.certificates AS c`,
	},
	{
		Marker: "dmsready:target-storage", Source: facts.SrcTargetStorage, MinMajor: 12, Target: true,
		Reads:      "master.sys.server_resource_stats (storage_space_used_mb, reserved_storage_mb, start_time); Managed Instance only",
		Permission: permState,
		Grant:      []string{grantState},
		SQL: `SELECT /* dmsready:target-storage */ TOP (1)
  CONVERT(bigint, r.storage_space_used_mb) AS used_mb, CONVERT(bigint, r.reserved_storage_mb) AS limit_mb
FROM master.sys.server_resource_stats AS r
ORDER BY r.start_time DESC`,
	},
}

// query returns the text for marker; it panics on a marker not in Queries,
// a programming error caught by every test.
func query(marker string) Query {
	for _, q := range Queries {
		if q.Marker == marker {
			return q
		}
	}
	panic("sqlsource: no query " + marker)
}

// pick returns the variant of a query family (base, or base + "-suffix")
// whose version range holds a server major version. It panics when none
// does, a programming error caught by the tests of each version.
func pick(base string, major int) Query {
	for _, q := range Queries {
		if q.Marker != base && !strings.HasPrefix(q.Marker, base+"-") {
			continue
		}
		if major >= q.MinMajor && (q.MaxMajor == 0 || major <= q.MaxMajor) {
			return q
		}
	}
	panic(fmt.Sprintf("sqlsource: no variant of %s for major version %d", base, major))
}

// quoteName brackets an identifier as QUOTENAME does.
func quoteName(s string) string {
	return "[" + strings.ReplaceAll(s, "]", "]]") + "]"
}

// forDB fills a per-database query's {db} placeholder.
func (q Query) forDB(db string) string {
	return strings.ReplaceAll(q.SQL, "{db}", quoteName(db))
}

// writeWords are T-SQL keywords no dmsready statement may contain.
var writeWords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "EXEC": true, "EXECUTE": true,
	"CREATE": true, "ALTER": true, "DROP": true, "INTO": true, "TRUNCATE": true, "GRANT": true,
	"DENY": true, "REVOKE": true, "SET": true, "DECLARE": true, "USE": true, "BACKUP": true,
	"RESTORE": true, "DBCC": true, "KILL": true, "SHUTDOWN": true, "RECONFIGURE": true,
	"OPENROWSET": true, "OPENQUERY": true, "OPENDATASOURCE": true, "WAITFOR": true,
}

// ReadOnly reports why sql is not a single read-only SELECT: comments,
// string literals and bracketed identifiers are dropped, then the words are
// checked.
func ReadOnly(sql string) error {
	var b strings.Builder
	for i := 0; i < len(sql); i++ {
		switch {
		case strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return fmt.Errorf("unterminated comment")
			}
			i += j + 3
			b.WriteByte(' ')
		case strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				i = len(sql)
			} else {
				i += j
			}
			b.WriteByte(' ')
		case sql[i] == '\'' || sql[i] == '[':
			end := sql[i]
			if end == '[' {
				end = ']'
			}
			j := i + 1
			for ; j < len(sql); j++ {
				if sql[j] == end {
					if j+1 < len(sql) && sql[j+1] == end {
						j++
						continue
					}
					break
				}
			}
			if j >= len(sql) {
				return fmt.Errorf("unterminated string literal or identifier")
			}
			i = j
			b.WriteString(" x ")
		default:
			b.WriteByte(sql[i])
		}
	}
	code := b.String()
	if strings.ContainsAny(code, "#;") {
		return fmt.Errorf("contains # (temp table) or ; (second statement)")
	}
	words := strings.FieldsFunc(strings.ToUpper(code), func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if len(words) == 0 || words[0] != "SELECT" {
		return fmt.Errorf("does not start with SELECT")
	}
	for _, w := range words {
		if writeWords[w] {
			return fmt.Errorf("contains %s", w)
		}
	}
	return nil
}
