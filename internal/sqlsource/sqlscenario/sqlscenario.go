// Package sqlscenario holds canned SQL Server sources and targets for tests:
// each answers dmsready's queries (by their marker comment) with result sets
// whose columns follow the query's SELECT list in sqlsource/queries.go. It is
// a normal package so tests of the sqlsource collector and of the built CLI
// share one set of fixtures; nothing outside tests imports it.
package sqlscenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// The login every source scenario accepts; any other is refused with 18456.
const (
	User     = "dmsready"
	Password = "S3cret!pw"
)

// TDECert is the thumbprint of the certificate protecting HR in Healthy.
const TDECert = "8E2F7B0C3A1D4E5F60718293A4B5C6D7E8F90112"

// Column types, short for fixtures.
const (
	S  = tdstest.NVarChar
	I  = tdstest.Int
	BI = tdstest.BigInt
	B  = tdstest.Bit
	DT = tdstest.DateTime
)

// MsdbDeniedMessage is the 229 error a login without msdb access gets.
const MsdbDeniedMessage = "The SELECT permission was denied on the object 'backupset', database 'msdb', schema 'dbo'."

// DB is one fixture database.
type DB struct {
	ID                    int
	Name, State, Recovery string
	Compat                int
	Encrypted             bool
	Containment, AG       any
	AGPref                any     // automated_backup_preference_desc
	Files                 [][]any // file_id, type_desc, name, physical, pages
	Filegroups            [][]any // file_id, sys.filegroups type of FILESTREAM-type files
	Tables                []string
	LOBs                  [][]any // schema, table, column, type, lob bytes
	Backups               [][]any // backup-history rows of this database (see Backup)
	// GUID is sys.database_recovery_status.database_guid, which the
	// history query reports with every row (nil: not read).
	GUID any
}

// Server is one fixture source server; Scenario turns it into TDS answers.
type Server struct {
	// Name is @@SERVERNAME ("SQL01" when empty).
	Name    string
	Version string
	Major   int
	DBs     []DB
	Certs   [][]any // name, thumbprint, pvt_key_last_backup_date, expiry
	DEKs    [][]any // database_id, state, thumbprint[, encryptor_type: NULL when left out]
	// AsymKeys are master.sys.asymmetric_keys: name, thumbprint. Before
	// 2012 the key query's encryptor_type is computed as SQL Server would
	// from the master views its text reads: a thumbprint matching one of
	// these or of Certs, NULL otherwise.
	AsymKeys [][]any
	// Perms are HAS_PERMS_BY_NAME for VIEW ANY DEFINITION, VIEW SERVER
	// STATE, VIEW ANY DATABASE, ALTER ANY LINKED SERVER and (2022+) VIEW
	// SERVER SECURITY STATE; nil means all granted.
	Perms []any
	// Collation is SERVERPROPERTY('Collation'); "" means
	// SQL_Latin1_General_CP1_CI_AS.
	Collation string
	// Login is SUSER_SNAME(); "" means User.
	Login   string
	Logins  []string
	Roles   []string
	Creds   []string
	Audits  []string
	Linked  []string
	Jobs    []string
	SSIS    []string
	Catalog []string
	// SSISNotAdmin: the login is neither sysadmin nor in SSISDB's
	// ssis_admin, so catalog.packages shows it only the projects it may
	// READ (row-level security): none here.
	SSISNotAdmin bool
	// MsdbDenied answers every msdb query with error 229, as for a login
	// without a user in msdb.
	MsdbDenied bool
}

// C is a column.
func C(name string, t tdstest.Type) tdstest.Col { return tdstest.Col{Name: name, Type: t} }

// Names is a one-column result set of names.
func Names(names []string) tdstest.Result {
	r := tdstest.Result{Cols: []tdstest.Col{C("name", S)}, Rows: [][]any{}}
	for _, n := range names {
		r.Rows = append(r.Rows, []any{n})
	}
	return r
}

// At parses "2006-01-02 15:04" as UTC; a bad literal is a broken fixture.
func At(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// LSN is an LSN in the decimal form msdb stores.
func LSN(vlf, block, slot int) string { return fmt.Sprintf("%d%010d%05d", vlf, block, slot) }

// Backup is one backup-history row.
func Backup(id int, typ string, start time.Time, first, last, ckpt, dbl string, sums, copyOnly bool, device string) []any {
	return []any{id, typ, start, start.Add(10 * time.Minute), first, last, ckpt, dbl, sums, copyOnly, false, true,
		nil, fmt.Sprintf("6F9619FF-8B86-D011-B42D-00C04FC964%02d", id), 2, device, 0, "9D2F3A4B-0000-4000-8000-000000000001", false, nil, nil}
}

// HistDBGUID is the column of backupset.database_guid in a Backup row.
const HistDBGUID = 19

// ServerCols and DatabaseCols are the columns of the server and databases
// queries, for scenarios that replace those answers.
var (
	ServerCols   = []tdstest.Col{C("server_name", S), C("product_version", S), C("edition", S), C("engine_edition", I), C("collation", S), C("login_name", S)}
	DatabaseCols = []tdstest.Col{C("database_id", I), C("name", S), C("state_desc", S), C("recovery_model_desc", S), C("compatibility_level", I),
		C("is_encrypted", B), C("containment_desc", S), C("availability_group", S), C("ag_backup_preference", S), C("in_availability_group", B)}
	PermissionCols = []tdstest.Col{C("view_any_definition", I), C("view_server_state", I), C("view_any_database", I),
		C("alter_any_linked_server", I), C("view_server_security_state", I)}
)

// Scenario turns the fixture into TDS answers, with version-specific queries
// answered only on the versions that run them (the server is strict).
func (sv Server) Scenario() *tdstest.Scenario {
	a := map[string]tdstest.Responder{}
	name := sv.Name
	if name == "" {
		name = "SQL01"
	}
	login := sv.Login
	if login == "" {
		login = User
	}
	coll := sv.Collation
	if coll == "" {
		coll = "SQL_Latin1_General_CP1_CI_AS"
	}
	a["dmsready:server"] = tdstest.Sets(tdstest.Result{
		Cols: ServerCols,
		Rows: [][]any{{name, sv.Version, "Enterprise Edition (64-bit)", 3, coll, login}},
	})
	perms := sv.Perms
	if perms == nil {
		perms = []any{1, 1, 1, 1, 1}
	}
	if sv.Major >= 16 {
		a["dmsready:permissions-2022"] = tdstest.Sets(tdstest.Result{Cols: PermissionCols, Rows: [][]any{perms}})
	} else {
		// Before 2022 the last column is always NULL: no such permission.
		a["dmsready:permissions"] = tdstest.Sets(tdstest.Result{Cols: PermissionCols, Rows: [][]any{append(append([]any{}, perms[:4]...), nil)}})
	}
	dbs := tdstest.Result{Cols: DatabaseCols, Rows: [][]any{}}
	files := tdstest.Result{Cols: []tdstest.Col{C("database_id", I), C("file_id", I), C("type_desc", S), C("name", S), C("physical_name", S), C("pages", BI)}, Rows: [][]any{}}
	// sys.availability_groups and sys.availability_replicas show no rows
	// without VIEW ANY DEFINITION: the LEFT JOIN then gives NULLs.
	agSeen := len(perms) == 0 || perms[0] != 0
	// master, model and msdb: a default install's sizes (tempdb, 2, is
	// rebuilt at every start and never read).
	files.Rows = append(files.Rows, [][]any{
		{1, 1, "ROWS", "master", `C:\data\master.mdf`, int64(640)}, {1, 2, "LOG", "mastlog", `C:\data\mastlog.ldf`, int64(256)},
		{3, 1, "ROWS", "modeldev", `C:\data\model.mdf`, int64(1024)}, {3, 2, "LOG", "modellog", `C:\data\modellog.ldf`, int64(1024)},
		{4, 1, "ROWS", "MSDBData", `C:\data\MSDBData.mdf`, int64(2560)}, {4, 2, "LOG", "MSDBLog", `C:\data\MSDBLog.ldf`, int64(640)},
	}...)
	for _, d := range sv.DBs {
		ag, pref := d.AG, d.AGPref
		if !agSeen {
			ag, pref = nil, nil
		}
		dbs.Rows = append(dbs.Rows, []any{d.ID, d.Name, d.State, d.Recovery, d.Compat, d.Encrypted, d.Containment, ag, pref, d.AG != nil && sv.Major >= 11})
		for _, f := range d.Files {
			files.Rows = append(files.Rows, append([]any{d.ID}, f...))
		}
	}
	certCols := []tdstest.Col{C("name", S), C("thumbprint", S), C("pvt_key_last_backup_date", DT), C("expiry_date", DT)}
	if sv.Major >= 11 {
		a["dmsready:databases"] = tdstest.Sets(dbs)
		a["dmsready:certificates"] = tdstest.Sets(tdstest.Result{Cols: certCols, Rows: sv.Certs})
		a["dmsready:server-roles"] = tdstest.Sets(Names(sv.Roles))
		admin := []any{0, 1}
		if sv.SSISNotAdmin {
			admin = []any{0, 0}
		}
		a["dmsready:ssis-admin"] = tdstest.Sets(tdstest.Result{Cols: []tdstest.Col{C("is_sysadmin", I), C("ssis_admin", I)}, Rows: [][]any{admin}})
		if sv.SSISNotAdmin {
			a["dmsready:ssis-catalog"] = tdstest.Sets(Names(nil))
		} else {
			a["dmsready:ssis-catalog"] = tdstest.Sets(Names(sv.Catalog))
		}
	} else {
		a["dmsready:databases-2008r2"] = tdstest.Sets(dbs)
		a["dmsready:certificates-2008r2"] = tdstest.Sets(tdstest.Result{Cols: certCols, Rows: sv.Certs})
	}
	a["dmsready:files"] = tdstest.Sets(files)
	deks := make([][]any, 0, len(sv.DEKs))
	for _, k := range sv.DEKs {
		k = append([]any{}, k...)
		if len(k) == 3 || sv.Major < 11 {
			k = append(k[:3], nil)
		}
		deks = append(deks, k)
	}
	dekCols := []tdstest.Col{C("database_id", I), C("encryption_state", I), C("thumbprint", S), C("encryptor_type", S)}
	if sv.Major >= 11 {
		a["dmsready:encryption-keys"] = tdstest.Sets(tdstest.Result{Cols: dekCols, Rows: deks})
	} else {
		// No encryptor_type column: the type is only what the query's own
		// lookups in master find.
		a["dmsready:encryption-keys-2008r2"] = func(r tdstest.Request) tdstest.Reply {
			out := tdstest.Result{Cols: dekCols, Rows: make([][]any, 0, len(deks))}
			for _, k := range deks {
				k = append([]any{}, k...)
				switch th, _ := k[2].(string); {
				case strings.Contains(r.SQL, "master.sys.asymmetric_keys") && hasThumb(sv.AsymKeys, 1, th):
					k[3] = "ASYMMETRIC KEY"
				case strings.Contains(r.SQL, "master.sys.certificates") && hasThumb(sv.Certs, 1, th):
					k[3] = "CERTIFICATE"
				}
				out.Rows = append(out.Rows, k)
			}
			return tdstest.Reply{Sets: []tdstest.Result{out}}
		}
	}
	byName := map[string]DB{}
	for _, d := range sv.DBs {
		byName[d.Name] = d
	}
	histCols := []tdstest.Col{C("backup_set_id", I), C("type", S), C("backup_start_date", DT), C("backup_finish_date", DT),
		C("first_lsn", S), C("last_lsn", S), C("checkpoint_lsn", S), C("database_backup_lsn", S),
		C("has_backup_checksums", B), C("is_copy_only", B), C("is_damaged", B), C("is_compressed", B),
		C("encryptor_thumbprint", S), C("backup_set_uuid", S), C("device_type", I), C("physical_device_name", S),
		C("other_server", I), C("recovery_fork", S), C("is_snapshot", B), C("database_guid", S), C("current_database_guid", S)}
	hist := func(r tdstest.Request) tdstest.Reply {
		name, _ := r.Params[0].Value.(string)
		d := byName[name]
		rows := make([][]any, 0, len(d.Backups))
		for _, b := range d.Backups {
			if d.GUID != nil && b[20] == nil {
				b = append([]any{}, b...)
				b[20] = d.GUID
			}
			rows = append(rows, b)
		}
		return tdstest.Reply{Sets: []tdstest.Result{{Cols: histCols, Rows: rows}}}
	}
	if sv.Major >= 12 {
		a["dmsready:backup-history"] = hist
	} else {
		a["dmsready:backup-history-2008r2"] = hist
	}
	// Per-database queries name the database in the text: find which.
	dbOf := func(r tdstest.Request) DB {
		for _, d := range sv.DBs {
			if strings.Contains(r.SQL, "["+strings.ReplaceAll(d.Name, "]", "]]")+"].sys.") {
				return d
			}
		}
		return DB{}
	}
	a["dmsready:tables"] = func(r tdstest.Request) tdstest.Reply {
		d := dbOf(r)
		out := tdstest.Result{Cols: []tdstest.Col{C("schema_name", S), C("table_name", S)}, Rows: make([][]any, 0, len(d.Tables))}
		for _, t := range d.Tables {
			sch, name, _ := strings.Cut(t, ".")
			out.Rows = append(out.Rows, []any{sch, name})
		}
		return tdstest.Reply{Sets: []tdstest.Result{out}}
	}
	a["dmsready:filegroups"] = func(r tdstest.Request) tdstest.Reply {
		return tdstest.Reply{Sets: []tdstest.Result{{Cols: []tdstest.Col{C("file_id", I), C("filegroup_type", S)}, Rows: dbOf(r).Filegroups}}}
	}
	a["dmsready:lob-columns"] = func(r tdstest.Request) tdstest.Reply {
		return tdstest.Reply{Sets: []tdstest.Result{{Cols: []tdstest.Col{C("schema_name", S), C("table_name", S), C("column_name", S), C("type_name", S), C("table_lob_bytes", BI)}, Rows: dbOf(r).LOBs}}}
	}
	a["dmsready:logins"] = tdstest.Sets(Names(sv.Logins))
	a["dmsready:credentials"] = tdstest.Sets(Names(sv.Creds))
	a["dmsready:audits"] = tdstest.Sets(Names(sv.Audits))
	a["dmsready:linked-servers"] = tdstest.Sets(Names(sv.Linked))
	a["dmsready:agent-jobs"] = tdstest.Sets(Names(sv.Jobs))
	a["dmsready:ssis-msdb"] = tdstest.Sets(Names(sv.SSIS))
	if sv.MsdbDenied {
		deny := tdstest.Fail(229, 14, MsdbDeniedMessage)
		for _, m := range []string{"dmsready:backup-history", "dmsready:backup-history-2008r2", "dmsready:agent-jobs", "dmsready:ssis-msdb"} {
			if a[m] != nil {
				a[m] = deny
			}
		}
	}
	return &tdstest.Scenario{
		Strict:  true,
		Version: [3]int{sv.Major, 0, 2000},
		Answers: a,
		Login: func(l tdstest.Login) *tdstest.Error {
			if l.User != User || l.Password() != Password {
				return &tdstest.Error{Number: 18456, State: 8, Class: 14, Message: fmt.Sprintf("Login failed for user '%s'.", l.User)}
			}
			return nil
		},
	}
}

// hasThumb reports whether a row of rows holds thumbprint th in column col.
func hasThumb(rows [][]any, col int, th string) bool {
	for _, r := range rows {
		if v, _ := r[col].(string); th != "" && strings.EqualFold(v, th) {
			return true
		}
	}
	return false
}

// Healthy is a SQL Server 2019 ready for a Managed Instance: Sales with full
// and log backups, HR TDE-encrypted with a backed-up certificate, a Windows
// login and an Agent job (warnings only).
func Healthy() Server {
	return Server{
		Version: "15.0.4365.2", Major: 15,
		DBs: []DB{
			{ID: 5, Name: "Sales", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE",
				Files:  [][]any{{1, "ROWS", "Sales", `D:\data\Sales.mdf`, int64(128000)}, {2, "LOG", "Sales_log", `L:\log\Sales_log.ldf`, int64(12800)}},
				Tables: []string{"dbo.Orders", "dbo.Customers", "sales.Invoices"},
				LOBs:   [][]any{{"dbo", "Customers", "Notes", "nvarchar", int64(4 << 20)}},
				Backups: [][]any{
					Backup(10, "D", At("2026-11-20 01:00"), LSN(40, 100, 1), LSN(40, 300, 1), LSN(40, 200, 1), LSN(30, 10, 1), true, false, `\\bk\sql\Sales_full.bak`),
					Backup(11, "L", At("2026-11-20 02:00"), LSN(40, 100, 1), LSN(41, 10, 1), LSN(40, 200, 1), LSN(40, 200, 1), true, false, `\\bk\sql\Sales_log1.trn`),
				}},
			{ID: 6, Name: "HR", State: "ONLINE", Recovery: "FULL", Compat: 150, Encrypted: true, Containment: "NONE",
				Files:  [][]any{{1, "ROWS", "HR", `D:\data\HR.mdf`, int64(6400)}, {2, "LOG", "HR_log", `L:\log\HR_log.ldf`, int64(1280)}},
				Tables: []string{"dbo.Employees"},
				Backups: [][]any{
					Backup(20, "D", At("2026-11-21 01:00"), LSN(20, 100, 1), LSN(20, 300, 1), LSN(20, 200, 1), LSN(0, 0, 0), true, false, `\\bk\sql\HR_full.bak`),
				}},
		},
		Certs:  [][]any{{"TDE_HR", TDECert, At("2026-01-10 09:00"), At("2030-01-01 00:00")}},
		DEKs:   [][]any{{6, 3, TDECert}},
		Logins: []string{`CORP\svc_app`, "app_user"},
		Roles:  []string{},
		Creds:  []string{},
		Audits: []string{},
		Linked: []string{},
		Jobs:   []string{"Nightly ETL"},
		SSIS:   []string{},
	}
}

// TDEKeyNeverBackedUp is Healthy with the TDE certificate's private key
// never backed up (DMS401 fails for HR).
func TDEKeyNeverBackedUp() Server {
	sv := Healthy()
	sv.Certs[0][2] = nil
	return sv
}

// FilestreamAndInMemory is Healthy with two more databases whose
// sys.master_files both show a FILESTREAM file: Docs holds FILESTREAM data
// (filegroup type FD), Trading memory-optimized tables (an In-Memory OLTP
// container, filegroup type FX).
func FilestreamAndInMemory() Server {
	sv := Healthy()
	sv.DBs = append(sv.DBs,
		DB{ID: 7, Name: "Docs", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE",
			Files: [][]any{{1, "ROWS", "Docs", `D:\data\Docs.mdf`, int64(1280)}, {2, "LOG", "Docs_log", `L:\log\Docs_log.ldf`, int64(640)},
				{65537, "FILESTREAM", "Docs_fs", `D:\data\Docs_fs`, int64(0)}},
			Filegroups: [][]any{{65537, "FD"}}},
		DB{ID: 8, Name: "Trading", State: "ONLINE", Recovery: "FULL", Compat: 150, Containment: "NONE",
			Files: [][]any{{1, "ROWS", "Trading", `D:\data\Trading.mdf`, int64(1280)}, {2, "LOG", "Trading_log", `L:\log\Trading_log.ldf`, int64(640)},
				{65537, "FILESTREAM", "Trading_mod", `D:\data\Trading_mod`, int64(0)}},
			Filegroups: [][]any{{65537, "FX"}}})
	return sv
}

// MsdbDenied is Healthy seen by a least-privilege login without a user in
// msdb: backup history, Agent jobs and SSIS packages are denied (229).
func MsdbDenied() Server {
	sv := Healthy()
	sv.MsdbDenied = true
	return sv
}

// WithoutViewAnyDefinition is Healthy seen by a login with VIEW ANY DATABASE
// and msdb access only.
func WithoutViewAnyDefinition() Server {
	sv := Healthy()
	sv.Perms = []any{0, 0, 1, 0, 0}
	return sv
}

// SQL2012 is Healthy on SQL Server 2012 (11.x): no msdb backupset columns
// added in 2014.
func SQL2012() Server {
	sv := Healthy()
	sv.Version, sv.Major = "11.0.7001.0", 11
	return sv
}

// SQL2008R2 is Healthy on SQL Server 2008 R2, where the certificate's
// private key backup date is not recorded.
func SQL2008R2() Server {
	sv := Healthy()
	sv.Version, sv.Major = "10.50.6000.34", 10
	sv.Certs[0][2] = nil
	return sv
}

// ManyTables is Healthy with n tables in Sales, one of them non-ASCII.
func ManyTables(n int) Server {
	sv := Healthy()
	tables := make([]string, n)
	for i := range tables {
		tables[i] = fmt.Sprintf("dbo.t%06d", i)
	}
	if n > 500 {
		tables[500] = "dbo.Straße"
	}
	sv.DBs[0].Tables = tables
	return sv
}

// Nulls answers NULL wherever a column allows it (and some where it should
// not): the collector must report unknowns, never guess or fail.
func Nulls() *tdstest.Scenario {
	sv := Healthy()
	sv.DBs = []DB{{ID: 7, Name: "N", Files: [][]any{{nil, nil, nil, nil, nil}},
		Tables:  []string{"."},
		LOBs:    [][]any{{nil, nil, nil, nil, nil}},
		Backups: [][]any{{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}}}}
	sv.DEKs = [][]any{{7, nil, nil}}
	sv.Certs = [][]any{{nil, nil, nil, nil}}
	sv.Logins = nil
	s := sv.Scenario()
	s.Answers["dmsready:server"] = tdstest.Sets(tdstest.Result{Cols: ServerCols, Rows: [][]any{{nil, "15.0.2000.5", nil, nil, nil, nil}}})
	s.Answers["dmsready:databases"] = tdstest.Sets(tdstest.Result{Cols: DatabaseCols, Rows: [][]any{{7, "N", nil, nil, nil, nil, nil, nil, nil, nil}}})
	s.Answers["dmsready:logins"] = tdstest.Sets(tdstest.Result{Cols: []tdstest.Col{C("name", S)}, Rows: [][]any{{nil}}})
	s.Answers["dmsready:permissions"] = tdstest.Sets(tdstest.Result{Cols: PermissionCols, Rows: [][]any{{nil, nil, nil, nil, nil}}})
	return s
}

// Config connects to a running scenario as User without TLS.
func Config(s *tdstest.Server) sqlsource.Config {
	return sqlsource.Config{Server: "127.0.0.1", Port: s.Port(), User: User, Password: Password,
		Encrypt: "disable", ConnectTimeout: 5 * time.Second, QueryTimeout: 10 * time.Second}
}
