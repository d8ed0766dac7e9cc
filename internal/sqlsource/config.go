// Package sqlsource collects facts from a source SQL Server (and optionally a
// live target) with the Microsoft go-mssqldb driver. It is read-only by
// construction: every statement is a SELECT listed in queries.go, the source
// connection asks for ApplicationIntent=ReadOnly, and nothing else is sent.
package sqlsource

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/redact"
)

// Config says how to reach a SQL Server. Password is never printed: String
// and GoString leave it out, and errors are scrubbed of it.
type Config struct {
	// Server is host, host\instance, host,port, or a full DSN starting with
	// "sqlserver://" (its password is never echoed).
	Server   string
	Port     int
	User     string
	Password string
	// Auth is "sql" (default), "windows" (NTLM with DOMAIN\user and a
	// password, Kerberos from the credential cache without, SSPI on Windows)
	// or "entra" (Microsoft Entra, azuread ActiveDirectoryDefault).
	Auth string
	// Encrypt is "true", "false", "strict" or "disable" ("" = driver default);
	// the driver's synonyms "mandatory" (true) and "optional" (false) too.
	Encrypt                string
	TrustServerCertificate bool
	HostNameInCertificate  string
	ConnectTimeout         time.Duration
	QueryTimeout           time.Duration
	// Databases limits per-database queries (tables, backup history) to these;
	// empty means every user database.
	Databases []string
	// target is set by CollectTarget: the target connection does not ask
	// for ApplicationIntent=ReadOnly, which on a Business Critical Managed
	// Instance lands on a read-only replica, not the instance DMS restores to.
	target bool
}

// String describes the connection without secrets.
func (c Config) String() string {
	s := c.Server
	if strings.HasPrefix(strings.ToLower(s), "sqlserver://") {
		s = redact.DSN(s)
	}
	if c.Port != 0 {
		s += ":" + strconv.Itoa(c.Port)
	}
	auth := c.Auth
	if auth == "" {
		auth = "sql"
	}
	if c.User != "" {
		return fmt.Sprintf("%s (%s auth as %s)", s, auth, c.User)
	}
	return fmt.Sprintf("%s (%s auth)", s, auth)
}

// GoString keeps %#v from printing the password.
func (c Config) GoString() string { return "sqlsource.Config{" + c.String() + "}" }

// dsn builds the driver's URL-form connection string, and says whether the
// Entra connector is needed.
func (c Config) dsn() (string, bool, error) {
	var u *url.URL
	if strings.HasPrefix(strings.ToLower(c.Server), "sqlserver://") {
		p, err := url.Parse(c.Server)
		if err != nil {
			return "", false, fmt.Errorf("server DSN does not parse as a sqlserver:// URL")
		}
		u = p
	} else {
		host, inst, port, err := splitServer(c.Server)
		if err != nil {
			return "", false, err
		}
		if c.Port != 0 {
			port = c.Port
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		u = &url.URL{Scheme: "sqlserver", Host: host}
		if ip, _, _ := strings.Cut(host, "%"); strings.Contains(host, ":") && net.ParseIP(ip) != nil {
			u.Host = "[" + host + "]" // an IPv6 address; "sql01:1433" stays as written
		}
		if port != 0 {
			u.Host = net.JoinHostPort(host, strconv.Itoa(port))
		}
		if inst != "" {
			u.Path = "/" + inst
		}
	}
	q := u.Query()
	set := func(k, v string) {
		for old := range q {
			if strings.EqualFold(old, k) {
				q.Del(old)
			}
		}
		q.Set(k, v)
	}
	has := func(k string) bool {
		for old := range q {
			if strings.EqualFold(old, k) {
				return true
			}
		}
		return false
	}
	// ReadOnly intent is not optional on the source, and the driver requires
	// a database with it.
	if !c.target {
		set("ApplicationIntent", "ReadOnly")
	}
	if !has("database") {
		set("database", "master")
	}
	if !has("app name") {
		set("app name", "dmsready")
	}
	switch c.Encrypt {
	case "":
	case "true", "false", "strict", "disable", "mandatory", "optional":
		set("encrypt", c.Encrypt)
	default:
		return "", false, fmt.Errorf("encrypt %q: want true, false, strict or disable", c.Encrypt)
	}
	if c.TrustServerCertificate {
		set("TrustServerCertificate", "true")
	}
	if c.HostNameInCertificate != "" {
		set("hostNameInCertificate", c.HostNameInCertificate)
	}
	secs := func(d time.Duration) string { return strconv.Itoa(int((d + time.Second - 1) / time.Second)) }
	if c.ConnectTimeout > 0 {
		set("dial timeout", secs(c.ConnectTimeout))
	}
	if c.QueryTimeout > 0 {
		// The driver's per-read idle limit: a silent socket past the query
		// timeout (plus a margin for the attention answer) is dead, not slow.
		set("connection timeout", secs(c.QueryTimeout+max(c.ConnectTimeout, 15*time.Second)))
	}
	user, pw := c.User, c.Password
	if u.User != nil {
		if user == "" {
			user = u.User.Username()
		}
		if p, ok := u.User.Password(); ok && pw == "" {
			pw = p
		}
	}
	// A DSN that already asks for federated authentication needs the Entra connector.
	entra := has("fedauth")
	switch strings.ToLower(c.Auth) {
	case "", "sql":
		if user == "" && !has("user id") && !entra {
			return "", false, fmt.Errorf("sql authentication needs a user")
		}
	case "windows":
		if user == "" && runtime.GOOS != "windows" {
			// Kerberos from the credential cache kinit filled.
			set("authenticator", "krb5")
			set("krb5-configfile", envOr("KRB5_CONFIG", "/etc/krb5.conf"))
			set("krb5-credcachefile", strings.TrimPrefix(envOr("KRB5CCNAME", fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())), "FILE:"))
		}
	case "entra":
		entra = true
		if !has("fedauth") {
			set("fedauth", "ActiveDirectoryDefault")
		}
	default:
		return "", false, fmt.Errorf("auth %q: want sql, windows or entra", c.Auth)
	}
	switch {
	case user == "" && pw != "" && has("user id") && !has("password"):
		set("password", pw)
		u.User = nil
	case user != "" && pw != "":
		u.User = url.UserPassword(user, pw)
	case user != "":
		u.User = url.User(user)
	default:
		u.User = nil
	}
	u.RawQuery = q.Encode()
	return u.String(), entra, nil
}

// secrets lists every password the config carries, for scrubbing messages.
func (c Config) secrets() []string {
	out := []string{c.Password}
	if u, err := url.Parse(c.Server); err == nil && strings.EqualFold(u.Scheme, "sqlserver") {
		if u.User != nil {
			if p, ok := u.User.Password(); ok {
				out = append(out, p, url.QueryEscape(p), url.PathEscape(p))
			}
		}
		for k, v := range u.Query() {
			if lk := strings.ToLower(k); lk == "password" || lk == "pwd" {
				out = append(out, v...)
			}
		}
	}
	return out
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// splitServer reads host, host\instance and host,port.
func splitServer(s string) (host, inst string, port int, err error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "tcp:")
	if s == "" {
		return "", "", 0, fmt.Errorf("no server given")
	}
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		p, err := strconv.Atoi(strings.TrimSpace(s[i+1:]))
		if err != nil || p <= 0 || p > 65535 {
			return "", "", 0, fmt.Errorf("server %q: port after the comma is not a number 1-65535", s)
		}
		port, s = p, strings.TrimSpace(s[:i])
	}
	if i := strings.IndexByte(s, '\\'); i >= 0 {
		s, inst = s[:i], s[i+1:]
	}
	if s == "." || strings.EqualFold(s, "(local)") {
		s = "localhost"
	}
	return s, inst, port, nil
}
