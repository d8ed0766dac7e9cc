package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// LastFullChecksum is check DMS410: DMS refuses a full backup taken without
// CHECKSUM.
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
		"this replica records may not be the newest: without checksums a warning, with them cannot tell.",
	Fix:   "Take a new full backup `WITH CHECKSUM` (or set the server option `backup checksum default` to 1).",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009): \"Full backup ... is missing checksum\"; msdb backupset.has_backup_checksums"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			hist := historyOf(p, d.Name)
			last, _ := restoreBase(hist)
			if last == nil {
				for _, h := range hist {
					if h.Type == facts.HistoryFull && !h.IsCopyOnly && !h.OtherServer && !fileMedia(h) {
						// Fulls there are, but none DMS could restore.
						p.Skip(d.Name, obj, fmt.Sprintf("msdb records no full backup of this database to a file DMS can restore (disk or URL): "+
							"its full of %s went to %s", when(h), mediaName(h)))
						return
					}
				}
				p.Skip(d.Name, obj, noHistory(d, "full backup"))
				return
			}
			ev := check.Ev{"backupStart": when(*last), "device": strings.Join(last.PhysicalDevices, ", ")}
			if last.ChecksumsUnknown {
				p.Skip(d.Name, obj, fmt.Sprintf("msdb does not record whether the last full backup (%s) has checksums (has_backup_checksums is NULL): RESTORE HEADERONLY on the file tells", when(*last)))
				return
			}
			if inAG(d) {
				// Each replica's msdb records only its own backups: after a
				// failover, or read on a secondary (where fulls are
				// copy-only), a newer full may be recorded elsewhere.
				why := fmt.Sprintf("the database is in %s: a newer full backup may be recorded only in another replica's msdb; "+
					"read msdb there, or let DMS209 judge the full backup in storage", agName(d))
				if !last.HasChecksums {
					p.Warn(d.Name, obj, fmt.Sprintf("the last full backup recorded on this replica (%s) was taken without CHECKSUM, but %s", when(*last), why), ev)
					return
				}
				p.Skip(d.Name, obj, fmt.Sprintf("the last full backup recorded on this replica (%s) has checksums, but %s", when(*last), why))
				return
			}
			if !last.HasChecksums && p.Plan().Method == facts.MethodLRS {
				p.Warn(d.Name, obj, fmt.Sprintf("the last full backup (%s) has no checksums: Log Replay Service restores it more slowly and cannot detect corruption", when(*last)), ev)
				return
			}
			if !last.HasChecksums {
				p.Fail(d.Name, obj, fmt.Sprintf("the last full backup (%s) was taken without CHECKSUM", when(*last)), ev)
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("the last full backup (%s) has checksums", when(*last)), ev)
		})
	},
}
