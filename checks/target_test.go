package checks

import (
	"testing"

	"github.com/dmsready/dmsready/internal/facts"
)

func tgt(kind string, t facts.TargetServer, dbs ...facts.Database) *facts.Facts {
	f := srv(kind, dbs...)
	f.Target = &t
	return f
}

func TestTargetDatabaseExists(t *testing.T) {
	runCases(t, TargetDatabaseExists, []tcase{
		{"exists", tgt(facts.KindMI, facts.TargetServer{Databases: []string{"sales", "master"}}, facts.Database{Name: "Sales"}, facts.Database{Name: "HR"}),
			"database:HR=pass database:Sales=fail"},
		{"renamed in plan", with(tgt(facts.KindMI, facts.TargetServer{Databases: []string{"Sales"}}, facts.Database{Name: "Sales"}), func(f *facts.Facts) {
			f.Plan.Databases = []facts.PlanDatabase{{Name: "Sales", TargetName: "Sales2"}}
		}), "database:Sales=pass"},
		{"no target", srv(facts.KindMI, facts.Database{Name: "Sales"}), "-=skip"},
		// Azure SQL Database migrations copy into a target database that
		// must already exist (with its schema): no overwrite question.
		{"sqldb target db must exist", tgt(facts.KindDB, facts.TargetServer{Databases: []string{"Sales"}}, facts.Database{Name: "Sales"}), "-=skip"},
		{"target unreachable", with(srv(facts.KindMI, facts.Database{Name: "Sales"}), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTarget, Kind: "unreachable", Message: "x"}}
		}), "-=error"},
	})
}

func TestTargetTDECertificate(t *testing.T) {
	tde := facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "AB12"}
	runCases(t, TargetTDECertificate, []tcase{
		{"present", tgt(facts.KindMI, facts.TargetServer{CertificateThumbprints: []string{"ab12"}}, tde, facts.Database{Name: "P"}), "database:HR=pass database:P=pass"},
		{"missing", tgt(facts.KindVM, facts.TargetServer{CertificateThumbprints: []string{}}, tde), "database:HR=fail"},
	})
}

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

func TestTargetStorage(t *testing.T) {
	d := facts.Database{Name: "A", DataBytes: 1000 << 20, LogBytes: 24 << 20, Files: []facts.DatabaseFile{}}
	runCases(t, TargetStorage, []tcase{
		{"fits", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31744, StorageLimitMB: 32768}, d), "target=pass"},
		{"full", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31745, StorageLimitMB: 32768}, d), "target=fail"},
		{"unknown", tgt(facts.KindMI, facts.TargetServer{}, d), "target=skip"},
	})
}
