package report

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
)

// FuzzHostileNames: whatever a database, object, message or evidence
// value holds, JUnit is well-formed XML, SARIF and JSON are JSON, and the
// text and Markdown reports carry no control character, bidi override or
// forged line.
func FuzzHostileNames(f *testing.F) {
	f.Add("Sales", "file:a|b`c`.bak", "m <script>]]>", "v\x00\x1b[2J\u202e\n# READY")
	f.Add("\r\n", "\u2028", "\xff\xfe", "\ufffe\uffff")
	f.Fuzz(func(t *testing.T, db, obj, msg, ev string) {
		r := fixture()
		r.Findings[0].Database, r.Findings[0].Object, r.Findings[0].Message = db, obj, msg
		r.Findings[0].Evidence = check.Ev{"k": ev, ev: "v"}
		r.Summary.Unverified = []string{db}
		o := Options{Catalogue: catalogue()}
		if err := xml.Unmarshal(render(t, "junit", r, o), new(struct{})); err != nil {
			t.Fatalf("JUnit is not XML: %v", err)
		}
		for _, f := range []string{"sarif", "json"} {
			if !json.Valid(render(t, f, r, o)) {
				t.Fatalf("%s is not JSON", f)
			}
		}
		for _, f := range []string{"text", "markdown"} {
			out := string(render(t, f, r, o))
			for _, c := range out {
				if c != '\n' && (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x2028 || c == 0x2029) {
					t.Fatalf("%s carries %U", f, c)
				}
			}
			if strings.Contains(out, "\n# READY") {
				t.Fatalf("%s: forged line", f)
			}
		}
	})
}
