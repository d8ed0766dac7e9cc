package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

// Engine editions SERVERPROPERTY('EngineEdition') reports.
const (
	engineSQLDB = 5
	engineMI    = 8
)

// TargetDatabaseExists: DMS never overwrites a database on the target.
var TargetDatabaseExists = &check.Check{
	ID:       "DMS501",
	Title:    "No database of the same name on the target",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTarget},
	// Azure SQL Database is left out: there DMS copies data into a target
	// database that must already exist.
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "Limitation: overwriting existing databases using DMS in the target isn't supported",
	Doc: "DMS restores into a new database on SQL Managed Instance and SQL Server on Azure VM and cannot " +
		"overwrite one that exists. A database of the same name already on the target (for example from an " +
		"earlier trial) makes the migration fail. Names are compared case-insensitively. (For Azure SQL " +
		"Database the target database must exist instead, so the check does not apply.)",
	Fix:  "Drop or rename the database on the target, or give the migration another `targetName:`.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		have := map[string]string{}
		for _, n := range p.Facts.Target.Databases {
			have[strings.ToLower(n)] = n
		}
		for _, d := range p.Facts.Databases() {
			obj := "database:" + d.Name
			name := d.TargetDBName()
			ev := check.Ev{"targetName": name}
			if n, ok := have[strings.ToLower(name)]; ok {
				p.Fail(d.Name, obj, fmt.Sprintf("the target already has a database named %s", n), ev)
				continue
			}
			p.Pass(d.Name, obj, fmt.Sprintf("no database named %s on the target", name), ev)
		}
	},
}

// TargetTDECertificate: the certificate protecting a TDE database must be
// on the target before the restore.
var TargetTDECertificate = &check.Check{
	ID:       "DMS502",
	Title:    "TDE certificate is present on the target",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTarget, facts.SrcDatabases, facts.SrcEncryption},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Cannot find server certificate with thumbprint ...",
	Doc: "The restore of a TDE-encrypted database needs the certificate that protects its database " +
		"encryption key in the target's master, matched by thumbprint.",
	Fix: "Create the certificate on the target from its backup (`CREATE CERTIFICATE ... FROM FILE ... WITH " +
		"PRIVATE KEY (...)`), or let DMS copy it (Managed Instance, preview).",
	Link: linkTDE,
	Run: func(p *check.Pass) {
		have := map[string]bool{}
		for _, t := range p.Facts.Target.CertificateThumbprints {
			have[strings.ToUpper(t)] = true
		}
		eachSourceDB(p, func(d *facts.Database, obj string) {
			if !tdeEncrypted(d) {
				p.Pass(d.Name, obj, "not encrypted with TDE", nil)
				return
			}
			th := strings.ToUpper(d.EncryptorThumbprint)
			if th == "" {
				p.Skip(d.Name, obj, "TDE is on but the protector's thumbprint is unknown")
				return
			}
			ev := check.Ev{"thumbprint": th}
			if !have[th] {
				p.Fail(d.Name, obj, fmt.Sprintf("no certificate with thumbprint %s on the target", th), ev)
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("certificate %s is on the target", th), ev)
		})
	},
}

// TargetVersion: a backup restores only onto the same or a newer engine.
var TargetVersion = &check.Check{
	ID:       "DMS503",
	Title:    "Target SQL Server is not older than the source",
	Severity: check.Error,
	// The plan's target version decides when no live target was read, so
	// only the source is needed.
	Needs:    []facts.Source{facts.SrcServer},
	Targets:  check.Targets{facts.KindVM, facts.KindMI},
	Prevents: "2009: 3169 The database was backed up on a server running version ... That version is incompatible with this server",
	Doc: "SQL Server restores backups only from the same or an older version. The live target's " +
		"`ProductVersion` is compared with the source's. Managed Instance always reports a fixed " +
		"version; its update policy decides instead (checked from the plan). Without a live target, " +
		"the plan's `target.version` (SQL Server on Azure VM: the release; Managed Instance: the update " +
		"policy) is compared with the database version the source server writes. That SQL Server 2025 " +
		"(database version 998) needs the 2025 or Always-up-to-date policy is inferred, not verified.",
	Fix:  "Upgrade the target (a SQL Server on Azure VM) to the source's version or newer.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		t, s := p.Facts.Target, p.Facts.Server
		if t != nil && t.EngineEdition != engineMI && t.EngineEdition != engineSQLDB {
			ev := check.Ev{"sourceVersion": s.Version, "targetVersion": t.Version}
			switch {
			case t.Major == 0:
				p.Skip("", "target", fmt.Sprintf("target version %q unreadable", t.Version))
			case s.Major <= 0:
				p.Skip("", "target", fmt.Sprintf("source version %q unreadable", s.Version))
			case t.Major < s.Major:
				p.Fail("", "target", fmt.Sprintf("target %s is older than source %s", t.Version, s.Version), ev)
			default:
				p.Pass("", "target", fmt.Sprintf("target %s can restore backups from %s", t.Version, s.Version), ev)
			}
			return
		}
		tv := targetDBVersion(p.Plan().Target)
		src := majorDBVersion[s.Major]
		ev := check.Ev{"sourceVersion": s.Version, "target": tv.name}
		switch {
		case src == 0:
			p.Skip("", "target", fmt.Sprintf("the database version source SQL Server %q writes is unknown", s.Version))
		case tv.limit == 0 && tv.anyPolicy && src <= 957:
			p.Pass("", "target", fmt.Sprintf("source %s is restorable under every SQL Managed Instance update policy", releaseOf(src)), ev)
		case tv.limit == 0:
			p.Skip("", "target", tv.why)
		case src > tv.limit:
			ev["sourceDatabaseVersion"], ev["targetDatabaseVersion"] = fmt.Sprint(src), fmt.Sprint(tv.limit)
			p.Fail("", "target", fmt.Sprintf("source %s (%s) is newer than target %s", releaseOf(src), s.Version, tv.name), ev)
		default:
			p.Pass("", "target", fmt.Sprintf("target %s can restore backups from %s (%s)", tv.name, releaseOf(src), s.Version), ev)
		}
	},
}

// TargetStorage: the instance's free storage must hold the new databases.
var TargetStorage = &check.Check{
	ID:       "DMS504",
	Title:    "Managed Instance has storage for the databases",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTarget, facts.SrcDatabases},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "2009: storage usage can't exceed N MB (Managed Instance storage limit)",
	Doc: "Managed Instance storage holds every database's data and log files. The live target reports " +
		"what it already uses and its reserved storage (`sys.server_resource_stats`); the migrated " +
		"databases' data and log sizes must fit in the difference.",
	Fix:  "Raise the instance's reserved storage, shrink source log files before the last backup, or migrate fewer databases.",
	Link: linkMIResource,
	Run: func(p *check.Pass) {
		t := p.Facts.Target
		if !t.StorageKnown {
			p.Skip("", "target", "the target's storage use was not read (Managed Instance only, needs VIEW SERVER STATE)")
			return
		}
		need, unknown := migratedSizeMB(p)
		if len(unknown) > 0 {
			p.Skip("", "target", "size unknown for "+list(unknown, 10))
			return
		}
		free := t.StorageLimitMB - t.StorageUsedMB
		ev := check.Ev{"needMB": fmt.Sprint(need), "usedMB": fmt.Sprint(t.StorageUsedMB), "limitMB": fmt.Sprint(t.StorageLimitMB)}
		if need > free {
			p.Fail("", "target", fmt.Sprintf("the databases need %d MB; the instance uses %d of %d MB, leaving %d", need, t.StorageUsedMB, t.StorageLimitMB, free), ev)
			return
		}
		p.Pass("", "target", fmt.Sprintf("the databases need %d MB of the %d MB free", need, free), ev)
	},
}
