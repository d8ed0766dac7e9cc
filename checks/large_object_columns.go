package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// lobWarnBytes is dmsready's own threshold: Microsoft documents no size.
const lobWarnBytes = 1 << 30

// LargeObjectColumns is check DMS404: big LOB data may time out in the data
// copy.
var LargeObjectColumns = &check.Check{
	ID:       "DMS404",
	Title:    "Large-object columns that may time out in the data copy",
	Severity: check.Warning,
	Needs:    []facts.Source{facts.SrcTables},
	Targets:  check.Targets{facts.KindDB},
	Prevents: "Azure SQL Database limitation: large blob columns may cause time-outs (2033: copy activity failed)",
	Doc: "The Azure SQL Database data copy may time out on tables with large blob columns " +
		"(`varchar(max)`, `nvarchar(max)`, `varbinary(max)`, `xml`, `text`, `ntext`, `image`). dmsready " +
		"measures each table's LOB storage from its allocation units, without reading data, and warns " +
		"from 1 GiB in one table (its own threshold: Microsoft gives none).",
	Fix: "Migrate those tables separately (or archive old LOB data first), and plan for retries; " +
		"consider a larger self-hosted integration runtime node.",
	Link:  linkDBLimits,
	Basis: check.Documented("Microsoft, DMS known issues (Azure SQL Database): tables with large blob columns may fail to migrate due to timeout (the size threshold is dmsready's own)"),
	Run: func(p *check.Pass) {
		eachSourceDB(p, func(d *facts.Database, obj string) {
			t := tablesOf(p, d, obj)
			if t == nil {
				return
			}
			if len(t.LOBColumns) == 0 {
				p.Pass(d.Name, obj, "no large-object columns", nil)
				return
			}
			size := map[string]int64{}
			for _, c := range t.LOBColumns {
				size[c.Table] = max(size[c.Table], c.TableLOBBytes, c.MaxBytes)
			}
			tables := make([]string, 0, len(size))
			for n := range size {
				tables = append(tables, n)
			}
			sort.Slice(tables, func(i, j int) bool {
				if size[tables[i]] != size[tables[j]] {
					return size[tables[i]] > size[tables[j]]
				}
				return tables[i] < tables[j]
			})
			var top []string
			for _, n := range tables[:min(5, len(tables))] {
				top = append(top, fmt.Sprintf("%s (%s)", n, human(size[n])))
			}
			ev := check.Ev{"lobColumns": fmt.Sprint(len(t.LOBColumns)), "largestTableLobBytes": fmt.Sprint(size[tables[0]])}
			msg := fmt.Sprintf("%s in %s; largest: %s", count(len(t.LOBColumns), "large-object column", "large-object columns"), count(len(tables), "table", "tables"), strings.Join(top, ", "))
			if size[tables[0]] >= lobWarnBytes {
				p.Warn(d.Name, obj, msg, ev)
				return
			}
			p.Pass(d.Name, obj, msg+" (all under 1 GiB)", ev)
		})
	},
}
