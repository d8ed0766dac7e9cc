package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// ManagedInstanceDatabaseExists is check DMS610: DMS never overwrites a
// database, and Resource Manager lists those already on the Managed
// Instance, so no live target connection is needed to see one.
var ManagedInstanceDatabaseExists = &check.Check{
	ID:       "DMS610",
	Title:    "No database of the same name on the Managed Instance (Resource Manager)",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcAzureTarget},
	Targets:  check.Targets{facts.KindMI},
	Prevents: "Limitation: overwriting existing databases using DMS in the target isn't supported",
	Doc: "DMS restores into a new database on SQL Managed Instance and cannot overwrite one that exists. Resource " +
		"Manager lists the instance's databases (every page of the list, whatever their state: an earlier trial " +
		"still restoring counts too), so a database of the same name as a migration's target fails here without a " +
		"live target connection. Names are compared case-insensitively. When a live target connection lists the " +
		"databases, DMS501 decides and this check skips; when the list could not be read, it is cannot tell.",
	Fix:   "Drop or rename the database on the instance, or give the migration another `targetName:`.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues: overwriting existing databases on the target isn't supported"),
	Run: func(p *check.Pass) {
		mi, obj, ok := readMI(p)
		if !ok {
			return
		}
		if p.Facts.Has(facts.SrcTargetDBs) {
			p.Skip("", obj, "a live target connection lists the databases: DMS501 decides")
			return
		}
		if mi.Databases == nil {
			p.Skip("", obj, "cannot tell: the databases already on the instance were not listed: "+mi.DatabasesError)
			return
		}
		have := make(map[string]string, len(mi.Databases))
		for _, n := range mi.Databases {
			have[strings.ToLower(n)] = n
		}
		for _, d := range databases(p) {
			name := d.TargetDBName()
			ev := check.Ev{"targetName": name, "instance": mi.Name}
			if n, ok := have[strings.ToLower(name)]; ok {
				p.Fail(d.Name, check.DatabaseObject(d.Name), fmt.Sprintf("Managed Instance %s already has a database named %s (Resource Manager)", mi.Name, n), ev)
				continue
			}
			p.Pass(d.Name, check.DatabaseObject(d.Name), fmt.Sprintf("no database named %s among the %s on Managed Instance %s (Resource Manager)", name, count(len(mi.Databases), "database", "databases"), mi.Name), ev)
		}
	},
}
