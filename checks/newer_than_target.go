package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
	"github.com/dmsready/dmsready/internal/restore"
)

// NewerThanTarget is check DMS307: SQL Server restores only onto the same or
// a newer database version (3169).
var NewerThanTarget = &check.Check{
	ID:       "DMS307",
	Title:    "Backups are not from a newer SQL Server than the target",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: 3169 The database was backed up on a server running version ... That version is incompatible with this server",
	Doc: "A backup restores only onto the same or a newer SQL Server. The backup header's internal database " +
		"version (" + judgedDBVersions() + "), or the server version when that is unknown, is compared with the target: for " +
		"SQL Server on Azure VM the release in `target.version`; for SQL Managed Instance the update policy " +
		"(`2022` accepts up to " + fmt.Sprint(sqlrelease.SQL2022.MaxDBVersion()) + ", `2025` up to " + fmt.Sprint(sqlrelease.SQL2025.MaxDBVersion()) +
		", `always-up-to-date` every known version). A backup whose header says it was taken on a release " +
		"older than SQL Server 2008 fails whatever the target: DMS migrates from SQL Server 2008 and later. Unknown or " +
		"preview versions are skipped, never guessed. Not verified: " + fmt.Sprint(sqlrelease.SQL2025.MaxDBVersion()) + " = 2025 rests on one source, and that a " +
		"2025 backup fails on the 2022 policy is inferred from the restore rule.",
	Fix: "Migrate to a target at the source's version or newer (SQL Managed Instance: the SQL Server 2025 or " +
		"Always-up-to-date update policy for 2025 backups), or migrate from a source at the target's version.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009, error 3169): no restore onto an older version; Managed Instance update policy"),
	Run: func(p *check.Pass) {
		tv := targetDBVersion(p.Plan().Target)
		limit, target := tv.limit, tv.name
		for _, pl := range usableSequences(p) {
			// The steps and the unused sets with a header, each visited
			// in place (a Backup is large and there is one per file).
			var newer, older, unknown []string
			top, n := 0, 0
			visit := func(h *facts.BackupSet, file string) {
				n++
				v := backupDBVersion(h)
				switch {
				case v == 0 && preDMS(h):
					older = append(older, fmt.Sprintf("%s (%s, database version %d)", file, releaseOf(h.DatabaseVersion), h.DatabaseVersion))
				case v == 0:
					unknown = append(unknown, file)
				case limit > 0 && v > limit:
					newer = append(newer, fmt.Sprintf("%s (%s, database version %d)", file, releaseOf(v), v))
				}
				if v > top {
					top = v
				}
			}
			for i := range pl.Steps {
				visit(pl.Steps[i].Header, pl.Steps[i].File())
			}
			for i := range pl.Unused {
				if u := &pl.Unused[i]; u.Header() != nil && u.Reason != restore.ReasonOtherDatabase {
					visit(u.Header(), u.File())
				}
			}
			if n == 0 {
				continue
			}
			ev := lineageEv(pl, check.Ev{"target": target})
			if top > 0 {
				ev["backupDatabaseVersion"] = fmt.Sprint(top)
			}
			switch {
			case len(older) > 0:
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("%d backup%s from a SQL Server older than 2008: %s; DMS migrates from SQL Server 2008 and later (SqlVersionOutOfRange)",
					len(older), plural(len(older)), strings.Join(firstN(older, 5), "; ")), ev)
			case len(newer) > 0:
				ev["targetDatabaseVersion"] = fmt.Sprint(limit)
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("%d backup%s newer than target %s: %s", len(newer), plural(len(newer)), target,
					strings.Join(firstN(newer, 5), "; ")), ev)
			case len(unknown) > 0 && len(unknown) == n:
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "the backups' SQL Server version is unknown")
			case len(unknown) > 0:
				// A backup of unknown version may be newer than the
				// target (one taken after an upgrade): no pass on it.
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("the SQL Server version of %d of its %d backups is unknown, so whether the target restores them is undecided: %s",
					len(unknown), n, strings.Join(firstN(unknown, 5), "; ")))
			case limit == 0 && top > 0 && top <= sqlrelease.EveryPolicy.MaxDBVersion() && tv.anyPolicy:
				// Every update policy accepts up to SQL Server 2022.
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("backups are from %s, which every SQL Managed Instance update policy restores", releaseOf(top)), ev)
			case limit == 0:
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), tv.why)
			default:
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("backups are from %s, restorable on target %s", releaseOf(top), target), ev)
			}
		}
	},
}

// preDMS reports whether a backup's header says, beyond doubt, that it was
// taken on a release older than SQL Server 2008: its database version is a
// known pre-2008 one and its server major agrees.
func preDMS(s *facts.BackupSet) bool {
	if s == nil || isUnknown(s.Unknown, "databaseVersion") || isUnknown(s.Unknown, "softwareMajor") {
		return false
	}
	r, ok := sqlrelease.ByDBVersion(s.DatabaseVersion)
	return ok && r.Year < sqlrelease.Oldest.Year && s.SoftwareMajor > 0 && s.SoftwareMajor < sqlrelease.Oldest.Major
}
