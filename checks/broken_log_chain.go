package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/restore"
)

// BrokenLogChain is check DMS301: a log backup whose FirstLSN is past the
// point the restore has reached cannot be applied (4305), and DMS stops with
// 2007.
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
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2007): \"firstLsn ... is not <= lastLsn\" breaks the restore plan; RESTORE HEADERONLY gives the LSNs"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			if !hasFull(pl) {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "no complete full backup to start a chain from (see DMS303)")
				continue
			}
			var broke bool
			for _, is := range pl.Issues {
				if is.Kind != restore.KindBreak {
					continue
				}
				broke = true
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), is.Message, lineageEv(pl, check.Ev{
					"before": is.Before, "after": is.After, "lastLSN": is.From.String(), "firstLSN": is.To.String(),
					"reaches": pl.Reaches.LSN.String(),
				}))
			}
			if !broke {
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("%d backup%s restore in sequence up to %s",
					len(pl.Steps), plural(len(pl.Steps)), reachText(pl)),
					lineageEv(pl, check.Ev{"reaches": pl.Reaches.LSN.String(), "lastFile": pl.Reaches.File}))
			}
		}
	},
}
