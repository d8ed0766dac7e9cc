package checks

import (
	"fmt"
	"strings"

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
		"A log backup to tape (msdb device_type 5) or to a virtual device (7: a third-party tool through VDI) is the same gap " +
		"for DMS, which restores only the backup files in the folder. A copy-only log backup truncates nothing and is no gap. " +
		"It blocks only inside the range the restore needs: after the full (or differential) the restore starts " +
		"from. One that ends before it, bridged by that full or differential, is information. With no full of this " +
		"server in msdb (an availability group secondary whose fulls are taken on the primary, or purged history) " +
		"where the restore starts is unknown, and a log backup to NUL is reported as cannot tell. In an " +
		"availability group each replica's msdb records only its own backups, so none to NUL seen on this " +
		"replica is cannot tell too, and one seen is a warning: a full taken on another replica after it would bridge the gap. " +
		"Rows msdb kept from an earlier database of the same name (`backupset.database_guid` differs from the current database's `sys.database_recovery_status.database_guid`, which RESTORE and CREATE DATABASE renew) are ignored, and the finding says how many.",
	Fix: "Stop the job writing to NUL, then take a new full backup (and keep every log backup after it) " +
		"before the migration.",
	Link:  linkBackupset,
	Basis: check.Documented("Microsoft, DMS known issues (2007): a gap in the log chain; msdb backupset records the log backup to NUL (dmsready's own rule: outside the range the restore needs it is information)"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			q := noted{p, incarnationNote(p, d.Name)}
			hist := historyOf(p, d.Name)
			if len(hist) == 0 {
				q.Skip(d.Name, obj, noHistory(d, "backup"))
				return
			}
			full, diff := restoreBase(hist)
			base := full
			if diff != nil {
				base = diff
			}
			var nul, outside []string
			var media, outMedia []string
			for _, h := range hist {
				// Only a regular log backup that leaves no file leaves a gap
				// in the log chain: a copy-only one truncates nothing.
				if h.Type != facts.HistoryLog || h.IsCopyOnly || fileMedia(h) {
					continue
				}
				w := fmt.Sprintf("%s %s", typeName(h.Type), when(h))
				m := shortMedia(h)
				if m != "NUL" {
					w += " (" + m + ")"
				}
				// The restore needs the log from its full or differential on:
				// a log ending at or before that point is not restored.
				if base != nil && !h.LastLSN.IsZero() && !base.LastLSN.IsZero() && h.LastLSN.Compare(base.LastLSN) <= 0 {
					outside, outMedia = append(outside, w), addOnce(outMedia, m)
					continue
				}
				nul, media = append(nul, w), addOnce(media, m)
			}
			if len(outside) > 0 && len(nul) == 0 {
				q.Note(d.Name, obj, fmt.Sprintf("%s went to %s before the full or differential the restore starts from (%s), outside the range the restore needs: %s",
					count(len(outside), "log backup", "log backups"), orList(outMedia), when(*base), list(outside, 10)), check.Ev{"count": fmt.Sprint(len(outside))})
				return
			}
			if len(nul) > 0 && base == nil {
				// No restore base in this msdb: the log to NUL may be long
				// before the full the restore will start from.
				q.Skip(d.Name, obj, fmt.Sprintf("cannot tell whether %s to %s (%s) fall inside the range the restore needs: %s",
					count(len(nul), "log backup", "log backups"), orList(media), list(nul, 10), noHistory(d, "full backup")))
				return
			}
			if len(nul) > 0 && inAG(d) {
				// A full taken on another replica after the log to NUL
				// would bridge it, and only that replica's msdb records it.
				q.Warn(d.Name, obj, fmt.Sprintf("%s went to %s since the last full recorded on this replica (%s): %s; the database is in %s, "+
					"so a newer full backup recorded only in another replica's msdb may bridge the gap: read msdb there",
					count(len(nul), "log backup", "log backups"), orList(media), when(*base), list(nul, 10), agName(d)), check.Ev{"count": fmt.Sprint(len(nul))})
				return
			}
			if len(nul) > 0 {
				q.Fail(d.Name, obj, fmt.Sprintf("%s went to %s since the last full, breaking the chain: %s%s", count(len(nul), "log backup", "log backups"), orList(media), list(nul, 10), noFileNote(media)),
					check.Ev{"count": fmt.Sprint(len(nul))})
				return
			}
			if inAG(d) {
				// Each replica's msdb records only the backups taken on it,
				// and log backups may run on any replica: none seen here is
				// not none taken.
				q.Skip(d.Name, obj, fmt.Sprintf("msdb on this replica records no log backup to NUL, tape or a virtual device since the last full, but the database is in %s: "+
					"log backups taken on another replica are recorded only in its msdb; read msdb there", agName(d)))
				return
			}
			q.Pass(d.Name, obj, "no log backups to NUL, tape or a virtual device since the last full", nil)
		})
	},
}

// shortMedia names where a log backup that left no file went.
func shortMedia(h facts.BackupHistory) string {
	switch {
	case toNUL(h):
		return "NUL"
	case h.DeviceType == 5:
		return "tape"
	case h.DeviceType == 7:
		return "a virtual device"
	}
	return fmt.Sprintf("device type %d", h.DeviceType)
}

// noFileNote says why tape and virtual devices count (NUL needs no word).
func noFileNote(media []string) string {
	if len(media) == 1 && media[0] == "NUL" {
		return ""
	}
	return "; DMS restores only the backup files in the folder, and a log backup to tape or a virtual device (a third-party tool) is none"
}

func addOnce(xs []string, x string) []string {
	for _, v := range xs {
		if v == x {
			return xs
		}
	}
	return append(xs, x)
}

// orList joins a few names: "a", "a or b", "a, b or c".
func orList(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

func toNUL(h facts.BackupHistory) bool {
	for _, dev := range h.PhysicalDevices {
		if isNUL(dev) {
			return true
		}
	}
	return false
}
