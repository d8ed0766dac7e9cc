// Package textsafe makes untrusted text — file and blob names, database and
// server names, messages from a server — safe to show to a person: nothing
// in it can move the cursor, clear the screen, colour the terminal, start a
// new line that looks like dmsready's own (a fake "READY"), or reorder what
// is shown (bidi overrides). Such characters are shown as visible escapes.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unsafe reports a rune that must not reach a terminal or a report as it
// is: C0 and C1 control characters and DEL, the bidirectional formatting
// characters (embeddings, overrides, isolates, marks), and the Unicode line
// and paragraph separators.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7F, r >= 0x80 && r < 0xA0:
		return true
	case r == 0x061C, r == 0x200E, r == 0x200F: // Arabic letter mark, LRM, RLM
		return true
	case r >= 0x202A && r <= 0x202E: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// Escape returns s with every unsafe rune written as an escape (\n, \r, \t,
// \x1b, \u202e) and every byte that is not UTF-8 as \xNN. Text without
// either is returned as it is.
func Escape(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && Unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Line is Escape for text where a line break is only a break (a server's
// message over two lines): breaks and tabs become spaces, the rest is
// escaped.
func Line(s string) string {
	if clean(s) {
		return s
	}
	return Escape(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s))
}

func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			return utf8.ValidString(s) && strings.IndexFunc(s, Unsafe) < 0
		}
	}
	return true
}
