package plan

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The YAML library names the line of the construct around a syntax error
// (often the line before), never a column, and no position at all for some
// errors. These find the offending byte.

// scanBytes reports what no YAML parser accepts — NUL bytes, other control
// characters, invalid UTF-8, UTF-16 without a byte-order mark — at its
// position, before parsing.
func scanBytes(file string, b []byte) *PosError {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return nil // UTF-16 with a BOM: the parser decodes it
	}
	line, col := 1, 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return &PosError{File: file, Line: line, Column: col, Msg: fmt.Sprintf("byte 0x%02X is not UTF-8: save the plan as UTF-8", b[i])}
		case r == 0 && len(b) >= 2 && (b[0] == 0 || b[1] == 0):
			return &PosError{File: file, Line: line, Column: col, Msg: "NUL byte: the plan looks like UTF-16 without a byte-order mark; save it as UTF-8"}
		case r == 0:
			return &PosError{File: file, Line: line, Column: col, Msg: "NUL byte: a plan is text"}
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7F:
			return &PosError{File: file, Line: line, Column: col, Msg: fmt.Sprintf("control character U+%04X: a plan is text", r)}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
	}
	return nil
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// yamlError places a parse error at the offending line and column.
func yamlError(file string, b []byte, err error) *PosError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		msg = m[2]
	}
	lines := strings.SplitAfter(string(b), "\n")
	if m := unknownAnchor.FindStringSubmatch(err.Error()); m != nil {
		for i, l := range lines {
			if c := strings.Index(l, "*"+m[1]); c >= 0 {
				return &PosError{File: file, Line: i + 1, Column: utf8.RuneCountInString(l[:c]) + 1, Msg: fmt.Sprintf("alias *%s names no anchor (&%s) above it", m[1], m[1])}
			}
		}
		return &PosError{File: file, Msg: msg}
	}
	// The first line whose inclusion makes the text fail is where the
	// problem starts: the lines before it parse.
	lo, hi := 0, len(lines) // prefix of lo lines parses; of hi lines fails
	if parses(strings.Join(lines[:hi], "")) {
		return &PosError{File: file, Msg: msg}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if parses(strings.Join(lines[:mid], "")) {
			lo = mid
		} else {
			hi = mid
		}
	}
	l := strings.TrimRight(lines[hi-1], "\r\n")
	c, hint := column(l, msg)
	if hint != "" {
		msg += ": " + hint
	}
	return &PosError{File: file, Line: hi, Column: utf8.RuneCountInString(l[:c]) + 1, Msg: msg}
}

func parses(s string) bool {
	var n yaml.Node
	return yaml.Unmarshal([]byte(s), &n) == nil
}

// column finds the byte offset in line l that the parser's message is
// about, and a hint where one is known.
func column(l, msg string) (int, string) {
	switch {
	case strings.Contains(msg, "tab character"), strings.Contains(msg, "cannot start any token") && strings.Contains(l, "\t"):
		if i := strings.IndexByte(l, '\t'); i >= 0 {
			return i, "indent with spaces, not tabs"
		}
	case strings.Contains(msg, "escape character"), strings.Contains(msg, "hexdecimal number"):
		// A backslash in double quotes starts an escape: "C:\Users" is \U.
		if q := strings.IndexByte(l, '"'); q >= 0 {
			if i := strings.IndexByte(l[q:], '\\'); i >= 0 {
				return q + i, `in double quotes a backslash starts an escape; write a Windows path in single quotes ('D:\Backups') or with forward slashes ("D:/Backups")`
			}
		}
	case strings.Contains(msg, "mapping values are not allowed"):
		if i := strings.Index(l, ": "); i >= 0 {
			if j := strings.Index(l[i+2:], ":"); j >= 0 {
				return i + 2 + j, "quote a value that contains ': '"
			}
		}
	case strings.Contains(msg, "expected ',' or ']'"):
		if i := strings.LastIndexByte(l, '['); i >= 0 {
			return i, "this list is not closed with ]"
		}
	case strings.Contains(msg, "expected ',' or '}'"):
		if i := strings.LastIndexByte(l, '{'); i >= 0 {
			return i, "this mapping is not closed with }"
		}
	case strings.Contains(msg, "end of stream"), strings.Contains(msg, "quoted scalar"):
		if i := strings.IndexAny(l, `"'`); i >= 0 {
			return i, "this quote is not closed"
		}
	}
	return len(l) - len(strings.TrimLeft(l, " \t")), ""
}
