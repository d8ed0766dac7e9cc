package checks

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

const (
	linkHeaderOnly   = "https://learn.microsoft.com/sql/t-sql/statements/restore-statements-headeronly-transact-sql"
	linkFileListOnly = "https://learn.microsoft.com/sql/t-sql/statements/restore-statements-filelistonly-transact-sql"
	linkLRS          = "https://learn.microsoft.com/azure/azure-sql/managed-instance/log-replay-service-migrate"
	linkErrors4000   = "https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors-4000-to-4999"
	linkUpdatePolicy = "https://learn.microsoft.com/azure/azure-sql/managed-instance/update-policy"
	linkStriped      = "https://learn.microsoft.com/sql/relational-databases/backup-restore/media-sets-media-families-and-backup-sets-sql-server"
)

// Backups are restored on SQL Managed Instance and SQL Server on VMs; the
// Azure SQL Database path copies data and reads no backups.
var restoreTargets = check.Targets{facts.KindMI, facts.KindVM}

var restoreNeeds = []facts.Source{facts.SrcPlan, facts.SrcBackups}

func dbObj(p restore.Plan) string { return "database:" + p.Database }

func fileObj(f string) string { return "file:" + f }

// lineageEv identifies which of several same-named databases a finding is about.
func lineageEv(p restore.Plan, ev check.Ev) check.Ev {
	if ev == nil {
		ev = check.Ev{}
	}
	if p.FamilyGUID != "" {
		ev["familyGUID"] = p.FamilyGUID
	}
	if p.RecoveryForkID != "" {
		ev["recoveryForkID"] = p.RecoveryForkID
	}
	return ev
}

func hasFull(p restore.Plan) bool { return len(p.Steps) > 0 }

func reachText(p restore.Plan) string {
	if p.Reaches == nil {
		return ""
	}
	s := "LSN " + p.Reaches.LSN.String()
	if p.Reaches.Time != nil {
		s += " (" + p.Reaches.Time.UTC().Format("2006-01-02 15:04:05") + " UTC)"
	}
	return s
}

// BrokenLogChain: a log backup whose FirstLSN is past the point the restore
// has reached cannot be applied (4305), and DMS stops with 2007.
var BrokenLogChain = &check.Check{
	ID:       "DMS301",
	Title:    "Log backups continue the restore chain without a gap",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2007: The restore plan is broken because firstLsn of log backup is not <= lastLsn of Full backup",
	Doc: "SQL Server restores the latest full backup, the latest differential of it, then every log backup whose " +
		"`FirstLSN <= current LSN < LastLSN`. A log backup that starts past the point reached means the log backup " +
		"in between is missing: DMS fails the cutover with error 2007 and the database can be restored only up to " +
		"the gap. The finding names the last file restored and the first file past the gap. Gaps that a later full " +
		"or differential backup bridges do not break the restore (see DMS302).",
	Fix: "Upload the missing log backup (its LSN range is in the evidence; msdb.dbo.backupset on the source lists " +
		"it), or take a new differential or full backup and upload it with the log backups that follow.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			if !hasFull(pl) {
				p.Skip(pl.Database, dbObj(pl), "no complete full backup to start a chain from (see DMS303)")
				continue
			}
			var broke bool
			for _, is := range pl.Issues {
				if is.Kind != restore.KindBreak {
					continue
				}
				broke = true
				p.Fail(pl.Database, dbObj(pl), is.Message, lineageEv(pl, check.Ev{
					"before": is.Before, "after": is.After, "lastLSN": is.From.String(), "firstLSN": is.To.String(),
					"reaches": pl.Reaches.LSN.String(),
				}))
			}
			if !broke {
				p.Pass(pl.Database, dbObj(pl), fmt.Sprintf("%d backup%s restore in sequence up to %s",
					len(pl.Steps), rpPlural(len(pl.Steps)), reachText(pl)),
					lineageEv(pl, check.Ev{"reaches": pl.Reaches.LSN.String(), "lastFile": pl.Reaches.File}))
			}
		}
	},
}

// BridgedLogGap: information only. A missing log backup before the full or
// differential restored does not matter to this restore, but it means no
// point in time inside the gap can be restored.
var BridgedLogGap = &check.Check{
	ID:       "DMS302",
	Title:    "Log gaps bridged by a later full or differential backup",
	Severity: check.Info,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "information: no failure; points in time inside the gap cannot be restored",
	Doc: "A gap between two log backups that lies before the full or differential backup the restore starts from " +
		"does not stop DMS: those log backups are too early and are skipped (SQL Server error 4326 when restored " +
		"by hand). It is reported so that a missing file is noticed, and because no point in time inside the gap " +
		"can be restored.",
	Fix:  "Nothing is needed for the migration. To keep point-in-time restore across the gap, find the missing log backup.",
	Link: linkErrors4000,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			if !hasFull(pl) {
				p.Skip(pl.Database, dbObj(pl), "no complete full backup to start a chain from (see DMS303)")
				continue
			}
			n := 0
			for _, is := range pl.Issues {
				if is.Kind != restore.KindGap {
					continue
				}
				n++
				p.Warn(pl.Database, dbObj(pl), is.Message, lineageEv(pl, check.Ev{
					"before": is.Before, "after": is.After, "lastLSN": is.From.String(), "firstLSN": is.To.String(), "bridgedBy": is.BridgedBy,
				}))
			}
			if n == 0 {
				p.Pass(pl.Database, dbObj(pl), "no log gap is bridged by a full or differential backup", lineageEv(pl, nil))
			}
		}
	},
}

// NoFullBackup: every restore starts from a full backup.
var NoFullBackup = &check.Check{
	ID:       "DMS303",
	Title:    "A complete full backup of the database is present",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: restore fails without a full backup; DMS waits for one and cannot cut over",
	Doc: "DMS restores a database from a full backup, then differential and log backups. Without a full backup " +
		"of the database in its folder, with every stripe, nothing can be restored. The database is recognised by " +
		"the backup headers (database name, family GUID, recovery fork), not by file names.",
	Fix: "Back up the database (`BACKUP DATABASE ... TO URL/DISK ... WITH CHECKSUM`) and upload every file of " +
		"the full backup into the database's folder.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			where := ""
			if pl.Folder != "" {
				where = " in folder " + pl.Folder
			}
			switch pl.Status {
			case restore.StatusNoBackups:
				p.Fail(pl.Database, dbObj(pl), "no backup of the database was found"+where, check.Ev{"folder": pl.Folder})
			case restore.StatusNoFull:
				msg := "no full backup of the database" + where
				for _, is := range pl.Issues {
					if is.Kind == restore.KindNoFull {
						msg = is.Message + where
					}
				}
				counts := map[string]int{}
				for _, u := range pl.Unused {
					if u.Reason != restore.ReasonOtherDatabase && u.Reason != restore.ReasonUnreadable {
						counts[u.Type]++
					}
				}
				p.Fail(pl.Database, dbObj(pl), msg, lineageEv(pl, check.Ev{
					"fullBackups": fmt.Sprint(counts[facts.TypeFull]), "differentialBackups": fmt.Sprint(counts[facts.TypeDifferential]),
					"logBackups": fmt.Sprint(counts[facts.TypeLog]),
				}))
			default:
				f := pl.Steps[0]
				p.Pass(pl.Database, dbObj(pl), fmt.Sprintf("restore starts from full backup %s", strings.Join(f.Files, ", ")),
					lineageEv(pl, check.Ev{"file": f.File(), "checkpointLSN": f.CheckpointLSN.String()}))
			}
		}
	},
}

// LogsWithoutFull: log backups alone restore nothing.
var LogsWithoutFull = &check.Check{
	ID:       "DMS304",
	Title:    "Log backups have a full backup to restore onto",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2007 / 2009: log backups cannot be restored without the full backup their chain starts from",
	Doc: "Log backups are applied on top of a restored full (and differential) backup. When a database's folder " +
		"holds log backups but no complete full backup, DMS has nothing to apply them to: an online migration " +
		"waits for a full backup forever and an offline one fails.",
	Fix:  "Upload the full backup the log chain starts from (the logs' DatabaseBackupLSN is its checkpoint LSN), or take a new full backup.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			var logs []string
			var base string
			for _, u := range pl.Unused {
				if u.Type == facts.TypeLog && u.Reason == restore.ReasonNoFull {
					logs = append(logs, u.File())
					if base == "" && !u.DatabaseBackupLSN.IsZero() {
						base = u.DatabaseBackupLSN.String()
					}
				}
			}
			if len(logs) > 0 {
				ev := check.Ev{"logBackups": strings.Join(rpFirst(logs, 10), ", ")}
				if base != "" {
					ev["fullCheckpointLSN"] = base
				}
				p.Fail(pl.Database, dbObj(pl), fmt.Sprintf("%d log backup%s but no complete full backup to restore them onto", len(logs), rpPlural(len(logs))), lineageEv(pl, ev))
				continue
			}
			n := 0
			for _, s := range pl.Steps {
				if s.Type == facts.TypeLog {
					n++
				}
			}
			if n == 0 {
				p.Skip(pl.Database, dbObj(pl), "no log backups in the restore sequence")
				continue
			}
			p.Pass(pl.Database, dbObj(pl), fmt.Sprintf("%d log backup%s full backup %s", n, rpVerb(n, "s follow", " follows"), pl.Steps[0].File()), lineageEv(pl, nil))
		}
	},
}

// MissingStripe: a striped backup restores only with every media family.
var MissingStripe = &check.Check{
	ID:       "DMS305",
	Title:    "Striped backups have all their files",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: RESTORE fails when a file (media family) of a striped backup set is missing",
	Doc: "A backup written to several files at once (striped) is one media set of several media families; " +
		"restoring it needs every file. The headers give the family count and each file's family number, so a " +
		"missing stripe is found from the files present. The restore falls back to an older complete full " +
		"backup if there is one.",
	Fix:  "Upload every file of the striped backup into the database's folder (the evidence lists the family numbers missing).",
	Link: linkStriped,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			n := 0
			for _, u := range pl.Unused {
				if u.Reason != restore.ReasonIncomplete {
					continue
				}
				n++
				p.Fail(pl.Database, fileObj(u.File()), fmt.Sprintf("%s backup striped over %d files: media famil%s %s missing (present: %s)",
					u.Type, u.FamilyCount, rpPluralY(len(u.MissingFamilies)), rpInts(u.MissingFamilies), strings.Join(u.Files, ", ")),
					lineageEv(pl, check.Ev{"familyCount": fmt.Sprint(u.FamilyCount), "missingFamilies": rpInts(u.MissingFamilies),
						"files": strings.Join(u.Files, ", "), "backupSetGUID": u.BackupSetGUID}))
			}
			if n > 0 || pl.Status == restore.StatusNoBackups {
				continue
			}
			striped := 0
			for _, s := range pl.Steps {
				if s.FamilyCount > 1 {
					striped++
				}
			}
			msg := "every backup set has all its files"
			if striped > 0 {
				msg += fmt.Sprintf(" (%d striped set%s in the sequence)", striped, rpPlural(striped))
			}
			p.Pass(pl.Database, dbObj(pl), msg, lineageEv(pl, nil))
		}
	},
}

// DifferentialWithoutBase: a differential restores only onto its own full.
var DifferentialWithoutBase = &check.Check{
	ID:       "DMS306",
	Title:    "Differential backups have their base full backup",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: a differential backup restores only onto its own base full backup",
	Doc: "A differential backup holds the extents changed since one particular full backup, its base " +
		"(DifferentialBaseGUID = the full's BackupSetGUID, DifferentialBaseLSN = its checkpoint LSN). Restored " +
		"onto any other full it fails. A copy-only full is never a base. A differential whose base is not in the " +
		"folder cannot be used; when it is newer than the full the restore starts from, the folder misleads DMS.",
	Fix: "Upload the full backup the differential was based on, or remove the differential and rely on the " +
		"full and log backups (a copy-only full taken between does not change the base).",
	Link: linkHeaderOnly,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			n := 0
			for _, u := range pl.Unused {
				if u.Reason != restore.ReasonNoBase {
					continue
				}
				n++
				ev := lineageEv(pl, check.Ev{"differentialBaseGUID": u.DifferentialBaseGUID, "differentialBaseLSN": u.DifferentialBaseLSN.String()})
				msg := fmt.Sprintf("differential %s: %s", u.File(), u.Detail)
				if hasFull(pl) && u.LastLSN.Compare(pl.Steps[0].LastLSN) <= 0 {
					p.Warn(pl.Database, fileObj(u.File()), msg+"; it is older than the full backup restored and is not used", ev)
					continue
				}
				p.Fail(pl.Database, fileObj(u.File()), msg, ev)
			}
			if n > 0 {
				continue
			}
			for _, s := range pl.Steps {
				if s.Type == facts.TypeDifferential {
					p.Pass(pl.Database, dbObj(pl), fmt.Sprintf("differential %s is based on full backup %s", s.File(), pl.Steps[0].File()), lineageEv(pl, nil))
					n++
				}
			}
			if n == 0 {
				p.Skip(pl.Database, dbObj(pl), "no differential backups")
			}
		}
	},
}

// NewerThanTarget: SQL Server restores only onto the same or a newer
// database version (3169).
var NewerThanTarget = &check.Check{
	ID:       "DMS307",
	Title:    "Backups are not from a newer SQL Server than the target",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: 3169 The database was backed up on a server running version ... That version is incompatible with this server",
	Doc: "A backup restores only onto the same or a newer SQL Server. The backup header's internal database " +
		"version (655 = 2008, 661 = 2008 R2, 706 = 2012, 782 = 2014, 852 = 2016, 869 = 2017, 904 = 2019, " +
		"957 = 2022, 998 = 2025), or the server version when that is unknown, is compared with the target: for " +
		"SQL Server on Azure VM the release in `target.version`; for SQL Managed Instance the update policy " +
		"(`2022` accepts up to 957, `2025` up to 998, `always-up-to-date` every known version). Unknown or " +
		"preview versions are skipped, never guessed. Not verified: 998 = 2025 rests on one source, and that a " +
		"2025 backup fails on the 2022 policy is inferred from the restore rule.",
	Fix: "Migrate to a target at the source's version or newer (SQL Managed Instance: the SQL Server 2025 or " +
		"Always-up-to-date update policy for 2025 backups), or migrate from a source at the target's version.",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		tv := targetDBVersion(p.Plan().Target)
		limit, target := tv.limit, tv.name
		for _, pl := range restorePlans(p) {
			var all []restore.Backup
			all = append(all, pl.Steps...)
			for _, u := range pl.Unused {
				if u.Header != nil && u.Reason != restore.ReasonOtherDatabase {
					all = append(all, u.Backup)
				}
			}
			if len(all) == 0 {
				continue
			}
			var newer, unknown []string
			top := 0
			for _, b := range all {
				v := backupDBVersion(b.Header)
				switch {
				case v == 0:
					unknown = append(unknown, b.File())
				case limit > 0 && v > limit:
					newer = append(newer, fmt.Sprintf("%s (%s, database version %d)", b.File(), releaseOf(v), v))
				}
				if v > top {
					top = v
				}
			}
			ev := lineageEv(pl, check.Ev{"target": target})
			if top > 0 {
				ev["backupDatabaseVersion"] = fmt.Sprint(top)
			}
			switch {
			case len(newer) > 0:
				ev["targetDatabaseVersion"] = fmt.Sprint(limit)
				p.Fail(pl.Database, dbObj(pl), fmt.Sprintf("%d backup%s newer than target %s: %s", len(newer), rpPlural(len(newer)), target,
					strings.Join(rpFirst(newer, 5), "; ")), ev)
			case limit == 0 && top > 0 && top <= 957 && tv.anyPolicy:
				// Every update policy accepts up to SQL Server 2022.
				msg := fmt.Sprintf("backups are from %s, which every SQL Managed Instance update policy restores", releaseOf(top))
				if len(unknown) > 0 {
					msg += fmt.Sprintf(" (%d with unknown version not decided)", len(unknown))
				}
				p.Pass(pl.Database, dbObj(pl), msg, ev)
			case limit == 0:
				p.Skip(pl.Database, dbObj(pl), tv.why)
			case len(unknown) > 0 && len(unknown) == len(all):
				p.Skip(pl.Database, dbObj(pl), "the backups' SQL Server version is unknown")
			default:
				msg := fmt.Sprintf("backups are from %s, restorable on target %s", releaseOf(top), target)
				if len(unknown) > 0 {
					msg += fmt.Sprintf(" (%d with unknown version not decided)", len(unknown))
				}
				p.Pass(pl.Database, dbObj(pl), msg, ev)
			}
		}
	},
}

// dbVersions maps the internal database versions of released SQL Server
// versions to a release name; anything else (previews) is unknown.
var dbVersions = map[int]string{
	655: "SQL Server 2008", 660: "SQL Server 2008 R2", 661: "SQL Server 2008 R2", 706: "SQL Server 2012",
	782: "SQL Server 2014", 852: "SQL Server 2016", 868: "SQL Server 2017", 869: "SQL Server 2017",
	904: "SQL Server 2019", 957: "SQL Server 2022", 998: "SQL Server 2025",
}

// yearDBVersion is the highest internal database version a release restores.
var yearDBVersion = map[int]int{2008: 655, 2012: 706, 2014: 782, 2016: 852, 2017: 869, 2019: 904, 2022: 957, 2025: 998}

// majorDBVersion is the lowest internal version a server major writes, used
// when the header's database version is unknown.
var majorDBVersion = map[int]int{11: 706, 12: 782, 13: 852, 14: 868, 15: 904, 16: 957, 17: 998}

func releaseOf(v int) string {
	if r, ok := dbVersions[v]; ok {
		return r
	}
	return fmt.Sprintf("database version %d", v)
}

func isUnknown(s *facts.BackupSet, field string) bool {
	for _, u := range s.Unknown {
		if u == field {
			return true
		}
	}
	return false
}

// backupDBVersion is the header's internal database version when it is a
// released one, else derived from the server version; 0 when unknown.
func backupDBVersion(s *facts.BackupSet) int {
	if s == nil {
		return 0
	}
	if _, ok := dbVersions[s.DatabaseVersion]; ok && !isUnknown(s, "databaseVersion") {
		return s.DatabaseVersion
	}
	if isUnknown(s, "softwareMajor") {
		return 0
	}
	if s.SoftwareMajor == 10 {
		if s.SoftwareMinor == 50 {
			return 661
		}
		if s.SoftwareMinor == 0 && !isUnknown(s, "softwareMinor") && s.SoftwareVersion != "" {
			return 655
		}
		return 0
	}
	return majorDBVersion[s.SoftwareMajor]
}

// target is what the target restores: the highest internal database version
// (0 when unknown, with the reason why).
type restoreTarget struct {
	limit int
	name  string
	why   string
	// anyPolicy: a SQL Managed Instance whose update policy is not given;
	// every policy restores up to SQL Server 2022.
	anyPolicy bool
}

func targetDBVersion(t facts.PlanTarget) restoreTarget {
	v := strings.TrimSpace(t.Version)
	switch t.Kind {
	case facts.KindVM:
		if v == "" {
			return restoreTarget{why: "the plan gives no target SQL Server version"}
		}
		unknown := restoreTarget{name: v, why: fmt.Sprintf("target version %q is not a known SQL Server release", v)}
		year, ok := ReleaseYear(v)
		if !ok {
			return unknown
		}
		u := strings.ToUpper(v)
		if year == 2008 && (strings.Contains(u, "R2") || strings.HasPrefix(u, "10.5")) {
			return restoreTarget{limit: 661, name: "SQL Server 2008 R2"}
		}
		l, ok := yearDBVersion[year]
		if !ok {
			return unknown
		}
		return restoreTarget{limit: l, name: fmt.Sprintf("SQL Server %d", year)}
	case facts.KindMI:
		k := strings.NewReplacer("-", "", " ", "", "_", "").Replace(strings.ToLower(v))
		k = strings.TrimPrefix(strings.TrimPrefix(k, "sqlserver"), "sql")
		switch k {
		case "2022":
			return restoreTarget{limit: 957, name: "SQL Managed Instance (SQL Server 2022 update policy)"}
		case "2025":
			return restoreTarget{limit: 998, name: "SQL Managed Instance (SQL Server 2025 update policy)"}
		case "alwaysuptodate", "autd":
			return restoreTarget{limit: 998, name: "SQL Managed Instance (Always-up-to-date update policy)"}
		case "":
			return restoreTarget{name: "SQL Managed Instance", anyPolicy: true,
				why: "the plan gives no SQL Managed Instance update policy (target.version)"}
		}
		return restoreTarget{name: "SQL Managed Instance", anyPolicy: true,
			why: fmt.Sprintf("update policy %q is not one of 2022, 2025, always-up-to-date", v)}
	}
	return restoreTarget{name: t.Kind, why: "not a restore target"}
}

// LogicalFileNames: a plan mapping a logical file name the backup does not
// hold makes RESTORE ... MOVE fail with 3234.
var LogicalFileNames = &check.Check{
	ID:       "DMS308",
	Title:    "Plan's file mapping names the backup's logical files",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: 3234 Logical file <Name> isn't part of database <Database GUID>. Use RESTORE FILELISTONLY to list the logical file names",
	Doc: "Each logical file name in the plan's `fileMapping` becomes a `MOVE` clause of the restore. A name that " +
		"is not in the full backup's file list (RESTORE FILELISTONLY) fails the restore with 3234. Names that " +
		"differ only in case match under case-insensitive collations only, so they are warned about.",
	Fix:  "Copy the logical names from the backup's file list (the evidence lists them) into the plan's `fileMapping`.",
	Link: linkFileListOnly,
	Run: func(p *check.Pass) {
		mapping := map[string]map[string]string{}
		for _, d := range p.Plan().Databases {
			if len(d.FileMapping) > 0 {
				mapping[strings.ToLower(d.Name)] = d.FileMapping
			}
		}
		for _, pl := range restorePlans(p) {
			m := mapping[strings.ToLower(pl.Database)]
			if len(m) == 0 {
				p.Skip(pl.Database, dbObj(pl), "the plan maps no logical file names")
				continue
			}
			if !hasFull(pl) || pl.Steps[0].Header == nil || len(pl.Steps[0].Header.Files) == 0 {
				p.Skip(pl.Database, dbObj(pl), "the full backup's file list is unknown")
				continue
			}
			var have []string
			for _, f := range pl.Steps[0].Header.Files {
				have = append(have, f.LogicalName)
			}
			var names []string
			for n := range m {
				names = append(names, n)
			}
			sort.Strings(names)
			bad := 0
			for _, n := range names {
				ev := lineageEv(pl, check.Ev{"logicalName": n, "backupFiles": strings.Join(have, ", "), "fullBackup": pl.Steps[0].File()})
				exact, fold := "", ""
				for _, h := range have {
					if h == n {
						exact = h
					} else if strings.EqualFold(h, n) {
						fold = h
					}
				}
				switch {
				case exact != "":
				case fold != "":
					bad++
					p.Warn(pl.Database, dbObj(pl), fmt.Sprintf("mapped logical file %q is %q in the backup: it matches only under a case-insensitive collation", n, fold), ev)
				default:
					bad++
					p.Fail(pl.Database, dbObj(pl), fmt.Sprintf("mapped logical file %q is not in full backup %s (it holds %s)", n, pl.Steps[0].File(), strings.Join(have, ", ")), ev)
				}
			}
			if bad == 0 {
				p.Pass(pl.Database, dbObj(pl), fmt.Sprintf("all %d mapped logical file names are in full backup %s", len(names), pl.Steps[0].File()), lineageEv(pl, nil))
			}
		}
	},
}

// LastBackupFile: in offline mode DMS (and LRS autocomplete) restores up to
// the named last backup file; it must be the end of the chain.
var LastBackupFile = &check.Check{
	ID:       "DMS309",
	Title:    "Offline mode: the named last backup file ends the restore chain",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2007: the restore plan is broken / the migration does not complete when the last backup file is not the last of the chain",
	Doc: "In offline mode DMS (and Log Replay Service in autocomplete mode) restores every valid backup in the " +
		"database's folder by LSN and completes after the file named as the last backup. That file must be the " +
		"end of the restore chain: a file that is not in the chain, or backups with higher LSNs after it, fail " +
		"the migration.",
	Fix: "Name the last file of the restore sequence (`dmsready restore-plan` prints it) as `lastBackupFile`, " +
		"or remove the later backups from the folder.",
	Link: linkLRS,
	Run: func(p *check.Pass) {
		if p.Plan().Mode != "offline" {
			p.Skip("", "plan", "the plan is not in offline mode")
			return
		}
		last := map[string]string{}
		for _, d := range p.Plan().Databases {
			last[strings.ToLower(d.Name)] = d.LastBackupFile
		}
		for _, pl := range restorePlans(p) {
			name := last[strings.ToLower(pl.Database)]
			obj := dbObj(pl)
			if name == "" {
				p.Skip(pl.Database, obj, "the plan names no last backup file")
				continue
			}
			if !hasFull(pl) {
				p.Skip(pl.Database, obj, "no restore chain (see DMS303)")
				continue
			}
			ev := lineageEv(pl, check.Ev{"lastBackupFile": name, "chainEnds": pl.Reaches.File, "reaches": pl.Reaches.LSN.String()})
			folder := strings.Trim(pl.Folder, "/")
			bare := !strings.Contains(name, "/")
			match := func(files []string) bool {
				for _, f := range files {
					if f == name || folder != "" && f == folder+"/"+strings.TrimLeft(name, "/") || bare && path.Base(f) == name {
						return true
					}
				}
				return false
			}
			idx := -1
			for i, s := range pl.Steps {
				if match(s.Files) {
					idx = i
				}
			}
			if idx < 0 {
				found := false
				for _, u := range pl.Unused {
					if match(u.Files) {
						found = true
						p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s is not in the restore chain (%s: %s); the chain ends with %s", name, u.Reason, u.Detail, pl.Reaches.File), ev)
						break
					}
				}
				if !found {
					p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s is not among the database's backups; the chain ends with %s", name, pl.Reaches.File), ev)
				}
				continue
			}
			s := pl.Steps[idx]
			if s.LastLSN == pl.Reaches.LSN {
				// The folder is restored by LSN: a backup the chain cannot
				// use that ends later still fails the job.
				var later []string
				for _, u := range pl.Unused {
					switch u.Reason {
					case restore.ReasonOtherDatabase, restore.ReasonUnreadable, restore.ReasonDuplicate:
						continue
					}
					if u.LastLSN.Compare(s.LastLSN) > 0 {
						later = append(later, fmt.Sprintf("%s (%s, LSN %s)", u.File(), u.Reason, u.LastLSN))
					}
				}
				if len(later) > 0 {
					ev["later"] = strings.Join(rpFirst(later, 10), "; ")
					p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s ends the chain at LSN %s, but %d backup%s in the folder end%s later: %s",
						name, s.LastLSN, len(later), rpPlural(len(later)), rpVerb(len(later), "", "s"), strings.Join(rpFirst(later, 5), "; ")), ev)
					continue
				}
				p.Pass(pl.Database, obj, fmt.Sprintf("last backup file %s ends the chain at LSN %s", name, s.LastLSN), ev)
				continue
			}
			var after []string
			for _, t := range pl.Steps[idx+1:] {
				after = append(after, t.File())
			}
			ev["after"] = strings.Join(rpFirst(after, 10), ", ")
			p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s ends at LSN %s but %d backup%s it in the chain, up to %s (LSN %s)",
				name, s.LastLSN, len(after), rpVerb(len(after), "s follow", " follows"), pl.Reaches.File, pl.Reaches.LSN), ev)
		}
	},
}

// SameNameDatabases: backups of different databases (or of different
// recovery forks of one) under one name cannot form one restore.
var SameNameDatabases = &check.Check{
	ID:       "DMS310",
	Title:    "Backups with the database's name all come from one database",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: backups from multiple databases in one folder; RESTORE fails on a backup set of another database or recovery fork",
	Doc: "Two databases can share a name: one dropped and re-created, one on another server, or a copy " +
		"restored elsewhere (a new recovery fork). Their backups carry the same database name but a different " +
		"family GUID, creation date or recovery fork ID, and cannot be restored into one database. DMS restores " +
		"every backup in the folder, so mixing them fails the migration.",
	Fix:  "Keep only one database's backups in the folder (the evidence gives each one's family GUID and recovery fork).",
	Link: linkHeaderOnly,
	Run: func(p *check.Pass) {
		type key struct{ db, folder string }
		by := map[key][]restore.Plan{}
		var order []key
		for _, pl := range restorePlans(p) {
			if pl.Status == restore.StatusNoBackups {
				continue
			}
			k := key{strings.ToLower(pl.Database), pl.Folder}
			if _, ok := by[k]; !ok {
				order = append(order, k)
			}
			by[k] = append(by[k], pl)
		}
		for _, k := range order {
			ps := by[k]
			name := ps[0].Database
			if len(ps) == 1 {
				p.Pass(name, dbObj(ps[0]), "every backup of the database comes from one database and recovery fork", lineageEv(ps[0], nil))
				continue
			}
			sameFamily := true
			var parts []string
			for _, pl := range ps {
				if !strings.EqualFold(pl.FamilyGUID, ps[0].FamilyGUID) {
					sameFamily = false
				}
				f := "-"
				if len(pl.Steps) > 0 {
					f = pl.Steps[0].File()
				} else if len(pl.Unused) > 0 {
					f = pl.Unused[0].File()
				}
				parts = append(parts, fmt.Sprintf("family %s fork %s (%s)", rpDash(pl.FamilyGUID), rpDash(pl.RecoveryForkID), f))
			}
			what := "different databases (family GUID or creation date differ)"
			if sameFamily {
				what = "different recovery forks of the database (restored copies)"
			}
			p.Fail(name, dbObj(ps[0]), fmt.Sprintf("backups named %s come from %d %s: %s", name, len(ps), what, strings.Join(parts, "; ")),
				check.Ev{"lineages": fmt.Sprint(len(ps))})
		}
	},
}

func rpPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func rpVerb(n int, many, one string) string {
	if n == 1 {
		return one
	}
	return many
}

func rpPluralY(n int) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}

func rpInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

func rpFirst(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("and %d more", len(s)-n))
}

func rpDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// restorePlans builds the restore plans once per run for all DMS3xx checks.
func restorePlans(p *check.Pass) []restore.Plan {
	return p.Derived("restore.plans", func(f *facts.Facts) any { return restore.Build(f) }).([]restore.Plan)
}

// MIFileLayout: a Managed Instance restore refuses some file layouts outright,
// and the full backup's file list (RESTORE FILELISTONLY) shows them.
var MIFileLayout = &check.Check{
	ID:       "DMS311",
	Title:    "Managed Instance can restore the backup's files",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Managed Instance restore failure: more than one log file, or FILESTREAM / FileTable data (and memory-optimized data on General Purpose)",
	Doc: "Azure SQL Managed Instance restores a database with one log file only, and supports neither FILESTREAM " +
		"nor FileTable; memory-optimized (In-Memory OLTP) data needs the Business Critical tier. The full " +
		"backup's file list says which files the restore must create: log files are type L, and FILESTREAM, " +
		"FileTable and memory-optimized containers are type S (the header does not tell these apart, so a type S " +
		"file fails here; waive it with a reason for a memory-optimized database going to Business Critical).",
	Fix: "Before the final full backup: remove the extra log files (`DBCC SHRINKFILE (name, EMPTYFILE)` then " +
		"`ALTER DATABASE ... REMOVE FILE`), move FILESTREAM/FileTable data out of the database, or choose the " +
		"Business Critical tier for memory-optimized data.",
	Link: linkMIRestore,
	Run: func(p *check.Pass) {
		for _, pl := range restorePlans(p) {
			if !hasFull(pl) || pl.Steps[0].Header == nil || len(pl.Steps[0].Header.Files) == 0 {
				p.Skip(pl.Database, dbObj(pl), "the full backup's file list is unknown")
				continue
			}
			full := pl.Steps[0]
			var logs, special, data []string
			for _, f := range full.Header.Files {
				switch f.Type {
				case "L":
					logs = append(logs, f.LogicalName)
				case "S":
					special = append(special, f.LogicalName)
				default:
					data = append(data, f.LogicalName)
				}
			}
			ev := lineageEv(pl, check.Ev{"fullBackup": full.File(), "logFiles": strings.Join(logs, ", ")})
			if len(special) > 0 {
				ev["typeSFiles"] = strings.Join(special, ", ")
			}
			problems := miFileProblems(logs, special)
			for _, pr := range problems {
				p.Fail(pl.Database, dbObj(pl), fmt.Sprintf("full backup %s has %s", full.File(), pr), ev)
			}
			if len(problems) == 0 {
				p.Pass(pl.Database, dbObj(pl), fmt.Sprintf("full backup %s has %s and %s, a layout Managed Instance restores",
					full.File(), count(len(data), "data file", "data files"), count(len(logs), "log file", "log files")), ev)
			}
		}
	},
}

// miFileProblems names what a Managed Instance restore refuses in a
// database's file list: DMS311 reads it from the backup, DMS417 from the
// source catalog.
func miFileProblems(logs, filestream []string) []string {
	var out []string
	if len(logs) > 1 {
		out = append(out, fmt.Sprintf("%d log files (%s): Managed Instance restores one", len(logs), strings.Join(logs, ", ")))
	}
	if len(filestream) > 0 {
		out = append(out, fmt.Sprintf("FILESTREAM, FileTable or memory-optimized files (%s): Managed Instance supports no FILESTREAM, and memory-optimized data only on Business Critical", strings.Join(filestream, ", ")))
	}
	return out
}
