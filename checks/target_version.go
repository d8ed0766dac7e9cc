package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// Engine editions SERVERPROPERTY('EngineEdition') reports.
const (
	engineSQLDB = 5
	engineMI    = 8
)

// TargetVersion is check DMS503: a backup restores only onto the same or a
// newer engine.
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
		"(database version " + fmt.Sprint(sqlrelease.SQL2025.MaxDBVersion()) + ") needs the 2025 or Always-up-to-date policy is inferred, not verified.",
	Fix:   "Upgrade the target (a SQL Server on Azure VM) to the source's version or newer.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009, error 3169): a backup restores only onto the same or a newer version"),
	Run: func(p *check.Pass) {
		t, s := p.Facts.Target, p.Facts.Server
		if t != nil && t.EngineEdition != engineMI && t.EngineEdition != engineSQLDB {
			ev := check.Ev{"sourceVersion": s.Version, "targetVersion": t.Version}
			switch {
			case t.Major == 0:
				p.Skip("", check.ObjectTarget, fmt.Sprintf("target version %q unreadable", t.Version))
			case s.Major <= 0:
				p.Skip("", check.ObjectTarget, fmt.Sprintf("source version %q unreadable", s.Version))
			case t.Major < s.Major:
				p.Fail("", check.ObjectTarget, fmt.Sprintf("target %s is older than source %s", t.Version, s.Version), ev)
			default:
				p.Pass("", check.ObjectTarget, fmt.Sprintf("target %s can restore backups from %s", t.Version, s.Version), ev)
			}
			return
		}
		tv := targetDBVersion(p.Plan().Target)
		src := sourceDBVersion(s)
		ev := check.Ev{"sourceVersion": s.Version, "target": tv.name}
		switch {
		case src == 0:
			p.Skip("", check.ObjectTarget, fmt.Sprintf("the database version source SQL Server %q writes is unknown", s.Version))
		case tv.limit == 0 && tv.anyPolicy && src <= sqlrelease.EveryPolicy.MaxDBVersion():
			p.Pass("", check.ObjectTarget, fmt.Sprintf("source %s is restorable under every SQL Managed Instance update policy", releaseOf(src)), ev)
		case tv.limit == 0:
			p.Skip("", check.ObjectTarget, tv.why)
		case src > tv.limit:
			ev["sourceDatabaseVersion"], ev["targetDatabaseVersion"] = fmt.Sprint(src), fmt.Sprint(tv.limit)
			p.Fail("", check.ObjectTarget, fmt.Sprintf("source %s (%s) is newer than target %s", releaseOf(src), s.Version, tv.name), ev)
		default:
			p.Pass("", check.ObjectTarget, fmt.Sprintf("target %s can restore backups from %s (%s)", tv.name, releaseOf(src), s.Version), ev)
		}
	},
}
