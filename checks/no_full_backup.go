package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// NoFullBackup is check DMS303: every restore starts from a full backup.
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
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues and Log Replay Service: a restore starts from a full backup"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			where := ""
			if pl.Folder != "" {
				where = " in folder " + pl.Folder
			}
			if len(pl.Nested) > 0 {
				// Its backups sit below the folder, where DMS does not
				// look: say where they went.
				where += fmt.Sprintf(" (%s of it in subfolders, which DMS does not read; see DMS204: %s)",
					count(len(pl.Nested), "backup file", "backup files"), list(pl.Nested, 5))
			}
			switch pl.Status {
			case restore.StatusNoBackups:
				ev := check.Ev{"folder": pl.Folder}
				if len(pl.Nested) > 0 {
					ev["nestedFiles"] = strings.Join(pl.Nested, ", ")
				}
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), "no backup of the database was found"+where, ev)
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
						counts[u.Type()]++
					}
				}
				p.Fail(pl.Database, check.DatabaseObject(pl.Database), msg, lineageEv(pl, check.Ev{
					"fullBackups": fmt.Sprint(counts[facts.TypeFull]), "differentialBackups": fmt.Sprint(counts[facts.TypeDifferential]),
					"logBackups": fmt.Sprint(counts[facts.TypeLog]),
				}))
			default:
				f := pl.Steps[0]
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("restore starts from full backup %s", strings.Join(f.Files, ", ")),
					lineageEv(pl, check.Ev{"file": f.File(), "checkpointLSN": f.CheckpointLSN.String()}))
			}
		}
	},
}
