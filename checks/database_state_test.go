package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestDatabaseStateChecks(t *testing.T) {
	runCases(t, AvailabilityGroupTopology, []tcase{
		{"ag", srv("", facts.Database{Name: "A", AvailabilityGroup: "AG1"}, facts.Database{Name: "B"}), "database:A=warn database:B=pass"},
	})
	dbs := []facts.Database{{Name: "F", RecoveryModel: "FULL"}, {Name: "S", RecoveryModel: "SIMPLE"}, {Name: "U"}}
	mode := func(m, method string) *facts.Facts {
		return with(srv(facts.KindMI, dbs...), func(f *facts.Facts) { f.Plan.Mode, f.Plan.Method = m, method })
	}
	runCases(t, RecoveryModelFull, []tcase{
		{"online", mode("online", ""), "database:F=pass database:S=fail database:U=skip"},
		{"lrs", mode("offline", "lrs"), "database:F=pass database:S=fail database:U=skip"},
		{"offline", mode("offline", "dms"), "database:F=pass database:S=pass database:U=skip"},
		{"no mode", mode("", ""), "database:F=pass database:S=skip database:U=skip"},
	})
	runCases(t, ContainedDatabase, []tcase{
		{"partial", srv(facts.KindMI, facts.Database{Name: "C", Containment: "PARTIAL"}, facts.Database{Name: "N", Containment: "NONE"},
			facts.Database{Name: "U"}), "database:C=warn database:N=pass database:U=skip"},
	})
	ver := func(v string, major int) *facts.Facts {
		return with(srv(""), func(f *facts.Facts) { f.Server.Version, f.Server.Major = v, major })
	}
	runCases(t, SourceVersion, []tcase{
		{"2005", ver("9.00.5000.00", 9), "server=fail"},
		{"2008 R2", ver("10.50.6000.34", 10), "server=pass"},
		{"future", ver("18.0.1.0", 18), "server=pass"},
		{"unreadable version", ver("banana", 0), "server=skip"},
	})
}
