package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
)

// LogicalFileNames is check DMS308: a plan mapping a logical file name the
// backup does not hold makes RESTORE ... MOVE fail with 3234.
var LogicalFileNames = &check.Check{
	ID:       "DMS308",
	Title:    "Plan's file mapping names the backup's logical files",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2009: 3234 Logical file <Name> isn't part of database <Database GUID>. Use RESTORE FILELISTONLY to list the logical file names",
	Doc: "Each logical file name in the plan's `fileMapping` becomes a `MOVE` clause of the restore. A name that " +
		"is not in the full backup's file list (RESTORE FILELISTONLY) fails the restore with 3234. Names that " +
		"differ only in case match under case-insensitive collations only, so they are warned about.",
	Fix:   "Copy the logical names from the backup's file list (the evidence lists them) into the plan's `fileMapping`.",
	Link:  linkFileListOnly,
	Basis: check.Documented("Microsoft, DMS known issues (2009, error 3234): a logical file not in the backup; RESTORE FILELISTONLY"),
	Run: func(p *check.Pass) {
		mapping := map[string]map[string]string{}
		for _, d := range p.Plan().Databases {
			if len(d.FileMapping) > 0 {
				mapping[strings.ToLower(d.Name)] = d.FileMapping
			}
		}
		for _, pl := range usableSequences(p) {
			m := mapping[strings.ToLower(pl.Database)]
			if len(m) == 0 {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "the plan maps no logical file names")
				continue
			}
			if !hasFull(pl) || pl.Steps[0].Header == nil || len(pl.Steps[0].Header.Files) == 0 {
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), "the full backup's file list is unknown")
				continue
			}
			var have []string
			for _, f := range pl.Steps[0].Header.Files {
				have = append(have, f.LogicalName)
			}
			var names []string
			for n := range m {
				names = append(names, n)
			}
			sort.Strings(names)
			bad := 0
			for _, n := range names {
				ev := lineageEv(pl, check.Ev{"logicalName": n, "backupFiles": strings.Join(have, ", "), "fullBackup": pl.Steps[0].File()})
				exact, fold := "", ""
				for _, h := range have {
					if h == n {
						exact = h
					} else if strings.EqualFold(h, n) {
						fold = h
					}
				}
				switch {
				case exact != "":
				case fold != "":
					bad++
					p.Warn(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("mapped logical file %q is %q in the backup: it matches only under a case-insensitive collation", n, fold), ev)
				default:
					bad++
					p.Fail(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("mapped logical file %q is not in full backup %s (it holds %s)", n, pl.Steps[0].File(), strings.Join(have, ", ")), ev)
				}
			}
			if bad == 0 {
				p.Pass(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("all %d mapped logical file names are in full backup %s", len(names), pl.Steps[0].File()), lineageEv(pl, nil))
			}
		}
	},
}
