package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// PlannedDatabaseOnSource is check DMS416: a plan that names a database the
// source does not have would otherwise look ready, with every per-database
// check skipped.
var PlannedDatabaseOnSource = &check.Check{
	ID:       "DMS416",
	Title:    "Planned databases exist on the source server",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcDatabases},
	Prevents: "Migration cannot start: the database selected for migration is not on the source SQL Server (or is not online there)",
	Doc: "Every database the plan (or `--database`) names must exist on the source server, or nothing about it " +
		"can be verified and DMS has nothing to migrate. Names are matched case-insensitively, as SQL Server " +
		"does with the default collations. A database that is not ONLINE (OFFLINE, RESTORING, SUSPECT ...) " +
		"cannot be backed up or read by the migration and is reported as a warning. When the plan names no " +
		"database, every user database on the source is in scope: those not ONLINE are warned about the same " +
		"way, and a database list the login cannot see completely (no VIEW ANY DATABASE) is an error.",
	Fix:   "Correct the name in the plan, or bring the database online on the source before the migration.",
	Link:  linkKnownIssues,
	Basis: check.Own("a planned database must be on the source to be migrated, or verified at all"),
	Run: func(p *check.Pass) {
		if len(p.Plan().Databases) == 0 {
			// No database named: the scope is every user database on the
			// server. A hidden part of the list leaves that scope unknown,
			// and one not ONLINE is as much a problem as when named.
			if e := p.Facts.ErrorFor(facts.SrcDatabaseList); e != nil {
				p.Error("", check.ObjectServer, "the plan names no databases, so every database on the source is in scope, but the database list is incomplete: "+e.Message,
					check.Ev{"permission": e.Permission})
			}
			for _, pd := range databases(p) {
				if d := sourceDB(p, pd.Name); d != nil && d.State != "" && !strings.EqualFold(d.State, "ONLINE") {
					p.Warn(pd.Name, check.DatabaseObject(pd.Name), fmt.Sprintf("%s is %s on the source server", pd.Name, d.State), check.Ev{"state": d.State})
				}
			}
			return
		}
		for _, pd := range p.Plan().Databases {
			obj := check.DatabaseObject(pd.Name)
			d := sourceDB(p, pd.Name)
			switch {
			case d == nil && p.Facts.ErrorFor(facts.SrcDatabaseList) != nil:
				// sys.databases hid what the login may not see: absent from
				// the list is not absent from the server.
				e := p.Facts.ErrorFor(facts.SrcDatabaseList)
				p.Error(pd.Name, obj, fmt.Sprintf("%s is not in the database list, which is incomplete: %s", pd.Name, e.Message),
					check.Ev{"permission": e.Permission})
			case d == nil:
				p.Fail(pd.Name, obj, fmt.Sprintf("%s is not a database on the source server", pd.Name), nil)
			case d.State != "" && !strings.EqualFold(d.State, "ONLINE"):
				p.Warn(pd.Name, obj, fmt.Sprintf("%s is %s on the source server", pd.Name, d.State), check.Ev{"state": d.State})
			default:
				p.Pass(pd.Name, obj, fmt.Sprintf("%s is on the source server", pd.Name), check.Ev{"sourceName": d.Name})
			}
		}
	},
}
