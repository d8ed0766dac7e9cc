package redact

import (
	"net/url"
	"strings"
	"testing"
)

// Whatever follows sig=, a redacted location never shows it, and parsing a
// SAS never panics.
func FuzzRedactSAS(f *testing.F) {
	f.Add("sv=2022-11-02&sp=rl&se=2026-12-01T00:00:00Z&sr=c", "Zm9vYmFyYmF6")
	f.Add("", "a%2Fb%3D")
	f.Add("sp=racwdl&st=x&se=y", "?&=#")
	f.Fuzz(func(t *testing.T, query, sig string) {
		if len(sig) < 4 {
			return
		}
		loc := "https://acct.blob.core.windows.net/c/folder?" + query + "&sig=" + url.QueryEscape(sig)
		red := Location(loc)
		if strings.Contains(red, sig) || strings.Contains(red, url.QueryEscape(sig)) {
			t.Fatalf("Location(%q) = %q shows the signature", loc, red)
		}
		if s := Text("GET " + loc + " failed"); strings.Contains(s, url.QueryEscape(sig)) && !strings.Contains(query, url.QueryEscape(sig)) {
			t.Fatalf("Scrub shows the signature: %q", s)
		}
		_ = DSN("sqlserver://u:" + url.QueryEscape(sig) + "@h?" + query)
	})
}
