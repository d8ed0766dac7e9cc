package sqlsource_test

import (
	"context"
	"fmt"
	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/sqlsource/sqlscenario"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// sqlOf returns the text of every variant of a query family.
func sqlOf(t *testing.T, base string) []string {
	t.Helper()
	var out []string
	for _, q := range sqlsource.Queries {
		if q.Marker == base || strings.HasPrefix(q.Marker, base+"-") {
			out = append(out, q.SQL)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no query %s", base)
	}
	return out
}

// Rule 14: geometry, geography, hierarchyid and CLR columns have
// system_type_id 240, which is no user_type_id in sys.types: a join on
// system_type_id drops them. Their types are assembly types.
func TestLOBQueryKeepsCLRTypes(t *testing.T) {
	for _, q := range sqlOf(t, "dmsready:lob-columns") {
		if strings.Contains(q, "= c.system_type_id") || !strings.Contains(q, "ty.user_type_id = c.user_type_id") {
			t.Errorf("LOB query joins sys.types on the system type:\n%s", q)
		}
		if !strings.Contains(q, "ty.is_assembly_type = 1") {
			t.Errorf("LOB query leaves out CLR types (geometry, geography):\n%s", q)
		}
	}
}

// Rule 15: database snapshots are no databases to migrate.
func TestDatabasesQueryLeavesOutSnapshots(t *testing.T) {
	for _, q := range sqlOf(t, "dmsready:databases") {
		if !strings.Contains(q, "d.source_database_id IS NULL") {
			t.Errorf("databases query keeps snapshots:\n%s", q)
		}
	}
}

func collectWith(t *testing.T, sc *tdstest.Scenario) (*facts.Server, []facts.SourceError) {
	t.Helper()
	s := tdstest.Start(t, sc)
	c := sqlscenario.Config(s)
	c.QueryTimeout = 2 * time.Second
	return sqlsource.Collect(context.Background(), c)
}

// timeOut makes marker's queries whose text contains in ("" for all)
// answer after 10 s: past collectWith's 2 s query timeout.
func timeOut(sc *tdstest.Scenario, marker, in string) {
	good := sc.Answers[marker]
	sc.Answers[marker] = func(q tdstest.Request) tdstest.Reply {
		r := good(q)
		if strings.Contains(q.SQL, in) {
			r.Delay = 10 * time.Second
		}
		return r
	}
}

func errorOn(errs []facts.SourceError, src facts.Source) *facts.SourceError {
	for i := range errs {
		if errs[i].Source == src {
			return &errs[i]
		}
	}
	return nil
}

// Rule 16: without VIEW ANY DATABASE sys.databases hides databases; the
// list is marked incomplete, naming the permission.
func TestWithoutViewAnyDatabase(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Perms = []any{1, 1, 0, 1, 1}
	srv, errs := collectWith(t, sv.Scenario())
	e := errorOn(errs, facts.SrcDatabaseList)
	if e == nil || e.Kind != "permission" || e.Permission != "VIEW ANY DATABASE" {
		t.Fatalf("errors = %+v", errs)
	}
	// What was seen is still reported, and the list error does not cover it.
	if len(srv.Databases) != 2 || facts.SrcDatabaseList.Covers(facts.SrcDatabases) {
		t.Errorf("databases = %+v", srv.Databases)
	}
}

// Rule 18: a failed sys.master_files query (denied, timed out, or cut off
// mid-result) is recorded, never dropped.
func TestFilesQueryFailureIsRecorded(t *testing.T) {
	for name, r := range map[string]tdstest.Responder{
		"denied":  tdstest.Fail(229, 14, "The SELECT permission was denied on the object 'master_files'."),
		"timeout": tdstest.Fixed(tdstest.Reply{Delay: 10 * time.Second}),
		"cut":     nil,
	} {
		t.Run(name, func(t *testing.T) {
			sc := sqlscenario.Healthy().Scenario()
			if r == nil {
				good := sc.Answers["dmsready:files"]
				r = func(q tdstest.Request) tdstest.Reply {
					rep := good(q)
					rep.Cut = true
					return rep
				}
			}
			sc.Answers["dmsready:files"] = r
			sc.Strict = false // after a cut the collector may stop asking
			srv, errs := collectWith(t, sc)
			e := errorOn(errs, facts.SrcFiles)
			if e == nil {
				if name == "cut" && errorOn(errs, facts.SrcServer) != nil {
					return
				}
				t.Fatalf("no error on %s: %+v", facts.SrcFiles, errs)
			}
			if name == "denied" && e.Kind != "permission" {
				t.Errorf("kind = %s", e.Kind)
			}
			if name == "timeout" && e.Kind != "timeout" {
				t.Errorf("kind = %s", e.Kind)
			}
			for _, d := range srv.Databases {
				if d.Files != nil || d.DataBytes != 0 {
					t.Errorf("%s: sizes from a failed query: %+v", d.Name, d)
				}
			}
		})
	}
}

// Without VIEW ANY DEFINITION sys.master_files shows only some databases:
// an error naming the permission, not silently unknown sizes.
func TestFilesWithoutViewAnyDefinition(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Perms = []any{0, 1, 1, 1, 1}
	_, errs := collectWith(t, sv.Scenario())
	if e := errorOn(errs, facts.SrcFiles); e == nil || e.Permission != "VIEW ANY DEFINITION" {
		t.Fatalf("errors = %+v", errs)
	}
}

// Rule 6: on SQL Server 2022+ VIEW SERVER SECURITY STATE is enough to read
// the database encryption keys.
func TestEncryptionKeysWithSecurityState2022(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Version, sv.Major = "16.0.4135.4", 16
	sv.Perms = []any{1, 0, 1, 1, 1}
	srv, errs := collectWith(t, sv.Scenario())
	if e := errorOn(errs, facts.SrcEncryption); e != nil {
		t.Fatalf("encryption: %+v", e)
	}
	if hr := srv.Databases[1]; hr.EncryptionState == nil || *hr.EncryptionState != 3 {
		t.Errorf("HR = %+v", hr)
	}
	// Without either, the error names the 2022 permission.
	sv.Perms = []any{1, 0, 1, 1, 0}
	_, errs = collectWith(t, sv.Scenario())
	if e := errorOn(errs, facts.SrcEncryption); e == nil || !strings.Contains(e.Permission, "VIEW SERVER SECURITY STATE") {
		t.Errorf("errors = %+v", errs)
	}
	// Before 2022 VIEW SERVER STATE is still needed.
	sv = sqlscenario.Healthy()
	sv.Perms = []any{1, 0, 1, 1, 1}
	_, errs = collectWith(t, sv.Scenario())
	if e := errorOn(errs, facts.SrcEncryption); e == nil || e.Permission != "VIEW SERVER STATE" {
		t.Errorf("2019 errors = %+v", errs)
	}
}

// Rule 11: the availability group and where it takes backups.
func TestAvailabilityGroupFacts(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs[0].AG, sv.DBs[0].AGPref = "AG1", "SECONDARY"
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if d := srv.Databases[0]; d.AvailabilityGroup != "AG1" || d.AGBackupPreference != "SECONDARY" {
		t.Errorf("Sales = %+v", d)
	}
}

// Rule 10: what every default install has is left out, whatever the case
// (a case-sensitive server collation would not match a LIKE), and so is
// the login dmsready connects as.
func TestDefaultServerObjectsLeftOut(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Login = `CORP\DmsReady`
	sv.Logins = []string{"##MS_PolicyEventProcessingLogin##", `NT SERVICE\SQLSERVERAGENT`, `nt authority\system`,
		`BUILTIN\Administrators`, `corp\dmsready`, `CORP\svc_app`, "app_user"}
	sv.Roles = []string{"##MS_DatabaseConnector##", "etl_operators"}
	sv.Creds = []string{"##xp_cmdshell_proxy_account##", "AzureBackup"}
	sv.Jobs = []string{"SYSPOLICY_PURGE_HISTORY", "Nightly ETL"}
	sv.SSIS = []string{"PerfCountersCollect", "perfcountersupload", "QueryActivityCollect", "QueryActivityUpload",
		"SqlTraceCollect", "SqlTraceUpload", "TSQLQueryCollect", "TSQLQueryUpload", "LoadSales"}
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	o := srv.Objects
	for what, got := range map[string][]string{
		"logins": o.Logins, "roles": o.ServerRoles, "credentials": o.Credentials, "jobs": o.AgentJobs, "ssis": o.SSISPackages,
	} {
		want := map[string]string{"logins": `CORP\svc_app app_user`, "roles": "etl_operators", "credentials": "AzureBackup",
			"jobs": "Nightly ETL", "ssis": "LoadSales"}[what]
		if strings.Join(got, " ") != want {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}
	if srv.Login != `CORP\DmsReady` {
		t.Errorf("login = %q", srv.Login)
	}
}

// Rule 10: linked servers are listed only when the login sees them all.
func TestLinkedServersNeedAlterAnyLinkedServer(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Perms = []any{1, 1, 1, 0, 1}
	s := tdstest.Start(t, sv.Scenario())
	srv, errs := sqlsource.Collect(context.Background(), sqlscenario.Config(s))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	o := srv.Objects
	if o.LinkedServers != nil || !strings.Contains(o.Unread["linkedServers"], "ALTER ANY LINKED SERVER") {
		t.Errorf("linked = %v, unread = %v", o.LinkedServers, o.Unread)
	}
	for _, r := range s.Requests() {
		if r.Marker == "dmsready:linked-servers" {
			t.Error("sys.servers read without the permission to see all of it")
		}
	}
}

// Rule 17: the target connection does not ask for a read-only replica, and
// a target login that cannot see certificates leaves them unknown with an
// error naming the permission; the rest of the target is still read.
func TestTargetIntentAndHiddenCertificates(t *testing.T) {
	tg := sqlscenario.MI()
	tg.Perms = []any{0, 1}
	s := tdstest.Start(t, tg.Scenario())
	tt, errs := sqlsource.CollectTarget(context.Background(), sqlscenario.Config(s), []string{"Sales"})
	if lg := s.Logins(); len(lg) == 0 || lg[0].ReadOnlyIntent {
		t.Errorf("target login asked for ApplicationIntent=ReadOnly: %+v", lg)
	}
	if tt == nil || tt.CertificateThumbprints != nil || len(tt.Databases) != 1 {
		t.Fatalf("target = %+v", tt)
	}
	if len(errs) != 1 || errs[0].Source != facts.SrcTargetCerts || errs[0].Permission != "VIEW ANY DEFINITION" {
		t.Errorf("errors = %+v", errs)
	}
	for _, r := range s.Requests() {
		if r.Marker == "dmsready:target-certificates" {
			t.Error("certificates read without the permission to see them")
		}
	}
	// The source still asks for ReadOnly.
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	sqlsource.Collect(context.Background(), sqlscenario.Config(src))
	if lg := src.Logins(); len(lg) == 0 || !lg[0].ReadOnlyIntent {
		t.Errorf("source login: %+v", lg)
	}
}

// A target login without VIEW ANY DATABASE cannot say a database is absent.
func TestTargetWithoutViewAnyDatabase(t *testing.T) {
	tg := sqlscenario.MI()
	tg.Perms = []any{1, 0}
	s := tdstest.Start(t, tg.Scenario())
	tt, errs := sqlsource.CollectTarget(context.Background(), sqlscenario.Config(s), []string{"Sales"})
	if tt == nil || tt.Databases != nil || len(errs) != 1 || errs[0].Source != facts.SrcTargetDBs || errs[0].Permission != "VIEW ANY DATABASE" {
		t.Errorf("target = %+v, errors = %+v", tt, errs)
	}
}

// Rules 16 and 18 end to end: the database list and the files are errors
// in the findings, not "missing on source" or a silent pass.
func TestE2EHiddenDatabasesAndFilesAreErrors(t *testing.T) {
	fs := hiddenSales(t)
	assertFindings(t, fs, []expect{
		{"DMS416", "database:Sales", "error"},
		{"DMS416", "database:HR", "pass"},
	})

	sc := sqlscenario.Healthy()
	s := sc.Scenario()
	s.Answers["dmsready:files"] = tdstest.Fail(229, 14, "The SELECT permission was denied on the object 'master_files'.")
	st := tdstest.Start(t, s)
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: miOnline}
	var errs []facts.SourceError
	f.Server, errs = sqlsource.Collect(context.Background(), sqlscenario.Config(st))
	f.Errors = errs
	fs = check.Run(checks.All, f)
	assertFindings(t, fs, []expect{
		{"DMS413", "-", "error"},
		{"DMS417", "-", "error"},
		{"DMS409", "database:Sales", "pass"}, // what does not need the files still runs
	})
}

// Rule 17 end to end: a target login that cannot see certificates makes
// DMS502 an error, not a failure; DMS501 still runs.
func TestE2ETargetCertificatesHidden(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	tg := sqlscenario.MI()
	tg.Perms = []any{0, 1}
	tgs := tdstest.Start(t, tg.Scenario())
	ctx := context.Background()
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: miOnline}
	var errs []facts.SourceError
	f.Server, errs = sqlsource.Collect(ctx, sqlscenario.Config(src))
	f.Errors = append(f.Errors, errs...)
	f.Target, errs = sqlsource.CollectTarget(ctx, sqlscenario.Config(tgs), []string{"Sales", "HR"})
	f.Errors = append(f.Errors, errs...)
	fs := check.Run(checks.All, f)
	assertFindings(t, fs, []expect{
		{"DMS502", "-", "error"},
		{"DMS501", "database:Sales", "fail"},
	})
	for _, fd := range fs {
		if fd.CheckID == "DMS502" && !strings.Contains(fd.Message, "VIEW ANY DEFINITION") {
			t.Errorf("DMS502 error does not name the permission: %s", fd.Message)
		}
	}
}

// Rule 2: msdb rows RESTORE wrote for another server's backups are marked,
// and each row carries its recovery fork; the history starts at this
// server's last regular full.
func TestBackupHistoryOriginAndFork(t *testing.T) {
	sv := sqlscenario.Healthy()
	row := sqlscenario.Backup(12, "D", sqlscenario.At("2026-11-20 03:00"), sqlscenario.LSN(50, 1, 1), sqlscenario.LSN(50, 9, 1),
		sqlscenario.LSN(50, 1, 1), sqlscenario.LSN(0, 0, 0), false, false, `\\other\Sales.bak`)
	row[16], row[17] = 1, "AAAAAAAA-0000-4000-8000-000000000002"
	sv.DBs[0].Backups = append(sv.DBs[0].Backups, row)
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, h := range srv.BackupHistory {
		if h.Database == "Sales" {
			got = append(got, fmt.Sprintf("%s other=%v fork=%s", h.Type, h.OtherServer, h.RecoveryForkGUID))
		}
	}
	want := "D other=false fork=9D2F3A4B-0000-4000-8000-000000000001; L other=false fork=9D2F3A4B-0000-4000-8000-000000000001; D other=true fork=AAAAAAAA-0000-4000-8000-000000000002"
	if strings.Join(got, "; ") != want {
		t.Errorf("history = %s", strings.Join(got, "; "))
	}
	for _, q := range sqlOf(t, "dmsready:backup-history") {
		if !strings.Contains(q, "f.server_name = @@SERVERNAME") {
			t.Errorf("the history window may start at a row RESTORE wrote:\n%s", q)
		}
	}
}

// Without VIEW ANY DATABASE sys.databases hides SSISDB: the SSIS catalog
// was never asked, so "no SSIS packages" would be a wrong pass.
func TestSSISCatalogUnreadWhenSSISDBMayBeHidden(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Perms = []any{1, 1, 0, 1, 1}
	sv.Catalog = []string{"ETL/Load/Load.dtsx"}
	srv, _ := collectWith(t, sv.Scenario())
	if srv.Objects.SSISPackages != nil || !strings.Contains(srv.Objects.Unread["ssisPackages"], "VIEW ANY DATABASE") {
		t.Fatalf("ssis = %v, unread = %v", srv.Objects.SSISPackages, srv.Objects.Unread)
	}
	f := &facts.Facts{Plan: miOnline, Server: srv}
	for _, fd := range check.Run(checks.All, f) {
		if fd.CheckID == "DMS407" && fd.Object == "server:ssisPackages" && fd.Status != check.StatusError {
			t.Errorf("DMS407 ssisPackages = %s: %s", fd.Status, fd.Message)
		}
	}
	// A failed database list is no missing permission.
	sc := sqlscenario.Healthy().Scenario()
	sc.Answers["dmsready:databases"] = tdstest.Fail(1205, 13, "chosen as the deadlock victim")
	srv, _ = collectWith(t, sc)
	if u := srv.Objects.Unread["ssisPackages"]; srv.Objects.SSISPackages != nil || strings.Contains(u, "VIEW ANY DATABASE") || !strings.Contains(u, "could not be read") {
		t.Errorf("after a failed database list: ssis = %v, unread = %q", srv.Objects.SSISPackages, u)
	}
	// SSISDB in the list: the catalog is read as before.
	sv.Perms = nil
	sv.DBs = append(sv.DBs, sqlscenario.DB{ID: 7, Name: "SSISDB", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE"})
	srv, _ = collectWith(t, sv.Scenario())
	if len(srv.Objects.SSISPackages) != 1 || srv.Objects.SSISPackages[0] != "SSISDB/ETL/Load/Load.dtsx" {
		t.Errorf("ssis = %v, unread = %v", srv.Objects.SSISPackages, srv.Objects.Unread)
	}
}

// msdb.dbo.backupset.has_backup_checksums is a nullable bit: a NULL is
// "not recorded", never "taken without CHECKSUM" (DMS410 must not fail on it).
func TestNullChecksumsAreUnknown(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs[0].Backups[0][8] = nil
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if h := srv.BackupHistory[0]; h.Database != "Sales" || h.Type != "D" || !h.ChecksumsUnknown || h.HasChecksums {
		t.Fatalf("history = %+v", h)
	}
	f := &facts.Facts{Plan: miOnline, Server: srv}
	for _, fd := range check.Run(checks.All, f) {
		if fd.CheckID == "DMS410" && fd.Object == "database:Sales" && fd.Status != check.StatusSkip {
			t.Errorf("DMS410 Sales = %s: %s", fd.Status, fd.Message)
		}
	}
}

// A statement that fails after sending rows (deadlock victim, I/O error)
// is an error on its source, never a short list read as complete.
func TestErrorAfterRowsIsRecorded(t *testing.T) {
	for marker, src := range map[string]facts.Source{
		"dmsready:databases": facts.SrcDatabases, "dmsready:files": facts.SrcFiles, "dmsready:backup-history": facts.SrcBackupHistory,
		"dmsready:logins": facts.SrcServerObjects, "dmsready:agent-jobs": facts.SrcBackupHistory, "dmsready:certificates": facts.SrcEncryption,
		"dmsready:encryption-keys": facts.SrcEncryption, "dmsready:linked-servers": facts.SrcServerObjects, "dmsready:tables": "",
	} {
		t.Run(marker, func(t *testing.T) {
			sc := sqlscenario.Healthy().Scenario()
			good := sc.Answers[marker]
			sc.Answers[marker] = func(q tdstest.Request) tdstest.Reply {
				r := good(q)
				r.Err = &tdstest.Error{Number: 1205, State: 51, Class: 13, Message: "chosen as the deadlock victim"}
				return r
			}
			srv, errs := collectWith(t, sc)
			if src == "" {
				for _, d := range srv.Databases {
					if d.Tables != nil || !d.TablesFailed {
						t.Errorf("%s: tables = %+v, failed = %v", d.Name, d.Tables, d.TablesFailed)
					}
				}
				return
			}
			if e := errorOn(errs, src); e == nil || !strings.Contains(e.Message, "1205") {
				t.Errorf("errors = %+v, want 1205 on %s", errs, src)
			}
		})
	}
}

// A failed LOB-column read names its own statement, not the table list's.
func TestLOBQueryFailureNamesItsQuery(t *testing.T) {
	sc := sqlscenario.Healthy().Scenario()
	sc.Answers["dmsready:lob-columns"] = tdstest.Fail(229, 14, "The SELECT permission was denied on the object 'allocation_units'.")
	srv, _ := collectWith(t, sc)
	for _, d := range srv.Databases {
		if !d.TablesFailed || !strings.Contains(d.TablesError, "dmsready:lob-columns") {
			t.Errorf("%s: %q", d.Name, d.TablesError)
		}
	}
}

// SQL Server 2005 and 2008 (R2) setup, without service SIDs, made local
// groups for its service accounts and logins for them: defaults, like
// NT SERVICE\ on newer installs, never logins the DBA must move.
func TestSetupServiceGroupLoginsLeftOut(t *testing.T) {
	sv := sqlscenario.SQL2008R2()
	sv.Logins = []string{`SQL01\SQLServerMSSQLUser$SQL01$MSSQLSERVER`, `SQL01\SQLServerSQLAgentUser$SQL01$MSSQLSERVER`,
		`SQL01\SQLServerFDHostUser$SQL01$MSSQLSERVER`, `SQL01\SQLServer2005MSSQLUser$SQL01$MSSQLSERVER`, `CORP\SQLServerAdmins`, "app_user"}
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if got := strings.Join(srv.Objects.Logins, " "); got != `CORP\SQLServerAdmins app_user` {
		t.Errorf("logins = %q", got)
	}
}

// msdb.dbo.sysssispackages can be denied on its own (a DENY on the table, or
// a login with only the backup tables granted): only the SSIS package list
// is unread, and the backup history, read before, still decides its checks.
func TestSSISPackagesDeniedLeavesHistory(t *testing.T) {
	sc := sqlscenario.Healthy().Scenario()
	sc.Answers["dmsready:ssis-msdb"] = tdstest.Fail(229, 14, "The SELECT permission was denied on the object 'sysssispackages', database 'msdb', schema 'dbo'.")
	srv, errs := collectWith(t, sc)
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	if len(srv.BackupHistory) == 0 || srv.Objects.AgentJobs == nil {
		t.Fatalf("history = %v, jobs = %v", srv.BackupHistory, srv.Objects.AgentJobs)
	}
	if u := srv.Objects.Unread["ssisPackages"]; srv.Objects.SSISPackages != nil || !strings.Contains(u, "229") || !strings.Contains(u, "db_datareader in msdb") {
		t.Fatalf("ssis = %v, unread = %q", srv.Objects.SSISPackages, u)
	}
	f := &facts.Facts{Plan: miOnline, Server: srv}
	seen := false
	for _, fd := range check.Run(checks.All, f) {
		switch {
		case fd.CheckID == "DMS407" && fd.Object == "server:ssisPackages":
			seen = true
			if fd.Status != check.StatusError {
				t.Errorf("DMS407 ssisPackages = %s: %s", fd.Status, fd.Message)
			}
		case fd.Status == check.StatusError:
			t.Errorf("%s %s errored: %s", fd.CheckID, fd.Object, fd.Message)
		}
	}
	if !seen {
		t.Error("no DMS407 finding for the SSIS packages")
	}
}

// sys.master_files shows FILESTREAM data and In-Memory OLTP containers alike
// (type 2, FILESTREAM): the per-database filegroup types tell them apart,
// so DMS417 fails FILESTREAM and, with the tier unknown, only warns about
// memory-optimized data. A denied filegroup query is an error, never a guess.
func TestFilegroupTypesTellInMemoryFromFilestream(t *testing.T) {
	srv, errs := collectWith(t, sqlscenario.FilestreamAndInMemory().Scenario())
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	types := map[string]string{}
	for _, d := range srv.Databases {
		for _, f := range d.Files {
			if f.Type == "FILESTREAM" {
				types[d.Name+"/"+f.LogicalName] = f.FilegroupType
			}
		}
	}
	if types["Docs/Docs_fs"] != facts.FilegroupFILESTREAM || types["Trading/Trading_mod"] != facts.FilegroupMemoryOptimized {
		t.Fatalf("filegroup types = %v", types)
	}
	verdicts := func(srv *facts.Server) map[string]check.Finding {
		out := map[string]check.Finding{}
		for _, fd := range check.Run(checks.All, &facts.Facts{Plan: miOnline, Server: srv}) {
			if fd.CheckID == "DMS417" {
				out[fd.Object] = fd
			}
		}
		return out
	}
	v := verdicts(srv)
	if fd := v["database:Docs"]; fd.Status != check.StatusFail || !strings.Contains(fd.Message, "FILESTREAM") {
		t.Errorf("Docs: %s %s", fd.Status, fd.Message)
	}
	if fd := v["database:Trading"]; fd.Status != check.StatusWarn || !strings.Contains(fd.Message, "Business Critical") {
		t.Errorf("Trading: %s %s", fd.Status, fd.Message)
	}
	if fd := v["database:Sales"]; fd.Status != check.StatusPass {
		t.Errorf("Sales: %s %s", fd.Status, fd.Message)
	}

	// A file the database's own catalog does not list is unknown, saying so.
	sv := sqlscenario.FilestreamAndInMemory()
	sv.DBs[3].Filegroups = [][]any{}
	srv, _ = collectWith(t, sv.Scenario())
	if fd := verdicts(srv)["database:Trading"]; fd.Status != check.StatusSkip || !strings.Contains(fd.Message, "gave no filegroup type for Trading_mod") {
		t.Errorf("Trading without a filegroup row: %s %s", fd.Status, fd.Message)
	}

	sc := sqlscenario.FilestreamAndInMemory().Scenario()
	sc.Answers["dmsready:filegroups"] = tdstest.Fail(916, 14, "The server principal \"dmsready\" is not able to access the database \"Trading\" under the current security context.")
	srv, errs = collectWith(t, sc)
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	for _, d := range srv.Databases {
		if d.Name == "Trading" && (!d.FilegroupsFailed || !strings.Contains(d.FilegroupsError, "916")) {
			t.Errorf("Trading: failed = %v, error = %q", d.FilegroupsFailed, d.FilegroupsError)
		}
	}
	v = verdicts(srv)
	for _, db := range []string{"database:Docs", "database:Trading"} {
		if fd := v[db]; fd.Status != check.StatusError || !strings.Contains(fd.Message, "916") {
			t.Errorf("%s: %s %s", db, fd.Status, fd.Message)
		}
	}
}

// sys.availability_groups and sys.availability_replicas need VIEW ANY
// DEFINITION and show no rows without it, so the group's name is NULL; the
// database is still an availability database (sys.databases.replica_id),
// and "not in an availability group" would be a wrong pass.
func TestAGMembershipWithoutViewAnyDefinition(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs[0].AG, sv.DBs[0].AGPref = "AG1", "SECONDARY"
	sv.Perms = []any{0, 1, 1, 1, 1}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	_, fs, _ := run(t, sv, nil, plan)
	assertFindings(t, fs, []expect{
		{"DMS408", "database:Sales", "warn"},
		{"DMS408", "database:HR", "pass"},
	})
	for _, fd := range fs {
		if fd.CheckID == "DMS408" && fd.Object == "database:Sales" && !strings.Contains(fd.Message, "VIEW ANY DEFINITION") {
			t.Errorf("DMS408 Sales does not name the permission: %s", fd.Message)
		}
	}
}

// Without VIEW ANY DATABASE a planned database missing from sys.databases
// may still be on the server: no finding may say it is "not on the source
// server", only that the list is incomplete.
func TestHiddenDatabaseNeverCalledAbsent(t *testing.T) {
	fs := hiddenSales(t)
	n := 0
	for _, fd := range fs {
		if fd.Database != "Sales" && fd.Object != "target" {
			continue
		}
		if strings.Contains(fd.Message, "not a database on the source") || strings.Contains(fd.Message, "not on the source server") {
			t.Errorf("%s %s %s: %s", fd.CheckID, fd.Object, fd.Status, fd.Message)
		}
		if fd.Status == check.StatusSkip && strings.Contains(fd.Message, "VIEW ANY DATABASE") {
			n++
		}
	}
	if n == 0 {
		t.Error("no skip names the missing VIEW ANY DATABASE")
	}
}

// A secondary replica of a group that prefers secondary backups: its msdb
// holds the copy-only fulls and log backups taken on it, never the
// primary's regular fulls, nor log backups other replicas took. Nothing
// about the chain may pass from this msdb alone.
func TestSecondaryReplicaHistoryIsPartial(t *testing.T) {
	sv := sqlscenario.Healthy()
	sales := &sv.DBs[0]
	sales.AG, sales.AGPref = "AG1", "SECONDARY"
	sales.Backups = [][]any{
		sqlscenario.Backup(10, "D", sqlscenario.At("2026-11-20 01:00"), sqlscenario.LSN(40, 100, 1), sqlscenario.LSN(40, 300, 1),
			sqlscenario.LSN(40, 200, 1), sqlscenario.LSN(30, 10, 1), true, true, `\\bk\sql\Sales_copy.bak`),
		sqlscenario.Backup(11, "L", sqlscenario.At("2026-11-20 02:00"), sqlscenario.LSN(40, 100, 1), sqlscenario.LSN(41, 10, 1),
			sqlscenario.LSN(40, 200, 1), sqlscenario.LSN(30, 10, 1), true, false, `\\bk\sql\Sales_log1.trn`),
	}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	_, fs, _ := run(t, sv, nil, plan)
	assertFindings(t, fs, []expect{
		{"DMS410", "database:Sales", "skip"},
		{"DMS411", "database:Sales", "warn"}, // the copy-only full it does see
		{"DMS412", "database:Sales", "skip"},
		{"DMS412", "database:HR", "pass"},
	})

	// The same secondary, once primary: its msdb still holds the regular
	// full it took then, without checksums, and a log to NUL after it.
	// The primary has taken newer fulls since, recorded only in its msdb.
	sales.Backups = append(sales.Backups,
		sqlscenario.Backup(5, "D", sqlscenario.At("2026-05-01 01:00"), sqlscenario.LSN(10, 100, 1), sqlscenario.LSN(10, 300, 1),
			sqlscenario.LSN(10, 200, 1), sqlscenario.LSN(0, 0, 0), false, false, `\\bk\sql\Sales_may.bak`),
		sqlscenario.Backup(6, "L", sqlscenario.At("2026-05-01 02:00"), sqlscenario.LSN(10, 100, 1), sqlscenario.LSN(11, 10, 1),
			sqlscenario.LSN(10, 200, 1), sqlscenario.LSN(10, 200, 1), true, false, "NUL"))
	_, fs, _ = run(t, sv, nil, plan)
	assertFindings(t, fs, []expect{
		{"DMS410", "database:Sales", "warn"},
		{"DMS412", "database:Sales", "warn"},
	})
}

// A table query that times out in one database (a schema lock held there,
// say) leaves that database undecided, not every database: the others
// were read and keep their verdicts.
func TestTablesTimeoutInOneDatabase(t *testing.T) {
	sc := sqlscenario.Healthy().Scenario()
	timeOut(sc, "dmsready:tables", "[Sales].sys.")
	srv, errs := collectWith(t, sc)
	if e := errorOn(errs, facts.SrcTables); e != nil {
		t.Errorf("one database's timeout failed every database's tables: %+v", e)
	}
	f := &facts.Facts{Plan: facts.ResolvedPlan{Mode: "offline", Target: facts.PlanTarget{Kind: facts.KindDB}}, Server: srv, Errors: errs}
	got := map[string]string{}
	for _, fd := range check.Run(checks.All, f) {
		if fd.CheckID == "DMS403" {
			got[fd.Object] = string(fd.Status) + ": " + fd.Message
		}
	}
	if !strings.HasPrefix(got["database:Sales"], "error") || !strings.Contains(got["database:Sales"], "queryTimeout") {
		t.Errorf("Sales: %s", got["database:Sales"])
	}
	if !strings.HasPrefix(got["database:HR"], "pass") {
		t.Errorf("HR: %s", got["database:HR"])
	}
}

// Two databases in a row timing out mean the server is not answering: the
// rest are not asked (each a queryTimeout more), and each says so.
func TestTablesTimeoutsStopAfterTwo(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs = append(sv.DBs, sqlscenario.DB{ID: 7, Name: "Ops", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE", Tables: []string{"dbo.Runs"}})
	sc := sv.Scenario()
	timeOut(sc, "dmsready:tables", "")
	s := tdstest.Start(t, sc)
	c := sqlscenario.Config(s)
	c.QueryTimeout = 2 * time.Second
	srv, _ := sqlsource.Collect(context.Background(), c)
	for _, d := range srv.Databases {
		if !d.TablesFailed || d.Tables != nil {
			t.Errorf("%s: tables = %+v, failed = %v", d.Name, d.Tables, d.TablesFailed)
		}
		if d.Name == "Ops" && !strings.Contains(d.TablesError, "not asked") {
			t.Errorf("Ops: %q", d.TablesError)
		}
	}
	n := 0
	for _, r := range s.Requests() {
		if r.Marker == "dmsready:tables" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d table queries sent, want 2", n)
	}
}

// SSISDB's catalog views enforce row-level security: a login that is
// neither sysadmin nor in ssis_admin sees only the projects it may READ,
// with no error. An empty list from it is no "no SSIS packages".
func TestSSISCatalogWithoutSSISAdmin(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs = append(sv.DBs, sqlscenario.DB{ID: 7, Name: "SSISDB", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE"})
	sv.Catalog = []string{"ETL/Load/Load.dtsx"}
	sv.SSISNotAdmin = true
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	if u := srv.Objects.Unread["ssisPackages"]; srv.Objects.SSISPackages != nil || !strings.Contains(u, "ssis_admin") {
		t.Fatalf("ssis = %v, unread = %q", srv.Objects.SSISPackages, u)
	}
	for _, fd := range check.Run(checks.All, &facts.Facts{Plan: miOnline, Server: srv}) {
		if fd.CheckID == "DMS407" && fd.Object == "server:ssisPackages" && fd.Status != check.StatusError {
			t.Errorf("DMS407 ssisPackages = %s: %s", fd.Status, fd.Message)
		}
	}
	// An ssis_admin sees the whole catalog.
	sv.SSISNotAdmin = false
	srv, _ = collectWith(t, sv.Scenario())
	if got := srv.Objects.SSISPackages; len(got) != 1 || got[0] != "SSISDB/ETL/Load/Load.dtsx" {
		t.Errorf("ssis = %v, unread = %v", got, srv.Objects.Unread)
	}
}

// One database that cannot be read (single-user: every cross-database
// query fails with 924; OFFLINE: not asked) is undecided for itself only:
// the others keep their verdicts.
func TestOneUnreadableDatabase(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs = append(sv.DBs,
		sqlscenario.DB{ID: 7, Name: "Ops", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE", Tables: []string{"dbo.Runs"},
			Files: [][]any{{1, "ROWS", "Ops", `D:\data\Ops.mdf`, int64(128)}, {2, "LOG", "Ops_log", `L:\log\Ops_log.ldf`, int64(128)}}},
		sqlscenario.DB{ID: 8, Name: "Arch", State: "OFFLINE", Recovery: "FULL", Compat: 150, Containment: "NONE",
			Files: [][]any{{1, "ROWS", "Arch", `D:\data\Arch.mdf`, int64(128)}, {2, "LOG", "Arch_log", `L:\log\Arch_log.ldf`, int64(128)}}})
	sc := sv.Scenario()
	good := sc.Answers["dmsready:tables"]
	sc.Answers["dmsready:tables"] = func(q tdstest.Request) tdstest.Reply {
		if strings.Contains(q.SQL, "[Ops].sys.") {
			return tdstest.Reply{Err: &tdstest.Error{Number: 924, State: 1, Class: 14, Message: "Database 'Ops' is already open and can only have one user at a time."}}
		}
		return good(q)
	}
	s := tdstest.Start(t, sc)
	srv, errs := sqlsource.Collect(context.Background(), sqlscenario.Config(s))
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	plan := facts.ResolvedPlan{Mode: "offline", Target: facts.PlanTarget{Kind: facts.KindDB},
		Databases: []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}, {Name: "Ops"}, {Name: "Arch"}}}
	fs := check.Run(checks.All, &facts.Facts{Plan: plan, Server: srv})
	assertFindings(t, fs, []expect{
		{"DMS403", "database:Sales", "pass"},
		{"DMS403", "database:HR", "pass"},
		{"DMS403", "database:Ops", "error"},
		{"DMS403", "database:Arch", "skip"},
		{"DMS416", "database:Ops", "pass"},
		{"DMS416", "database:Arch", "warn"},
	})
}

// DMS603 lets the source's master, model and msdb stand in for a Managed
// Instance's own system databases: the collector must read their sizes,
// or the check can never decide without Azure Monitor.
func TestSystemDatabaseSizesForManagedInstance(t *testing.T) {
	srv, errs := collectWith(t, sqlscenario.Healthy().Scenario())
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	f := &facts.Facts{Plan: miOnline, Server: srv, Azure: &facts.Azure{ManagedInstance: &facts.AzureManagedInstance{
		Name: "mi1", Exists: true, State: "Ready", Tier: "GeneralPurpose", StorageSizeGB: 64, Databases: []string{}}}}
	f.Plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	assertFindings(t, check.Run(checks.All, f), []expect{{"DMS603", "azure:mi1", "pass"}})
	for _, d := range srv.Databases {
		if facts.IsSystemDatabase(d.Name) {
			t.Errorf("system database %s among the databases to migrate", d.Name)
		}
	}
}

// An error the driver meets only while closing the rows (after the first
// result set, when another follows) still fails the query: the rows read
// before it are no complete answer.
func TestErrorFoundOnCloseIsRecorded(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.Logins = []string{"app_user"}
	sc := sv.Scenario()
	good := sc.Answers["dmsready:logins"]
	sc.Answers["dmsready:logins"] = func(q tdstest.Request) tdstest.Reply {
		r := good(q)
		r.Sets = append(r.Sets, sqlscenario.Names([]string{"more"}))
		r.Err = &tdstest.Error{Number: 1205, State: 51, Class: 13, Message: "chosen as the deadlock victim"}
		return r
	}
	srv, errs := collectWith(t, sc)
	if e := errorOn(errs, facts.SrcServerObjects); e == nil || !strings.Contains(e.Message, "1205") {
		t.Errorf("errors = %+v, logins = %v", errs, srv.Objects.Logins)
	}
}

// A filegroup query timing out in one database leaves only that database
// undecided: the next database with FILESTREAM-type files is still asked.
func TestFilegroupsTimeoutInOneDatabase(t *testing.T) {
	sc := sqlscenario.FilestreamAndInMemory().Scenario()
	timeOut(sc, "dmsready:filegroups", "[Docs].sys.")
	srv, _ := collectWith(t, sc)
	for _, d := range srv.Databases {
		switch d.Name {
		case "Docs":
			if !d.FilegroupsFailed || !strings.Contains(d.FilegroupsError, "queryTimeout") {
				t.Errorf("Docs: failed = %v, %q", d.FilegroupsFailed, d.FilegroupsError)
			}
		case "Trading":
			if d.FilegroupsFailed || d.Files[2].FilegroupType != facts.FilegroupMemoryOptimized {
				t.Errorf("Trading not read after Docs timed out: %q, files = %+v", d.FilegroupsError, d.Files)
			}
		}
	}
}

// msdb is read from the full a DMS restore would start from on: the newest
// regular full written to a file (disk, URL or a named disk device), not a
// VSS snapshot or third-party tool's full (a virtual device) nor one to
// NUL, or the file full before such a one would never be read.
func TestBackupHistoryWindowStartsAtFileFull(t *testing.T) {
	for _, q := range sqlOf(t, "dmsready:backup-history") {
		i := strings.Index(q, "SELECT MAX(f.backup_start_date)")
		if i < 0 {
			t.Fatalf("no window subquery:\n%s", q)
		}
		sub := q[i:]
		for _, want := range []string{"fm.device_type IN (2, 9, 105)", "fm.device_type IS NULL", "N'NUL'"} {
			if !strings.Contains(sub, want) {
				t.Errorf("the history window may start at a full that is no file (lacks %q):\n%s", want, sub)
			}
		}
		if err := sqlsource.ReadOnly(q); err != nil {
			t.Errorf("not read-only: %v", err)
		}
	}
}

// msdb marks snapshot backups (VSS, or 2022's BACKUP ... WITH
// METADATA_ONLY, whose metadata file is on disk): they are read, and the
// history window does not start at one.
func TestSnapshotBackupsAreMarked(t *testing.T) {
	sv := sqlscenario.Healthy()
	row := sqlscenario.Backup(12, "D", sqlscenario.At("2026-11-20 03:00"), sqlscenario.LSN(40, 400, 1), sqlscenario.LSN(40, 500, 1),
		sqlscenario.LSN(40, 450, 1), sqlscenario.LSN(0, 0, 0), false, false, `D:\snap\Sales.bkm`)
	row[18] = true // is_snapshot
	sv.DBs[0].Backups = append(sv.DBs[0].Backups, row)
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if h := srv.BackupHistory[2]; h.Database != "Sales" || !h.IsSnapshot || srv.BackupHistory[0].IsSnapshot {
		t.Errorf("history = %+v", srv.BackupHistory)
	}
	for _, q := range sqlOf(t, "dmsready:backup-history") {
		if !strings.Contains(q, "f.is_snapshot = 0") {
			t.Errorf("the history window may start at a snapshot full:\n%s", q)
		}
	}
}

// A full BACKUP ... WITH CONTINUE_AFTER_ERROR took of a damaged database is
// marked in msdb (backupset.is_damaged = 1), checksums or not; RESTORE
// refuses it (error 3182). It passed DMS410 as "has checksums".
func TestDamagedFullIsNoRestoreBase(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs[0].Backups[0][10] = true // Sales' full, with checksums
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if h := srv.BackupHistory[0]; h.Database != "Sales" || h.Type != "D" || !h.IsDamaged || !h.HasChecksums {
		t.Fatalf("history = %+v", h)
	}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	fs := check.Run(checks.All, &facts.Facts{Plan: plan, Server: srv})
	assertFindings(t, fs, []expect{{"DMS410", "database:Sales", "fail"}, {"DMS410", "database:HR", "pass"}})
	for _, f := range fs {
		if f.CheckID == "DMS410" && f.Object == "database:Sales" && !strings.Contains(f.Message, `\\bk\sql\Sales_full.bak`) {
			t.Errorf("DMS410 does not name the damaged backup: %s", f.Message)
		}
	}
}

// A log backup the restore needs that msdb marks damaged (is_damaged = 1:
// BACKUP LOG ... WITH CONTINUE_AFTER_ERROR) stops RESTORE LOG with error
// 3182, as a damaged full does; DMS410 judged only the full and the
// differential, and passed. A damaged log before the full is not restored.
func TestDamagedLogInRestoreRange(t *testing.T) {
	sv := sqlscenario.Healthy()
	old := sqlscenario.Backup(9, "L", sqlscenario.At("2026-11-19 23:00"), sqlscenario.LSN(39, 10, 1), sqlscenario.LSN(40, 100, 1),
		sqlscenario.LSN(30, 10, 1), sqlscenario.LSN(30, 10, 1), true, false, `\\bk\sql\Sales_log0.trn`)
	old[10] = true
	lg := sqlscenario.Backup(12, "L", sqlscenario.At("2026-11-20 03:00"), sqlscenario.LSN(41, 10, 1), sqlscenario.LSN(42, 10, 1),
		sqlscenario.LSN(40, 200, 1), sqlscenario.LSN(40, 200, 1), true, false, `\\bk\sql\Sales_log2.trn`)
	lg[10] = true
	sv.DBs[0].Backups = append([][]any{old}, append(sv.DBs[0].Backups, lg)...)
	fs := checkSalesHR(t, sv)
	assertFindings(t, fs, []expect{{"DMS410", "database:Sales", "fail"}, {"DMS410", "database:HR", "pass"}})
	for _, f := range fs {
		if f.CheckID == "DMS410" && f.Object == "database:Sales" && (!strings.Contains(f.Message, `Sales_log2.trn`) || strings.Contains(f.Message, "Sales_log0")) {
			t.Errorf("DMS410 does not name the damaged log backup alone: %s", f.Message)
		}
	}
}

// A log backup to tape (msdb device_type 5) or to a virtual device (7: a
// third-party tool through VDI) leaves no file in the folder DMS restores
// from: the chain breaks there as at a log to NUL. DMS412 passed it.
func TestLogBackupToTapeBreaksTheChain(t *testing.T) {
	for name, dev := range map[string]struct {
		typ  int
		path string
	}{"tape": {5, `\\.\Tape0`}, "a virtual device": {7, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}1"}} {
		t.Run(name, func(t *testing.T) {
			sv := sqlscenario.Healthy()
			lg := sqlscenario.Backup(12, "L", sqlscenario.At("2026-11-20 03:00"), sqlscenario.LSN(41, 10, 1), sqlscenario.LSN(42, 10, 1),
				sqlscenario.LSN(40, 200, 1), sqlscenario.LSN(40, 200, 1), true, false, dev.path)
			lg[14] = dev.typ
			next := sqlscenario.Backup(13, "L", sqlscenario.At("2026-11-20 04:00"), sqlscenario.LSN(42, 10, 1), sqlscenario.LSN(43, 10, 1),
				sqlscenario.LSN(40, 200, 1), sqlscenario.LSN(40, 200, 1), true, false, `\\bk\sql\Sales_log3.trn`)
			sv.DBs[0].Backups = append(sv.DBs[0].Backups, lg, next)
			fs := checkSalesHR(t, sv)
			assertFindings(t, fs, []expect{{"DMS412", "database:Sales", "fail"}, {"DMS412", "database:HR", "pass"}})
			for _, f := range fs {
				if f.CheckID == "DMS412" && f.Object == "database:Sales" && !strings.Contains(f.Message, name) {
					t.Errorf("DMS412 does not say where the log went: %s", f.Message)
				}
			}
		})
	}
}

// Names of instance-level objects (database names, logins) follow the
// server collation (Microsoft, "Database identifiers"). On a case-sensitive
// one a user database named ssisdb is not the SSIS catalog SSISDB: reading
// the catalog there fails (no SSISDB), and DMS407 reported an error. And a
// login differing from dmsready's own only in case is another login: it
// was dropped from the logins DMS does not migrate.
func TestCaseSensitiveServerNames(t *testing.T) {
	for _, coll := range []string{"Latin1_General_100_CS_AS", "Latin1_General_BIN2", "SQL_Latin1_General_CP1_CS_AS", "Turkish_CI_AS"} {
		t.Run(coll, func(t *testing.T) {
			sv := sqlscenario.Healthy()
			sv.Collation = coll
			sv.DBs = append(sv.DBs, sqlscenario.DB{ID: 7, Name: "ssisdb", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE"})
			sv.SSIS = []string{"LoadSales"}
			sv.Logins = []string{"DMSREADY", "app_user", "dmsready"}
			sc := sv.Scenario()
			// No database is named SSISDB exactly: the catalog views are not there.
			sc.Answers["dmsready:ssis-admin"] = tdstest.Fail(208, 16, "Invalid object name 'SSISDB.sys.database_role_members'.")
			sc.Answers["dmsready:ssis-catalog"] = tdstest.Fail(208, 16, "Invalid object name 'SSISDB.catalog.packages'.")
			sc.Strict = false
			s := tdstest.Start(t, sc)
			srv, errs := sqlsource.Collect(context.Background(), sqlscenario.Config(s))
			if len(errs) != 0 {
				t.Fatal(errs)
			}
			if got := strings.Join(srv.Objects.SSISPackages, " "); got != "LoadSales" || srv.Objects.Unread["ssisPackages"] != "" {
				t.Errorf("ssis = %q, unread = %q", got, srv.Objects.Unread["ssisPackages"])
			}
			// Turkish is case-insensitive but for i and I, different letters
			// there: ssisdb is no SSISDB, and DMSREADY is dmsready.
			want := "DMSREADY app_user"
			if strings.HasPrefix(coll, "Turkish") {
				want = "app_user"
			}
			if got := strings.Join(srv.Objects.Logins, " "); got != want {
				t.Errorf("logins = %q, want %s", got, want)
			}
			for _, r := range s.Requests() {
				if r.Marker == "dmsready:ssis-admin" || r.Marker == "dmsready:ssis-catalog" {
					t.Errorf("%s sent: there is no SSISDB", r.Marker)
				}
			}
			assertFindings(t, check.Run(checks.All, &facts.Facts{Plan: miOnline, Server: srv}), []expect{{"DMS407", "server:ssisPackages", "warn"}})
		})
	}
	// On a case-insensitive server the names are one: as before.
	sv := sqlscenario.Healthy()
	sv.Logins = []string{"DMSREADY", "app_user"}
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if got := strings.Join(srv.Objects.Logins, " "); got != "app_user" {
		t.Errorf("case-insensitive: logins = %q", got)
	}
}

// A database encryption key protected by an asymmetric key (EKM: Azure
// Key Vault) has an encryptor thumbprint that matches no certificate in
// master: DMS401 failed "matches no certificate". encryptor_type (2012+)
// tells; before 2012 it is unknown, and the query does not name it.
func TestTDEAsymmetricKeyProtector(t *testing.T) {
	const akv = "4B5A3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B"
	sv := sqlscenario.Healthy()
	sv.DEKs = [][]any{{6, 3, akv, "ASYMMETRIC KEY"}}
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if hr := srv.Databases[1]; hr.Name != "HR" || hr.EncryptorType != facts.EncryptorAsymmetricKey || hr.EncryptorThumbprint != akv {
		t.Fatalf("HR = %+v", hr)
	}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	fs := check.Run(checks.All, &facts.Facts{Plan: plan, Server: srv})
	assertFindings(t, fs, []expect{{"DMS401", "database:HR", "warn"}, {"DMS401", "database:Sales", "pass"}})
	for _, f := range fs {
		if f.CheckID == "DMS401" && f.Object == "database:HR" && (!strings.Contains(f.Message, akv) || !strings.Contains(f.Message, "Key Vault")) {
			t.Errorf("DMS401 HR: %s", f.Message)
		}
	}
	// 2008 R2 has no encryptor_type: unknown, and its query does not ask.
	old := sqlscenario.SQL2008R2()
	old.DEKs = [][]any{{6, 3, akv}}
	srv, errs = collectWith(t, old.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if hr := srv.Databases[1]; hr.EncryptorType != "" || hr.EncryptorThumbprint != akv {
		t.Errorf("2008 R2 HR = %+v", hr)
	}
	for _, q := range sqlOf(t, "dmsready:encryption-keys") {
		if strings.Contains(q, "encryption-keys-2008r2") == strings.Contains(q, "k.encryptor_type") {
			t.Errorf("encryptor_type read where it does not exist, or not read where it does:\n%s", q)
		}
	}
}

// SQL Server 2008 and 2008 R2 have no encryptor_type: a database
// encryption key protected by an asymmetric key (EKM) matched no
// certificate in master and DMS401 failed. The thumbprint is now looked up
// in master.sys.asymmetric_keys and master.sys.certificates there; one in
// neither stays unknown.
func TestTDEAsymmetricKeyProtector2008(t *testing.T) {
	const akv, gone = "4B5A3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B", "00112233445566778899AABBCCDDEEFF00112233"
	sv := sqlscenario.SQL2008R2()
	sv.DBs = append(sv.DBs, sqlscenario.DB{ID: 7, Name: "Pay", State: "ONLINE", Recovery: "FULL", Compat: 100, Encrypted: true},
		sqlscenario.DB{ID: 8, Name: "Old", State: "ONLINE", Recovery: "FULL", Compat: 100, Encrypted: true})
	sv.AsymKeys = [][]any{{"EKM_Pay", akv}}
	sv.DEKs = [][]any{{6, 3, sqlscenario.TDECert}, {7, 3, akv}, {8, 3, gone}}
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	want := map[string]string{"HR": facts.EncryptorCertificate, "Pay": facts.EncryptorAsymmetricKey, "Old": ""}
	for _, d := range srv.Databases {
		if w, ok := want[d.Name]; ok && d.EncryptorType != w {
			t.Errorf("%s: encryptorType %q, want %q", d.Name, d.EncryptorType, w)
		}
	}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "HR"}, {Name: "Pay"}, {Name: "Old"}}
	fs := check.Run(checks.All, &facts.Facts{Plan: plan, Server: srv})
	assertFindings(t, fs, []expect{{"DMS401", "database:HR", "skip"}, {"DMS401", "database:Pay", "warn"}, {"DMS401", "database:Old", "fail"}})
	for _, q := range sqlOf(t, "dmsready:encryption-keys-2008r2") {
		if strings.Contains(q, "k.encryptor_type") {
			t.Errorf("encryptor_type read on 2008 R2, where it does not exist:\n%s", q)
		}
	}
}

// A database replaced by RESTORE (or dropped and created again) under the
// same name keeps the msdb rows of its earlier incarnation; with no backup
// of its own yet, those decided DMS410 (pass on the old full), DMS411 and
// DMS412 (fail on the old log to NUL). backupset.database_guid against
// sys.database_recovery_status.database_guid tells them apart.
func TestEarlierIncarnationHistory(t *testing.T) {
	const old, cur = "11111111-2222-3333-4444-555555555555", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"
	sv := sqlscenario.Healthy()
	nul := sqlscenario.Backup(12, "L", sqlscenario.At("2026-11-20 03:00"), sqlscenario.LSN(41, 10, 1), sqlscenario.LSN(42, 10, 1),
		sqlscenario.LSN(40, 200, 1), sqlscenario.LSN(40, 200, 1), true, false, "NUL")
	sv.DBs[0].Backups = append(sv.DBs[0].Backups, nul)
	for _, b := range sv.DBs[0].Backups {
		b[sqlscenario.HistDBGUID] = old
	}
	sv.DBs[0].GUID = cur
	// HR's rows are its own: judged as before.
	sv.DBs[1].GUID = "0F0F0F0F-0000-4000-8000-000000000006"
	for _, b := range sv.DBs[1].Backups {
		b[sqlscenario.HistDBGUID] = "0f0f0f0f-0000-4000-8000-000000000006"
	}
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if d := srv.Databases[0]; d.Name != "Sales" || d.DatabaseGUID != cur {
		t.Fatalf("Sales = %+v", d)
	}
	if h := srv.BackupHistory[0]; h.DatabaseGUID != old {
		t.Fatalf("history = %+v", h)
	}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	fs := check.Run(checks.All, &facts.Facts{Plan: plan, Server: srv})
	assertFindings(t, fs, []expect{{"DMS410", "database:Sales", "skip"}, {"DMS412", "database:Sales", "skip"}, {"DMS411", "database:Sales", "skip"},
		{"DMS410", "database:HR", "pass"}, {"DMS412", "database:HR", "pass"}})
	for _, f := range fs {
		if f.Object == "database:Sales" && (f.CheckID == "DMS410" || f.CheckID == "DMS412") && !strings.Contains(f.Message, "earlier database") {
			t.Errorf("%s does not say the earlier database's rows were ignored: %s", f.CheckID, f.Message)
		}
	}
	// The current GUID is read only for an ONLINE database that is open.
	for _, q := range sqlOf(t, "dmsready:backup-history") {
		if !strings.Contains(q, "sys.database_recovery_status") || !strings.Contains(q, "'Status') = N'ONLINE'") || !strings.Contains(q, "'IsAutoClose') = 0") {
			t.Errorf("current database_guid not read, or read for databases not open:\n%s", q)
		}
	}
}

// checkSalesHR collects sv (which must collect without errors) and runs
// every check for an online Managed Instance migration of Sales and HR.
func checkSalesHR(t *testing.T, sv sqlscenario.Server) []check.Finding {
	t.Helper()
	srv, errs := collectWith(t, sv.Scenario())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	return check.Run(checks.All, &facts.Facts{Plan: plan, Server: srv})
}

// hiddenSales runs every check for a Managed Instance migration of Sales
// and HR by a login without VIEW ANY DATABASE, from which Sales, on the
// server, is hidden.
func hiddenSales(t *testing.T) []check.Finding {
	t.Helper()
	sv := sqlscenario.Healthy()
	sv.Perms = []any{1, 1, 0, 1, 1}
	sv.DBs = sv.DBs[1:]
	plan := miOnline
	plan.Databases = []facts.PlanDatabase{{Name: "Sales"}, {Name: "HR"}}
	_, fs, _ := run(t, sv, nil, plan)
	return fs
}
