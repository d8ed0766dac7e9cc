package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLargeObjectColumns(t *testing.T) {
	lob := func(n int64) facts.Database {
		return facts.Database{Name: "L", Tables: &facts.TableStats{Count: 2, LOBColumns: []facts.LOBColumn{
			{Table: "dbo.Docs", Column: "Body", Type: "varbinary", TableLOBBytes: n},
			{Table: "dbo.Docs", Column: "Meta", Type: "xml", TableLOBBytes: n},
			{Table: "dbo.Notes", Column: "Text", Type: "nvarchar", TableLOBBytes: 10},
		}}}
	}
	testCheck(t, LargeObjectColumns, []tcase{
		// The message names the largest table.
		{"large", srv(facts.KindDB, lob(3<<30)), []string{"warn database:L: dbo.Docs (3.0 GiB)"}},
		{"small", srv(facts.KindDB, lob(1<<20)), []string{"pass database:L"}},
		{"none", srv(facts.KindDB, smallDB), []string{"pass database:Small"}},
	})
}
