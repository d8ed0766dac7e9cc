package sqlsource

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/redact"
)

func TestDSN(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want []string // substrings of the DSN
		host string
		path string
	}{
		{Config{Server: "sql01", User: "u", Password: "p@ss;word"}, []string{"ApplicationIntent=ReadOnly", "database=master", "app+name=dmsready"}, "sql01", ""},
		{Config{Server: `sql01\PROD`, User: "u"}, nil, "sql01", "/PROD"},
		{Config{Server: "sql01,1533", User: "u"}, nil, "sql01:1533", ""},
		{Config{Server: "sql01,1533", Port: 1444, User: "u"}, nil, "sql01:1444", ""},
		{Config{Server: "sql01", User: "u", Encrypt: "strict", TrustServerCertificate: true, HostNameInCertificate: "*.corp"},
			[]string{"encrypt=strict", "TrustServerCertificate=true", "hostNameInCertificate=%2A.corp"}, "sql01", ""},
		{Config{Server: "sqlserver://x:secret@h:1500?database=Sales&ApplicationIntent=ReadWrite"}, []string{"database=Sales", "ApplicationIntent=ReadOnly"}, "h:1500", ""},
		{Config{Server: "mi.database.windows.net", Auth: "entra"}, []string{"fedauth=ActiveDirectoryDefault"}, "mi.database.windows.net", ""},
		{Config{Server: "sql01", Auth: "windows", User: `CORP\me`, Password: "p"}, nil, "sql01", ""},
		{Config{Server: "sql01", User: "u", ConnectTimeout: 1500 * time.Millisecond, QueryTimeout: time.Minute}, []string{"dial+timeout=2", "connection+timeout=75"}, "sql01", ""},
		{Config{Server: "sqlserver://mi.x.database.windows.net?fedauth=ActiveDirectoryMSI", Auth: "entra"}, []string{"fedauth=ActiveDirectoryMSI"}, "mi.x.database.windows.net", ""},
	} {
		dsn, entra, err := tc.cfg.dsn()
		if err != nil {
			t.Errorf("%v: %v", tc.cfg, err)
			continue
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if u.Host != tc.host || u.Path != tc.path {
			t.Errorf("%v: host %q path %q", tc.cfg, u.Host, u.Path)
		}
		if strings.Count(dsn, "ApplicationIntent") != 1 || strings.Contains(dsn, "ReadWrite") {
			t.Errorf("%v: intent not forced: %s", tc.cfg, redact.DSN(dsn))
		}
		for _, w := range tc.want {
			if !strings.Contains(dsn, w) {
				t.Errorf("%v: %s lacks %s", tc.cfg, redact.DSN(dsn), w)
			}
		}
		if entra != (tc.cfg.Auth == "entra") {
			t.Errorf("%v: entra = %v", tc.cfg, entra)
		}
		if tc.cfg.Password != "" {
			if pw, _ := u.User.Password(); pw != tc.cfg.Password {
				t.Errorf("%v: password not carried", tc.cfg)
			}
		}
	}
	u, _, _ := Config{Server: "sql01", Auth: "windows"}.dsn()
	if !strings.Contains(u, "authenticator=krb5") && !strings.Contains(u, "windows") {
		t.Errorf("windows without user should use Kerberos: %s", u)
	}
	for _, bad := range []Config{{Server: "", User: "u"}, {Server: "h,notaport", User: "u"}, {Server: "h", User: "u", Auth: "magic"}, {Server: "h"}} {
		if _, _, err := bad.dsn(); err == nil {
			t.Errorf("%#v: no error", bad)
		}
	}
}

// IPv6 addresses, bracketed or not, with or without a port, reach the
// driver as that address (not host ":" port "1").
func TestDSNIPv6(t *testing.T) {
	for in, want := range map[string][2]string{
		"::1": {"::1", ""}, "[::1]": {"::1", ""}, "::1,1433": {"::1", "1433"}, "[::1],1433": {"::1", "1433"},
		"sql01:1433": {"sql01", "1433"},
	} {
		dsn, _, err := Config{Server: in, User: "u"}.dsn()
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Errorf("%s: DSN does not parse: %v", in, err)
			continue
		}
		if u.Hostname() != want[0] || u.Port() != want[1] {
			t.Errorf("%s: host %q port %q, want %q %q", in, u.Hostname(), u.Port(), want[0], want[1])
		}
	}
}

// The plan accepts the driver's synonyms mandatory and optional for
// encrypt; the connection must too, or a valid plan fails at collection.
func TestDSNEncryptSynonyms(t *testing.T) {
	for _, e := range []string{"mandatory", "optional"} {
		dsn, _, err := Config{Server: "h", User: "u", Encrypt: e}.dsn()
		if err != nil || !strings.Contains(dsn, "encrypt="+e) {
			t.Errorf("encrypt %s: %v %s", e, err, redact.DSN(dsn))
		}
	}
}

// A DSN naming its login as "user id" takes the password from the
// environment like any other: it must reach the driver.
func TestDSNUserIDQueryGetsPassword(t *testing.T) {
	dsn, _, err := Config{Server: "sqlserver://h?user+id=u", Password: "p;w"}.dsn()
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("password"); got != "p;w" {
		t.Errorf("password not carried for a user id DSN: %q", got)
	}
	dsn, _, _ = Config{Server: "sqlserver://h?user+id=u&password=own", Password: "env"}.dsn()
	if u, _ := url.Parse(dsn); u.Query().Get("password") != "own" {
		t.Errorf("a DSN's own password was replaced")
	}
}

func TestNoPasswordInOutput(t *testing.T) {
	c := Config{Server: "sqlserver://sa:TopSecret1@h?password=TopSecret1", User: "u", Password: "TopSecret2"}
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprint(c)} {
		if strings.Contains(s, "TopSecret") {
			t.Errorf("password printed: %s", s)
		}
	}
	for in, want := range map[string]string{
		"sqlserver://sa:pw@h:1433?database=x":        "sqlserver://sa:xxxxx@h:1433?database=x",
		"server=h;user id=sa;password=pw;database=x": "server=h;user id=sa;password=xxxxx;database=x",
		"server=h;Pwd={a;b};":                        "server=h;Pwd=xxxxx;",
		"sqlserver://h?user+id=sa&password=pw":       "sqlserver://h?password=xxxxx&user+id=sa",
		"sqlserver://sa@h":                           "sqlserver://sa@h",
		"server=h;user id=sa;Password=\"p;w\";x=1":   "server=h;user id=sa;Password=xxxxx;x=1",
	} {
		if got := redact.DSN(in); got != want {
			t.Errorf("redact.DSN(%q) = %q, want %q", in, got, want)
		}
	}
}
