package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// PlannedDatabaseBackups is check DMS210: a planned database needs backups in
// its folder.
var PlannedDatabaseBackups = &check.Check{
	ID:       "DMS210",
	Title:    "Each planned database has backups in storage",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage, facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "Migration cannot start: no backup files of the database in the given folder",
	Doc: "Every database being migrated needs its backups in the storage DMS reads, in the folder the plan " +
		"names. The database of each file is decided by its header, not its name.",
	Fix:   "Upload the database's backups to its folder, or correct the plan's `folder:` or database name.",
	Link:  linkKnownIssues,
	Basis: check.Own("a planned database without backups in storage has nothing to restore"),
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		idx := dbIndexOf(p)
		for i, d := range databases(p) {
			obj := check.DatabaseObject(d.Name)
			folder := cleanFolder(d.Folder)
			var in, elsewhere int
			dirs := map[string]bool{}
			for _, i := range idx.of(d.Name) {
				f := st.Files[i]
				if d.Folder == "" || isUnder(f.Dir(), folder) {
					in++
				} else {
					elsewhere++
					dirs[f.Dir()] = true
				}
			}
			ev := check.Ev{"files": fmt.Sprint(in)}
			if d.Folder != "" {
				ev["folder"] = folder
			}
			switch {
			case in > 0:
				p.Pass(d.Name, obj, fmt.Sprintf("%s of %s found", count(in, "backup file", "backup files"), d.Name), ev)
			case len(unreadFor(p, i)) > 0:
				// Its backups may be among the files storage failed to return.
				unreadError(p, d.Name, obj, unreadFor(p, i))
			case elsewhere > 0:
				ev["foundIn"] = strings.Join(sortedKeys(dirs), ", ")
				p.Fail(d.Name, obj, fmt.Sprintf("no backups of %s in its planned %s; %d found in %s", d.Name, folderName(folder), elsewhere, ev["foundIn"]), ev)
			default:
				p.Fail(d.Name, obj, fmt.Sprintf("no backups of %s found in storage", d.Name), ev)
			}
		}
	},
}
