package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// MissingStripe is check DMS305: a striped backup restores only with every
// media family.
var MissingStripe = &check.Check{
	ID:       "DMS305",
	Title:    "Striped backups have all their files",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: RESTORE fails when a file (media family) of a striped backup set is missing",
	Doc: "A backup written to several files at once (striped) is one media set of several media families; " +
		"restoring it needs every file. The headers give the family count and each file's family number, so a " +
		"missing stripe is found from the files present. The restore falls back to an older complete full " +
		"backup if there is one. A missing stripe blocks only a backup the restore would use: one that ends " +
		"before the full or differential the restore starts from is reported as information (dmsready's own rule).",
	Fix:   "Upload every file of the striped backup into the database's folder (the evidence lists the family numbers missing).",
	Link:  linkStriped,
	Basis: check.Documented("Microsoft, media sets, media families and backup sets: a striped backup restores only with every family (dmsready's own rule: a stripe missing outside the restore is information)"),
	Run: func(p *check.Pass) {
		for _, pl := range usableSequences(p) {
			n := 0
			for _, u := range pl.Unused {
				if u.Reason != restore.ReasonIncomplete {
					continue
				}
				b := u.Backup()
				msg := fmt.Sprintf("%s backup striped over %d files: media famil%s %s missing (present: %s)",
					b.Type, b.FamilyCount, pluralY(len(b.MissingFamilies)), joinInts(b.MissingFamilies), strings.Join(b.Files, ", "))
				ev := lineageEv(pl, check.Ev{"familyCount": fmt.Sprint(b.FamilyCount), "missingFamilies": joinInts(b.MissingFamilies),
					"files": strings.Join(b.Files, ", "), "backupSetGUID": b.BackupSetGUID})
				if anchor, ok := restoreAnchor(pl); ok && b.LastLSN.Compare(anchor.LastLSN) <= 0 {
					// Older than where the restore starts: it is not restored.
					p.Note(pl.Database, check.FileObject(u.File()), msg+"; the restore does not use it (it ends before "+anchor.File()+")", ev)
					continue
				}
				n++
				p.Fail(pl.Database, check.FileObject(u.File()), msg, ev)
			}
			if n > 0 || pl.Status == restore.StatusNoBackups {
				continue
			}
			striped := 0
			var unknown []string
			for _, s := range pl.Steps {
				if s.FamilyCount > 1 {
					striped++
				}
				if s.FamilyCount == 0 {
					// The reader found no media family count (every real
					// media header has one, 1 when not striped).
					unknown = append(unknown, s.File())
				}
			}
			if len(unknown) > 0 {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("whether every backup set has all its files is unknown: the media family count of %s was not read", list(unknown, 10)))
				continue
			}
			msg := "every backup set has all its files"
			if striped > 0 {
				msg += fmt.Sprintf(" (%d striped set%s in the sequence)", striped, plural(striped))
			}
			p.Pass(pl.Database, check.DatabaseObject(pl.Database), msg, lineageEv(pl, nil))
		}
	},
}

// restoreAnchor is the last full or differential the restore applies, the
// point its log chain continues from; ok is false without a full.
func restoreAnchor(pl restore.Sequence) (restore.Backup, bool) {
	if !hasFull(pl) {
		return restore.Backup{}, false
	}
	a := pl.Steps[0]
	for _, s := range pl.Steps[1:] {
		if s.Type == facts.TypeDifferential {
			a = s
		}
	}
	return a, true
}
