package checks

// Links to the Microsoft documentation the checks cite.
const (
	linkBackupset    = "https://learn.microsoft.com/sql/relational-databases/system-tables/backupset-transact-sql"
	linkBlobAuthz    = "https://learn.microsoft.com/azure/storage/common/storage-sas-overview"
	linkCopyOnly     = "https://learn.microsoft.com/sql/relational-databases/backup-restore/copy-only-backups-sql-server"
	linkDBLimits     = "https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio#azure-sql-database-limitations"
	linkErrors4000   = "https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-4000-to-4999"
	linkFileListOnly = "https://learn.microsoft.com/sql/t-sql/statements/restore-statements-filelistonly-transact-sql"
	linkFirewall     = "https://learn.microsoft.com/azure/storage/common/storage-network-security"
	linkHeaderOnly   = "https://learn.microsoft.com/sql/t-sql/statements/restore-statements-headeronly-transact-sql"
	linkKnownIssues  = "https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio"
	linkLRS          = "https://learn.microsoft.com/azure/azure-sql/managed-instance/log-replay-service-migrate"
	linkLogins       = "https://learn.microsoft.com/azure/dms/tutorial-login-migration-ads"
	linkMILimits     = "https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio#azure-sql-managed-instance-limitations"
	linkMIMigration  = "https://learn.microsoft.com/azure/azure-sql/migration-guides/managed-instance/sql-server-to-managed-instance-overview#system-databases"
	linkMIResource   = "https://learn.microsoft.com/azure/azure-sql/managed-instance/resource-limits"
	linkMIRestore    = "https://learn.microsoft.com/azure/azure-sql/managed-instance/transact-sql-tsql-differences-sql-server#restore-statement"
	linkReserved     = "https://learn.microsoft.com/sql/t-sql/language-elements/reserved-keywords-transact-sql"
	linkStriped      = "https://learn.microsoft.com/sql/relational-databases/backup-restore/media-sets-media-families-and-backup-sets-sql-server"
	linkTDE          = "https://learn.microsoft.com/azure/dms/tutorial-transparent-data-encryption-migration-ads"
	linkTiers        = "https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview"
	linkUpdatePolicy = "https://learn.microsoft.com/azure/azure-sql/managed-instance/update-policy"
)
