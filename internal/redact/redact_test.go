package redact

import (
	"strings"
	"testing"
)

func TestLocation(t *testing.T) {
	cases := map[string]string{
		"https://a.blob.core.windows.net/c/p?sv=2022&sig=abc%2Fdef": "https://a.blob.core.windows.net/c/p",
		"https://user:pw@a.blob.core.windows.net/c#frag":            "https://a.blob.core.windows.net/c",
		"/mnt/backups/sales":            "/mnt/backups/sales",
		`\\host\share;AccountKey=abc==`: `\\host\share;AccountKey=REDACTED`,
	}
	for in, want := range cases {
		if got := Location(in); got != want {
			t.Errorf("Location(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDSNAndText(t *testing.T) {
	for _, in := range []string{
		"sqlserver://sa:hunter2@db:1433?database=x&password=hunter2",
		"server=db;user id=sa;password={hun;ter2}",
		"Server=db;Pwd=hunter2;",
	} {
		if got := DSN(in); strings.Contains(got, "hunter2") || strings.Contains(got, "ter2") {
			t.Errorf("DSN(%q) = %q", in, got)
		}
	}
	msg := `GET https://a.blob.core.windows.net/c?sp=rl&sig=SECRETSIG failed; AccountKey=KEYKEY; Authorization: Bearer eyJTOKEN password=pw1`
	got := Text(msg)
	for _, s := range []string{"SECRETSIG", "KEYKEY", "eyJTOKEN", "pw1"} {
		if strings.Contains(got, s) {
			t.Errorf("Text leaks %s: %q", s, got)
		}
	}
	if !strings.Contains(got, "sp=rl") {
		t.Errorf("Text removed more than the secret: %q", got)
	}
}
