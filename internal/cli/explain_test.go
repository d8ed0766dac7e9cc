package cli

import (
	"strings"
	"testing"
)

// The known-issues page gives SQL Server and OS errors inside DMS error
// 2009's messages ("... with index 1 - 3169 The database was backed up
// ..."; "... 3634 ... '1450(Insufficient system resources ...)"). A user
// holding that message typed `dmsready explain 3169` and was told "3169
// is not a DMS error code on the known-issues page" (exit 2), though the
// page names it and dmsready explains it as 2009-3169.
func TestExplainCodeInsideAMessage(t *testing.T) {
	for code, key := range map[string]string{"3169": "2009-3169", "3234": "2009-3234", "3634": "2009-3634", "1450": "2009-3634"} {
		r := runIn(t, nil, "explain", code)
		if r.code != exitReady || !strings.Contains(r.stdout, "("+key+")") || !strings.Contains(r.stdout, code+" is not a DMS error code") {
			t.Errorf("explain %s: exit %d\nstdout %s\nstderr %s", code, r.code, r.stdout, r.stderr)
		}
	}
	// A code the page does not name at all is still an error.
	if r := runIn(t, nil, "explain", "2016"); r.code != exitUsage || !strings.Contains(r.stderr, "not a DMS error code") {
		t.Errorf("explain 2016: exit %d %q", r.code, r.stderr)
	}
	if r := runIn(t, nil, "explain", "DMS000"); r.code != exitUsage || !strings.Contains(r.stderr, `no check or error code "DMS000"`) {
		t.Errorf("explain DMS000: exit %d %q", r.code, r.stderr)
	}
}
