package tdstest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

func open(t *testing.T, s *Server, user, pw string) *sql.DB {
	t.Helper()
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword(user, pw), Host: s.Addr(),
		RawQuery: "encrypt=disable&database=master&ApplicationIntent=ReadOnly&app+name=tdstest"}
	db, err := sql.Open("sqlserver", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func scenario() *Scenario {
	return &Scenario{
		Strict:  true,
		Version: [3]int{15, 0, 2000},
		Login: func(l Login) *Error {
			if l.Password() != "pw" {
				return &Error{Number: 18456, State: 1, Class: 14, Message: "Login failed for user '" + l.User + "'."}
			}
			return nil
		},
		Answers: map[string]Responder{
			"dmsready:two": Sets(
				Result{Cols: []Col{{"s", NVarChar}, {"i", Int}, {"b", BigInt}, {"f", Bit}, {"d", DateTime}},
					Rows: [][]any{{"héllo", 7, int64(1) << 40, true, t0}, {nil, nil, nil, nil, nil}}},
				Result{Cols: []Col{{"n", Int}}, Rows: [][]any{{-5}}},
			),
			"dmsready:param": func(r Request) Reply {
				return Reply{Sets: []Result{{Cols: []Col{{"echo", NVarChar}}, Rows: [][]any{{fmt.Sprint(r.Params[0].Value)}}}}}
			},
			"dmsready:denied": Fail(229, 14, "The SELECT permission was denied on the object 'backupset', database 'msdb', schema 'dbo'."),
			"dmsready:slow":   Fixed(Reply{Delay: 10 * time.Second, Sets: []Result{{Cols: []Col{{"x", Int}}, Rows: [][]any{{1}}}}}),
			"dmsready:big": func(Request) Reply {
				rows := make([][]any, 5000)
				for i := range rows {
					rows[i] = []any{fmt.Sprintf("dbo.table_%05d", i)}
				}
				return Reply{Sets: []Result{{Cols: []Col{{"name", NVarChar}}, Rows: rows}}}
			},
		},
	}
}

func TestBatchTypesNullsAndSets(t *testing.T) {
	s := Start(t, scenario())
	db := open(t, s, "u", "pw")
	rows, err := db.Query("SELECT /* dmsready:two */ 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var (
			str sql.NullString
			i   sql.NullInt64
			b   sql.NullInt64
			f   sql.NullBool
			d   sql.NullTime
		)
		if err := rows.Scan(&str, &i, &b, &f, &d); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%v|%v|%v|%v|%v", str, i, b, f, d.Time.UTC()))
	}
	want := []string{
		fmt.Sprintf("{héllo true}|{7 true}|{%d true}|{true true}|%v", int64(1)<<40, t0),
		"{ false}|{0 false}|{0 false}|{false false}|0001-01-01 00:00:00 +0000 UTC",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !rows.NextResultSet() || !rows.Next() {
		t.Fatalf("second result set missing: %v", rows.Err())
	}
	var n int
	if err := rows.Scan(&n); err != nil || n != -5 {
		t.Errorf("second set = %d, %v", n, err)
	}
	rows.Close()
	lg := s.Logins()
	if len(lg) != 1 || lg[0].User != "u" || !lg[0].ReadOnlyIntent || lg[0].Database != "master" || lg[0].AppName != "tdstest" {
		t.Errorf("logins = %+v", lg)
	}
	if r := s.Requests(); len(r) != 1 || r[0].Kind != "batch" || r[0].Marker != "dmsready:two" {
		t.Errorf("requests = %+v", r)
	}
}

func TestRPCParams(t *testing.T) {
	s := Start(t, scenario())
	db := open(t, s, "u", "pw")
	long := strings.Repeat("x", 5000) // forces nvarchar(max) for the statement
	var echo string
	err := db.QueryRow("SELECT /* dmsready:param */ @p1 -- "+long, "Sales'; DROP").Scan(&echo)
	if err != nil {
		t.Fatal(err)
	}
	if echo != "Sales'; DROP" {
		t.Errorf("echo = %q", echo)
	}
	if err := db.QueryRow("SELECT /* dmsready:param */ @p1", int64(42)).Scan(&echo); err != nil || echo != "42" {
		t.Errorf("int param: %q, %v", echo, err)
	}
	r := s.Requests()
	if len(r) != 2 || r[0].Kind != "rpc" || r[0].Proc != "sp_executesql" || len(r[0].Params) != 1 || r[0].Params[0].Name != "@p1" {
		t.Fatalf("requests = %+v", r)
	}
	if strings.Contains(r[0].SQL, "Sales'") {
		t.Error("parameter value leaked into the statement text")
	}
}

func TestErrors(t *testing.T) {
	s := Start(t, scenario())
	db := open(t, s, "u", "pw")
	_, err := db.Query("SELECT /* dmsready:denied */ 1")
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 229 {
		t.Fatalf("err = %#v, want mssql.Error 229", err)
	}
	// RPC path too, then the connection still works.
	_, err = db.Query("SELECT /* dmsready:denied */ @p1", "x")
	if !errors.As(err, &me) || me.Number != 229 {
		t.Fatalf("rpc err = %#v", err)
	}
	var n int
	if err := db.QueryRow("SELECT /* dmsready:two */ 1").Scan(new(sql.NullString), new(sql.NullInt64), new(sql.NullInt64), new(sql.NullBool), new(sql.NullTime)); err != nil {
		t.Fatalf("after error: %v %d", err, n)
	}

	bad := open(t, s, "u", "wrong")
	err = bad.Ping()
	if !errors.As(err, &me) || me.Number != 18456 {
		t.Fatalf("login err = %#v", err)
	}
}

func TestAttentionOnTimeout(t *testing.T) {
	s := Start(t, scenario())
	db := open(t, s, "u", "pw")
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var x int
	err := db.QueryRowContext(ctx, "SELECT /* dmsready:slow */ 1").Scan(&x)
	if err == nil {
		t.Fatal("want a timeout")
	}
	r := s.Requests()
	if len(r) != 1 || !r[0].Canceled {
		t.Errorf("requests = %+v, want one canceled", r)
	}
	var n int
	if err := db.QueryRow("SELECT /* dmsready:param */ @p1", int64(3)).Scan(&n); err != nil || n != 3 {
		t.Errorf("after attention: %d, %v", n, err)
	}
}

func TestManyRowsSplitPackets(t *testing.T) {
	s := Start(t, scenario())
	db := open(t, s, "u", "pw")
	rows, err := db.Query("SELECT /* dmsready:big */ name FROM sys.tables")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("dbo.table_%05d", n); name != want {
			t.Fatalf("row %d = %q", n, name)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != 5000 {
		t.Errorf("rows = %d, %v", n, err)
	}
}

func TestStrictRecordsUnexpected(t *testing.T) {
	sc := scenario()
	sc.Strict = false
	s := Start(t, sc)
	db := open(t, s, "u", "pw")
	if _, err := db.Exec("DELETE FROM t"); err == nil {
		t.Error("unexpected query answered")
	}
	if u := s.Unexpected(); len(u) != 1 || u[0] != "DELETE FROM t" {
		t.Errorf("unexpected = %q", u)
	}
}

func TestMarker(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT /* dmsready:databases */ 1":  "dmsready:databases",
		"/*dmsready:a.b-c*/ SELECT":          "dmsready:a.b-c",
		"SELECT 1 /* other */":               "",
		"SELECT '/* dmsready:x */' -- quote": "dmsready:x",
	} {
		if got := Marker(in); got != want {
			t.Errorf("Marker(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeTB records what Start's cleanup reports.
type fakeTB struct {
	testing.TB
	errs     []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}

func TestStrictFailsTheTest(t *testing.T) {
	ft := &fakeTB{TB: t}
	s := Start(ft, scenario())
	db := open(t, s, "u", "pw")
	db.Exec("INSERT INTO t VALUES (1)")
	db.Close()
	for _, fn := range ft.cleanups {
		fn()
	}
	if len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "INSERT INTO t") {
		t.Errorf("strict mode reported %q", ft.errs)
	}
}

// An error after rows reaches the client after those rows, as from a
// statement that fails mid-result.
func TestErrorAfterRows(t *testing.T) {
	sc := scenario()
	sc.Answers["dmsready:mid"] = Fixed(Reply{Sets: []Result{{Cols: []Col{{"n", Int}}, Rows: [][]any{{1}, {2}}}},
		Err: &Error{Number: 1205, State: 51, Class: 13, Message: "deadlock victim"}})
	db := open(t, Start(t, sc), "u", "pw")
	rows, err := db.QueryContext(context.Background(), "SELECT /* dmsready:mid */ n")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	var me mssql.Error
	if n != 2 || !errors.As(rows.Err(), &me) || me.Number != 1205 {
		t.Errorf("rows = %d, err = %v", n, rows.Err())
	}
}
