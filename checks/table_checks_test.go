package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"strings"
	"testing"
)

func TestTableChecks(t *testing.T) {
	many := facts.Database{Name: "Big", Tables: &facts.TableStats{Count: 100001}}
	ok := facts.Database{Name: "Small", Tables: &facts.TableStats{Count: 12}}
	odd := facts.Database{Name: "Intl", Tables: &facts.TableStats{Count: 2, NonASCIINames: []string{"dbo.Bestellungen_ä"}}}
	noaccess := facts.Database{Name: "Locked", TablesError: "permission denied (needs CONNECT ANY DATABASE)"}
	runCases(t, NonASCIITableNames, []tcase{
		{"mixed", srv(facts.KindDB, ok, odd, noaccess), "database:Intl=fail database:Locked=skip database:Small=pass"},
		{"other targets", srv(facts.KindMI, odd), "-=skip"},
	})
	runCases(t, TooManyTables, []tcase{
		{"limit", srv(facts.KindDB, many, ok, facts.Database{Name: "Edge", Tables: &facts.TableStats{Count: 100000}}),
			"database:Big=fail database:Edge=pass database:Small=pass"},
		{"none collected", srv(facts.KindDB, noaccess), "-=skip"},
	})
	runCases(t, TableStartupOverhead, []tcase{
		{"estimate", srv(facts.KindDB, many, ok), "database:Big=warn database:Small=pass"},
	})
	lob := func(n int64) facts.Database {
		return facts.Database{Name: "L", Tables: &facts.TableStats{Count: 2, LOBColumns: []facts.LOBColumn{
			{Table: "dbo.Docs", Column: "Body", Type: "varbinary", TableLOBBytes: n},
			{Table: "dbo.Docs", Column: "Meta", Type: "xml", TableLOBBytes: n},
			{Table: "dbo.Notes", Column: "Text", Type: "nvarchar", TableLOBBytes: 10},
		}}}
	}
	runCases(t, LargeObjectColumns, []tcase{
		{"large", srv(facts.KindDB, lob(3<<30)), "database:L=warn"},
		{"small", srv(facts.KindDB, lob(1<<20)), "database:L=pass"},
		{"none", srv(facts.KindDB, ok), "database:Small=pass"},
	})
	fs := check.Run([]*check.Check{LargeObjectColumns}, srv(facts.KindDB, lob(3<<30)))
	if !strings.Contains(fs[0].Message, "dbo.Docs (3.0 GiB)") {
		t.Errorf("message lacks the largest table: %s", fs[0].Message)
	}
	fs = check.Run([]*check.Check{TableStartupOverhead}, srv(facts.KindDB, many))
	if !strings.Contains(fs[0].Message, "55h33m to 138h53m") {
		t.Errorf("estimate: %s", fs[0].Message)
	}
}
