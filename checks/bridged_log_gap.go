package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/restore"
)

// BridgedLogGap is check DMS302: information only. A missing log backup
// before the full or differential restored does not matter to this restore,
// but it means no point in time inside the gap can be restored.
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
	Fix:   "Nothing is needed for the migration. To keep point-in-time restore across the gap, find the missing log backup.",
	Link:  linkErrors4000,
	Basis: check.Own("a log gap that a later full or differential bridges does not stop the restore (SQL Server errors 4305 and 4326): information"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			if !hasFull(pl) {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "no complete full backup to start a chain from (see DMS303)")
				continue
			}
			n := 0
			for _, is := range pl.Issues {
				if is.Kind != restore.KindGap {
					continue
				}
				n++
				p.Warn(pl.Database, check.DatabaseObject(pl.Database), is.Message, lineageEv(pl, check.Ev{
					"before": is.Before, "after": is.After, "lastLSN": is.From.String(), "firstLSN": is.To.String(), "bridgedBy": is.BridgedBy,
				}))
			}
			if n == 0 {
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), "no log gap is bridged by a full or differential backup", lineageEv(pl, nil))
			}
		}
	},
}
