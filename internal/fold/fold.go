// Package fold gives a map key for case-insensitive names that agrees
// exactly with strings.EqualFold, so lookups by name can be a map access
// instead of a scan with EqualFold (quadratic over thousands of databases).
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key maps s to one representative of its strings.EqualFold class: every
// rune becomes the smallest rune of its simple case-folding orbit (invalid
// UTF-8 reads as U+FFFD, as EqualFold reads it). Key(a) == Key(b) exactly
// when strings.EqualFold(a, b).
func Key(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s) // 'A' < 'a': the orbit's smallest
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}
