package fold

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestKeyAgreesWithEqualFold compares every pair from a set of names chosen
// for case-folding corner cases (Kelvin sign, long s, Greek sigma, dotted I,
// invalid UTF-8, different lengths).
func TestKeyAgreesWithEqualFold(t *testing.T) {
	names := []string{"", "a", "A", "sales", "SALES", "Sales", "ſales", "K", "k", "\u212a", "kelvin", "\u212aelvin",
		"σ", "Σ", "ς", "İ", "i", "I", "ı", "straße", "STRASSE", "strasse", "ǅ", "ǆ", "Ǆ", "µ", "Μ", "μ",
		"\xff", "\xfe", "\ufffd", "a\xffb", "a\ufffdb", "Ω", "\u2126", "ω", "db1", "DB1", "db１", "ß", "ẞ", "ﬀ",
		"Ä", "ä", "A\u0308", "Quản Lý", "QUẢN LÝ", "база", "БАЗА"}
	for _, a := range names {
		for _, b := range names {
			if (Key(a) == Key(b)) != strings.EqualFold(a, b) {
				t.Errorf("%q %q: Key equal %v, EqualFold %v", a, b, Key(a) == Key(b), strings.EqualFold(a, b))
			}
		}
	}
	// Every rune against its case variants.
	for r := rune(0); r < 0x20000; r += 7 {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		for _, o := range []string{strings.ToUpper(s), strings.ToLower(s), strings.ToTitle(s)} {
			if (Key(s) == Key(o)) != strings.EqualFold(s, o) {
				t.Errorf("%q %q: Key equal %v, EqualFold %v", s, o, Key(s) == Key(o), strings.EqualFold(s, o))
			}
		}
	}
}
