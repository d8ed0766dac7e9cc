package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// FlatFolders is check DMS204: DMS restores from one flat folder per
// database.
var FlatFolders = &check.Check{
	ID:       "DMS204",
	Title:    "Each database's backups sit flat in its folder",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Limitation: the database backups must be placed in a flat-file structure inside a database folder, and the folders can't be nested",
	Doc: "DMS reads a database's backups from one folder of the container and does not descend into subfolders: " +
		"a layout with FULL, DIFF and LOG subfolders per database (as Ola Hallengren's maintenance solution writes " +
		"by default) cannot be restored. A database's folder is the plan's `folder:`; without one it is the " +
		"deepest folder holding all of that database's backups, found from the backup headers. A folder more than " +
		"one level deep is a warning: the Azure Data Studio migration wizard offers only the root and first-level folders.",
	Fix: "Move every backup of the database (full, differential and log) into one folder with no subfolders, " +
		"for example `sales/`, or point the plan's `folder:` at a flat folder. With Ola Hallengren's solution, " +
		"use `@DirectoryStructure = NULL` (and `@AvailabilityGroupDirectoryStructure = NULL`).",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues: a database's backups sit in a flat folder, and folders can't be nested"),
	Run: func(p *check.Pass) {
		st := p.Facts.Storage
		idx := dbIndexOf(p)
		folders := dbFolders(p)
		for i, d := range databases(p) {
			obj := check.DatabaseObject(d.Name)
			folder := folders[i].folder
			if !folders[i].ok {
				p.Skip(d.Name, obj, folders[i].why)
				continue
			}
			ev := check.Ev{"folder": folder}
			nested := map[string]int{}
			flat := 0
			// This database's backups, and backup-like files whose database
			// is unknown (headers not read or unreadable).
			for _, i := range slices.Concat(idx.of(d.Name), idx.unknown) {
				f := st.Files[i]
				dir := f.Dir()
				switch {
				case !belongs(f, d.Name, st.HeadersRead, folder):
				case dir == folder:
					flat++
				case isUnder(dir, folder):
					nested[dir]++
				}
			}
			bad := unreadIn(p, folder, true)
			if len(nested) == 0 && len(bad) > 0 {
				// An unread file may be a nested backup of d, or its only one.
				unreadError(p, d.Name, obj, bad)
				continue
			}
			if flat == 0 && len(nested) == 0 {
				// Nothing sits in the folder at all: not a layout question.
				p.Skip(d.Name, obj, fmt.Sprintf("no backups of %s in %s (see DMS210)", d.Name, folderName(folder)))
				continue
			}
			if len(nested) > 0 {
				subs := sortedKeys(nested)
				ev["subfolders"] = strings.Join(subs, ", ")
				p.Fail(d.Name, obj, fmt.Sprintf("backups of %s sit in %s under %s (%s); DMS reads one flat folder",
					d.Name, count(len(subs), "nested folder", "nested folders"), folderName(folder), strings.Join(subs, ", ")), ev)
				continue
			}
			if strings.Count(folder, "/") >= 1 {
				p.Warn(d.Name, obj, fmt.Sprintf("backups of %s sit flat in %s, which is %d levels deep: the Azure Data Studio wizard lists only first-level folders",
					d.Name, folderName(folder), strings.Count(folder, "/")+1), ev)
				continue
			}
			p.Pass(d.Name, obj, fmt.Sprintf("backups of %s sit flat in %s", d.Name, folderName(folder)), ev)
		}
	},
}
