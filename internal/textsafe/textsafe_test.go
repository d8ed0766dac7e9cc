package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain.bak", "plain.bak"},
		{"Ünïcödé 数据库.bak", "Ünïcödé 数据库.bak"},
		{`D:\Backups\a.bak`, `D:\Backups\a.bak`},
		{"a\nREADY\r\tb", `a\nREADY\r\tb`},
		{"\x1b[2J\x1b[32mREADY\x1b[0m", `\x1b[2J\x1b[32mREADY\x1b[0m`},
		{"x\u202egnp.exe", `x\u202egnp.exe`},
		{"a\u2066b\u2069\u200f", `a\u2066b\u2069\u200f`},
		{"line\u2028sep\u2029", `line\u2028sep\u2029`},
		{"bad\xff\xfe.bak", `bad\xff\xfe.bak`},
		{"c1\u0085\u009b", `c1\u0085\u009b`},
		{"del\x7f", `del\x7f`},
	} {
		got := Escape(c.in)
		if got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
		if !utf8.ValidString(got) || strings.IndexFunc(got, Unsafe) >= 0 {
			t.Errorf("Escape(%q) = %q is not safe", c.in, got)
		}
	}
	if got := Line("first\r\nsecond\x1b"); got != `first second\x1b` {
		t.Errorf("Line = %q", got)
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("a\x1b\u202e\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{Escape(s), Line(s)} {
			if !utf8.ValidString(got) || strings.IndexFunc(got, Unsafe) >= 0 {
				t.Fatalf("%q -> %q", s, got)
			}
		}
	})
}
