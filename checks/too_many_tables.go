package checks

import (
	"fmt"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

const maxTablesSQLDB = 100000

// TooManyTables is check DMS403: Azure SQL Database migrations handle at most
// 100,000 tables.
var TooManyTables = &check.Check{
	ID:       "DMS403",
	Title:    "At most 100,000 tables per database for Azure SQL Database",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: a database with more than 100,000 tables can't be migrated",
	Doc:      "DMS migrates at most 100,000 tables per database to Azure SQL Database.",
	Fix:      "Split the database, drop unused tables, or move the surplus tables with another tool.",
	Link:     linkDBLimits,
	Basis:    check.Documented("Microsoft, DMS known issues (Azure SQL Database): 100,000 tables per database"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			ev := check.Ev{"tables": fmt.Sprint(t.Count)}
			if t.Count > maxTablesSQLDB {
				p.Fail(d.Name, obj, fmt.Sprintf("%d tables, more than the 100,000 DMS migrates", t.Count), ev)
				return
			}
			p.Pass(d.Name, obj, count(t.Count, "table", "tables"), ev)
		})
	},
}
