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
	Title:    "Full backups carry checksums",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "2009: Full backup <URL> is missing checksum. Provide full backup with checksum",
	Doc: "DMS fails the migration when a full backup was taken without CHECKSUM (the header's " +
		"HasBackupChecksums), as the known-issues page documents. The current prerequisites page no longer " +
		"lists the requirement: whether DMS still enforces it is not verified. With Log Replay Service " +
		"checksums are not required but strongly recommended (without them the restore is slower and " +
		"corruption may go unnoticed): a warning then.",
	Fix:  "Take the full backup again `WITH CHECKSUM` (or set the server default: `EXEC sp_configure 'backup checksum default', 1`).",
	Link: linkKnownIssues,
	Run: func(p *check.Pass) {
		lrs := p.Plan().Method == facts.MethodLRS
		for _, f := range p.Facts.Storage.Files {
			if f.Backup == nil {
				continue
			}
			for _, s := range f.Backup.Sets {
				if s.BackupType != facts.TypeFull {
					continue
				}
				obj := check.FileObject(f.Path)
				if len(f.Backup.Sets) > 1 {
					obj += fmt.Sprintf("#%d", s.Position)
				}
				ev := check.Ev{"database": s.DatabaseName, "position": fmt.Sprint(s.Position)}
				if isUnknown(s.Unknown, "hasBackupChecksums") {
					p.Skip(s.DatabaseName, obj, "the backup header does not say whether it has checksums")
					continue
				}
				switch {
				case s.HasBackupChecksums:
					p.Pass(s.DatabaseName, obj, fmt.Sprintf("full backup of %s has checksums", s.DatabaseName), ev)
				case lrs:
					p.Warn(s.DatabaseName, obj, fmt.Sprintf("full backup of %s has no checksums: Log Replay Service restores it more slowly and cannot detect corruption", s.DatabaseName), ev)
				default:
					p.Fail(s.DatabaseName, obj, fmt.Sprintf("full backup of %s was taken without CHECKSUM", s.DatabaseName), ev)
				}
			}
		}
	},
}
