package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// OneBackupSetPerFile is check DMS212: Managed Instance cannot restore
// appended backup sets.
var OneBackupSetPerFile = &check.Check{
	ID:       "DMS212",
	Title:    "Each backup file holds one backup set",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "Limitation: SQL Managed Instance can't restore a .bak file that contains multiple backup sets (appended backups)",
	Doc: "Only the folders and files the planned databases' restores read are judged (with no database planned, all); problems elsewhere in a shared container are listed at info severity, never blocking. Backups appended to one file (BACKUP ... WITH NOINIT onto an existing file) leave several backup sets " +
		"in it. DMS and Managed Instance restore one backup set per file and reject such files.",
	Fix:   "Back up each full, differential and log backup to a file of its own (`WITH INIT` or unique file names, FORMAT for a new media set).",
	Link:  linkMIRestore,
	Basis: check.Documented("Microsoft, DMS prerequisites and Managed Instance T-SQL differences: a backup file holding several backup sets is not restored"),
	Run: func(p *check.Pass) {
		ok := map[string]int{}
		sc := scopeOf(p)
		for _, f := range scan(p.Facts.Storage) {
			if f.Backup == nil {
				continue
			}
			fail := p.Fail
			if !sc.file(f) {
				fail = outOfScope(p)
			}
			// The reader may not read every set of a file (a compressed one
			// is read at its head and tail): a position above 1 or a set
			// count above 1 means appended sets all the same.
			n, top := len(f.Backup.Sets), 0
			for si := range f.Backup.Sets {
				s := &f.Backup.Sets[si] // not a copy of the set
				top = max(top, s.Position)
			}
			if total := max(n, top, f.Backup.SetCount); total > 1 {
				var pos []string
				for si := range f.Backup.Sets {
					s := &f.Backup.Sets[si] // not a copy of the set
					pos = append(pos, fmt.Sprintf("%d %s of %s", s.Position, s.BackupType, s.DatabaseName))
				}
				msg := fmt.Sprintf("%s holds %d backup sets (%s)", f.Path, total, strings.Join(pos, "; "))
				if f.Backup.SetsIncomplete || total > n {
					msg = fmt.Sprintf("%s holds at least %d backup sets; %d read (%s), the others not read", f.Path, total, n, strings.Join(pos, "; "))
				}
				fail(firstDB(f), check.FileObject(f.Path), msg, check.Ev{"sets": fmt.Sprint(total)})
				continue
			}
			if f.Backup.SetsIncomplete {
				// One set read, and the reader could not tell whether more
				// follow (the file broke after it): not "one set".
				errf := p.Error
				if !sc.file(f) {
					errf = outOfScope(p)
				}
				why := "its sets were not all read"
				if f.ReadError != "" {
					why += ": " + f.ReadError
				}
				errf(firstDB(f), check.FileObject(f.Path), fmt.Sprintf("whether %s holds one backup set is unknown: %s", f.Path, why), check.Ev{"setsRead": fmt.Sprint(n)})
				continue
			}
			if sc.file(f) {
				ok[f.Dir()]++
			}
		}
		for dir, n := range ok {
			p.Pass("", check.FolderObject(dir), fmt.Sprintf("%s in %s one backup set each", count(n, "backup file", "backup files"), holdHolds(n, folderName(dir))), nil)
		}
	},
}
