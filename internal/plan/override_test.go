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

	p = &Document{}
	p.Apply(Overrides{Storage: "/x"})
	err = p.Validate()
	if err == nil || strings.HasPrefix(err.Error(), ":") || !strings.Contains(err.Error(), "target.kind is required") {
		t.Errorf("no plan, no kind: error %q", err)
	}
}

// TestTargetModeAndMethod: Log Replay Service restores only to a Managed
// Instance, and DMS migrates to Azure SQL Database offline only; a plan
// asking otherwise described a migration that cannot run, and came out READY.
func TestTargetModeAndMethod(t *testing.T) {
	for _, c := range []struct {
		yaml, want string
	}{
		{"target: {kind: sqlvm, version: \"2019\"}\nmethod: lrs\n", "method lrs"},
		{"target: {kind: sqldb}\nmethod: lrs\n", "method lrs"},
		{"target: {kind: sqldb}\nmode: online\n", "mode online"},
	} {
		_, err := Parse("p.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want one about %q", c.yaml, err, c.want)
		}
	}
	for _, ok := range []string{"target: {kind: sqlmi}\nmethod: lrs\nmode: online\n", "target: {kind: sqldb}\nmode: offline\n", "target: {kind: sqlvm}\nmode: online\n"} {
		if _, err := Parse("p.yaml", []byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

// --source refuses a DSN carrying a password as it refuses password=.
func TestSourceFlagDSNPasswordRefused(t *testing.T) {
	p := &Document{Target: Target{Kind: "sqlmi"}}
	p.Apply(Overrides{Source: "sqlserver://sa:hunter2@sql01"})
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "--source") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v", err)
	}
}

// A bad --database (an empty name, the same database twice) named neither
// the flag nor the variable it came from ("databases[1]: name is
// required"), though every other flag's error does.
func TestDatabaseFlagErrorsNameTheFlag(t *testing.T) {
	p := &Document{}
	p.Apply(Overrides{TargetKind: "sqlmi", Databases: []string{"Sales", "sales", ""}})
	err := p.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`--database: databases[1]: "sales" is listed twice`, "--database: databases[2]: name is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	p = &Document{}
	p.Apply(Overrides{TargetKind: "sqlmi", Databases: []string{"A", "a"}, Via: map[string]string{"--database": "DMSREADY_DATABASE"}})
	if err := p.Validate(); err == nil || !strings.HasPrefix(err.Error(), "DMSREADY_DATABASE: ") {
		t.Errorf("from the environment: %v", err)
	}
}
