package sqlsource

import (
	"strings"
	"testing"
)

func TestQueriesAreReadOnlyAndDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range Queries {
		if seen[q.Marker] {
			t.Errorf("%s: marker used twice", q.Marker)
		}
		seen[q.Marker] = true
		if !strings.HasPrefix(q.Marker, "dmsready:") || !strings.Contains(q.SQL, "/* "+q.Marker+" */") {
			t.Errorf("%s: SQL lacks its marker comment", q.Marker)
		}
		if q.Reads == "" || q.Permission == "" || q.MinMajor < 10 || q.Source == "" {
			t.Errorf("%s: undocumented (reads, permission, min version, source)", q.Marker)
		}
		if q.Permission != permPublic && len(q.Grant) == 0 {
			t.Errorf("%s: no GRANT for %s", q.Marker, q.Permission)
		}
		if err := ReadOnly(q.forDB("x]; DROP TABLE y --")); err != nil {
			t.Errorf("%s: %v", q.Marker, err)
		}
	}
}

func TestReadOnlyRejectsWrites(t *testing.T) {
	for _, s := range []string{
		"DELETE FROM t",
		"SELECT 1; DROP TABLE t",
		"SELECT * INTO #t FROM sys.tables",
		"SELECT 1 /* c */ EXEC sp_who",
		"select 1 WAITFOR DELAY '0:0:1'",
		"SELECT 'unterminated",
		"UPDATE t SET a = 1 -- SELECT",
	} {
		if ReadOnly(s) == nil {
			t.Errorf("ReadOnly(%q) = nil", s)
		}
	}
	for _, s := range []string{
		"SELECT /* dmsready:x */ 'DROP; #' AS a FROM msdb.dbo.backupset -- INSERT",
		"SELECT name FROM sys.databases WHERE name = N'it''s'",
	} {
		if err := ReadOnly(s); err != nil {
			t.Errorf("ReadOnly(%q) = %v", s, err)
		}
	}
}

func TestQuoteName(t *testing.T) {
	if got := quoteName("a]b"); got != "[a]]b]" {
		t.Errorf("quoteName = %s", got)
	}
	q := query("dmsready:tables").forDB("Sales]; DROP DATABASE x; --")
	if !strings.Contains(q, "[Sales]]; DROP DATABASE x; --].sys.tables") {
		t.Errorf("forDB = %s", q)
	}
}
