package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSourceVersion(t *testing.T) {
	ver := func(v string, major int) *facts.Facts {
		return with(srv(""), func(f *facts.Facts) { f.Server.Version, f.Server.Major = v, major })
	}
	testCheck(t, SourceVersion, []tcase{
		{"2005", ver("9.00.5000.00", 9), []string{"fail server"}},
		{"2008 R2", ver("10.50.6000.34", 10), []string{"pass server: SQL Server 2008 R2 (10.50.6000.34)"}},
		{"2008", ver("10.0.6000.29", 10), []string{"pass server: SQL Server 2008 (10.0.6000.29)"}},
		{"future", ver("18.0.1.0", 18), []string{"pass server"}},
		{"unreadable version", ver("banana", 0), []string{"skip server"}},
		// Azure SQL Database and Managed Instance report 12.0.2000.8: a
		// source pointed at one is no SQL Server DMS migrates from.
		{"managed instance as source", with(ver("12.0.2000.8", 12), func(f *facts.Facts) { f.Server.EngineEdition = 8 }), []string{"fail server: Azure SQL Managed Instance"}},
		{"sql database as source", with(ver("12.0.2000.8", 12), func(f *facts.Facts) { f.Server.EngineEdition = 5 }), []string{"fail server: SQL Database"}},
		{"express", with(ver("16.0.1000.6", 16), func(f *facts.Facts) { f.Server.EngineEdition = 4 }), []string{"pass server"}},
	})
}
