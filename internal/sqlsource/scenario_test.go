package sqlsource_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// Scenarios are canned servers: each marker answers with result sets whose
// columns follow the query's SELECT list in queries.go.

type (
	col = tdstest.Col
	res = tdstest.Result
)

const (
	S  = tdstest.NVarChar
	I  = tdstest.Int
	BI = tdstest.BigInt
	B  = tdstest.Bit
	DT = tdstest.DateTime
)

var (
	at      = func(s string) time.Time { t, _ := time.Parse("2006-01-02 15:04", s); return t }
	tdeCert = "8E2F7B0C3A1D4E5F60718293A4B5C6D7E8F90112"
)

const testPassword = "S3cret!pw"

// db is one fixture database.
type db struct {
	id               int
	name, state, rec string
	compat           int
	encrypted        bool
	containment, ag  any
	files            [][]any // file_id, type_desc, name, physical, pages
	tables           []string
	lobs             [][]any // schema, table, column, type, lob bytes
	backups          [][]any // backup-history rows after the db
}

type server struct {
	version string
	major   int
	dbs     []db
	certs   [][]any // name, thumbprint, pvt_key_last_backup_date, expiry
	deks    [][]any // database_id, state, thumbprint
	perms   []any
	logins  []string
	roles   []string
	creds   []string
	audits  []string
	linked  []string
	jobs    []string
	ssis    []string
	catalog []string
}

func c(name string, t tdstest.Type) col { return col{Name: name, Type: t} }

func rows1(names []string) res {
	r := res{Cols: []col{c("name", S)}, Rows: [][]any{}}
	for _, n := range names {
		r.Rows = append(r.Rows, []any{n})
	}
	return r
}

// scenario turns a fixture server into TDS answers.
func (sv server) scenario() *tdstest.Scenario {
	a := map[string]tdstest.Responder{}
	a["dmsready:server"] = tdstest.Sets(res{
		Cols: []col{c("server_name", S), c("product_version", S), c("edition", S), c("engine_edition", I), c("collation", S)},
		Rows: [][]any{{"SQL01", sv.version, "Enterprise Edition (64-bit)", 3, "SQL_Latin1_General_CP1_CI_AS"}},
	})
	perms := sv.perms
	if perms == nil {
		perms = []any{1, 1, 1}
	}
	a["dmsready:permissions"] = tdstest.Sets(res{
		Cols: []col{c("view_any_definition", I), c("view_server_state", I), c("view_any_database", I)},
		Rows: [][]any{perms},
	})
	dbCols := []col{c("database_id", I), c("name", S), c("state_desc", S), c("recovery_model_desc", S), c("compatibility_level", I),
		c("is_encrypted", B), c("containment_desc", S), c("availability_group", S)}
	dbs := res{Cols: dbCols, Rows: [][]any{}}
	files := res{Cols: []col{c("database_id", I), c("file_id", I), c("type_desc", S), c("name", S), c("physical_name", S), c("pages", BI)}, Rows: [][]any{}}
	for _, d := range sv.dbs {
		dbs.Rows = append(dbs.Rows, []any{d.id, d.name, d.state, d.rec, d.compat, d.encrypted, d.containment, d.ag})
		for _, f := range d.files {
			files.Rows = append(files.Rows, append([]any{d.id}, f...))
		}
	}
	if sv.major >= 11 {
		a["dmsready:databases"] = tdstest.Sets(dbs)
		a["dmsready:certificates"] = tdstest.Sets(res{Cols: []col{c("name", S), c("thumbprint", S), c("pvt_key_last_backup_date", DT), c("expiry_date", DT)}, Rows: sv.certs})
		a["dmsready:server-roles"] = tdstest.Sets(rows1(sv.roles))
		a["dmsready:ssis-catalog"] = tdstest.Sets(rows1(sv.catalog))
	} else {
		a["dmsready:databases-2008r2"] = tdstest.Sets(dbs)
		a["dmsready:certificates-2008r2"] = tdstest.Sets(res{Cols: []col{c("name", S), c("thumbprint", S), c("pvt_key_last_backup_date", DT), c("expiry_date", DT)}, Rows: sv.certs})
	}
	a["dmsready:files"] = tdstest.Sets(files)
	a["dmsready:encryption-keys"] = tdstest.Sets(res{Cols: []col{c("database_id", I), c("encryption_state", I), c("thumbprint", S)}, Rows: sv.deks})
	byName := map[string]db{}
	for _, d := range sv.dbs {
		byName[d.name] = d
	}
	histCols := []col{c("backup_set_id", I), c("type", S), c("backup_start_date", DT), c("backup_finish_date", DT),
		c("first_lsn", S), c("last_lsn", S), c("checkpoint_lsn", S), c("database_backup_lsn", S),
		c("has_backup_checksums", B), c("is_copy_only", B), c("is_damaged", B), c("is_compressed", B),
		c("encryptor_thumbprint", S), c("backup_set_uuid", S), c("device_type", I), c("physical_device_name", S)}
	hist := func(r tdstest.Request) tdstest.Reply {
		name, _ := r.Params[0].Value.(string)
		return tdstest.Reply{Sets: []res{{Cols: histCols, Rows: byName[name].backups}}}
	}
	if sv.major >= 12 {
		a["dmsready:backup-history"] = hist
	} else {
		a["dmsready:backup-history-2008r2"] = hist
	}
	// Per-database queries name the database in the text: find which.
	dbOf := func(r tdstest.Request) db {
		for _, d := range sv.dbs {
			if strings.Contains(r.SQL, "["+strings.ReplaceAll(d.name, "]", "]]")+"].sys.") {
				return d
			}
		}
		return db{}
	}
	a["dmsready:tables"] = func(r tdstest.Request) tdstest.Reply {
		d := dbOf(r)
		out := res{Cols: []col{c("schema_name", S), c("table_name", S)}, Rows: make([][]any, 0, len(d.tables))}
		for _, t := range d.tables {
			sch, name, _ := strings.Cut(t, ".")
			out.Rows = append(out.Rows, []any{sch, name})
		}
		return tdstest.Reply{Sets: []res{out}}
	}
	a["dmsready:lob-columns"] = func(r tdstest.Request) tdstest.Reply {
		return tdstest.Reply{Sets: []res{{Cols: []col{c("schema_name", S), c("table_name", S), c("column_name", S), c("type_name", S), c("table_lob_bytes", BI)}, Rows: dbOf(r).lobs}}}
	}
	a["dmsready:logins"] = tdstest.Sets(rows1(sv.logins))
	a["dmsready:credentials"] = tdstest.Sets(rows1(sv.creds))
	a["dmsready:audits"] = tdstest.Sets(rows1(sv.audits))
	a["dmsready:linked-servers"] = tdstest.Sets(rows1(sv.linked))
	a["dmsready:agent-jobs"] = tdstest.Sets(rows1(sv.jobs))
	a["dmsready:ssis-msdb"] = tdstest.Sets(rows1(sv.ssis))
	return &tdstest.Scenario{
		Strict:  true,
		Version: [3]int{sv.major, 0, 2000},
		Answers: a,
		Login: func(l tdstest.Login) *tdstest.Error {
			if l.User != "dmsready" || l.Password() != testPassword {
				return &tdstest.Error{Number: 18456, State: 8, Class: 14, Message: fmt.Sprintf("Login failed for user '%s'.", l.User)}
			}
			return nil
		},
	}
}

func lsn(vlf, block, slot int) string { return fmt.Sprintf("%d%010d%05d", vlf, block, slot) }

// backup is one backup-history row.
func backup(id int, typ string, start time.Time, first, last, ckpt, dbl string, sums, copyOnly bool, device string) []any {
	return []any{id, typ, start, start.Add(10 * time.Minute), first, last, ckpt, dbl, sums, copyOnly, false, true,
		nil, fmt.Sprintf("6F9619FF-8B86-D011-B42D-00C04FC964%02d", id), 2, device}
}

func healthy() server {
	return server{
		version: "15.0.4365.2", major: 15,
		dbs: []db{
			{id: 5, name: "Sales", state: "ONLINE", rec: "FULL", compat: 150, containment: "NONE",
				files:  [][]any{{1, "ROWS", "Sales", `D:\data\Sales.mdf`, int64(128000)}, {2, "LOG", "Sales_log", `L:\log\Sales_log.ldf`, int64(12800)}},
				tables: []string{"dbo.Orders", "dbo.Customers", "sales.Invoices"},
				lobs:   [][]any{{"dbo", "Customers", "Notes", "nvarchar", int64(4 << 20)}},
				backups: [][]any{
					backup(10, "D", at("2026-11-20 01:00"), lsn(40, 100, 1), lsn(40, 300, 1), lsn(40, 200, 1), lsn(30, 10, 1), true, false, `\\bk\sql\Sales_full.bak`),
					backup(11, "L", at("2026-11-20 02:00"), lsn(40, 100, 1), lsn(41, 10, 1), lsn(40, 200, 1), lsn(40, 200, 1), true, false, `\\bk\sql\Sales_log1.trn`),
				}},
			{id: 6, name: "HR", state: "ONLINE", rec: "FULL", compat: 150, encrypted: true, containment: "NONE",
				files:  [][]any{{1, "ROWS", "HR", `D:\data\HR.mdf`, int64(6400)}, {2, "LOG", "HR_log", `L:\log\HR_log.ldf`, int64(1280)}},
				tables: []string{"dbo.Employees"},
				backups: [][]any{
					backup(20, "D", at("2026-11-21 01:00"), lsn(20, 100, 1), lsn(20, 300, 1), lsn(20, 200, 1), lsn(0, 0, 0), true, false, `\\bk\sql\HR_full.bak`),
				}},
		},
		certs:  [][]any{{"TDE_HR", tdeCert, at("2026-01-10 09:00"), at("2030-01-01 00:00")}},
		deks:   [][]any{{6, 3, tdeCert}},
		logins: []string{`CORP\svc_app`, "app_user"},
		roles:  []string{},
		creds:  []string{},
		audits: []string{},
		linked: []string{},
		jobs:   []string{"Nightly ETL"},
		ssis:   []string{},
	}
}

func config(s *tdstest.Server) sqlsource.Config {
	return sqlsource.Config{Server: "127.0.0.1", Port: s.Port(), User: "dmsready", Password: testPassword,
		Encrypt: "disable", ConnectTimeout: 5 * time.Second, QueryTimeout: 10 * time.Second}
}
