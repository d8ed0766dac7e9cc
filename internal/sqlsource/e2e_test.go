package sqlsource_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/sqlsource/sqlscenario"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// run collects from a scenario and runs every check, as `dmsready check` does.
func run(t *testing.T, sv sqlscenario.Server, cfg func(*sqlsource.Config), plan facts.ResolvedPlan) (*facts.Facts, []check.Finding, *tdstest.Server) {
	t.Helper()
	s := tdstest.Start(t, sv.Scenario())
	c := sqlscenario.Config(s)
	if cfg != nil {
		cfg(&c)
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: sqlscenario.At("2026-11-25 12:00"), Plan: plan}
	srv, errs := sqlsource.Collect(context.Background(), c)
	f.Server = srv
	for _, e := range errs {
		f.AddError(e)
	}
	fs := check.Run(checks.All, f)
	for _, r := range s.Requests() {
		assertReadOnly(t, r.SQL)
	}
	return f, fs, s
}

// status returns the status of check id on obj ("" if none), and asserts no
// finding leaks the password.
func status(t *testing.T, fs []check.Finding, id, obj string) string {
	t.Helper()
	for _, f := range fs {
		if f.CheckID == id && f.Object == obj {
			return string(f.Status)
		}
	}
	return ""
}

func noLeak(t *testing.T, fs []check.Finding, errs []facts.SourceError) {
	t.Helper()
	for _, f := range fs {
		if strings.Contains(f.Message, sqlscenario.Password) || strings.Contains(fmt.Sprint(f.Evidence), sqlscenario.Password) {
			t.Errorf("password in finding %s", f.CheckID)
		}
	}
	for _, e := range errs {
		if strings.Contains(e.Error(), sqlscenario.Password) {
			t.Errorf("password in error %v", e.Kind)
		}
	}
}

type expect struct{ id, obj, status string }

func assertFindings(t *testing.T, fs []check.Finding, want []expect) {
	t.Helper()
	for _, w := range want {
		if got := status(t, fs, w.id, w.obj); got != w.status {
			var have []string
			for _, f := range fs {
				if f.CheckID == w.id {
					have = append(have, fmt.Sprintf("%s=%s (%s)", f.Object, f.Status, f.Message))
				}
			}
			t.Errorf("%s %s = %q, want %s; have %s", w.id, w.obj, got, w.status, strings.Join(have, "; "))
		}
	}
}

var miOnline = facts.ResolvedPlan{Mode: "online", Target: facts.PlanTarget{Kind: facts.KindMI, StorageLimitMB: 32768}}

func TestE2EHealthy2019(t *testing.T) {
	f, fs, _ := run(t, sqlscenario.Healthy(), nil, miOnline)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	noLeak(t, fs, f.Errors)
	// collect on one machine, check on another: the facts survive JSON.
	var buf bytes.Buffer
	if err := facts.Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	back, err := facts.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fmt.Sprint(check.Run(checks.All, back)), fmt.Sprint(fs); a != b {
		t.Errorf("findings differ after a JSON round trip:\n%s\n%s", a, b)
	}
	assertFindings(t, fs, []expect{
		{"DMS401", "database:HR", "pass"},
		{"DMS401", "database:Sales", "pass"},
		{"DMS406", "server:logins", "warn"},
		{"DMS406", "server:credentials", "pass"},
		{"DMS407", "server:agentJobs", "warn"},
		{"DMS407", "server:ssisPackages", "pass"},
		{"DMS408", "database:Sales", "pass"},
		{"DMS409", "database:Sales", "pass"},
		{"DMS410", "database:Sales", "pass"},
		{"DMS410", "database:HR", "pass"},
		{"DMS411", "database:Sales", "pass"},
		{"DMS412", "database:Sales", "pass"},
		{"DMS413", "target", "pass"},
		{"DMS414", "database:Sales", "pass"},
		{"DMS415", "server", "pass"},
		{"DMS402", "-", "skip"}, // sqldb only
		{"DMS501", "-", "skip"}, // no target
	})
	for _, fd := range fs {
		if fd.Status == check.StatusError || fd.Status == check.StatusFail {
			t.Errorf("healthy server: %s %s %s: %s", fd.CheckID, fd.Object, fd.Status, fd.Message)
		}
	}
}

func TestE2ETDEKeyNeverBackedUp(t *testing.T) {
	_, fs, _ := run(t, sqlscenario.TDEKeyNeverBackedUp(), nil, miOnline)
	assertFindings(t, fs, []expect{{"DMS401", "database:HR", "warn"}, {"DMS401", "database:Sales", "pass"}})
}

func TestE2EMsdbDenied(t *testing.T) {
	srvT := tdstest.Start(t, sqlscenario.MsdbDenied().Scenario())
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: miOnline}
	var errs []facts.SourceError
	f.Server, errs = sqlsource.Collect(context.Background(), sqlscenario.Config(srvT))
	for _, e := range errs {
		f.AddError(e)
	}
	if len(errs) != 1 || errs[0].Source != facts.SrcBackupHistory || errs[0].Kind != "permission" || errs[0].Permission != "db_datareader in msdb" {
		t.Fatalf("errors = %+v", errs)
	}
	if f.Server.BackupHistory != nil || f.Server.Objects.AgentJobs != nil || f.Server.Objects.Logins == nil {
		t.Errorf("msdb facts should be nil, others present: %+v", f.Server.Objects)
	}
	fs := check.Run(checks.All, f)
	msdb := map[string]bool{"DMS407": true, "DMS410": true, "DMS411": true, "DMS412": true}
	for _, fd := range fs {
		switch {
		case msdb[fd.CheckID]:
			if fd.Status != check.StatusError || fd.Evidence["permission"] != "db_datareader in msdb" {
				t.Errorf("%s: %s %v, want error naming the permission", fd.CheckID, fd.Status, fd.Evidence)
			}
		case fd.Status == check.StatusError:
			t.Errorf("%s errored without msdb: %s", fd.CheckID, fd.Message)
		}
	}
	// Every other check still gave its verdict.
	assertFindings(t, fs, []expect{{"DMS401", "database:HR", "pass"}, {"DMS406", "server:logins", "warn"}, {"DMS409", "database:Sales", "pass"}, {"DMS413", "target", "pass"}})
}

func TestE2ELoginFailed(t *testing.T) {
	f, fs, s := run(t, sqlscenario.Healthy(), func(c *sqlsource.Config) { c.Password = "wrong-" + sqlscenario.Password }, miOnline)
	if f.Server != nil || len(f.Errors) != 1 || f.Errors[0].Source != facts.SrcServer || f.Errors[0].Kind != "login-failed" {
		t.Fatalf("facts = %+v, errors = %+v", f.Server, f.Errors)
	}
	if !strings.Contains(f.Errors[0].Message, "18456") || strings.Contains(f.Errors[0].Message, "wrong-") {
		t.Errorf("message = %s", f.Errors[0].Message)
	}
	if len(s.Requests()) != 0 {
		t.Errorf("queries after a failed login: %d", len(s.Requests()))
	}
	for _, fd := range fs {
		if strings.HasPrefix(fd.CheckID, "DMS4") && fd.Status != check.StatusError && !strings.HasPrefix(fd.Message, "does not apply") {
			t.Errorf("%s = %s, want error", fd.CheckID, fd.Status)
		}
	}
	noLeak(t, fs, f.Errors)
}

func TestE2E2012(t *testing.T) {
	f, fs, _ := run(t, sqlscenario.SQL2012(), nil, miOnline)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	if f.Server.Major != 11 || len(f.Server.BackupHistory) != 3 || !f.Server.Certificates[0].PrivateKeyBackupKnown {
		t.Errorf("server = %+v", f.Server)
	}
	assertFindings(t, fs, []expect{{"DMS401", "database:HR", "pass"}, {"DMS410", "database:Sales", "pass"}, {"DMS415", "server", "pass"}})
}

func TestE2E2008R2(t *testing.T) {
	f, fs, s := run(t, sqlscenario.SQL2008R2(), nil, miOnline)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	if f.Server.Objects.ServerRoles == nil || len(f.Server.Objects.ServerRoles) != 0 {
		t.Errorf("2008 R2 has no user-defined server roles: %v", f.Server.Objects.ServerRoles)
	}
	for _, r := range s.Requests() {
		if r.Marker == "dmsready:server-roles" || r.Marker == "dmsready:databases" || r.Marker == "dmsready:certificates" {
			t.Errorf("2012-only query sent to 2008 R2: %s", r.Marker)
		}
	}
	// The private key backup date is unknown there: skip, never a guess.
	assertFindings(t, fs, []expect{{"DMS401", "database:HR", "skip"}})
}

func TestE2ENulls(t *testing.T) {
	st := tdstest.Start(t, sqlscenario.Nulls())
	srv, errs := sqlsource.Collect(context.Background(), sqlscenario.Config(st))
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	d := srv.Databases[0]
	if d.Name != "N" || d.State != "" || d.EncryptionState == nil || d.Tables == nil || d.Tables.Count != 1 || len(srv.BackupHistory) != 1 {
		t.Errorf("facts = %+v", srv)
	}
	if h := srv.BackupHistory[0]; h.Start != nil || !h.FirstLSN.IsZero() || h.PhysicalDevices != nil {
		t.Errorf("NULL history row = %+v", h)
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Server: srv, Plan: miOnline}
	for _, fd := range check.Run(checks.All, f) {
		if fd.Status == check.StatusError {
			t.Errorf("%s errored on NULLs: %s", fd.CheckID, fd.Message)
		}
	}
}

func TestE2E100kTables(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000-row fixture")
	}
	sv := sqlscenario.ManyTables(100001)
	plan := facts.ResolvedPlan{Mode: "offline", Target: facts.PlanTarget{Kind: facts.KindDB}}
	f, fs, _ := run(t, sv, nil, plan)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	if n := f.Server.Databases[0].Tables.Count; n != 100001 {
		t.Errorf("count = %d", n)
	}
	assertFindings(t, fs, []expect{
		{"DMS403", "database:Sales", "fail"},
		{"DMS403", "database:HR", "pass"},
		{"DMS405", "database:Sales", "warn"},
		{"DMS402", "database:Sales", "warn"}, // Straße: a Latin-1 character, one byte in a Windows code page,
		{"DMS401", "-", "skip"},
	})
}

func TestE2EFailureKinds(t *testing.T) {
	st := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	closed := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	closed.Close() // a port nothing listens on
	slow := sqlscenario.Healthy().Scenario()
	slow.Answers["dmsready:files"] = tdstest.Fixed(tdstest.Reply{Delay: 5 * time.Second})
	slowS := tdstest.Start(t, slow)
	slowFirst := sqlscenario.Healthy().Scenario()
	slowFirst.Answers["dmsready:server"] = tdstest.Fixed(tdstest.Reply{Delay: 5 * time.Second})
	slowFirstS := tdstest.Start(t, slowFirst)
	for _, tc := range []struct {
		name  string
		cfg   sqlsource.Config
		kind  string
		src   facts.Source
		wantN int
	}{
		{"tls", func() sqlsource.Config { c := sqlscenario.Config(st); c.Encrypt = "true"; return c }(), "tls", facts.SrcServer, 1},
		{"unreachable", sqlscenario.Config(closed), "unreachable", facts.SrcServer, 1},
		{"bad encrypt", func() sqlsource.Config { c := sqlscenario.Config(st); c.Encrypt = "maybe"; return c }(), "invalid", facts.SrcServer, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, errs := sqlsource.Collect(context.Background(), tc.cfg)
			if srv != nil || len(errs) != tc.wantN || string(errs[0].Kind) != tc.kind || errs[0].Source != tc.src {
				t.Fatalf("got %v, %+v", srv != nil, errs)
			}
			if strings.Contains(errs[0].Message, sqlscenario.Password) {
				t.Error("password in message")
			}
		})
	}
	t.Run("query timeout kind", func(t *testing.T) {
		// A query timeout is its own kind, naming the setting to raise.
		c := sqlscenario.Config(slowFirstS)
		c.QueryTimeout = 300 * time.Millisecond
		_, errs := sqlsource.Collect(context.Background(), c)
		if len(errs) != 1 || errs[0].Kind != "timeout" || !strings.Contains(errs[0].Message, "queryTimeout") || !strings.Contains(errs[0].Message, "300ms") {
			t.Errorf("errors = %+v, want a timeout naming queryTimeout", errs)
		}
	})
	t.Run("query timeout", func(t *testing.T) {
		c := sqlscenario.Config(slowS)
		c.QueryTimeout = 300 * time.Millisecond
		srv, errs := sqlsource.Collect(context.Background(), c)
		// files time out; sizes stay unknown but everything else is read.
		if srv == nil || srv.Databases == nil || srv.Databases[0].Files != nil || srv.Certificates == nil {
			t.Fatalf("server = %+v, errs = %+v", srv, errs)
		}
		var canceled []string
		for _, r := range slowS.Requests() {
			if r.Canceled {
				canceled = append(canceled, r.Marker)
			}
		}
		sort.Strings(canceled)
		if len(canceled) != 1 || canceled[0] != "dmsready:files" {
			t.Errorf("canceled = %v", canceled)
		}

	})
}

func TestE2EDSNPasswordNeverEchoed(t *testing.T) {
	st := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	pw := "Wr0ng;Pa55"
	c := sqlsource.Config{Server: fmt.Sprintf("sqlserver://dmsready:%s@%s?encrypt=disable", "Wr0ng%3BPa55", st.Addr())}
	srv, errs := sqlsource.Collect(context.Background(), c)
	if srv != nil || len(errs) != 1 || errs[0].Kind != "login-failed" {
		t.Fatalf("got %+v", errs)
	}
	for _, s := range []string{errs[0].Error(), c.String(), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, pw) || strings.Contains(s, "Wr0ng") {
			t.Errorf("password echoed: %s", s)
		}
	}
	// The right password in the DSN logs in.
	c.Server = fmt.Sprintf("sqlserver://dmsready:%s@%s?encrypt=disable", "S3cret%21pw", st.Addr())
	if srv, errs := sqlsource.Collect(context.Background(), c); srv == nil || len(errs) != 0 {
		t.Errorf("DSN login: %+v", errs)
	}
}

// A login with only VIEW ANY DATABASE and msdb access: what needs VIEW ANY
// DEFINITION or VIEW SERVER STATE errors naming it, and nothing is guessed.
func TestE2EWithoutViewAnyDefinition(t *testing.T) {
	f, fs, s := run(t, sqlscenario.WithoutViewAnyDefinition(), nil, miOnline)
	byKind := map[facts.Source]string{}
	for _, e := range f.Errors {
		byKind[e.Source] = e.Permission
	}
	want := map[facts.Source]string{facts.SrcFiles: "VIEW ANY DEFINITION", facts.SrcEncryption: "VIEW SERVER STATE", facts.SrcTables: "VIEW ANY DEFINITION and CONNECT ANY DATABASE (2014+; older: a user in each database)", facts.SrcServerObjects: "VIEW ANY DEFINITION"}
	if fmt.Sprint(byKind) != fmt.Sprint(want) {
		t.Errorf("errors = %v", f.Errors)
	}
	for _, r := range s.Requests() {
		switch r.Marker {
		case "dmsready:files", "dmsready:certificates", "dmsready:encryption-keys", "dmsready:tables", "dmsready:logins":
			t.Errorf("%s sent without its permission", r.Marker)
		}
	}
	if f.Server.Databases[0].Files != nil {
		t.Error("sizes reported without sys.master_files")
	}
	assertFindings(t, fs, []expect{
		{"DMS401", "-", "error"},
		{"DMS406", "-", "error"},
		{"DMS409", "database:Sales", "pass"},
		{"DMS410", "database:Sales", "pass"},
		{"DMS413", "-", "error"}, // sizes unknown: an error naming VIEW ANY DEFINITION, never a pass
	})
}

func BenchmarkCollect100kTables(b *testing.B) {
	s := tdstest.Start(b, sqlscenario.ManyTables(100000).Scenario())
	c := sqlscenario.Config(s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if srv, errs := sqlsource.Collect(context.Background(), c); srv == nil || len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}

// Windows authentication without a user uses Kerberos off Windows; with no
// Kerberos set up the failure is about the login, not the network.
func TestE2EKerberosNotConfigured(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows uses SSPI, not Kerberos from a config file")
	}
	st := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	t.Setenv("KRB5_CONFIG", filepath.Join(t.TempDir(), "no-krb5.conf"))
	c := sqlscenario.Config(st)
	c.Auth, c.User, c.Password = "windows", "", ""
	_, errs := sqlsource.Collect(context.Background(), c)
	if len(errs) != 1 || errs[0].Kind != "login-failed" || !strings.Contains(errs[0].Message, "kinit") || strings.Contains(errs[0].Message, "firewall") {
		t.Fatalf("errs = %+v", errs)
	}
}

// A named instance without a port is looked up through SQL Server Browser;
// when that finds nothing the server is unreachable as named, and the fix
// is the instance name or an explicit port.
func TestE2EInstanceNotFound(t *testing.T) {
	c := sqlsource.Config{Server: `127.0.0.1\NOSUCH`, User: sqlscenario.User, Password: sqlscenario.Password,
		Encrypt: "disable", ConnectTimeout: 5 * time.Second, QueryTimeout: 5 * time.Second}
	_, errs := sqlsource.Collect(context.Background(), c)
	if len(errs) != 1 || errs[0].Kind != "unreachable" || !strings.Contains(errs[0].Message, "host,port") {
		t.Fatalf("errs = %+v", errs)
	}
}
