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
	Title:    "Table names have no double-byte characters for Azure SQL Database",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: migrating tables with names containing double-byte characters isn't supported",
	Doc: "DMS does not migrate tables whose names contain double-byte characters to Azure SQL Database. " +
		"Microsoft does not define the set. dmsready fails a schema or table name with a character beyond " +
		"Latin-1 (U+0100 and up: CJK, Cyrillic, Greek and the like, which take two bytes in the double-byte " +
		"code pages 932, 936, 949 and 950), and only warns on Latin-1 accents or control characters, which " +
		"are single bytes in a Windows code page (that line is dmsready's own reading).",
	Fix:   "Rename the tables (`sp_rename`) before the migration, or move them with another tool.",
	Link:  linkDBLimits,
	Basis: check.Documented("Microsoft, DMS known issues (Azure SQL Database): table names with double-byte characters aren't supported (dmsready's own reading of \"double-byte\": beyond Latin-1)"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			var wide, latin []string
			for _, n := range t.NonASCIINames {
				if doubleByte(n) {
					wide = append(wide, n)
				} else {
					latin = append(latin, n)
				}
			}
			if n := len(wide); n > 0 {
				p.Fail(d.Name, obj, fmt.Sprintf("%s contain double-byte characters: %s", count(n, "table name", "table names"), list(wide, 10)),
					check.Ev{"count": fmt.Sprint(n)})
				return
			}
			if n := len(latin); n > 0 {
				p.Warn(d.Name, obj, fmt.Sprintf("%s contain accented (Latin-1) or control characters, single bytes in a Windows code page: %s", count(n, "table name", "table names"), list(latin, 10)),
					check.Ev{"count": fmt.Sprint(n)})
				return
			}
			p.Pass(d.Name, obj, fmt.Sprintf("all %d table names are ASCII", t.Count), nil)
		})
	},
}

// doubleByte reports a character beyond Latin-1, which needs two bytes in a
// double-byte code page (or has no form in a single-byte one).
func doubleByte(name string) bool {
	for _, r := range name {
		if r > 0xFF {
			return true
		}
	}
	return false
}
