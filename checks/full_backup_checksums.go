package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// FullBackupChecksums is check DMS209: DMS refuses a full backup without
// checksums.
var FullBackupChecksums = &check.Check{
	ID:       "DMS209",
	Title:    "The full backup the restore starts from carries checksums",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "2009: Full backup <URL> is missing checksum. Provide full backup with checksum",
	Doc: "DMS fails the migration when the full backup it restores was taken without CHECKSUM (the header's " +
		"HasBackupChecksums), as the known-issues page documents. Only the full the restore plan starts from " +
		"is judged; older fulls and backups of other databases are not restored. The current prerequisites page no longer " +
		"lists the requirement: whether DMS still enforces it is not verified. With Log Replay Service " +
		"checksums are not required but strongly recommended (without them the restore is slower and " +
		"corruption may go unnoticed): a warning then.",
	Fix:   "Take the full backup again `WITH CHECKSUM` (or set the server default: `EXEC sp_configure 'backup checksum default', 1`).",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009): \"Full backup ... is missing checksum\"; Log Replay Service: checksums recommended, not required"),
	Run: func(p *check.Pass) {
		lrs := p.Plan().Method == facts.MethodLRS
		// Only the full the restore starts from is judged: older fulls, and
		// fulls of other databases in the container, are not restored.
		for _, pl := range usableSequences(p) {
			if !hasFull(pl) || pl.Steps[0].Header == nil {
				continue
			}
			b := pl.Steps[0]
			s := b.Header
			obj := check.FileObject(b.File())
			if b.Position > 1 {
				obj += fmt.Sprintf("#%d", b.Position)
			}
			ev := check.Ev{"database": s.DatabaseName, "position": fmt.Sprint(s.Position)}
			if isUnknown(s.Unknown, "hasBackupChecksums") {
				p.Skip(pl.Database, obj, "the backup header does not say whether it has checksums")
				continue
			}
			switch {
			case s.HasBackupChecksums:
				p.Pass(pl.Database, obj, fmt.Sprintf("full backup of %s the restore starts from has checksums", s.DatabaseName), ev)
			case lrs:
				p.Warn(pl.Database, obj, fmt.Sprintf("full backup of %s the restore starts from has no checksums: Log Replay Service restores it more slowly and cannot detect corruption", s.DatabaseName), ev)
			default:
				p.Fail(pl.Database, obj, fmt.Sprintf("full backup of %s the restore starts from was taken without CHECKSUM", s.DatabaseName), ev)
			}
		}
	},
}
