package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// UnplannedBackups is check DMS211: backups of databases the plan does not
// migrate.
var UnplannedBackups = &check.Check{
	ID:       "DMS211",
	Title:    "Backups in storage belong to planned databases",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcStorage, facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "Backups of an unplanned database next to planned ones fail the restore (multiple databases in a folder) or point to a missing plan entry",
	Doc: "Backups of a database that the plan does not list are either left over (and, in a planned database's " +
		"folder, break its restore) or a database the plan forgot. Only checked when the plan lists databases.",
	Fix:   "Add the database to the plan, or move its backups out of the migration container.",
	Link:  linkKnownIssues,
	Basis: check.Own("backups of databases the plan does not name are listed so that none is overlooked; never blocking"),
	Run: func(p *check.Pass) {
		if len(p.Plan().Databases) == 0 {
			p.Skip("", check.ObjectStorage, "the plan lists no databases: every database found is migrated")
			return
		}
		planned := map[string]bool{}
		for _, d := range p.Plan().Databases {
			planned[strings.ToLower(d.Name)] = true
		}
		type seen struct {
			name  string
			dirs  map[string]bool
			files int
		}
		extra := map[string]*seen{}
		for _, f := range scan(p.Facts.Storage) {
			for _, n := range fileDBs(f) {
				if planned[strings.ToLower(n)] {
					continue
				}
				s := extra[strings.ToLower(n)]
				if s == nil {
					s = &seen{name: n, dirs: map[string]bool{}}
					extra[strings.ToLower(n)] = s
				}
				s.files++
				s.dirs[f.Dir()] = true
			}
		}
		for _, s := range extra {
			dirs := sortedKeys(s.dirs)
			p.Warn(s.name, check.DatabaseObject(s.name), fmt.Sprintf("%s of %s (not in the plan) in %s", count(s.files, "backup file", "backup files"), s.name, strings.Join(folderNames(dirs), ", ")),
				check.Ev{"folders": strings.Join(dirs, ", ")})
		}
		if bad := unreadIn(p, "", true); len(extra) == 0 && len(bad) > 0 {
			p.Skip("", check.ObjectStorage, fmt.Sprintf("cannot tell whether every database with backups in storage is in the plan: %s could not be read from storage: %s",
				count(len(bad), "file", "files"), list(bad, 10)))
			return
		}
		if len(extra) == 0 {
			p.Pass("", check.ObjectStorage, "every database with backups in storage is in the plan", nil)
		}
	},
}
