package sqlsource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/sqlsource/sqlscenario"
	"github.com/dmsready/dmsready/internal/tdstest"
)

func collect(t *testing.T, sv sqlscenario.Server) (*facts.Server, []facts.SourceError, *tdstest.Server) {
	t.Helper()
	s := tdstest.Start(t, sv.Scenario())
	srv, errs := sqlsource.Collect(context.Background(), sqlscenario.Config(s))
	return srv, errs, s
}

func TestCollectHealthy(t *testing.T) {
	srv, errs, s := collect(t, sqlscenario.Healthy())
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if srv.Major != 15 || srv.Version != "15.0.4365.2" || srv.EngineEdition != 3 || srv.Collation == "" {
		t.Errorf("server = %+v", srv)
	}
	if len(srv.Databases) != 2 {
		t.Fatalf("databases = %+v", srv.Databases)
	}
	sales, hr := srv.Databases[0], srv.Databases[1]
	if sales.Name != "Sales" || sales.DataBytes != 128000*8192 || sales.LogBytes != 12800*8192 || len(sales.Files) != 2 || sales.Files[1].LogicalName != "Sales_log" {
		t.Errorf("Sales = %+v", sales)
	}
	if sales.Tables == nil || sales.Tables.Count != 3 || len(sales.Tables.LOBColumns) != 1 || sales.Tables.LOBColumns[0].TableLOBBytes != 4<<20 {
		t.Errorf("Sales tables = %+v", sales.Tables)
	}
	if !hr.Encrypted || hr.EncryptionState == nil || *hr.EncryptionState != 3 || hr.EncryptorThumbprint != sqlscenario.TDECert {
		t.Errorf("HR = %+v", hr)
	}
	if len(srv.Certificates) != 1 || srv.Certificates[0].PrivateKeyLastBackup == nil || !srv.Certificates[0].PrivateKeyBackupKnown {
		t.Errorf("certificates = %+v", srv.Certificates)
	}
	if len(srv.BackupHistory) != 3 {
		t.Fatalf("history = %+v", srv.BackupHistory)
	}
	h := srv.BackupHistory[0]
	if h.Database != "Sales" || h.Type != "D" || !h.HasChecksums || h.LastLSN.String() != sqlscenario.LSN(40, 300, 1) || h.Start == nil || len(h.PhysicalDevices) != 1 {
		t.Errorf("history[0] = %+v", h)
	}
	if o := srv.Objects; o == nil || len(o.Logins) != 2 || len(o.AgentJobs) != 1 || o.ServerRoles == nil || o.SSISPackages == nil {
		t.Errorf("objects = %+v", o)
	}

	// Read-only by construction: only SELECTs, parameters as parameters.
	lg := s.Logins()
	if len(lg) == 0 || !lg[0].ReadOnlyIntent || lg[0].AppName != "dmsready" {
		t.Errorf("logins = %+v", lg)
	}
	sawParam := false
	for _, r := range s.Requests() {
		assertReadOnly(t, r.SQL)
		if r.Marker == "dmsready:backup-history" {
			if r.Kind != "rpc" || len(r.Params) != 1 || r.Params[0].Name != "@p1" || strings.Contains(r.SQL, "'Sales'") {
				t.Errorf("backup history request = %+v", r)
			}
			sawParam = true
		}
	}
	if !sawParam {
		t.Error("no parameterised backup-history query")
	}
	b, _ := json.Marshal(srv)
	if strings.Contains(string(b), sqlscenario.Password) {
		t.Error("password in facts")
	}
}

// assertReadOnly fails on anything but one read-only SELECT.
func assertReadOnly(t *testing.T, sql string) {
	t.Helper()
	if err := sqlsource.ReadOnly(sql); err != nil {
		t.Errorf("%v: %.120s", err, sql)
	}
}

func TestCollectSelectedDatabasesAndNoAccess(t *testing.T) {
	sv := sqlscenario.Healthy()
	sv.DBs = append(sv.DBs, sqlscenario.DB{ID: 9, Name: "Odd]Name", State: "ONLINE", Recovery: "FULL", Tables: []string{"dbo.A", "dbo.B"}},
		sqlscenario.DB{ID: 10, Name: "Closed", State: "OFFLINE", Recovery: "FULL"})
	sc := sv.Scenario()
	tables := sc.Answers["dmsready:tables"]
	sc.Answers["dmsready:tables"] = func(r tdstest.Request) tdstest.Reply {
		if strings.Contains(r.SQL, "[HR].sys.") {
			return tdstest.Reply{Err: &tdstest.Error{Number: 916, Class: 14, State: 1, Message: "The server principal \"dmsready\" is not able to access the database \"HR\" under the current security context."}}
		}
		return tables(r)
	}
	s := tdstest.Start(t, sc)
	c := sqlscenario.Config(s)
	c.Databases = []string{"hr", "Odd]Name", "Closed"}
	srv, errs := sqlsource.Collect(context.Background(), c)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	got := map[string]string{}
	for _, d := range srv.Databases {
		v := d.TablesError
		if d.TablesFailed {
			// Denied is a failure (an error in the checks); excluded or offline is not.
			v = "failed: " + v
		}
		if d.Tables != nil {
			v = fmt.Sprintf("%d tables", d.Tables.Count)
		}
		got[d.Name] = v
	}
	if got["Odd]Name"] != "2 tables" || got["Sales"] != "not among the databases selected for collection" ||
		got["Closed"] != "database is OFFLINE" || !strings.HasPrefix(got["HR"], "failed: ") || !strings.Contains(got["HR"], "916") || !strings.Contains(got["HR"], "CONNECT ANY DATABASE") {
		t.Errorf("tables = %q", got)
	}
	for _, h := range srv.BackupHistory {
		if h.Database == "Sales" {
			t.Error("backup history read for an unselected database")
		}
	}
	for _, r := range s.Requests() {
		if strings.Contains(r.SQL, "Closed].sys") {
			t.Error("queried an offline database")
		}
	}
}
