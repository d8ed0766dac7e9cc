package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestTargetVersion(t *testing.T) {
	v := func(major, eng int) *facts.Facts {
		return tgt(facts.KindVM, facts.TargetServer{Version: "x", Major: major, EngineEdition: eng})
	}
	runCases(t, TargetVersion, []tcase{
		{"older", v(14, 3), "target=fail"},
		{"same", v(15, 3), "target=pass"},
		{"newer", v(16, 2), "target=pass"},
		{"managed instance", v(12, 8), "target=skip"},
		{"source version unknown", with(v(16, 3), func(f *facts.Facts) { f.Server.Version, f.Server.Major = "", 0 }), "target=skip"},
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
	runCases(t, TargetVersion, []tcase{
		{"vm older than source", p(facts.KindVM, "2012", 15), "target=fail"},
		{"vm same release", p(facts.KindVM, "2019", 15), "target=pass"},
		{"vm newer", p(facts.KindVM, "2022", 15), "target=pass"},
		{"vm no version", p(facts.KindVM, "", 15), "target=skip"},
		{"vm unknown version", p(facts.KindVM, "banana", 15), "target=skip"},
		{"mi 2022 policy, 2025 source", p(facts.KindMI, "2022", 17), "target=fail"},
		{"mi 2022 policy, 2019 source", p(facts.KindMI, "2022", 15), "target=pass"},
		{"mi no policy, 2019 source", p(facts.KindMI, "", 15), "target=pass"},
		{"mi no policy, 2025 source", p(facts.KindMI, "", 17), "target=skip"},
		{"source version unknown", p(facts.KindVM, "2019", 0), "target=skip"},
		{"live MI uses the policy", with(tgt(facts.KindMI, facts.TargetServer{Version: "12.0.2000.8", Major: 12, EngineEdition: 8}), func(f *facts.Facts) {
			f.Plan.Target.Version = "2022"
			f.Server.Major = 17
		}), "target=fail"},
		{"target unreachable, plan decides", with(p(facts.KindVM, "2012", 15), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTarget, Kind: "unreachable", Message: "x"}}
		}), "target=fail"},
	})
}
