package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// CopyOnlyInChain is check DMS411: copy-only backups do not serve as
// differential bases.
var CopyOnlyInChain = &check.Check{
	ID:       "DMS411",
	Title:    "No copy-only backups mixed into the restore chain",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "3136: this differential backup cannot be restored because the database has not been restored to the correct earlier state (a copy-only full is never a differential base)",
	Doc: "A copy-only full backup does not reset the differential base, so differentials taken after it " +
		"belong to the earlier regular full; a copy-only log backup does not truncate the log. Mixed into the " +
		"folder DMS reads, a copy-only full can be taken as the base and the following differentials fail to apply. " +
		"Copy-only backups that leave no file (a VSS snapshot or third-party tool's on a virtual device, or one to NUL) are not counted. " +
		"In an availability group each replica's msdb records only its own backups (a secondary takes only " +
		"copy-only fulls), so none seen on this replica is cannot tell. " +
		"Rows msdb kept from an earlier database of the same name (`backupset.database_guid` differs from the current database's `sys.database_recovery_status.database_guid`, which RESTORE and CREATE DATABASE renew) are ignored, and the finding says how many.",
	Fix: "Keep copy-only backups out of the migration folder, or base the migration on a regular full " +
		"backup and its differentials and logs.",
	Link:  linkCopyOnly,
	Basis: check.Documented("Microsoft, copy-only backups: a copy-only full is no differential base and a copy-only log does not advance the chain"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			q := noted{p, incarnationNote(p, d.Name)}
			hist := historyOf(p, d.Name)
			if len(hist) == 0 {
				q.Skip(d.Name, obj, noHistory(d, "backup"))
				return
			}
			var co []string
			// msdb is read from this server's last regular full on; without
			// one the whole history was read, and there is no "last full"
			// to count from.
			span := "since the last regular full"
			regular := false
			for _, h := range hist {
				// A copy-only snapshot (virtual device) or one to NUL leaves
				// no file to land in the folder DMS reads.
				if h.IsCopyOnly && fileMedia(h) {
					co = append(co, fmt.Sprintf("%s %s", typeName(h.Type), when(h)))
				}
				if h.Type == facts.HistoryFull && !h.IsCopyOnly && !h.OtherServer {
					regular = true
				}
			}
			if !regular {
				span = "in msdb's backup history, which records no regular (not copy-only) full backup by this server"
			}
			if len(co) > 0 {
				q.Warn(d.Name, obj, fmt.Sprintf("%s %s: %s", count(len(co), "copy-only backup", "copy-only backups"), span, list(co, 10)),
					check.Ev{"count": fmt.Sprint(len(co))})
				return
			}
			if inAG(d) {
				// Secondary replicas take copy-only fulls, recorded only in
				// their own msdb: none seen here is not none taken.
				q.Skip(d.Name, obj, fmt.Sprintf("msdb on this replica records no copy-only backups %s, but the database is in %s: "+
					"backups taken on another replica (where fulls are copy-only) are recorded only in its msdb; read msdb there", span, agName(d)))
				return
			}
			q.Pass(d.Name, obj, "no copy-only backups "+span, nil)
		})
	},
}
