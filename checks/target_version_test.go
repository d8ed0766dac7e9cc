package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTargetVersion(t *testing.T) {
	v := func(major, eng int) *facts.Facts {
		return tgt(facts.KindVM, facts.TargetServer{Version: "x", Major: major, EngineEdition: eng})
	}
	testCheck(t, TargetVersion, []tcase{
		{"older", v(14, 3), []string{"fail target"}},
		{"same", v(15, 3), []string{"pass target"}},
		{"newer", v(16, 2), []string{"pass target"}},
		{"managed instance", v(12, 8), []string{"skip target"}},
		{"source version unknown", with(v(16, 3), func(f *facts.Facts) { f.Server.Version, f.Server.Major = "", 0 }), []string{"skip target"}},
	})
}

// Without a live target the plan's target version still decides: a SQL
// Server 2019 source cannot restore onto a 2012 VM or (2025 source) onto a
// Managed Instance on the 2022 update policy.
func TestTargetVersionFromPlan(t *testing.T) {
	p := func(kind, version string, major int) *facts.Facts {
		return with(srv(kind), func(f *facts.Facts) {
			f.Plan.Target.Version = version
			f.Server.Major = major
		})
	}
	testCheck(t, TargetVersion, []tcase{
		{"vm older than source", p(facts.KindVM, "2012", 15), []string{"fail target"}},
		{"vm same release", p(facts.KindVM, "2019", 15), []string{"pass target"}},
		{"vm newer", p(facts.KindVM, "2022", 15), []string{"pass target"}},
		{"vm no version", p(facts.KindVM, "", 15), []string{"skip target"}},
		{"vm unknown version", p(facts.KindVM, "banana", 15), []string{"skip target"}},
		{"mi 2022 policy, 2025 source", p(facts.KindMI, "2022", 17), []string{"fail target"}},
		{"mi 2022 policy, 2019 source", p(facts.KindMI, "2022", 15), []string{"pass target"}},
		{"mi no policy, 2019 source", p(facts.KindMI, "", 15), []string{"pass target"}},
		{"mi no policy, 2025 source", p(facts.KindMI, "", 17), []string{"skip target"}},
		{"source version unknown", p(facts.KindVM, "2019", 0), []string{"skip target"}},
		// 2008 and 2008 R2 share major 10; the minor decides, never a skip.
		{"2008 R2 to mi", with(p(facts.KindMI, "2022", 10), func(f *facts.Facts) { f.Server.Version = "10.50.6000.34" }),
			[]string{"pass target: SQL Server 2008 R2"}},
		{"2008 R2 to mi, no policy", with(p(facts.KindMI, "", 10), func(f *facts.Facts) { f.Server.Version = "10.50.6000.34" }),
			[]string{"pass target: every SQL Managed Instance update policy"}},
		{"2008 to a 2008 VM", with(p(facts.KindVM, "2008", 10), func(f *facts.Facts) { f.Server.Version = "10.0.6000.29" }),
			[]string{"pass target: SQL Server 2008"}},
		{"2008 R2 to a 2008 VM", with(p(facts.KindVM, "2008", 10), func(f *facts.Facts) { f.Server.Version = "10.50.6000.34" }),
			[]string{"fail target: SQL Server 2008 R2"}},
		{"live MI uses the policy", with(tgt(facts.KindMI, facts.TargetServer{Version: "12.0.2000.8", Major: 12, EngineEdition: 8}), func(f *facts.Facts) {
			f.Plan.Target.Version = "2022"
			f.Server.Major = 17
		}), []string{"fail target"}},
		{"target unreachable, plan decides", with(p(facts.KindVM, "2012", 15), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTarget, Kind: "unreachable", Message: "x"}}
		}), []string{"fail target"}},
	})
}
