// Package redact keeps secrets — SAS signatures, account keys, tokens and
// passwords — out of everything dmsready prints, logs or stores in facts.
// Every package that shows a location, DSN or error text goes through it, so
// there is one set of rules to get right and to fuzz.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// secret matches the parts of URLs, connection strings and messages that
// carry a credential: a SAS signature, an account key, a whole SAS in a
// connection string, bearer tokens, and password=/pwd= values.
var secret = regexp.MustCompile(`(?i)(sig=|accountkey=|sharedaccesssignature=|bearer\s+|skoid=|sktid=)[^&;\s"')]+`)

// Text removes credentials from any text (error messages, locations).
func Text(s string) string {
	s = secret.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.IndexAny(m, "= \t")
		for i+1 < len(m) && (m[i+1] == ' ' || m[i+1] == '\t') {
			i++
		}
		return m[:i+1] + "REDACTED"
	})
	return password.ReplaceAllString(s, "${1}xxxxx")
}

// Location returns a storage location safe to print: a URL loses its query
// (the SAS), user info and fragment; anything else has its secrets scrubbed.
func Location(location string) string {
	if IsURL(location) {
		u, err := url.Parse(location)
		if err != nil {
			return Text(strings.SplitN(location, "?", 2)[0])
		}
		u.RawQuery, u.Fragment, u.User, u.RawFragment = "", "", nil, ""
		return u.String()
	}
	return Text(location)
}

// IsURL reports an http(s) location.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// password matches password=/pwd= values, quoted, braced ({a;b}) or bare.
var password = regexp.MustCompile(`(?i)((?:password|pwd)\s*=\s*)("[^"]*"|'[^']*'|\{(?:[^}]|\}\})*\}|[^;&\s]*)`)

// DSN returns a SQL Server connection string fit for printing: the password
// of a sqlserver:// URL, and password=/pwd= values of other forms, replaced
// by "xxxxx".
func DSN(dsn string) string {
	if strings.HasPrefix(strings.ToLower(dsn), "sqlserver://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "sqlserver://(unparsable DSN)"
		}
		if u.User != nil {
			if _, ok := u.User.Password(); ok {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
			}
		}
		q := u.Query()
		for k := range q {
			if lk := strings.ToLower(k); lk == "password" || lk == "pwd" {
				q.Set(k, "xxxxx")
			}
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	return password.ReplaceAllString(dsn, "${1}xxxxx")
}
