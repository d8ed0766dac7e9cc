package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ReadableBackups is check DMS208: every file in a backup folder must be a
// readable backup.
var ReadableBackups = &check.Check{
	ID:       "DMS208",
	Title:    "Backup files are readable backups",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Restore fails on a blob in the Archive tier, a zero-length, truncated or corrupt file, or a file that is not a SQL Server backup",
	Doc: "Only the folders and files the planned databases' restores read are judged (with no database planned, all); problems elsewhere in a shared container are listed at info severity, never blocking. DMS restores every file in a database's folder. A blob in the Archive tier cannot be read until it is " +
		"rehydrated (which takes up to 15 hours); a truncated or corrupt backup, or one whose header cannot be " +
		"read (encrypted with WITH ENCRYPTION), fails the restore. Zero-length files and files that are not SQL " +
		"Server backups (no Microsoft Tape Format header) are warnings: remove them from backup folders. " +
		"Without header reading only the Archive tier and zero-length files are checked.",
	Fix: "Rehydrate archived blobs to the Hot or Cool tier; take the broken backups again (WITH CHECKSUM) and " +
		"re-upload them; move other files out of the backup folders.",
	Link:  linkTiers,
	Basis: check.Documented("Microsoft, blob access tiers: an Archive blob cannot be read until rehydrated; a backup whose header cannot be decoded cannot be restored (dmsready's own reading: a storage read error is undecided, not a failure)"),
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		sc := scopeOf(p)
		ok := map[string]int{}
		for _, f := range scan(st) {
			in := sc.file(f)
			if f.Backup != nil && f.ReadErrorKind == "" && f.Size != 0 && !strings.EqualFold(f.AccessTier, "Archive") {
				// Readable: counted per folder below, with no finding of
				// its own (the switch below would reach its last case).
				if in && st.HeadersRead {
					ok[f.Dir()]++
				}
				continue
			}
			fail, warn, errf := p.Fail, p.Warn, p.Error
			if !in {
				// Not read for a planned database: listed, never blocking.
				fail, warn, errf = outOfScope(p), outOfScope(p), outOfScope(p)
			}
			obj := check.FileObject(f.Path)
			ev := check.Ev{"size": fmt.Sprint(f.Size)}
			if f.ReadErrorKind != "" {
				ev["kind"] = string(f.ReadErrorKind)
			}
			switch {
			case f.ReadErrorKind == readErrorIO:
				// The storage failed, not the backup (a 503, a reset, a dangling
				// link, access denied): unknown, never "cannot be restored".
				errf("", obj, f.Path+" could not be read from storage (a transient or access error, not a bad backup): "+f.ReadError, ev)
			case strings.EqualFold(f.AccessTier, "Archive") || f.ReadErrorKind == facts.ReadArchived:
				ev["tier"] = f.AccessTier
				msg := f.Path + " is in the Archive tier and cannot be read; rehydrate it to Hot or Cool"
				if f.ArchiveStatus != "" {
					msg += " (" + f.ArchiveStatus + ")"
				}
				fail("", obj, msg, ev)
			case f.Size == 0 || f.ReadErrorKind == facts.ReadEmpty:
				warn("", obj, f.Path+" is a zero-length file", ev)
			case !st.HeadersRead:
				// Listed only: nothing more is known.
			case f.ReadErrorKind == facts.ReadNotBackup:
				// The reader's error starts with the same words.
				why := strings.TrimPrefix(f.ReadError, "not a SQL Server backup")
				warn("", obj, f.Path+" is not a SQL Server backup"+why, ev)
			case f.ReadErrorKind == facts.ReadCanceled:
				errf("", obj, "header reading was canceled: whether "+f.Path+" restores is unknown", ev)
			case f.ReadErrorKind != "":
				fail("", obj, f.Path+" cannot be restored: "+f.ReadError, ev)
			case f.Backup != nil && in:
				ok[f.Dir()]++
			}
		}
		for dir, n := range ok {
			p.Pass("", check.FolderObject(dir), fmt.Sprintf("%s in %s readable headers", count(n, "backup", "backups"), hasHave(n, folderName(dir))), nil)
		}
		if !st.HeadersRead && len(ok) == 0 {
			p.Skip("", check.ObjectStorage, "headers were not read: only the tier and the size were checked")
		}
	},
}
