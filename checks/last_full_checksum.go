package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// LastFullChecksum is check DMS410: DMS refuses a full backup taken without
// CHECKSUM, and RESTORE refuses a damaged backup the restore uses.
var LastFullChecksum = &check.Check{
	ID:       "DMS410",
	Title:    "Last full backup has checksums",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackupHistory},
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "2009: Full backup ... is missing checksum",
	Doc: "DMS restores a full backup only when it was taken `WITH CHECKSUM` (msdb " +
		"`backupset.has_backup_checksums`), as the known-issues page documents (whether DMS still enforces it " +
		"is not verified: the current prerequisites page no longer lists it). dmsready judges the full a " +
		"restore starts from: msdb's newest full that is not copy-only, not a row RESTORE wrote for another " +
		"server's backup, of the database's current recovery fork, and written to a file DMS can restore (disk or URL: " +
		"not a VSS snapshot or third-party tool's full on a virtual device, a tape, or NUL). With Log Replay Service checksums are not required but strongly recommended: " +
		"a warning then. In an availability group each replica's msdb records only its own backups, so the full " +
		"this replica records may not be the newest: without checksums a warning, with them cannot tell. " +
		"A full (or the differential the restore uses) that msdb marks damaged (`is_damaged`: taken `WITH " +
		"CONTINUE_AFTER_ERROR` on a damaged database) fails whatever its checksums: RESTORE stops on it with error 3182 " +
		"unless run `WITH CONTINUE_AFTER_ERROR`, which restores a damaged database at best (in an availability group: a warning). " +
		"So does a damaged log backup in the range the restore needs: a regular log backup to a file, of this server and recovery fork, " +
		"ending after the full or differential the restore starts from; the log chain stops at it. " +
		"Rows msdb kept from an earlier database of the same name (`backupset.database_guid` differs from the current database's `sys.database_recovery_status.database_guid`, which RESTORE and CREATE DATABASE renew) are ignored, and the finding says how many.",
	Fix: "Take a new full backup `WITH CHECKSUM` (or set the server option `backup checksum default` to 1). " +
		"A damaged full, differential or log backup (msdb `is_damaged`): run DBCC CHECKDB and repair the database first, then take the new full.",
	Link: linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009): \"Full backup ... is missing checksum\"; msdb backupset.has_backup_checksums and is_damaged; " +
		"Database Engine error 3182 \"The backup set cannot be restored because the database was damaged when the backup occurred\", and RESTORE's default STOP_ON_ERROR"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			q := noted{p, incarnationNote(p, d.Name)}
			hist := historyOf(p, d.Name)
			last, diff := restoreBase(hist)
			if last == nil {
				for _, h := range hist {
					if h.Type == facts.HistoryFull && !h.IsCopyOnly && !h.OtherServer && !fileMedia(h) {
						// Fulls there are, but none DMS could restore.
						q.Skip(d.Name, obj, fmt.Sprintf("msdb records no full backup of this database to a file DMS can restore (disk or URL): "+
							"its full of %s went to %s", when(h), mediaName(h)))
						return
					}
				}
				q.Skip(d.Name, obj, noHistory(d, "full backup"))
				return
			}
			ev := check.Ev{"backupStart": when(*last), "device": strings.Join(last.PhysicalDevices, ", ")}
			if dmg := damaged(last, diff); dmg != nil {
				// RESTORE stops on a set BACKUP wrote WITH CONTINUE_AFTER_ERROR
				// (3182), checksums or not; only RESTORE ... WITH
				// CONTINUE_AFTER_ERROR salvages it.
				ev = check.Ev{"backupStart": when(*dmg), "device": strings.Join(dmg.PhysicalDevices, ", "), "isDamaged": "1"}
				msg := fmt.Sprintf("the %s backup the restore uses (%s, %s) is marked damaged in msdb (backupset.is_damaged: the database was damaged when it was taken "+
					"WITH CONTINUE_AFTER_ERROR): RESTORE refuses it (error 3182) unless told to continue after errors, and then restores a damaged database",
					typeName(dmg.Type), when(*dmg), strings.Join(dmg.PhysicalDevices, ", "))
				if inAG(d) {
					q.Warn(d.Name, obj, msg+fmt.Sprintf("; the database is in %s: a newer full backup may be recorded only in another replica's msdb", agName(d)), ev)
					return
				}
				q.Fail(d.Name, obj, msg, ev)
				return
			}
			if logs := damagedLogs(hist, last, diff); len(logs) > 0 {
				// RESTORE LOG stops on a damaged log set the same way
				// (3182), and every log after it is then out of reach.
				names := make([]string, len(logs))
				for i, h := range logs {
					names[i] = fmt.Sprintf("log %s (%s)", when(h), strings.Join(h.PhysicalDevices, ", "))
				}
				ev = check.Ev{"backupStart": when(logs[0]), "device": strings.Join(logs[0].PhysicalDevices, ", "), "isDamaged": "1", "count": fmt.Sprint(len(logs))}
				msg := fmt.Sprintf("%s the restore needs after its full or differential %s marked damaged in msdb (backupset.is_damaged: taken WITH CONTINUE_AFTER_ERROR "+
					"on a damaged database): RESTORE LOG refuses it (error 3182) unless told to continue after errors, and the log chain stops there: %s",
					count(len(logs), "log backup", "log backups"), verb(len(logs), "is", "are"), list(names, 10))
				if !last.HasChecksums && !last.ChecksumsUnknown {
					msg += fmt.Sprintf("; the last full backup (%s) was also taken without CHECKSUM", when(*last))
				}
				if inAG(d) {
					q.Warn(d.Name, obj, msg+fmt.Sprintf("; the database is in %s: a newer full backup may be recorded only in another replica's msdb", agName(d)), ev)
					return
				}
				q.Fail(d.Name, obj, msg, ev)
				return
			}
			if last.ChecksumsUnknown {
				q.Skip(d.Name, obj, fmt.Sprintf("msdb does not record whether the last full backup (%s) has checksums (has_backup_checksums is NULL): RESTORE HEADERONLY on the file tells", when(*last)))
				return
			}
			if inAG(d) {
				// Each replica's msdb records only its own backups: after a
				// failover, or read on a secondary (where fulls are
				// copy-only), a newer full may be recorded elsewhere.
				why := fmt.Sprintf("the database is in %s: a newer full backup may be recorded only in another replica's msdb; "+
					"read msdb there, or let DMS209 judge the full backup in storage", agName(d))
				if !last.HasChecksums {
					q.Warn(d.Name, obj, fmt.Sprintf("the last full backup recorded on this replica (%s) was taken without CHECKSUM, but %s", when(*last), why), ev)
					return
				}
				q.Skip(d.Name, obj, fmt.Sprintf("the last full backup recorded on this replica (%s) has checksums, but %s", when(*last), why))
				return
			}
			if !last.HasChecksums && p.Plan().Method == facts.MethodLRS {
				q.Warn(d.Name, obj, fmt.Sprintf("the last full backup (%s) has no checksums: Log Replay Service restores it more slowly and cannot detect corruption", when(*last)), ev)
				return
			}
			if !last.HasChecksums {
				q.Fail(d.Name, obj, fmt.Sprintf("the last full backup (%s) was taken without CHECKSUM", when(*last)), ev)
				return
			}
			q.Pass(d.Name, obj, fmt.Sprintf("the last full backup (%s) has checksums", when(*last)), ev)
		})
	},
}

// damaged is the full or differential a restore uses that msdb marks
// damaged (backupset.is_damaged), the full first; nil when neither is.
func damaged(full, diff *facts.BackupHistory) *facts.BackupHistory {
	for _, h := range []*facts.BackupHistory{full, diff} {
		if h != nil && h.IsDamaged {
			return h
		}
	}
	return nil
}

// damagedLogs are the log backups a restore from full (and diff) applies
// that msdb marks damaged: regular log backups of this server and recovery
// fork, written to a file, ending after the full or differential. A log
// backup to NUL leaves no file (DMS412), and a copy-only one is no link of
// the chain. Where neither LSNs nor dates place a log, it is left out.
func damagedLogs(hist []facts.BackupHistory, full, diff *facts.BackupHistory) []facts.BackupHistory {
	base := full
	if diff != nil {
		base = diff
	}
	var out []facts.BackupHistory
	for _, h := range hist {
		if h.Type != facts.HistoryLog || !h.IsDamaged || h.IsCopyOnly || h.OtherServer || !fileMedia(h) {
			continue
		}
		if base.RecoveryForkGUID != "" && h.RecoveryForkGUID != "" && !strings.EqualFold(base.RecoveryForkGUID, h.RecoveryForkGUID) {
			continue
		}
		switch {
		case !h.LastLSN.IsZero() && !base.LastLSN.IsZero():
			// A log ending at or before the base is not restored (4326).
			if h.LastLSN.Compare(base.LastLSN) <= 0 {
				continue
			}
		case h.Start != nil && base.Start != nil:
			if !h.Start.After(*base.Start) {
				continue
			}
		default:
			continue
		}
		out = append(out, h)
	}
	return out
}
