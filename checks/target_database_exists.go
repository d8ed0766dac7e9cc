package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// TargetDatabaseExists is check DMS501: DMS never overwrites a database on
// the target.
var TargetDatabaseExists = &check.Check{
	ID:       "DMS501",
	Title:    "No database of the same name on the target",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTargetDBs},
	// Azure SQL Database is left out: there DMS copies data into a target
	// database that must already exist.
	Targets:  check.Targets{facts.KindMI, facts.KindVM},
	Prevents: "Limitation: overwriting existing databases using DMS in the target isn't supported",
	Doc: "DMS restores into a new database on SQL Managed Instance and SQL Server on Azure VM and cannot " +
		"overwrite one that exists. A database of the same name already on the target (for example from an " +
		"earlier trial) makes the migration fail. Names are compared case-insensitively. (For Azure SQL " +
		"Database the target database must exist instead, so the check does not apply.)",
	Fix:   "Drop or rename the database on the target, or give the migration another `targetName:`.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues: overwriting existing databases on the target isn't supported"),
	Run: func(p *check.Pass) {
		have := map[string]string{}
		for _, n := range p.Facts.Target.Databases {
			have[strings.ToLower(n)] = n
		}
		for _, d := range databases(p) {
			obj := check.DatabaseObject(d.Name)
			name := d.TargetDBName()
			ev := check.Ev{"targetName": name}
			if n, ok := have[strings.ToLower(name)]; ok {
				p.Fail(d.Name, obj, fmt.Sprintf("the target already has a database named %s", n), ev)
				continue
			}
			p.Pass(d.Name, obj, fmt.Sprintf("no database named %s on the target", name), ev)
		}
	},
}
