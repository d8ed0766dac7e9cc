package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// LogBackupToNUL is check DMS412: a log backup to NUL discards log records
// the chain needs.
var LogBackupToNUL = &check.Check{
	ID:       "DMS412",
	Title:    "No log backups to NUL since the last full",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2007: LSN gap in the log chain (firstLsn ... is not <= lastLsn ...) after a log backup to NUL",
	Doc: "`BACKUP LOG ... TO DISK = 'NUL'` truncates the log and throws the backup away. msdb records it " +
		"like any other log backup, but no file exists, so every later log backup leaves a gap DMS cannot restore across. " +
		"It blocks only inside the range the restore needs: after the full (or differential) the restore starts " +
		"from. One that ends before it, bridged by that full or differential, is information. With no full of this " +
		"server in msdb (an availability group secondary whose fulls are taken on the primary, or purged history) " +
		"where the restore starts is unknown, and a log backup to NUL is reported as cannot tell. In an " +
		"availability group each replica's msdb records only its own backups, so none to NUL seen on this " +
		"replica is cannot tell too, and one seen is a warning: a full taken on another replica after it would bridge the gap.",
	Fix: "Stop the job writing to NUL, then take a new full backup (and keep every log backup after it) " +
		"before the migration.",
	Link:  linkBackupset,
	Basis: check.Documented("Microsoft, DMS known issues (2007): a gap in the log chain; msdb backupset records the log backup to NUL (dmsready's own rule: outside the range the restore needs it is information)"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			hist := historyOf(p, d.Name)
			if len(hist) == 0 {
				p.Skip(d.Name, obj, noHistory(d, "backup"))
				return
			}
			full, diff := restoreBase(hist)
			base := full
			if diff != nil {
				base = diff
			}
			var nul, outside []string
			for _, h := range hist {
				// Only a log backup to NUL leaves a gap in the log chain.
				if h.Type != facts.HistoryLog || !toNUL(h) {
					continue
				}
				w := fmt.Sprintf("%s %s", typeName(h.Type), when(h))
				// The restore needs the log from its full or differential on:
				// a log ending at or before that point is not restored.
				if base != nil && !h.LastLSN.IsZero() && !base.LastLSN.IsZero() && h.LastLSN.Compare(base.LastLSN) <= 0 {
					outside = append(outside, w)
					continue
				}
				nul = append(nul, w)
			}
			if len(outside) > 0 && len(nul) == 0 {
				p.Note(d.Name, obj, fmt.Sprintf("%s went to NUL before the full or differential the restore starts from (%s), outside the range the restore needs: %s",
					count(len(outside), "log backup", "log backups"), when(*base), list(outside, 10)), check.Ev{"count": fmt.Sprint(len(outside))})
				return
			}
			if len(nul) > 0 && base == nil {
				// No restore base in this msdb: the log to NUL may be long
				// before the full the restore will start from.
				p.Skip(d.Name, obj, fmt.Sprintf("cannot tell whether %s to NUL (%s) fall inside the range the restore needs: %s",
					count(len(nul), "log backup", "log backups"), list(nul, 10), noHistory(d, "full backup")))
				return
			}
			if len(nul) > 0 && inAG(d) {
				// A full taken on another replica after the log to NUL
				// would bridge it, and only that replica's msdb records it.
				p.Warn(d.Name, obj, fmt.Sprintf("%s went to NUL since the last full recorded on this replica (%s): %s; the database is in %s, "+
					"so a newer full backup recorded only in another replica's msdb may bridge the gap: read msdb there",
					count(len(nul), "log backup", "log backups"), when(*base), list(nul, 10), agName(d)), check.Ev{"count": fmt.Sprint(len(nul))})
				return
			}
			if len(nul) > 0 {
				p.Fail(d.Name, obj, fmt.Sprintf("%s went to NUL since the last full, breaking the chain: %s", count(len(nul), "log backup", "log backups"), list(nul, 10)),
					check.Ev{"count": fmt.Sprint(len(nul))})
				return
			}
			if inAG(d) {
				// Each replica's msdb records only the backups taken on it,
				// and log backups may run on any replica: none seen here is
				// not none taken.
				p.Skip(d.Name, obj, fmt.Sprintf("msdb on this replica records no log backup to NUL since the last full, but the database is in %s: "+
					"log backups taken on another replica are recorded only in its msdb; read msdb there", agName(d)))
				return
			}
			p.Pass(d.Name, obj, "no log backups to NUL since the last full", nil)
		})
	},
}

func toNUL(h facts.BackupHistory) bool {
	for _, dev := range h.PhysicalDevices {
		if isNUL(dev) {
			return true
		}
	}
	return false
}
