package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/faultproxytest"
	"github.com/dmsready/dmsready/internal/sqlsource/sqlscenario"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// These tests drive the built binary against canned SQL Servers on
// loopback, as an operator would: a plan file, the password in an
// environment variable, every report format at once.

const pwEnv = "DMSREADY_E2E_PW"

// sqlPlan writes a plan for a source (and optionally a live target) server.
func sqlPlan(t *testing.T, src, tgt *tdstest.Server, kind, mode string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\nsource:\n  server: 127.0.0.1\n  port: %d\n  user: %s\n  passwordEnv: %s\n  encrypt: disable\n  connectTimeout: 5s\n  queryTimeout: 10s\n",
		src.Port(), sqlscenario.User, pwEnv)
	fmt.Fprintf(&b, "target:\n  kind: %s\n", kind)
	if kind == "sqlmi" {
		b.WriteString("  storageLimitMB: 32768\n")
	}
	if tgt != nil {
		fmt.Fprintf(&b, "  server: 127.0.0.1\n  port: %d\n  user: %s\n  passwordEnv: %s\n  encrypt: disable\n  connectTimeout: 5s\n",
			tgt.Port(), sqlscenario.User, pwEnv)
	}
	fmt.Fprintf(&b, "mode: %s\n", mode)
	p := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Summary struct {
		Pass, Warn, Fail, Skip, Error, Blocking int
		Ready                                   bool
	} `json:"summary"`
	Findings []struct {
		CheckID  string            `json:"checkId"`
		Status   string            `json:"status"`
		Object   string            `json:"object"`
		Message  string            `json:"message"`
		Evidence map[string]string `json:"evidence"`
	} `json:"findings"`
	SourceErrors []struct {
		Source, Kind, Message, Permission string
	} `json:"sourceErrors"`
}

// status maps "DMS401 database:HR" to its status.
func (r *jsonReport) status() map[string]string {
	m := map[string]string{}
	for _, f := range r.Findings {
		m[f.CheckID+" "+f.Object] = f.Status
	}
	return m
}

// sqlRun is one `dmsready check` run with every report format.
type sqlRun struct {
	res   result
	dir   string
	json  *jsonReport
	files map[string]string // format -> content
}

func checkAll(t *testing.T, env []string, args ...string) sqlRun {
	t.Helper()
	dir := t.TempDir()
	args = append([]string{"check"}, args...)
	// --verbose: the text report lists every finding, as the others do.
	args = append(args, "--verbose", "--format", "text",
		"--format", "json="+filepath.Join(dir, "r.json"),
		"--format", "junit="+filepath.Join(dir, "r.xml"),
		"--format", "sarif="+filepath.Join(dir, "r.sarif"),
		"--format", "markdown="+filepath.Join(dir, "r.md"))
	r := sqlRun{res: runBin(t, env, args...), dir: dir, files: map[string]string{"text": ""}}
	r.files["text"] = r.res.stdout
	for f, name := range map[string]string{"json": "r.json", "junit": "r.xml", "sarif": "r.sarif", "markdown": "r.md"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s report: %v\nstderr: %s", f, err, r.res.stderr)
		}
		r.files[f] = string(b)
	}
	r.json = &jsonReport{}
	if err := json.Unmarshal([]byte(r.files["json"]), r.json); err != nil {
		t.Fatalf("json report: %v", err)
	}
	return r
}

// noSecret fails if the password shows anywhere the user or CI would see.
func noSecret(t *testing.T, secret string, r result, files map[string]string) {
	t.Helper()
	for name, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if strings.Contains(s, secret) {
			t.Errorf("password in %s", name)
		}
	}
	for name, s := range files {
		if strings.Contains(s, secret) {
			t.Errorf("password in the %s report", name)
		}
	}
}

// want asserts statuses in the JSON report.
func (r sqlRun) want(t *testing.T, want map[string]string) {
	t.Helper()
	got := r.json.status()
	for k, w := range want {
		if got[k] != w {
			var have []string
			id, _, _ := strings.Cut(k, " ")
			for gk, gv := range got {
				if strings.HasPrefix(gk, id+" ") {
					have = append(have, gk+"="+gv)
				}
			}
			sort.Strings(have)
			t.Errorf("%s = %q, want %s; have %v", k, got[k], w, have)
		}
	}
}

type junitDoc struct {
	Suites []struct {
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Props     []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Failure *struct{} `xml:"failure"`
			Error   *struct{} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type sarifDoc struct {
	Runs []struct {
		Results []struct {
			RuleID     string `json:"ruleId"`
			Properties struct {
				Status string `json:"status"`
				Object string `json:"object"`
			} `json:"properties"`
		} `json:"results"`
		Invocations []struct {
			Notifications []struct {
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				AssociatedRule *struct {
					ID string `json:"id"`
				} `json:"associatedRule"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

// sameInEveryFormat asserts that every warn, fail and error finding of the
// JSON report appears, with its status, in the JUnit, SARIF, Markdown and
// text reports too.
func (r sqlRun) sameInEveryFormat(t *testing.T) {
	t.Helper()
	var ju junitDoc
	if err := xml.Unmarshal([]byte(r.files["junit"]), &ju); err != nil {
		t.Fatalf("junit: %v", err)
	}
	junit := map[string]string{} // classname|name -> status property
	for _, s := range ju.Suites {
		for _, c := range s.Cases {
			for _, p := range c.Props {
				if p.Name == "status" {
					junit[c.Classname+"|"+c.Name] = p.Value
				}
			}
			st := junit[c.Classname+"|"+c.Name]
			if (st == "fail" && c.Failure == nil) || (st == "pass" && c.Failure != nil) || (st == "error") != (c.Error != nil) {
				t.Errorf("junit %s %s: <failure>/<error> do not match status %q", c.Classname, c.Name, st)
			}
		}
	}
	var sa sarifDoc
	if err := json.Unmarshal([]byte(r.files["sarif"]), &sa); err != nil || len(sa.Runs) != 1 {
		t.Fatalf("sarif: %v", err)
	}
	sarif := map[string]string{}
	for _, res := range sa.Runs[0].Results {
		sarif[res.RuleID+" "+res.Properties.Object] = res.Properties.Status
	}
	sarifErr := map[string]bool{}
	for _, inv := range sa.Runs[0].Invocations {
		for _, n := range inv.Notifications {
			if n.AssociatedRule != nil {
				sarifErr[n.AssociatedRule.ID] = true
			}
		}
	}
	lines := func(s string) []string { return strings.Split(s, "\n") }
	hasLine := func(format string, parts ...string) bool {
		for _, l := range lines(r.files[format]) {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(l, p)
			}
			if ok {
				return true
			}
		}
		return false
	}
	n := 0
	for _, f := range r.json.Findings {
		if f.Status != "warn" && f.Status != "fail" && f.Status != "error" {
			continue
		}
		n++
		word := strings.ToUpper(f.Status)
		obj := f.Object
		if obj == "-" {
			obj = ""
		}
		name := obj
		if name == "" {
			name = "all objects"
		}
		found := false
		for k, st := range junit {
			cls, cn, _ := strings.Cut(k, "|")
			if cls == "dmsready."+f.CheckID && strings.Contains(cn, name) && st == f.Status {
				found = true
			}
		}
		if !found {
			t.Errorf("junit lacks %s %s %s", f.CheckID, f.Object, f.Status)
		}
		if f.Status == "error" {
			if !sarifErr[f.CheckID] {
				t.Errorf("sarif lacks the notification for %s (error)", f.CheckID)
			}
		} else if sarif[f.CheckID+" "+f.Object] != f.Status {
			t.Errorf("sarif: %s %s = %q, want %s", f.CheckID, f.Object, sarif[f.CheckID+" "+f.Object], f.Status)
		}
		if !hasLine("text", word, f.CheckID, obj) {
			t.Errorf("text report lacks %s %s %s", word, f.CheckID, obj)
		}
		mdObj := ""
		if obj != "" {
			mdObj = "`" + obj + "`"
		}
		if !hasLine("markdown", word, f.CheckID, mdObj) {
			t.Errorf("markdown report lacks %s %s %s", word, f.CheckID, obj)
		}
	}
	if len(sa.Runs[0].Results) != r.json.Summary.Warn+r.json.Summary.Fail {
		t.Errorf("sarif has %d results, json %d warn + %d fail", len(sa.Runs[0].Results), r.json.Summary.Warn, r.json.Summary.Fail)
	}
	if n == 0 {
		t.Error("no warn, fail or error finding to compare across formats")
	}
}

func sqlEnv() []string { return []string{pwEnv + "=" + sqlscenario.Password} }

func TestSQLHealthy2019(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, nil, "sqlmi", "online"))
	if r.res.code != exitReady {
		t.Fatalf("exit %d, want 0\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	if !r.json.Summary.Ready || r.json.Summary.Fail != 0 || r.json.Summary.Error != 0 || len(r.json.SourceErrors) != 0 {
		t.Errorf("summary %+v, source errors %+v", r.json.Summary, r.json.SourceErrors)
	}
	r.want(t, map[string]string{
		"DMS401 database:HR":      "pass",
		"DMS406 server:logins":    "warn",
		"DMS407 server:agentJobs": "warn",
		"DMS410 database:Sales":   "pass",
		"DMS413 target":           "pass",
		"DMS415 server":           "pass",
	})
	r.sameInEveryFormat(t)
	noSecret(t, sqlscenario.Password, r.res, r.files)
	for _, q := range src.Requests() {
		if q.Marker == "" {
			t.Errorf("unmarked query sent: %.80s", q.SQL)
		}
	}
}

func TestSQLTDEKeyNeverBackedUp(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.TDEKeyNeverBackedUp().Scenario())
	// A key never backed up from here is a warning (the certificate may
	// have been created FROM FILE): blocking at --fail-on warning.
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, nil, "sqlmi", "online"), "--fail-on", "warning")
	if r.res.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS401 database:HR": "warn", "DMS401 database:Sales": "pass"})
	r.sameInEveryFormat(t)
	if !strings.Contains(r.files["markdown"], "## Blocking findings") {
		t.Error("markdown report has no blocking section")
	}
	noSecret(t, sqlscenario.Password, r.res, r.files)
}

// A least-privilege login without msdb access: the msdb checks error naming
// the permission; every other check still gives its verdict.
func TestSQLMsdbDenied(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.MsdbDenied().Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, nil, "sqlmi", "online"))
	if r.res.code != exitSource {
		t.Fatalf("exit %d, want 3\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	const perm = "db_datareader in msdb"
	if len(r.json.SourceErrors) != 1 || r.json.SourceErrors[0].Permission != perm {
		t.Errorf("source errors = %+v", r.json.SourceErrors)
	}
	msdb := map[string]bool{"DMS407": true, "DMS410": true, "DMS411": true, "DMS412": true}
	seen := map[string]bool{}
	for _, f := range r.json.Findings {
		seen[f.CheckID] = true
		switch {
		case msdb[f.CheckID]:
			if f.Status != "error" || f.Evidence["permission"] != perm {
				t.Errorf("%s %s: %s %v, want error naming %q", f.CheckID, f.Object, f.Status, f.Evidence, perm)
			}
		case f.Status == "error":
			t.Errorf("%s %s errored without msdb: %s", f.CheckID, f.Object, f.Message)
		}
	}
	for id := range msdb {
		if !seen[id] {
			t.Errorf("no %s finding", id)
		}
	}
	r.want(t, map[string]string{
		"DMS401 database:HR":    "pass",
		"DMS406 server:logins":  "warn",
		"DMS409 database:Sales": "pass",
		"DMS413 target":         "pass",
		"DMS415 server":         "pass",
	})
	// The permission is named where an operator reads it.
	for _, f := range []string{"text", "markdown", "junit", "sarif"} {
		if !strings.Contains(r.files[f], perm) {
			t.Errorf("%s report does not name %q", f, perm)
		}
	}
	r.sameInEveryFormat(t)
	noSecret(t, sqlscenario.Password, r.res, r.files)
}

func TestSQLLoginFailed(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	wrong := "Wr0ng-" + sqlscenario.Password
	r := checkAll(t, []string{pwEnv + "=" + wrong}, "--plan", sqlPlan(t, src, nil, "sqlmi", "online"))
	if r.res.code != exitSource {
		t.Fatalf("exit %d, want 3\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	if len(r.json.SourceErrors) != 1 || r.json.SourceErrors[0].Kind != "login-failed" || !strings.Contains(r.json.SourceErrors[0].Message, "18456") {
		t.Errorf("source errors = %+v", r.json.SourceErrors)
	}
	if !strings.Contains(r.res.stdout, "Could not check") || !strings.Contains(r.res.stdout, "login-failed") {
		t.Errorf("text report does not explain the failed login:\n%s", r.res.stdout)
	}
	if len(src.Requests()) != 0 {
		t.Errorf("%d queries after a failed login", len(src.Requests()))
	}
	for _, f := range r.json.Findings {
		if strings.HasPrefix(f.CheckID, "DMS4") && f.Status != "error" && f.Status != "skip" {
			t.Errorf("%s %s = %s without a server", f.CheckID, f.Object, f.Status)
		}
	}
	r.want(t, map[string]string{"DMS401 -": "error"})
	r.sameInEveryFormat(t)
	noSecret(t, wrong, r.res, r.files)
	noSecret(t, "Wr0ng", r.res, r.files)
}

// No password at all: a clear message naming the variable, no connection.
func TestSQLNoPassword(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	r := runBin(t, nil, "check", "--plan", sqlPlan(t, src, nil, "sqlmi", "online"))
	if r.code != exitSource || !strings.Contains(r.stdout, pwEnv) {
		t.Errorf("exit %d, want 3 and a report naming %s\n%s%s", r.code, pwEnv, r.stdout, r.stderr)
	}
	if len(src.Logins()) != 0 {
		t.Error("logged in without a password")
	}
}

func TestSQL2012Source(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.SQL2012().Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, nil, "sqlmi", "online"))
	if r.res.code != exitReady {
		t.Fatalf("exit %d, want 0\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS401 database:HR": "pass", "DMS410 database:Sales": "pass", "DMS415 server": "pass"})
	r.sameInEveryFormat(t)
	for _, q := range src.Requests() {
		if q.Marker == "dmsready:backup-history" {
			t.Error("2014+ backup history query sent to 2012")
		}
	}
}

// Flags alone, no plan file: --source takes a DSN, the password comes from
// the default variable.
func TestSQLFlagsOnly(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.TDEKeyNeverBackedUp().Scenario())
	dsn := fmt.Sprintf("sqlserver://%s?encrypt=disable", src.Addr())
	r := checkAll(t, []string{"DMSREADY_SQL_PASSWORD=" + sqlscenario.Password},
		"--source", dsn, "--user", sqlscenario.User, "--target-kind", "sqlmi", "--mode", "online", "--fail-on", "warning")
	if r.res.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS401 database:HR": "warn"})
	noSecret(t, sqlscenario.Password, r.res, r.files)

	// host,port as in SSMS, the driver's default encryption.
	r = checkAll(t, []string{"DMSREADY_SQL_PASSWORD=" + sqlscenario.Password},
		"--source", fmt.Sprintf("127.0.0.1,%d", src.Port()), "--user", sqlscenario.User, "--target-kind", "sqlmi", "--fail-on", "warning")
	if r.res.code != exitFindings {
		t.Fatalf("host,port: exit %d, want 1\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS401 database:HR": "warn"})
}

// A DSN naming the login, the password from --password-env.
func TestSQLDSNWithUserPasswordEnv(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.TDEKeyNeverBackedUp().Scenario())
	dsn := fmt.Sprintf("sqlserver://%s@%s?encrypt=disable", sqlscenario.User, src.Addr())
	r := checkAll(t, sqlEnv(), "--source", dsn, "--password-env", pwEnv, "--target-kind", "sqlmi", "--fail-on", "warning")
	if r.res.code != exitFindings || len(r.json.SourceErrors) != 0 {
		t.Fatalf("exit %d, want 1; source errors %v\n%s", r.res.code, r.json.SourceErrors, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS401 database:HR": "warn"})
	noSecret(t, sqlscenario.Password, r.res, r.files)
}

// collect on one machine, check on another: the same findings.
func TestSQLCollectThenCheck(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.MsdbDenied().Scenario())
	plan := sqlPlan(t, src, nil, "sqlmi", "online")
	live := checkAll(t, sqlEnv(), "--plan", plan)

	p := filepath.Join(t.TempDir(), "facts.json")
	c := runBin(t, sqlEnv(), "collect", "--plan", plan, "-o", p)
	if c.code != exitSource || !strings.Contains(c.stderr, "db_datareader in msdb") {
		t.Errorf("collect: exit %d, want 3 naming the msdb permission; stderr %q", c.code, c.stderr)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	noSecret(t, sqlscenario.Password, c, map[string]string{"facts": string(b)})

	n := len(src.Requests())
	off := checkAll(t, nil, "--facts", p)
	if len(src.Requests()) != n {
		t.Error("check --facts queried the server")
	}
	if off.res.code != live.res.code {
		t.Errorf("exit %d from facts, %d live", off.res.code, live.res.code)
	}
	if a, b := findingsKey(live.json), findingsKey(off.json); a != b {
		t.Errorf("findings differ:\nlive:  %s\nfacts: %s", a, b)
	}
	if fmt.Sprint(live.json.SourceErrors) != fmt.Sprint(off.json.SourceErrors) {
		t.Errorf("source errors differ: %v, %v", live.json.SourceErrors, off.json.SourceErrors)
	}
	off.sameInEveryFormat(t)
}

func findingsKey(r *jsonReport) string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.CheckID+" "+f.Object+" "+f.Status+" "+f.Message)
	}
	return strings.Join(out, "\n")
}

// A live Managed Instance target as well as the source.
func TestSQLLiveTarget(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	tgt := tdstest.Start(t, sqlscenario.MI().Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, tgt, "sqlmi", "online"), "--database", "Sales", "--database", "HR")
	if r.res.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{
		"DMS501 database:Sales": "fail",
		"DMS501 database:HR":    "pass",
		"DMS502 database:HR":    "fail",
		"DMS504 target":         "fail",
	})
	r.sameInEveryFormat(t)
	noSecret(t, sqlscenario.Password, r.res, r.files)
	// The target is read where DMS restores, not on a read-only replica.
	if lg := tgt.Logins(); len(lg) == 0 || lg[0].ReadOnlyIntent {
		t.Errorf("target logins = %+v", lg)
	}
}

// A SQL Server 2017 VM as the live target of a 2019 source: too old.
func TestSQLLiveTargetVM(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.Healthy().Scenario())
	tgt := tdstest.Start(t, sqlscenario.VM().Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, tgt, "sqlvm", "offline"))
	if r.res.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS503 target": "fail", "DMS502 database:HR": "pass", "DMS501 database:Sales": "pass"})
	r.sameInEveryFormat(t)
	for _, q := range tgt.Requests() {
		if q.Marker == "dmsready:target-storage" {
			t.Error("storage query sent to a non-Managed Instance target")
		}
	}
}

// A login with VIEW ANY DATABASE and msdb access only: what needs more
// errors naming the permission, the rest is still checked.
func TestSQLWithoutViewAnyDefinition(t *testing.T) {
	src := tdstest.Start(t, sqlscenario.WithoutViewAnyDefinition().Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, nil, "sqlmi", "online"))
	if r.res.code != exitSource {
		t.Fatalf("exit %d, want 3\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS401 -": "error", "DMS406 -": "error", "DMS409 database:Sales": "pass", "DMS410 database:Sales": "pass"})
	for _, e := range r.json.SourceErrors {
		if e.Permission == "" || !strings.Contains(r.res.stdout, e.Permission) {
			t.Errorf("source error %s does not name its permission in the text report: %+v", e.Source, e)
		}
	}
	r.sameInEveryFormat(t)
}

// 100,001 tables in one database bound for Azure SQL Database.
func TestSQL100kTables(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000-row fixture")
	}
	src := tdstest.Start(t, sqlscenario.ManyTables(100001).Scenario())
	r := checkAll(t, sqlEnv(), "--plan", sqlPlan(t, src, nil, "sqldb", "offline"))
	if r.res.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s%s", r.res.code, r.res.stdout, r.res.stderr)
	}
	r.want(t, map[string]string{"DMS403 database:Sales": "fail", "DMS403 database:HR": "pass", "DMS405 database:Sales": "warn"})
	r.sameInEveryFormat(t)
}

// A server that accepts the connection and never answers: the plan's
// connect timeout ends the run with a clear source error.
func TestSQLSilentServer(t *testing.T) {
	_, port, err := net.SplitHostPort(faultproxytest.BlackHole(t))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "plan.yaml")
	plan := fmt.Sprintf("source:\n  server: 127.0.0.1\n  port: %s\n  user: u\n  passwordEnv: %s\n  encrypt: disable\n  connectTimeout: 1s\ntarget:\n  kind: sqlmi\n", port, pwEnv)
	if err := os.WriteFile(p, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runBin(t, sqlEnv(), "check", "--plan", p, "--format", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d, stdout not JSON: %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != exitSource || len(rep.SourceErrors) != 1 || rep.SourceErrors[0].Kind != "timeout" {
		t.Errorf("exit %d, source errors %+v", r.code, rep.SourceErrors)
	}
}
