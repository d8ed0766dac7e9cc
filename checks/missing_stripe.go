package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
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
		"backup if there is one.",
	Fix:  "Upload every file of the striped backup into the database's folder (the evidence lists the family numbers missing).",
	Link: linkStriped,
	Run: func(p *check.Pass) {
		for _, pl := range restoreSequences(p) {
			n := 0
			for _, u := range pl.Unused {
				if u.Reason != restore.ReasonIncomplete {
					continue
				}
				n++
				p.Fail(pl.Database, check.FileObject(u.File()), fmt.Sprintf("%s backup striped over %d files: media famil%s %s missing (present: %s)",
					u.Type, u.FamilyCount, pluralY(len(u.MissingFamilies)), joinInts(u.MissingFamilies), strings.Join(u.Files, ", ")),
					lineageEv(pl, check.Ev{"familyCount": fmt.Sprint(u.FamilyCount), "missingFamilies": joinInts(u.MissingFamilies),
						"files": strings.Join(u.Files, ", "), "backupSetGUID": u.BackupSetGUID}))
			}
			if n > 0 || pl.Status == restore.StatusNoBackups {
				continue
			}
			striped := 0
			for _, s := range pl.Steps {
				if s.FamilyCount > 1 {
					striped++
				}
			}
			msg := "every backup set has all its files"
			if striped > 0 {
				msg += fmt.Sprintf(" (%d striped set%s in the sequence)", striped, plural(striped))
			}
			p.Pass(pl.Database, check.DatabaseObject(pl.Database), msg, lineageEv(pl, nil))
		}
	},
}
