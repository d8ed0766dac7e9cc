package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// SeparateFolders is check DMS206: databases sharing one container need one
// folder each.
var SeparateFolders = &check.Check{
	ID:       "DMS206",
	Title:    "Each database has its own folder",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage},
	Targets:  backupTargets,
	Prevents: "Limitation: when migrating multiple databases using the same Azure Blob Storage container, backup files for different databases must be in separate folders",
	Doc: "Databases migrated from one container (or share) need one folder each; the container root counts " +
		"as a folder, so two databases cannot both use it. A database's folder is the plan's `folder:`, or " +
		"else the folder its backup headers place it in.",
	Fix:   "Give each database a distinct `folder:` in the plan and move its backups there.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues: backups of different databases go in separate folders"),
	Run: func(p *check.Pass) {
		type entry struct{ name, folder string }
		var known []entry
		idx := dbIndexOf(p)
		folders := dbFolders(p)
		for i, d := range databases(p) {
			folder, ok, why := folders[i].folder, folders[i].ok, folders[i].why
			if ok && d.Folder == "" && spread(p.Facts.Storage, idx, d.Name) {
				ok, why = false, fmt.Sprintf("backups of %s are spread over several folders, so it has no one folder to compare (see DMS204)", d.Name)
			}
			if !ok {
				p.Skip(d.Name, check.DatabaseObject(d.Name), why)
				continue
			}
			known = append(known, entry{d.Name, folder})
		}
		// The databases in each folder, in order: one pass, not one per pair.
		in := map[string][]string{}
		for _, e := range known {
			in[e.folder] = append(in[e.folder], e.name)
		}
		for _, e := range known {
			var others []string
			for _, o := range in[e.folder] {
				if o != e.name {
					others = append(others, o)
				}
			}
			ev := check.Ev{"folder": e.folder}
			if len(others) > 0 {
				ev["sharedWith"] = strings.Join(others, ", ")
				p.Fail(e.name, check.DatabaseObject(e.name), fmt.Sprintf("%s shares %s with %s", e.name, folderName(e.folder), strings.Join(others, ", ")), ev)
				continue
			}
			p.Pass(e.name, check.DatabaseObject(e.name), fmt.Sprintf("%s has %s to itself", e.name, folderName(e.folder)), ev)
		}
	},
}

// spread reports whether name's backups sit in more than one folder.
func spread(st *facts.Storage, idx dbIndex, name string) bool {
	dir := ""
	for n, i := range idx.of(name) {
		if d := st.Files[i].Dir(); n == 0 {
			dir = d
		} else if d != dir {
			return true
		}
	}
	return false
}
