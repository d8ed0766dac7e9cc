package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

func TestDiff(t *testing.T) {
	f := func(id, obj string, st check.Status) check.Finding {
		fd := check.Finding{CheckID: id, Object: obj, Database: "Sales", Status: st, Message: id + " on " + obj}
		if st == check.StatusFail || st == check.StatusWarn {
			fd.Severity = check.Error
		}
		return fd
	}
	waived := f("DMS206", "database:Sales", check.StatusFail)
	waived.Waiver = &check.AppliedWaiver{Reason: "accepted"}
	old := &Report{Tool: "dmsready", FailOn: check.Error, Findings: []check.Finding{
		f("DMS301", "database:Sales", check.StatusPass),      // becomes blocking
		f("DMS209", "file:sales/full.bak", check.StatusFail), // fixed
		f("DMS305", "database:Sales", check.StatusFail),      // still blocking
		f("DMS401", "database:Sales", check.StatusFail),      // not checked now (error)
		f("DMS402", "database:Sales", check.StatusFail),      // gone
		f("DMS206", "database:Sales", check.StatusFail),      // waived now
	}}
	cur := &Report{Tool: "dmsready", FailOn: check.Error, Findings: []check.Finding{
		f("DMS301", "database:Sales", check.StatusFail),
		f("DMS209", "file:sales/full.bak", check.StatusPass),
		f("DMS305", "database:Sales", check.StatusFail),
		f("DMS401", "database:Sales", check.StatusError),
		f("DMS310", "file:sales/new.bak", check.StatusFail), // new blocking
		waived,
		{CheckID: "DMS211", Object: "database:Other", Status: check.StatusWarn, Severity: check.Warning, Message: "stray"}, // new since
	}}
	d := NewDiff("rehearsal.json", []*Report{old}, "cutover.json", []*Report{cur}, "")
	ids := func(es []DiffEntry) string {
		var out []string
		for _, e := range es {
			out = append(out, e.CheckID)
		}
		return strings.Join(out, ",")
	}
	for name, got := range map[string][2]string{
		"new blocking": {ids(d.NewBlocking), "DMS301,DMS310"},
		"fixed":        {ids(d.Fixed), "DMS209"},
		"unverified":   {ids(d.Unverified), "DMS401,DMS402"},
		"new since":    {ids(d.NewSince), "DMS211,DMS206"},
	} {
		if got[0] != got[1] {
			t.Errorf("%s: %s, want %s", name, got[0], got[1])
		}
	}
	if d.StillBlocking != 1 || !d.Blocks() {
		t.Errorf("still blocking %d, blocks %v", d.StillBlocking, d.Blocks())
	}
	for _, format := range []string{"text", "json", "markdown"} {
		var b bytes.Buffer
		if err := WriteDiff(&b, format, d); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "DMS310") {
			t.Errorf("%s diff lacks the new blocker:\n%s", format, b.String())
		}
	}
	var b bytes.Buffer
	_ = DiffText(&b, d)
	if !strings.Contains(b.String(), "2 new blocking, 1 fixed, 2 no longer checked, 2 new since, 1 still blocking — NEW BLOCKERS") {
		t.Errorf("diff text:\n%s", b.String())
	}
	// Nothing new blocks when the same run is compared with itself.
	if same := NewDiff("a", []*Report{cur}, "b", []*Report{cur}, ""); same.Blocks() || len(same.NewSince) > 0 {
		t.Errorf("a report differs from itself: %+v", same)
	}
}

// A JSON report and an estate read back; other JSON is refused by name.
func TestReadReports(t *testing.T) {
	rs, err := ReadReports(bytes.NewReader(render(t, "json", fixture(), Options{})))
	if err != nil || len(rs) != 1 || len(rs[0].Findings) != len(fixture().Findings) {
		t.Fatalf("read back: %v %d", err, len(rs))
	}
	var b bytes.Buffer
	e := NewEstate([]*Report{fixture(), fixture()}, nil, check.Error, Options{})
	e.Reports[0].Name, e.Reports[1].Name = "a.yaml", "b.yaml"
	if err := EstateJSON(&b, e, Options{}); err != nil {
		t.Fatal(err)
	}
	if rs, err := ReadReports(&b); err != nil || len(rs) != 2 {
		t.Fatalf("estate read back: %v %d", err, len(rs))
	}
	for _, bad := range []string{`{"tool":"other","schemaVersion":1}`, `{"tool":"dmsready","schemaVersion":99}`, `[`} {
		if _, err := ReadReports(strings.NewReader(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// A diff reads reports written elsewhere; the names in them (a database,
// a file, the server's message, an estate input) must not reach a terminal
// or a ticket raw. The Markdown diff passed ESC, NUL, CR and U+202E
// through (mdText escapes markup, not control characters), and a status
// word read from the file went to the text diff as it was.
func TestDiffHostileText(t *testing.T) {
	evil := "x\x1b[2J\u202e\x00\ry\n# NO NEW BLOCKERS"
	old := &Report{FailOn: check.Error, Name: "in" + evil}
	cur := &Report{FailOn: check.Error, Name: "in" + evil, Findings: []check.Finding{
		{CheckID: "DMS301", Object: "database:" + evil, Database: evil, Status: check.StatusFail, Severity: check.Error, Message: "m" + evil},
		{CheckID: "DMS302", Object: "database:A", Database: "A", Status: check.Status("odd\x1b[1m\n# READY"), Severity: check.Error, Message: "m"},
	}}
	old.Findings = []check.Finding{{CheckID: "DMS302", Object: "database:A", Database: "A", Status: check.StatusFail, Severity: check.Error, Message: "m"}}
	d := NewDiff("old"+evil+".json", []*Report{old}, "new.json", []*Report{cur}, "")
	for _, format := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := WriteDiff(&b, format, d); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(b.String(), "\x00\x1b\r\u202e") {
			t.Errorf("%s diff passes control characters through:\n%q", format, b.String())
		}
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(l, "# NO NEW") || strings.HasPrefix(l, "# READY") {
				t.Errorf("%s diff: a name forged the line %q", format, l)
			}
		}
	}
}
