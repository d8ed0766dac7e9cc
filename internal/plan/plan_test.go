package plan

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseFull(t *testing.T) {
	p, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Source.Server != "sql01.contoso.local" || p.Source.Port != 1433 || p.Source.ConnectTimeout != 15*time.Second {
		t.Errorf("source = %+v", p.Source)
	}
	if p.Target.Kind != "sqlmi" || p.Target.StorageLimitMB != 32768 {
		t.Errorf("target = %+v", p.Target)
	}
	if len(p.Databases) != 2 || p.Databases[0].FileMapping["Sales_Data"] != "Sales.mdf" || p.Databases[1].TargetName != "HumanResources" {
		t.Errorf("databases = %+v", p.Databases)
	}
	if p.Databases[1].Pos.Line != 26 {
		t.Errorf("databases[1] at line %d, want 26", p.Databases[1].Pos.Line)
	}
	ws := p.Facts().Waivers
	if len(ws) != 1 || ws[0].Where != "testdata/full.yaml:30" || ws[0].Check != "DMS204" {
		t.Errorf("waivers = %+v", ws)
	}
	f := p.Facts()
	if f.Storage.Kind != "blob" || f.Mode != "offline" || f.Method != "dms" || !strings.HasPrefix(f.Digest, "sha256:") {
		t.Errorf("facts plan = %+v", f)
	}
}

func TestParseErrorsHavePositions(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown key", "target:\n  kind: sqlmi\n  flavour: x\n", "p.yaml:3:3: unknown key \"target.flavour\""},
		{"wrong type", "target:\n  kind: sqlmi\nsource:\n  port: abc\n", "p.yaml:4:9: source.port: want a whole number, got \"abc\""},
		{"bad kind", "target:\n  kind: sqlserver\n", "p.yaml:2:9: target.kind \"sqlserver\": want sqlmi, sqlvm or sqldb"},
		{"missing kind", "mode: offline\n", "target.kind is required"},
		{"bad mode", "target: {kind: sqlvm}\nmode: sideways\n", "p.yaml:2:7: mode \"sideways\""},
		{"bad duration", "target: {kind: sqlvm}\nsource:\n  queryTimeout: forever\n", "p.yaml:3:17: source.queryTimeout: want a duration"},
		{"list expected", "target: {kind: sqlvm}\ndatabases: Sales\n", "p.yaml:2:12: databases: want a list"},
		{"waiver without reason", "target: {kind: sqlvm}\nwaivers:\n  - check: DMS201\n", "p.yaml:3:5: waivers[0]: reason is required"},
		{"waiver bad id", "target: {kind: sqlvm}\nwaivers:\n  - {check: X1, reason: r}\n", "waivers[0].check \"X1\""},
		{"waiver bad date", "target: {kind: sqlvm}\nwaivers:\n  - {check: DMS201, reason: r, expires: soon}\n", "want a date YYYY-MM-DD"},
		{"sas in plan", "target: {kind: sqlmi}\nstorage:\n  location: https://a.blob.core.windows.net/c?sv=1&sig=SECRET\n", "p.yaml:3:13: storage.location holds a SAS signature"},
		{"password in source DSN", "target: {kind: sqlmi}\nsource:\n  server: sqlserver://u:hunter2@sql01\n", "p.yaml:3:11: source.server holds a password"},
		{"password in target DSN", "target:\n  kind: sqlmi\n  server: sqlserver://mi?user+id=u&password=hunter2\n", "p.yaml:3:11: target.server holds a password"},
		{"bad server port", "target: {kind: sqlmi}\nsource:\n  server: sql01,\n", "p.yaml:3:11: source.server \"sql01,\": want a port 1-65535 after the comma"},
		{"password key", "target: {kind: sqlmi}\nsource:\n  password: hunter2\n", "p.yaml:3:3: unknown key \"source.password\""},
		{"syntax", "target:\n  kind: [sqlmi\n", "p.yaml:"},
		{"duplicate db", "target: {kind: sqlmi}\ndatabases:\n  - name: A\n  - name: a\n", "p.yaml:4:11: databases[1]: \"a\" is listed twice"},
		{"empty", "", "p.yaml: empty plan"},
		{"two docs", "target: {kind: sqlmi}\n---\nmode: online\n", "second"},
		{"version 2", "version: 2\ntarget: {kind: sqlmi}\n", "p.yaml:1:10: version 2: this dmsready reads plan version 1"},
		// Written, not left out: it was read as if absent.
		{"version 0", "version: 0\ntarget: {kind: sqlmi}\n", "p.yaml:1:10: version 0: this dmsready reads plan version 1"},
		{"online last file", "target: {kind: sqlmi}\nmode: online\ndatabases:\n  - {name: A, lastBackupFile: a.trn}\n", "lastBackupFile is for offline mode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %q, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks a secret: %q", err)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Errorf("error is %T, want plan.Errors", err)
			}
		})
	}
}

func TestSeveralErrorsReportedTogether(t *testing.T) {
	_, err := Parse("p.yaml", []byte("target:\n  kind: nope\nmode: x\nsource:\n  port: 99999\n"))
	if err == nil || strings.Count(err.Error(), "\n") < 2 {
		t.Fatalf("want three errors, got %v", err)
	}
}

func TestApplyOverrides(t *testing.T) {
	p, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.Apply(Overrides{TargetKind: "sqlvm", TargetVersion: "2014", Databases: []string{"hr", "New"}, Storage: "/mnt/backups"})
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Target.Kind != "sqlvm" || len(p.Databases) != 2 || p.Databases[0].Folder != "hr" || p.Databases[1].Name != "New" {
		t.Errorf("after overrides: %+v %+v", p.Target, p.Databases)
	}
	if f := p.Facts(); f.Storage.Kind != "share" {
		t.Errorf("storage kind = %q", f.Storage.Kind)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("target: {kind: sqlmi}\n"))
	f.Add([]byte("version: 1\nsource:\n  server: x\n  port: 1\ndatabases:\n  - name: a\n    fileMapping: {a: b}\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse("f.yaml", b)
		if err == nil && p == nil {
			t.Fatal("nil plan without error")
		}
	})
}

// target.encrypt is checked when the plan is read, as source.encrypt is,
// not first when the target connection fails.
func TestTargetEncryptValidated(t *testing.T) {
	_, err := Parse("p.yaml", []byte("target:\n  kind: sqlvm\n  server: vm\n  encrypt: maybe\n"))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:4:12: target.encrypt \"maybe\"") {
		t.Errorf("err = %v", err)
	}
}

// target.auth and target.port are checked when the plan is read, as the
// source's are.
func TestTargetAuthAndPortValidated(t *testing.T) {
	_, err := Parse("p.yaml", []byte("target:\n  kind: sqlvm\n  server: vm\n  auth: magic\n  port: 70000\n"))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:4:9: target.auth \"magic\"") || !strings.Contains(err.Error(), "p.yaml:5:9: target.port 70000") {
		t.Errorf("err = %v", err)
	}
}

// Every error about a malformed list item names its line: a database or a
// waiver written as a bare value (`- Sales`) or an alias got a second error
// without a position ("p.yaml: databases[0]: name is required"), sorted
// first; a waiver without `check:` had no position at all.
func TestItemErrorsHavePositions(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"bare database", "target: {kind: sqlmi}\ndatabases:\n  - Sales\n", "p.yaml:3:5: databases[0]: want a mapping"},
		{"empty item", "target: {kind: sqlmi}\ndatabases:\n  -\n", "p.yaml:3:4: databases[0]: want a mapping"},
		{"alias database", "target: {kind: sqlmi}\ndatabases:\n  - &d {name: A}\n  - *d\n", "p.yaml:4:5: databases[1]: aliases are not supported"},
		{"bare waiver", "target: {kind: sqlmi}\nwaivers:\n  - DMS201\n", "p.yaml:3:5: waivers[0]: want a mapping"},
		{"waiver without check", "target: {kind: sqlmi}\nwaivers:\n  - reason: r\n", "p.yaml:3:5: waivers[0]: check is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if lines[0] != c.want && !strings.HasPrefix(lines[0], c.want) {
				t.Errorf("first error %q, want %q", lines[0], c.want)
			}
			for _, l := range lines {
				if !regexp.MustCompile(`^p\.yaml:\d+:\d+: `).MatchString(l) {
					t.Errorf("error without file:line:column: %q (all: %q)", l, err)
				}
			}
		})
	}
}
