// Package intern keeps one copy of each string value seen: a database's
// names, server, version, file names and GUIDs repeat in every one of its
// backups, so an estate read through a Table allocates them once, not once
// per backup. Only equal strings are shared, so no value changes.
package intern

// Table is a set of kept strings. The zero value keeps nothing (every call
// allocates, as a plain conversion would).
type Table struct {
	m     map[string]string
	limit int
}

// New is a Table keeping at most limit values (0: no bound); when full it
// starts over, which bounds its memory and costs only sharing.
func New(limit int) Table { return Table{m: make(map[string]string, 64), limit: limit} }

// Bytes is b as a string: the kept copy when there is one.
func (t *Table) Bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if t.m == nil {
		return string(b)
	}
	if v, ok := t.m[string(b)]; ok { // no allocation: the compiler's map lookup by []byte
		return v
	}
	return t.keep(string(b))
}

// String is s, or the kept copy equal to it.
func (t *Table) String(s string) string {
	if s == "" || t.m == nil {
		return s
	}
	if v, ok := t.m[s]; ok {
		return v
	}
	return t.keep(s)
}

func (t *Table) keep(s string) string {
	if t.limit > 0 && len(t.m) >= t.limit {
		clear(t.m)
	}
	t.m[s] = s
	return s
}
