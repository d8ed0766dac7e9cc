package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

const (
	linkDBLimits   = "https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio#azure-sql-database-limitations"
	linkMILimits   = "https://learn.microsoft.com/azure/dms/known-issues-azure-sql-migration-azure-data-studio#azure-sql-managed-instance-limitations"
	linkTDE        = "https://learn.microsoft.com/azure/dms/tutorial-transparent-data-encryption-migration-ads"
	linkLogins     = "https://learn.microsoft.com/azure/dms/tutorial-login-migration-ads"
	linkBackupset  = "https://learn.microsoft.com/sql/relational-databases/system-tables/backupset-transact-sql"
	linkCopyOnly   = "https://learn.microsoft.com/sql/relational-databases/backup-restore/copy-only-backups-sql-server"
	linkMIResource = "https://learn.microsoft.com/azure/azure-sql/managed-instance/resource-limits"
)

// sourceDB finds a migrated database on the source server.
func sourceDB(f *facts.Facts, name string) *facts.Database {
	if f.Server == nil {
		return nil
	}
	for i := range f.Server.Databases {
		if strings.EqualFold(f.Server.Databases[i].Name, name) {
			return &f.Server.Databases[i]
		}
	}
	return nil
}

// eachSourceDB calls fn for every migrated database found on the source and
// skips the ones the source does not have.
func eachSourceDB(p *check.Pass, fn func(d *facts.Database, obj string)) {
	for _, pd := range p.Facts.Databases() {
		obj := "database:" + pd.Name
		d := sourceDB(p.Facts, pd.Name)
		if d == nil {
			p.Skip(pd.Name, obj, "not a database on the source server (see DMS416)")
			continue
		}
		// Report under the plan's spelling, so one database is one group
		// even when the plan and the server differ in case.
		named := *d
		named.Name = pd.Name
		fn(&named, obj)
	}
}

// count says "1 table" or "3 tables".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func mib(b int64) int64 { return (b + 1<<20 - 1) >> 20 }

func human(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (b+1023)/1024)
}

func list(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
}

// tdeEncrypted reports a database whose encryption key exists and encrypts
// (states 2-6: in progress, encrypted, key change, decryption in progress,
// protection change).
func tdeEncrypted(d *facts.Database) bool {
	return d.EncryptionState != nil && *d.EncryptionState >= 2 || d.Encrypted
}

// TDECertificateBackup: a TDE database restores only where its certificate
// exists, and the certificate can be moved only with its private key.
var TDECertificateBackup = &check.Check{
	ID:       "DMS401",
	Title:    "TDE certificate exists and its private key was backed up",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases, facts.SrcEncryption},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Cannot find server certificate with thumbprint ... (TDE certificate missing on the target)",
	Doc: "A database protected by Transparent Data Encryption can be restored only on a server that holds " +
		"the certificate protecting its database encryption key. Copying that certificate to the target " +
		"needs the certificate and its private key exported (`BACKUP CERTIFICATE ... WITH PRIVATE KEY`); " +
		"`sys.certificates.pvt_key_last_backup_date` is NULL when that never happened. Without it the " +
		"restore fails with error 2009, thumbprint not found.",
	Fix: "Back up the certificate with its private key (`BACKUP CERTIFICATE <name> TO FILE = '...' WITH " +
		"PRIVATE KEY (FILE = '...', ENCRYPTION BY PASSWORD = '...')`), keep the files safe, and create " +
		"the certificate on the target before the migration (or let DMS copy it, Managed Instance only).",
	Link: linkTDE,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if !tdeEncrypted(d) {
				p.Pass(d.Name, obj, "not encrypted with TDE", nil)
				return
			}
			th := d.EncryptorThumbprint
			ev := check.Ev{"thumbprint": th}
			if th == "" {
				p.Skip(d.Name, obj, "TDE is on but the encryption key's protector was not visible (VIEW SERVER STATE)")
				return
			}
			var cert *facts.Certificate
			for i := range p.Facts.Server.Certificates {
				if strings.EqualFold(p.Facts.Server.Certificates[i].Thumbprint, th) {
					cert = &p.Facts.Server.Certificates[i]
				}
			}
			switch {
			case cert == nil:
				p.Fail(d.Name, obj, fmt.Sprintf("the encryption key is protected by thumbprint %s, which matches no certificate in master (an asymmetric key or EKM provider?)", th), ev)
			case !cert.PrivateKeyBackupKnown:
				p.Skip(d.Name, obj, fmt.Sprintf("whether certificate %s's private key was backed up is unknown on this version: make sure it was", cert.Name))
			case cert.PrivateKeyLastBackup == nil:
				ev["certificate"] = cert.Name
				p.Fail(d.Name, obj, fmt.Sprintf("certificate %s (thumbprint %s) protecting the TDE key was never backed up with its private key", cert.Name, th), ev)
			default:
				ev["certificate"] = cert.Name
				ev["privateKeyLastBackup"] = cert.PrivateKeyLastBackup.Format("2006-01-02")
				p.Pass(d.Name, obj, fmt.Sprintf("certificate %s private key backed up on %s", cert.Name, cert.PrivateKeyLastBackup.Format("2006-01-02")), ev)
			}
		})
	},
}

// tablesOf returns the table stats or skips the database saying why not.
func tablesOf(p *check.Pass, d *facts.Database, obj string) *facts.TableStats {
	if d.Tables == nil {
		why := d.TablesError
		if why == "" {
			why = "table list not collected"
		}
		p.Skip(d.Name, obj, why)
	}
	return d.Tables
}

// NonASCIITableNames: Azure SQL Database migrations reject double-byte names.
var NonASCIITableNames = &check.Check{
	ID:       "DMS402",
	Title:    "Table names are plain ASCII for Azure SQL Database",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: migrating tables with names containing double-byte characters isn't supported",
	Doc: "DMS does not migrate tables whose names contain double-byte characters to Azure SQL Database. " +
		"Microsoft does not define the set, so dmsready flags every schema or table name with a character " +
		"outside printable ASCII.",
	Fix:  "Rename the tables (`sp_rename`) before the migration, or move them with another tool.",
	Link: linkDBLimits,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			if n := len(t.NonASCIINames); n > 0 {
				p.Fail(d.Name, obj, fmt.Sprintf("%s contain non-ASCII characters: %s", count(n, "table name", "table names"), list(t.NonASCIINames, 10)),
					check.Ev{"count": fmt.Sprint(n)})
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("all %d table names are ASCII", t.Count), nil)
		})
	},
}

const maxTablesSQLDB = 100000

// TooManyTables: Azure SQL Database migrations handle at most 100,000 tables.
var TooManyTables = &check.Check{
	ID:       "DMS403",
	Title:    "At most 100,000 tables per database for Azure SQL Database",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: a database with more than 100,000 tables can't be migrated",
	Doc:      "DMS migrates at most 100,000 tables per database to Azure SQL Database.",
	Fix:      "Split the database, drop unused tables, or move the surplus tables with another tool.",
	Link:     linkDBLimits,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			ev := check.Ev{"tables": fmt.Sprint(t.Count)}
			if t.Count > maxTablesSQLDB {
				p.Fail(d.Name, obj, fmt.Sprintf("%d tables, more than the 100,000 DMS migrates", t.Count), ev)
				return
			}
			p.Pass(d.Name, obj, count(t.Count, "table", "tables"), ev)
		})
	},
}

// lobWarnBytes is dmsready's own threshold: Microsoft documents no size.
const lobWarnBytes = 1 << 30

// LargeObjectColumns: big LOB data may time out in the data copy.
var LargeObjectColumns = &check.Check{
	ID:       "DMS404",
	Title:    "Large-object columns that may time out in the data copy",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: large blob columns may cause time-outs (2033: copy activity failed)",
	Doc: "The Azure SQL Database data copy may time out on tables with large blob columns " +
		"(`varchar(max)`, `nvarchar(max)`, `varbinary(max)`, `xml`, `text`, `ntext`, `image`). dmsready " +
		"measures each table's LOB storage from its allocation units, without reading data, and warns " +
		"from 1 GiB in one table (its own threshold: Microsoft gives none).",
	Fix: "Migrate those tables separately (or archive old LOB data first), and plan for retries; " +
		"consider a larger self-hosted integration runtime node.",
	Link: linkDBLimits,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			if len(t.LOBColumns) == 0 {
				p.Pass(d.Name, obj, "no large-object columns", nil)
				return
			}
			size := map[string]int64{}
			for _, c := range t.LOBColumns {
				size[c.Table] = max(size[c.Table], c.TableLOBBytes, c.MaxBytes)
			}
			tables := make([]string, 0, len(size))
			for n := range size {
				tables = append(tables, n)
			}
			sort.Slice(tables, func(i, j int) bool {
				if size[tables[i]] != size[tables[j]] {
					return size[tables[i]] > size[tables[j]]
				}
				return tables[i] < tables[j]
			})
			var top []string
			for _, n := range tables[:min(5, len(tables))] {
				top = append(top, fmt.Sprintf("%s (%s)", n, human(size[n])))
			}
			ev := check.Ev{"lobColumns": fmt.Sprint(len(t.LOBColumns)), "largestTableLobBytes": fmt.Sprint(size[tables[0]])}
			msg := fmt.Sprintf("%s in %s; largest: %s", count(len(t.LOBColumns), "large-object column", "large-object columns"), count(len(tables), "table", "tables"), strings.Join(top, ", "))
			if size[tables[0]] >= lobWarnBytes {
				p.Warn(d.Name, obj, msg, ev)
				return
			}
			p.Pass(d.Name, obj, msg+" (all under 1 GiB)", ev)
		})
	},
}

// Per-table start-up of the data copy: "a few seconds" (Microsoft); dmsready
// brackets it with 2 to 5 seconds.
const (
	startupLowSec  = 2
	startupHighSec = 5
	manyTables     = 1000
)

func duration(sec int) string {
	h, m := sec/3600, (sec%3600)/60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%ds", sec)
}

// TableStartupOverhead estimates the data copy's per-table start-up.
var TableStartupOverhead = &check.Check{
	ID:       "DMS405",
	Title:    "Data-copy start-up time for many tables",
	Severity: check.Info,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: each table takes a few seconds of Azure Data Factory start-up",
	Doc: "The Azure SQL Database data copy starts an Azure Data Factory copy per table, which costs a few " +
		"seconds each. From 1,000 tables dmsready estimates the total at 2 to 5 seconds per table so the " +
		"cutover window can include it.",
	Fix:  "Plan the downtime window with the estimate, or migrate very large table sets in batches.",
	Link: linkDBLimits,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			lo, hi := t.Count*startupLowSec, t.Count*startupHighSec
			ev := check.Ev{"tables": fmt.Sprint(t.Count), "startupLowSeconds": fmt.Sprint(lo), "startupHighSeconds": fmt.Sprint(hi)}
			msg := fmt.Sprintf("%s: about %s to %s of data-copy start-up", count(t.Count, "table", "tables"), duration(lo), duration(hi))
			if t.Count >= manyTables {
				p.Warn(d.Name, obj, msg, ev)
				return
			}
			p.Pass(d.Name, obj, msg, ev)
		})
	},
}

// objectKinds are the server objects DMS leaves behind, with their JSON field name.
func objectKinds(o *facts.ServerObjects) []struct {
	field, label string
	names        []string
} {
	return []struct {
		field, label string
		names        []string
	}{
		{"logins", "logins", o.Logins},
		{"serverRoles", "user-defined server roles", o.ServerRoles},
		{"credentials", "credentials", o.Credentials},
		{"audits", "server audits", o.Audits},
		{"linkedServers", "linked servers", o.LinkedServers},
		{"agentJobs", "SQL Agent jobs", o.AgentJobs},
		{"ssisPackages", "SSIS packages", o.SSISPackages},
	}
}

func serverObjects(p *check.Pass, fields ...string) {
	o := p.Facts.Server.Objects
	for _, k := range objectKinds(o) {
		want := false
		for _, f := range fields {
			want = want || f == k.field
		}
		if !want {
			continue
		}
		obj := "server:" + k.field
		switch {
		case k.names == nil:
			why := o.Unread[k.field]
			if why == "" {
				why = "not collected"
			}
			p.Skip("", obj, k.label+": "+why)
		case len(k.names) > 0:
			p.Warn("", obj, fmt.Sprintf("%s not migrated with the databases (%d): %s", k.label, len(k.names), list(k.names, 20)),
				check.Ev{"count": fmt.Sprint(len(k.names))})
		default:
			p.Pass("", obj, "no "+k.label, nil)
		}
	}
}

// ServerObjectsNotMigrated: logins, roles, credentials, audits and linked
// servers live in master and stay behind.
var ServerObjectsNotMigrated = &check.Check{
	ID:       "DMS406",
	Title:    "Server-level objects DMS does not migrate",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcServerObjects},
	Prevents: "Limitation: server-level objects (logins, server roles, credentials, server audits, linked servers) aren't migrated with the databases",
	Doc: "DMS moves databases, not the server around them. Logins and user-defined server roles need the " +
		"separate login migration (SQL and Windows logins to Managed Instance, SQL logins to SQL Server " +
		"on Azure VM); credentials, server audits and linked servers must be recreated by hand. Database " +
		"users whose login is missing on the target are orphaned.",
	Fix: "Run the login migration (Azure Data Studio / `Microsoft.SqlServer.Migration.Login`) for logins and " +
		"server roles, and script credentials, audits and linked servers to the target.",
	Link: linkLogins,
	Run: func(p *check.Pass) {
		serverObjects(p, "logins", "serverRoles", "credentials", "audits", "linkedServers")
	},
}

// AgentJobsAndSSIS: Agent jobs and SSIS packages sit in msdb and SSISDB.
var AgentJobsAndSSIS = &check.Check{
	ID:       "DMS407",
	Title:    "SQL Agent jobs and SSIS packages DMS does not migrate",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcServerObjects, facts.SrcBackupHistory},
	Prevents: "Limitation: SQL Server Agent jobs and SSIS packages aren't migrated",
	Doc: "SQL Agent jobs (msdb) and SSIS packages (msdb and the SSISDB catalog) stay on the source. Jobs that " +
		"back up, maintain or load the migrated databases stop when the source is retired.",
	Fix: "Script the jobs to the target (Managed Instance and VMs have SQL Agent; Azure SQL Database needs " +
		"elastic jobs), and redeploy SSIS packages to Azure-SSIS integration runtime or the target's SSISDB.",
	Link: linkMILimits,
	Run: func(p *check.Pass) {
		serverObjects(p, "agentJobs", "ssisPackages")
	},
}

// AvailabilityGroupTopology: only the database moves, not its replicas.
var AvailabilityGroupTopology = &check.Check{
	ID:       "DMS408",
	Title:    "Availability group topology is not reproduced",
	Severity: check.Info,
	Needs:    []facts.Source{facts.SrcDatabases},
	Prevents: "Limitation: DMS migrates databases, not availability group configuration",
	Doc: "A database in an Always On availability group arrives on the target as a standalone database: " +
		"listeners, replicas and failover settings are not migrated. Backups may also be taken on a " +
		"secondary replica, so read msdb backup history on every replica.",
	Fix: "Plan high availability on the target (Business Critical or failover groups for Managed Instance, " +
		"a new availability group for VMs) and repoint clients from the listener.",
	Link: linkMILimits,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if d.AvailabilityGroup != "" {
				p.Warn(d.Name, obj, fmt.Sprintf("member of availability group %s, which the migration does not reproduce", d.AvailabilityGroup),
					check.Ev{"availabilityGroup": d.AvailabilityGroup})
				return
			}
			p.Pass(d.Name, obj, "not in an availability group", nil)
		})
	},
}

// RecoveryModelFull: online migration and LRS restore log backups, which
// need the full recovery model.
var RecoveryModelFull = &check.Check{
	ID:       "DMS409",
	Title:    "Recovery model is FULL for online migration",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "Online migration requires the FULL recovery model (log backups)",
	Doc: "Online migrations (and the Log Replay Service) keep restoring log backups until cutover; a " +
		"database in SIMPLE recovery has no log backups at all, and Log Replay Service (the same technology) " +
		"requires the FULL recovery model, so BULK_LOGGED is not enough either.",
	Fix:  "`ALTER DATABASE [name] SET RECOVERY FULL`, then take a full backup to start the log chain.",
	Link: linkLRS,
	Run: func(p *check.Pass) {
		online := p.Plan().Mode == "online" || p.Plan().Method == "lrs"
		eachSourceDB(p, func(d *facts.Database, obj string) {
			ev := check.Ev{"recoveryModel": d.RecoveryModel}
			switch {
			case strings.EqualFold(d.RecoveryModel, "FULL"):
				p.Pass(d.Name, obj, "recovery model FULL", ev)
			case d.RecoveryModel == "":
				p.Skip(d.Name, obj, "recovery model unknown")
			case online:
				p.Fail(d.Name, obj, fmt.Sprintf("recovery model %s: online migration needs FULL", d.RecoveryModel), ev)
			case p.Plan().Mode == "":
				p.Skip(d.Name, obj, fmt.Sprintf("recovery model %s matters only online, and the plan gives no mode", d.RecoveryModel))
			default:
				p.Pass(d.Name, obj, fmt.Sprintf("recovery model %s is enough for an offline migration", d.RecoveryModel), ev)
			}
		})
	},
}

// historyOf returns a database's backup history, oldest first.
func historyOf(f *facts.Facts, db string) []facts.BackupHistory {
	var out []facts.BackupHistory
	for _, h := range f.Server.BackupHistory {
		if strings.EqualFold(h.Database, db) {
			out = append(out, h)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Start, out[j].Start
		return a != nil && b != nil && a.Before(*b)
	})
	return out
}

func when(h facts.BackupHistory) string {
	if h.Start == nil {
		return "(no date)"
	}
	return h.Start.Format("2006-01-02 15:04")
}

// LastFullChecksum: DMS refuses a full backup taken without CHECKSUM.
var LastFullChecksum = &check.Check{
	ID:       "DMS410",
	Title:    "Last full backup has checksums",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Full backup ... is missing checksum",
	Doc: "DMS restores a full backup only when it was taken `WITH CHECKSUM` (msdb " +
		"`backupset.has_backup_checksums`), as the known-issues page documents (whether DMS still enforces it " +
		"is not verified: the current prerequisites page no longer lists it). dmsready reads the newest full " +
		"backup msdb recorded. With Log Replay Service checksums are not required but strongly recommended: " +
		"a warning then.",
	Fix:  "Take a new full backup `WITH CHECKSUM` (or set the server option `backup checksum default` to 1).",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			var last *facts.BackupHistory
			for _, h := range historyOf(p.Facts, d.Name) {
				if h.Type == "D" {
					h := h
					last = &h
				}
			}
			if last == nil {
				p.Skip(d.Name, obj, "msdb records no full backup of this database")
				return
			}
			ev := check.Ev{"backupStart": when(*last), "device": strings.Join(last.PhysicalDevices, ", ")}
			if !last.HasChecksums && p.Plan().Method == "lrs" {
				p.Warn(d.Name, obj, fmt.Sprintf("the last full backup (%s) has no checksums: Log Replay Service restores it more slowly and cannot detect corruption", when(*last)), ev)
				return
			}
			if !last.HasChecksums {
				p.Fail(d.Name, obj, fmt.Sprintf("the last full backup (%s) was taken without CHECKSUM", when(*last)), ev)
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("the last full backup (%s) has checksums", when(*last)), ev)
		})
	},
}

// CopyOnlyInChain: copy-only backups do not serve as differential bases.
var CopyOnlyInChain = &check.Check{
	ID:       "DMS411",
	Title:    "No copy-only backups mixed into the restore chain",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "3136: this differential backup cannot be restored because the database has not been restored to the correct earlier state (a copy-only full is never a differential base)",
	Doc: "A copy-only full backup does not reset the differential base, so differentials taken after it " +
		"belong to the earlier regular full; a copy-only log backup does not truncate the log. Mixed into the " +
		"folder DMS reads, a copy-only full can be taken as the base and the following differentials fail to apply.",
	Fix: "Keep copy-only backups out of the migration folder, or base the migration on a regular full " +
		"backup and its differentials and logs.",
	Link: linkCopyOnly,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			hist := historyOf(p.Facts, d.Name)
			if len(hist) == 0 {
				p.Skip(d.Name, obj, "msdb records no backup of this database")
				return
			}
			var co []string
			for _, h := range hist {
				if h.IsCopyOnly {
					co = append(co, fmt.Sprintf("%s %s", typeName(h.Type), when(h)))
				}
			}
			if len(co) > 0 {
				p.Warn(d.Name, obj, fmt.Sprintf("%s since the last regular full: %s", count(len(co), "copy-only backup", "copy-only backups"), list(co, 10)),
					check.Ev{"count": fmt.Sprint(len(co))})
				return
			}
			p.Pass(d.Name, obj, "no copy-only backups since the last regular full", nil)
		})
	},
}

func typeName(t string) string {
	switch t {
	case "D":
		return "full"
	case "I":
		return "differential"
	case "L":
		return "log"
	}
	return "type " + t
}

func isNUL(dev string) bool {
	d := strings.ToUpper(strings.TrimSpace(dev))
	return d == "NUL" || d == "NUL:" || d == `\\.\NUL`
}

// LogBackupToNUL: a log backup to NUL discards log records the chain needs.
var LogBackupToNUL = &check.Check{
	ID:       "DMS412",
	Title:    "No log backups to NUL since the last full",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2007: LSN gap in the log chain (firstLsn ... is not <= lastLsn ...) after a log backup to NUL",
	Doc: "`BACKUP LOG ... TO DISK = 'NUL'` truncates the log and throws the backup away. msdb records it " +
		"like any other log backup, but no file exists, so every later log backup leaves a gap DMS cannot restore across.",
	Fix: "Stop the job writing to NUL, then take a new full backup (and keep every log backup after it) " +
		"before the migration.",
	Link: linkBackupset,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			hist := historyOf(p.Facts, d.Name)
			if len(hist) == 0 {
				p.Skip(d.Name, obj, "msdb records no backup of this database")
				return
			}
			var nul []string
			for _, h := range hist {
				// Only a log backup to NUL leaves a gap in the log chain.
				if h.Type != "L" {
					continue
				}
				for _, dev := range h.PhysicalDevices {
					if isNUL(dev) {
						nul = append(nul, fmt.Sprintf("%s %s", typeName(h.Type), when(h)))
						break
					}
				}
			}
			if len(nul) > 0 {
				p.Fail(d.Name, obj, fmt.Sprintf("%s went to NUL since the last full, breaking the chain: %s", count(len(nul), "log backup", "log backups"), list(nul, 10)),
					check.Ev{"count": fmt.Sprint(len(nul))})
				return
			}
			p.Pass(d.Name, obj, "no log backups to NUL since the last full", nil)
		})
	},
}

// migratedSizeMB sums data and log of the migrated databases; ok is false
// when a size is unknown.
func migratedSizeMB(p *check.Pass) (total int64, unknown []string) {
	for _, pd := range p.Facts.Databases() {
		d := sourceDB(p.Facts, pd.Name)
		if d == nil || d.Files == nil {
			unknown = append(unknown, pd.Name)
			continue
		}
		total += mib(d.DataBytes + d.LogBytes)
	}
	return total, unknown
}

// StorageLimit: Managed Instance storage covers data and log of every database.
var StorageLimit = &check.Check{
	ID:       "DMS413",
	Title:    "Databases fit the Managed Instance storage limit",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2009: storage usage can't exceed N MB (Managed Instance storage limit)",
	Doc: "A Managed Instance's reserved storage holds the data and log files of every database on it. " +
		"Restoring databases whose files exceed what is left fails with \"storage usage can't exceed N MB\". " +
		"The limit comes from the plan (`target.storageLimitMB`); with a live target connection DMS504 " +
		"also counts what the instance already uses.",
	Fix: "Raise the instance's storage (32 GB steps; the maximum depends on tier and vCores), shrink the " +
		"log files before the last backup, or migrate fewer databases to this instance.",
	Link: linkMIResource,
	Run: func(p *check.Pass) {
		limit := p.Plan().Target.StorageLimitMB
		if limit <= 0 {
			p.Skip("", "target", "the plan gives no target storage limit (target.storageLimitMB)")
			return
		}
		total, unknown := migratedSizeMB(p)
		if len(unknown) > 0 {
			p.Skip("", "target", "size unknown (sys.master_files not read: VIEW ANY DEFINITION missing or query failed) for "+list(unknown, 10))
			return
		}
		ev := check.Ev{"totalMB": fmt.Sprint(total), "limitMB": fmt.Sprint(limit)}
		if total > limit {
			p.Fail("", "target", fmt.Sprintf("the databases need %d MB (data and log), over the %d MB limit", total, limit), ev)
			return
		}
		p.Pass("", "target", fmt.Sprintf("the databases need %d MB of the %d MB limit", total, limit), ev)
	},
}

// ContainedDatabase: Managed Instance restores contained databases only with
// contained database authentication on.
var ContainedDatabase = &check.Check{
	ID:       "DMS414",
	Title:    "Contained databases need contained database authentication on the target",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: 12824 The sp_configure value 'contained database authentication' must be set to 1",
	Doc: "Restoring a partially contained database fails with error 12824 unless the target's server option " +
		"`contained database authentication` is 1. dmsready cannot see the target's option from the source, " +
		"so it warns for each contained database.",
	Fix:  "On the target: `EXEC sp_configure 'contained database authentication', 1; RECONFIGURE;` before the migration.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if d.Containment == "" {
				p.Skip(d.Name, obj, "containment unknown")
				return
			}
			if strings.EqualFold(d.Containment, "PARTIAL") {
				p.Warn(d.Name, obj, "partially contained: the target needs contained database authentication = 1", check.Ev{"containment": d.Containment})
				return
			}
			p.Pass(d.Name, obj, "not a contained database", nil)
		})
	},
}

// SourceVersion: DMS takes SQL Server 2008 and newer.
var SourceVersion = &check.Check{
	ID:       "DMS415",
	Title:    "Source SQL Server version is supported",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcServer},
	Prevents: "SqlVersionOutOfRange: source SQL Server older than 2008",
	Doc:      "DMS migrates from SQL Server 2008 and newer, on Windows or Linux.",
	Fix:      "Upgrade the source to a supported version first, or move the database with another method.",
	Link:     linkKnownIssues,
	Run: func(p *check.Pass) {
		s := p.Facts.Server
		ev := check.Ev{"version": s.Version}
		year, ok := majorYear[s.Major]
		switch {
		case s.Major <= 0:
			p.Skip("", "server", fmt.Sprintf("source version %q unreadable", s.Version))
		case s.Major < 10:
			p.Fail("", "server", fmt.Sprintf("SQL Server %s is older than 2008", s.Version), ev)
		case !ok:
			p.Pass("", "server", fmt.Sprintf("SQL Server %s (a release newer than dmsready knows)", s.Version), ev)
		default:
			p.Pass("", "server", fmt.Sprintf("SQL Server %d (%s) is supported", year, s.Version), ev)
		}
	},
}

// PlannedDatabaseOnSource: a plan that names a database the source does not
// have would otherwise look ready, with every per-database check skipped.
var PlannedDatabaseOnSource = &check.Check{
	ID:       "DMS416",
	Title:    "Planned databases exist on the source server",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Prevents: "Migration cannot start: the database selected for migration is not on the source SQL Server (or is not online there)",
	Doc: "Every database the plan (or `--database`) names must exist on the source server, or nothing about it " +
		"can be verified and DMS has nothing to migrate. Names are matched case-insensitively, as SQL Server " +
		"does with the default collations. A database that is not ONLINE (OFFLINE, RESTORING, SUSPECT ...) " +
		"cannot be backed up or read by the migration and is reported as a warning.",
	Fix:  "Correct the name in the plan, or bring the database online on the source before the migration.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		for _, pd := range p.Plan().Databases {
			obj := "database:" + pd.Name
			d := sourceDB(p.Facts, pd.Name)
			switch {
			case d == nil:
				p.Fail(pd.Name, obj, fmt.Sprintf("%s is not a database on the source server", pd.Name), nil)
			case d.State != "" && !strings.EqualFold(d.State, "ONLINE"):
				p.Warn(pd.Name, obj, fmt.Sprintf("%s is %s on the source server", pd.Name, d.State), check.Ev{"state": d.State})
			default:
				p.Pass(pd.Name, obj, fmt.Sprintf("%s is on the source server", pd.Name), check.Ev{"sourceName": d.Name})
			}
		}
	},
}

// MIDatabaseFiles: the source catalog shows the same Managed Instance restore
// blockers as the backup's file list (DMS311), before any backup is taken.
var MIDatabaseFiles = &check.Check{
	ID:       "DMS417",
	Title:    "Source database files fit Managed Instance",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Managed Instance restore failure: more than one log file, or FILESTREAM / FileTable data (and memory-optimized data on General Purpose)",
	Doc: "Azure SQL Managed Instance restores a database with one log file only, and supports neither FILESTREAM " +
		"nor FileTable; memory-optimized (In-Memory OLTP) data needs the Business Critical tier. " +
		"`sys.master_files` lists each database's files: more than one LOG file, or any FILESTREAM file " +
		"(FILESTREAM and FileTable data, and memory-optimized containers, which `type_desc` does not tell apart), " +
		"fails here. DMS311 checks the same in the backup itself.",
	Fix: "Remove the extra log files (`DBCC SHRINKFILE (name, EMPTYFILE)` then `ALTER DATABASE ... REMOVE FILE`), " +
		"move FILESTREAM/FileTable data out, or choose Business Critical for memory-optimized data (and waive " +
		"this finding with that reason).",
	Link: linkMIRestore,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if len(d.Files) == 0 {
				p.Skip(d.Name, obj, "the database's file list was not collected")
				return
			}
			var logs, fs []string
			for _, f := range d.Files {
				switch strings.ToUpper(f.Type) {
				case "LOG":
					logs = append(logs, f.LogicalName)
				case "FILESTREAM":
					fs = append(fs, f.LogicalName)
				}
			}
			ev := check.Ev{"logFiles": strings.Join(logs, ", ")}
			if len(fs) > 0 {
				ev["filestreamFiles"] = strings.Join(fs, ", ")
			}
			problems := miFileProblems(logs, fs)
			for _, pr := range problems {
				p.Fail(d.Name, obj, pr, ev)
			}
			if len(problems) == 0 {
				p.Pass(d.Name, obj, fmt.Sprintf("%s, one log file and no FILESTREAM: a layout Managed Instance restores", count(len(d.Files)-len(logs), "data file", "data files")), ev)
			}
		})
	},
}
