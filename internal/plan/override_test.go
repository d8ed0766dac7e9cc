package plan

import (
	"strings"
	"testing"
)

// TestFlagErrorsNameTheFlag: a bad value given by a flag is reported at the
// flag, not at the plan line it overrode (that line holds a good value),
// and a run with no plan file has no "file:" to name.
func TestFlagErrorsNameTheFlag(t *testing.T) {
	p, err := Parse("m.yaml", []byte("target:\n  kind: sqlmi\n  version: \"2022\"\nmode: offline\nmethod: dms\n"))
	if err != nil {
		t.Fatal(err)
	}
	p.Apply(Overrides{Mode: "foo", TargetVersion: "2019", Method: "bar"})
	err = p.Validate()
	if err == nil {
		t.Fatal("no error for bad flag values")
	}
	for _, want := range []string{"--mode: mode \"foo\"", "--target-version: target.version \"2019\"", "--method: method \"bar\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "m.yaml:") {
		t.Errorf("error %q points into the plan, whose values are good", err)
	}

	p = &Plan{}
	p.Apply(Overrides{Storage: "/x"})
	err = p.Validate()
	if err == nil || strings.HasPrefix(err.Error(), ":") || !strings.Contains(err.Error(), "target.kind is required") {
		t.Errorf("no plan, no kind: error %q", err)
	}
}

// --source refuses a DSN carrying a password as it refuses password=.
func TestSourceFlagDSNPasswordRefused(t *testing.T) {
	p := &Plan{Target: Target{Kind: "sqlmi"}}
	p.Apply(Overrides{Source: "sqlserver://sa:hunter2@sql01"})
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "--source") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v", err)
	}
}
