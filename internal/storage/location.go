package storage

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/redact"
)

// ParseSAS reads what a SAS query string grants. It returns nil when q holds
// no signature. Unparseable times are left nil rather than guessed.
func ParseSAS(q string) *facts.SASInfo {
	v, err := url.ParseQuery(strings.TrimPrefix(q, "?"))
	if err != nil || v.Get("sig") == "" {
		return nil
	}
	s := &facts.SASInfo{
		Permissions:    v.Get("sp"),
		Resource:       v.Get("sr"),
		PolicyID:       v.Get("si"),
		Services:       v.Get("ss"),
		ResourceTypes:  v.Get("srt"),
		Protocol:       v.Get("spr"),
		IPRange:        v.Get("sip"),
		Version:        v.Get("sv"),
		UserDelegation: v.Get("skoid") != "",
	}
	s.Expiry = parseSASTime(v.Get("se"))
	s.Start = parseSASTime(v.Get("st"))
	if s.UserDelegation {
		s.KeyExpiry = parseSASTime(v.Get("ske"))
	}
	return s
}

// SAS times are ISO 8601 in UTC, with or without seconds, or a bare date.
func parseSASTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// connString is a parsed storage connection string.
type connString struct {
	account, key, sas, endpoint string
}

func parseConnString(cs string) (connString, error) {
	var c connString
	kv := map[string]string{}
	for _, part := range strings.Split(cs, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return c, fmt.Errorf("connection string: %q is not key=value", redact.Text(part))
		}
		kv[strings.ToLower(k)] = v
	}
	if strings.EqualFold(kv["usedevelopmentstorage"], "true") {
		// The Go SDK does not expand this shorthand; Azurite's defaults are public.
		return connString{account: devAccount, key: devKey, endpoint: "http://127.0.0.1:10000/" + devAccount}, nil
	}
	c.account, c.key, c.sas = kv["accountname"], kv["accountkey"], kv["sharedaccesssignature"]
	c.endpoint = strings.TrimSuffix(kv["blobendpoint"], "/")
	if c.endpoint == "" {
		if c.account == "" {
			return c, fmt.Errorf("connection string: no AccountName and no BlobEndpoint")
		}
		proto := kv["defaultendpointsprotocol"]
		if proto == "" {
			proto = "https"
		}
		suffix := kv["endpointsuffix"]
		if suffix == "" {
			suffix = "core.windows.net"
		}
		c.endpoint = fmt.Sprintf("%s://%s.blob.%s", proto, c.account, suffix)
	}
	if c.key == "" && c.sas == "" {
		return c, fmt.Errorf("connection string: neither AccountKey nor SharedAccessSignature")
	}
	return c, nil
}

// The well-known Azurite development account (public, documented by Microsoft).
const (
	devAccount = "devstoreaccount1"
	devKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// blobLocation is a container URL split into its parts.
type blobLocation struct {
	endpoint  string // scheme://host[:port][/account] (account in the path for IP-style hosts)
	account   string
	container string
	prefix    string // without leading or trailing '/'
	query     string // raw query (the SAS), "" when none
	dfs       bool   // given as the dfs endpoint, read through the blob one
}

func (b blobLocation) containerURL() string { return b.endpoint + "/" + url.PathEscape(b.container) }

// parseBlobURL splits https://acct.blob.core.windows.net/container[/prefix][?sas]
// and the path style of emulators, http://127.0.0.1:port/account/container[/prefix].
func parseBlobURL(s string) (blobLocation, error) {
	var b blobLocation
	u, err := url.Parse(s)
	if err != nil {
		return b, fmt.Errorf("location %s: %v", redact.Location(s), redact.Text(err.Error()))
	}
	if u.Host == "" {
		return b, fmt.Errorf("location %s: no host", redact.Location(s))
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	host := u.Hostname()
	ipStyle := host == "localhost" || strings.Count(host, ".") == 3 && strings.Trim(host, "0123456789.") == "" || strings.Contains(host, ":")
	b.endpoint = u.Scheme + "://" + u.Host
	if ipStyle {
		if len(segs) < 1 || segs[0] == "" {
			return b, fmt.Errorf("location %s: no account name in the path", redact.Location(s))
		}
		b.account = segs[0]
		b.endpoint += "/" + segs[0]
		segs = segs[1:]
	} else {
		var rest string
		b.account, rest, _ = strings.Cut(host, ".")
		if svc, suffix, ok := strings.Cut(rest, "."); ok && strings.EqualFold(svc, "dfs") {
			// A Data Lake Storage (dfs) URL names the same container as
			// the account's blob endpoint, which is what the Blob API
			// (and DMS) reads.
			b.endpoint = u.Scheme + "://" + b.account + ".blob." + suffix
			if p := u.Port(); p != "" {
				b.endpoint += ":" + p
			}
			b.dfs = true
		}
	}
	if len(segs) == 0 || segs[0] == "" {
		return b, fmt.Errorf("location %s: no container name (want https://ACCOUNT.blob.core.windows.net/CONTAINER[/FOLDER])", redact.Location(s))
	}
	b.container = segs[0]
	b.prefix = strings.Join(segs[1:], "/")
	b.query = u.RawQuery
	return b, nil
}
