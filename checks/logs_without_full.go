package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// LogsWithoutFull is check DMS304: log backups alone restore nothing.
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
	Fix:   "Upload the full backup the log chain starts from (the logs' DatabaseBackupLSN is its checkpoint LSN), or take a new full backup.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, SQL Server restore sequences: log backups restore only onto a full backup (errors 4305/4326)"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			var logs []string
			var base string
			for _, u := range pl.Unused {
				if u.Type() == facts.TypeLog && u.Reason == restore.ReasonNoFull {
					logs = append(logs, u.File())
					if l := u.Backup().DatabaseBackupLSN; base == "" && !l.IsZero() {
						base = l.String()
					}
				}
			}
			if len(logs) > 0 {
				ev := check.Ev{"logBackups": strings.Join(firstN(logs, 10), ", ")}
				if base != "" {
					ev["fullCheckpointLSN"] = base
				}
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("%s but no complete full backup to restore %s onto", count(len(logs), "log backup", "log backups"), itThem(len(logs))), lineageEv(pl, ev))
				continue
			}
			n := 0
			for _, s := range pl.Steps {
				if s.Type == facts.TypeLog {
					n++
				}
			}
			if n == 0 {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "no log backups in the restore sequence")
				continue
			}
			p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("%d log backup%s full backup %s", n, verb(n, " follows", "s follow"), pl.Steps[0].File()), lineageEv(pl, nil))
		}
	},
}
