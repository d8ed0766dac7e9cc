package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// NonASCIITableNames is check DMS402: Azure SQL Database migrations reject
// double-byte names.
var NonASCIITableNames = &check.Check{
	ID:       "DMS402",
	Title:    "Table names are plain ASCII for Azure SQL Database",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: migrating tables with names containing double-byte characters isn't supported",
	Doc: "DMS does not migrate tables whose names contain double-byte characters to Azure SQL Database. " +
		"Microsoft does not define the set, so dmsready flags every schema or table name with a character " +
		"outside printable ASCII.",
	Fix:  "Rename the tables (`sp_rename`) before the migration, or move them with another tool.",
	Link: linkDBLimits,
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			if n := len(t.NonASCIINames); n > 0 {
				p.Fail(d.Name, obj, fmt.Sprintf("%s contain non-ASCII characters: %s", count(n, "table name", "table names"), list(t.NonASCIINames, 10)),
					check.Ev{"count": fmt.Sprint(n)})
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("all %d table names are ASCII", t.Count), nil)
		})
	},
}
