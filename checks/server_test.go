package checks

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
)

func ip(n int) *int { return &n }

func tp(s string) *time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return &t
}

// verdicts runs one check and returns "object=status" lines, sorted.
func verdicts(c *check.Check, f *facts.Facts) string {
	var out []string
	for _, fd := range check.Run([]*check.Check{c}, f) {
		out = append(out, fd.Object+"="+string(fd.Status))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

type tcase struct {
	name string
	f    *facts.Facts
	want string
}

func runCases(t *testing.T, c *check.Check, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := verdicts(c, tc.f); got != tc.want {
				var msgs []string
				for _, fd := range check.Run([]*check.Check{c}, tc.f) {
					msgs = append(msgs, fmt.Sprintf("%s %s: %s", fd.Object, fd.Status, fd.Message))
				}
				t.Errorf("got  %s\nwant %s\n%s", got, tc.want, strings.Join(msgs, "\n"))
			}
		})
	}
}

// srv builds facts with a server holding dbs, for target kind.
func srv(kind string, dbs ...facts.Database) *facts.Facts {
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.Plan{Target: facts.PlanTarget{Kind: kind}},
		Server: &facts.Server{Version: "15.0.2000.5", Major: 15, Databases: dbs, Certificates: []facts.Certificate{}, BackupHistory: []facts.BackupHistory{},
			Objects: &facts.ServerObjects{}}}
}

func with(f *facts.Facts, fn func(f *facts.Facts)) *facts.Facts { fn(f); return f }

func TestTDECertificateBackup(t *testing.T) {
	tde := facts.Database{Name: "HR", Encrypted: true, EncryptionState: ip(3), EncryptorThumbprint: "AB12"}
	plain := facts.Database{Name: "Sales"}
	cert := func(backup *time.Time, known bool) []facts.Certificate {
		return []facts.Certificate{{Name: "TDE", Thumbprint: "ab12", PrivateKeyLastBackup: backup, PrivateKeyBackupKnown: known}}
	}
	runCases(t, TDECertificateBackup, []tcase{
		{"backed up", with(srv(facts.KindMI, tde, plain), func(f *facts.Facts) { f.Server.Certificates = cert(tp("2026-01-01 00:00"), true) }),
			"database:HR=pass database:Sales=pass"},
		{"never backed up", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, true) }),
			"database:HR=fail"},
		{"unknown on 2008 R2", with(srv(facts.KindMI, tde), func(f *facts.Facts) { f.Server.Certificates = cert(nil, false) }),
			"database:HR=skip"},
		{"no such certificate", srv(facts.KindMI, tde), "database:HR=fail"},
		{"plan names a missing db", with(srv(facts.KindVM, plain), func(f *facts.Facts) { f.Plan.Databases = []facts.PlanDatabase{{Name: "Gone"}} }),
			"database:Gone=skip"},
		{"not for sqldb", srv(facts.KindDB, tde), "-=skip"},
		{"encryption not collected", with(srv(facts.KindMI, tde), func(f *facts.Facts) {
			f.Server.Certificates = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcEncryption, Kind: "permission", Permission: "VIEW SERVER STATE", Message: "denied"}}
		}), "-=error"},
	})
}

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

func TestServerObjectChecks(t *testing.T) {
	objs := func(o facts.ServerObjects) *facts.Facts {
		return with(srv("", facts.Database{Name: "A"}), func(f *facts.Facts) { f.Server.Objects = &o })
	}
	runCases(t, ServerObjectsNotMigrated, []tcase{
		{"some", objs(facts.ServerObjects{Logins: []string{"app"}, ServerRoles: []string{}, Credentials: []string{"azure"}, Audits: []string{}, LinkedServers: nil}),
			"server:audits=pass server:credentials=warn server:linkedServers=skip server:logins=warn server:serverRoles=pass"},
		{"not collected", with(srv(""), func(f *facts.Facts) {
			f.Server.Objects = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcServerObjects, Kind: "permission", Permission: "VIEW ANY DEFINITION", Message: "x"}}
		}), "-=error"},
	})
	runCases(t, AgentJobsAndSSIS, []tcase{
		{"jobs", objs(facts.ServerObjects{AgentJobs: []string{"Nightly"}, SSISPackages: nil, Unread: map[string]string{"ssisPackages": "no SSISDB access"}}),
			"server:agentJobs=warn server:ssisPackages=skip"},
		{"msdb denied", with(objs(facts.ServerObjects{Logins: []string{}}), func(f *facts.Facts) {
			f.Server.BackupHistory = nil
			f.Errors = []facts.SourceError{{Source: facts.SrcBackupHistory, Kind: "permission", Permission: "db_datareader in msdb", Message: "229"}}
		}), "-=error"},
	})
}

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

func TestStorageLimit(t *testing.T) {
	db := func(name string, data, log int64) facts.Database {
		return facts.Database{Name: name, DataBytes: data << 20, LogBytes: log << 20, Files: []facts.DatabaseFile{}}
	}
	lim := func(mb int64, dbs ...facts.Database) *facts.Facts {
		return with(srv(facts.KindMI, dbs...), func(f *facts.Facts) { f.Plan.Target.StorageLimitMB = mb })
	}
	runCases(t, StorageLimit, []tcase{
		{"fits", lim(32768, db("A", 20000, 2000), db("B", 10000, 768)), "target=pass"},
		{"over", lim(32768, db("A", 20000, 2000), db("B", 10000, 769)), "target=fail"},
		{"no limit", lim(0, db("A", 1, 1)), "target=skip"},
		{"size unknown", lim(100, facts.Database{Name: "A"}), "target=skip"},
	})
}

func hist(db, typ, start string, sums, copyOnly bool, dev string) facts.BackupHistory {
	return facts.BackupHistory{Database: db, Type: typ, Start: tp(start), HasChecksums: sums, IsCopyOnly: copyOnly, PhysicalDevices: []string{dev}}
}

func TestBackupHistoryChecks(t *testing.T) {
	h := func(hs ...facts.BackupHistory) *facts.Facts {
		return with(srv(facts.KindMI, facts.Database{Name: "A"}, facts.Database{Name: "B"}), func(f *facts.Facts) { f.Server.BackupHistory = hs })
	}
	runCases(t, LastFullChecksum, []tcase{
		{"checksums", h(hist("A", "D", "2026-01-01 00:00", false, false, "a1.bak"), hist("A", "D", "2026-01-02 00:00", true, false, "a2.bak"),
			hist("B", "D", "2026-01-02 00:00", false, false, "b.bak")), "database:A=pass database:B=fail"},
		{"latest is without", h(hist("A", "D", "2026-01-02 00:00", false, true, "a2.bak"), hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak")),
			"database:A=fail database:B=skip"},
		// Log Replay Service restores fulls without checksums (slower, no
		// corruption check): a warning, as DMS209 says.
		{"lrs does not require them", with(h(hist("A", "D", "2026-01-02 00:00", false, false, "a.bak")), func(f *facts.Facts) { f.Plan.Method = "lrs" }),
			"database:A=warn database:B=skip"},
	})
	runCases(t, CopyOnlyInChain, []tcase{
		{"copy-only", h(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-02 00:00", true, true, "c.bak"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), "database:A=warn database:B=pass"},
	})
	runCases(t, LogBackupToNUL, []tcase{
		{"nul", h(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "L", "2026-01-01 01:00", true, false, "nul"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak"), hist("B", "L", "2026-01-01 01:00", true, false, `\\share\null.trn`)),
			"database:A=fail database:B=pass"},
		{"sqldb does not restore backups", with(h(), func(f *facts.Facts) { f.Plan.Target.Kind = facts.KindDB }), "-=skip"},
		// Only a log backup to NUL breaks the log chain; a copy-only full
		// or a differential to NUL is simply not there to restore.
		{"not a log backup", h(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-01 01:00", true, true, "NUL"),
			hist("A", "I", "2026-01-01 02:00", true, false, "nul"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			"database:A=pass database:B=pass"},
	})
}

func TestPlannedDatabaseOnSource(t *testing.T) {
	f := &facts.Facts{Plan: facts.Plan{Target: facts.PlanTarget{Kind: facts.KindMI},
		Databases: []facts.PlanDatabase{{Name: "sales"}, {Name: "Nope"}, {Name: "Archive"}}},
		Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", State: "ONLINE"}, {Name: "Archive", State: "OFFLINE"}}}}
	if got := verdicts(PlannedDatabaseOnSource, f); got != "database:Archive=warn database:Nope=fail database:sales=pass" {
		t.Errorf("got %q", got)
	}
	f.Plan.Databases = nil
	if got := verdicts(PlannedDatabaseOnSource, f); got != "-=skip" {
		t.Errorf("no planned databases: got %q, want a skip", got)
	}
	// Server checks group a database under the plan's spelling.
	f.Plan.Databases = []facts.PlanDatabase{{Name: "sales"}}
	f.Plan.Mode = "online"
	f.Server.Databases[0].RecoveryModel = "FULL"
	fs := check.Run([]*check.Check{RecoveryModelFull}, f)
	if len(fs) != 1 || fs[0].Database != "sales" || fs[0].Object != "database:sales" || fs[0].Status != check.StatusPass {
		t.Errorf("want one pass under the plan's spelling, got %+v", fs)
	}
}

func TestMIDatabaseFiles(t *testing.T) {
	db := func(types ...string) *facts.Facts {
		var files []facts.DatabaseFile
		for i, ty := range types {
			files = append(files, facts.DatabaseFile{LogicalName: fmt.Sprintf("f%d", i), Type: ty})
		}
		return &facts.Facts{Plan: facts.Plan{Target: facts.PlanTarget{Kind: facts.KindMI}, Databases: []facts.PlanDatabase{{Name: "Sales"}}},
			Server: &facts.Server{Databases: []facts.Database{{Name: "Sales", Files: files}}}}
	}
	cases := []struct {
		f    *facts.Facts
		want string
	}{
		{db("ROWS", "LOG"), "database:Sales=pass"},
		{db("ROWS", "LOG", "LOG"), "database:Sales=fail"},
		{db("ROWS", "LOG", "FILESTREAM"), "database:Sales=fail"},
		{db("ROWS", "LOG", "LOG", "FILESTREAM"), "database:Sales=fail database:Sales=fail"},
		{db(), "database:Sales=skip"},
	}
	for i, c := range cases {
		if got := verdicts(MIDatabaseFiles, c.f); got != c.want {
			t.Errorf("case %d: got %q, want %q", i, got, c.want)
		}
	}
	vm := db("ROWS", "LOG", "LOG")
	vm.Plan.Target.Kind = facts.KindVM
	if got := verdicts(MIDatabaseFiles, vm); got != "-=skip" {
		t.Errorf("sqlvm: %q", got)
	}
}
