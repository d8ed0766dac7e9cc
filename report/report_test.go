package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// catalogue is a hand-built registry, so the goldens do not move when the
// real checks' wording does.
func catalogue() []*check.Check {
	mk := func(id, title string, sev check.Severity, prevents string) *check.Check {
		return &check.Check{
			ID: id, Title: title, Severity: sev, Needs: []facts.Source{facts.SrcPlan},
			Prevents: prevents,
			Doc:      title + " matters because DMS stops with `" + prevents + "`.",
			Fix:      "Fix " + id + " by following the *documented* steps.",
			Link:     "https://example.test/checks/" + strings.ToLower(id),
			Run:      func(p *check.Pass) {},
		}
	}
	return []*check.Check{
		mk("DMS101", "Database name is valid on Azure SQL Database", check.Error, "reserved database names"),
		mk("DMS201", "One database per backup folder", check.Error, "backups from multiple databases"),
		mk("DMS202", "Backup storage is reachable", check.Error, "storage unreachable"),
		mk("DMS301", "Full backups have checksums", check.Error, "2009: missing checksum"),
		mk("DMS305", "Log chain is unbroken", check.Warning, "4305: log too recent"),
		mk("DMS310", "Compatibility level is supported", check.Error, "compatibility level below 100"),
		mk("DMS320", "Backup file names are URL-safe", check.Info, "names need URL-encoding"),
		mk("DMS402", "msdb backup history is readable", check.Warning, "history unavailable"),
		mk("DMS403", "Server objects are listed", check.Info, "logins, jobs not migrated"),
	}
}

// fixture covers every status, a waived finding, an expired and an unused
// waiver, evidence, a source error and timings. Findings are deliberately
// out of order: reporters sort them.
func fixture() *Report {
	start := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	f := func(id, title string, st check.Status, sev check.Severity, db, obj, msg string, ev check.Ev) check.Finding {
		return check.Finding{CheckID: id, Title: title, Status: st, Severity: sev, Database: db, Object: obj, Message: msg, Evidence: ev}
	}
	waived := f("DMS310", "Compatibility level is supported", check.StatusFail, check.Error, "Legacy", "database:Legacy",
		"compatibility level 90 is below 100", check.Ev{"compatibilityLevel": "90"})
	waived.Waiver = &check.AppliedWaiver{Reason: "Legacy is retired before cutover (CHG-1234)", Expires: "2026-12-31", Where: "plan.yaml:31"}
	return &Report{
		SchemaVersion: SchemaVersion,
		Tool:          "dmsready",
		Version:       "0.1.0-test",
		PlanDigest:    "sha256:3f2a9c1d4e5b60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef",
		PlanPath:      "plans/sales.yaml",
		Source:        &SourceInfo{Server: "sql01.contoso.local", Instance: "PROD", Name: `SQL01\PROD`, Version: "13.0.5026.0", Edition: "Enterprise Edition (64-bit)"},
		Storage:       &StorageInfo{Kind: "blob", Location: "https://contoso.blob.core.windows.net/backups"},
		Target:        facts.PlanTarget{Kind: facts.KindMI, Version: "2022", Server: "mi-prod.abc123.database.windows.net"},
		Mode:          "online",
		Started:       start,
		Finished:      start.Add(4250 * time.Millisecond),
		Timings: []Timing{
			{Phase: "collect.server", Millis: 1200},
			{Phase: "collect.storage", Millis: 2800},
			{Phase: "checks", Millis: 12},
		},
		CheckTimings: []CheckTiming{{Check: "DMS301", Micros: 1500}, {Check: "DMS305", Micros: 250}, {Check: "DMS201", Micros: 40}},
		Locations: []Location{
			{Object: "database:Sales", File: "plans/sales.yaml", Line: 14},
			{Object: "database:Orders", File: "plans/sales.yaml", Line: 17},
			{Object: "database:Legacy", File: "plans/sales.yaml", Line: 20},
			{Object: "storage", File: "plans/sales.yaml", Line: 9},
			{Object: "source", File: "plans/sales.yaml", Line: 2},
		},
		FailOn: check.Error,
		Findings: []check.Finding{
			f("DMS301", "Full backups have checksums", check.StatusFail, check.Error, "Sales", "file:sales/full_1.bak",
				"full backup was taken without checksums", check.Ev{"checksums": "false", "backupFinish": "2026-11-24T02:00:00Z"}),
			f("DMS101", "Database name is valid on Azure SQL Database", check.StatusPass, "", "Sales", "database:Sales",
				`target name "Sales" is a valid Azure SQL Database name`, nil),
			f("DMS402", "msdb backup history is readable", check.StatusError, "", "", "-",
				"server.msdb could not be collected: The SELECT permission was denied on the object 'backupset' (needs db_datareader on msdb)",
				check.Ev{"source": "server.msdb", "kind": "permission", "permission": "db_datareader on msdb"}),
			f("DMS201", "One database per backup folder", check.StatusFail, check.Error, "", "folder:shared",
				"holds backups of 2 databases", check.Ev{"databases": "Legacy,Sales", "files": "3"}),
			f("DMS305", "Log chain is unbroken", check.StatusWarn, check.Warning, "Sales", "file:sales/log_0042.trn",
				"log backup starts after the previous one ends: gap in the chain",
				check.Ev{"firstLSN": "42000000123400001", "previousLastLSN": "42000000120000001"}),
			waived,
			f("DMS403", "Server objects are listed", check.StatusSkip, "", "", "-", "not collected: server.objects", nil),
			f("DMS301", "Full backups have checksums", check.StatusPass, "", "Orders", "file:orders/full.bak",
				"full backup has checksums", check.Ev{"checksums": "true"}),
			f("DMS202", "Backup storage is reachable", check.StatusPass, "", "", "storage",
				"container is reachable and listable", nil),
			f("DMS320", "Backup file names are URL-safe", check.StatusWarn, check.Info, "Orders", "file:orders/log|1<2>.trn",
				`file name has "|" & <brackets>: needs URL-encoding`, check.Ev{"name": "log|1<2>.trn"}),
			f("DMS101", "Database name is valid on Azure SQL Database", check.StatusPass, "", "Orders", "database:Orders",
				`target name "Orders" is a valid Azure SQL Database name`, nil),
		},
		Waivers: []check.WaiverUse{
			{Waiver: check.Waiver{Check: "DMS310", Object: "database:Legacy", Reason: "Legacy is retired before cutover (CHG-1234)", Expires: "2026-12-31", Where: "plan.yaml:31"}, Matched: 1},
			{Waiver: check.Waiver{Check: "DMS305", Object: "file:sales/*", Reason: "chain rebuilt nightly", Expires: "2026-11-01", Where: "plan.yaml:36"}, Matched: 1, Expired: true},
			{Waiver: check.Waiver{Check: "DMS201", Object: "folder:archive", Reason: "archive folder is not migrated", Where: "plan.yaml:40"}, Unused: true},
		},
		SourceErrors: []facts.SourceError{
			{Source: facts.SrcBackupHistory, Kind: "permission", Message: "The SELECT permission was denied on the object 'backupset'", Permission: "db_datareader on msdb"},
		},
		Restore: restorePlans(start),
	}
}

// restorePlans: Sales breaks after its second log, Orders is whole.
func restorePlans(start time.Time) []restore.Sequence {
	lsn := func(s string) facts.LSN {
		l, err := facts.ParseLSN(s)
		if err != nil {
			panic(err)
		}
		return l
	}
	at := func(h int) *time.Time { t := start.Add(time.Duration(h) * time.Hour); return &t }
	b := func(typ, file, first, last string, h int) restore.Backup {
		return restore.Backup{Type: typ, Files: []string{file}, FirstLSN: lsn(first), LastLSN: lsn(last), Finish: at(h)}
	}
	return []restore.Sequence{
		{Database: "Orders", Folder: "orders", Status: restore.StatusReady,
			Steps:   []restore.Backup{b("full", "orders/full.bak", "10000000001000001", "10000000009000001", -10)},
			Reaches: &restore.Point{LSN: lsn("10000000009000001"), Time: at(-10), File: "orders/full.bak"}},
		{Database: "Sales", Folder: "sales", Status: restore.StatusBroken,
			Steps: []restore.Backup{
				b("full", "sales/full_1.bak", "42000000100000001", "42000000110000001", -24),
				b("differential", "sales/diff_1.bak", "42000000111000001", "42000000115000001", -12),
				b("log", "sales/log_0041.trn", "42000000110000001", "42000000120000001", -6),
			},
			Reaches: &restore.Point{LSN: lsn("42000000120000001"), Time: at(-6), File: "sales/log_0041.trn"},
			Issues: []restore.Issue{{Kind: restore.KindBreak, Before: "sales/log_0041.trn", After: "sales/log_0042.trn",
				From: lsn("42000000120000001"), To: lsn("42000000123400001"), Message: "log chain broken: the <log> backup covering that range is missing"}},
			Unused: []restore.Unused{restore.NewUnused(b("log", "sales/log_0042.trn", "42000000123400001", "42000000130000001", -3),
				restore.ReasonAfterBreak, "starts after the chain ends")},
		},
	}
}

func render(t *testing.T, format string, r *Report, o Options) []byte {
	t.Helper()
	fn, ok := Lookup(format)
	if !ok {
		t.Fatalf("format %q not found", format)
	}
	var b bytes.Buffer
	if err := fn(&b, r, o); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -update rewrites it; review the diff)\n--- got ---\n%s", path, got)
	}
}

var goldenFiles = []struct {
	format, file string
	color        bool
}{
	{"text", "report.txt", false},
	{"text", "report.color.txt", true},
	{"json", "report.json", false},
	{"junit", "report.junit.xml", false},
	{"sarif", "report.sarif.json", false},
	{"markdown", "report.md", false},
	{"html", "report.html", false},
}

func TestGolden(t *testing.T) {
	for _, g := range goldenFiles {
		t.Run(g.file, func(t *testing.T) {
			golden(t, g.file, render(t, g.format, fixture(), Options{Color: g.color, Catalogue: catalogue()}))
		})
	}
}

// Reporters sort: the input order of findings and source errors must not
// show in any output.
func TestOrderIndependent(t *testing.T) {
	for _, g := range goldenFiles {
		r := fixture()
		for i, j := 0, len(r.Findings)-1; i < j; i, j = i+1, j-1 {
			r.Findings[i], r.Findings[j] = r.Findings[j], r.Findings[i]
		}
		o := Options{Color: g.color, Catalogue: catalogue()}
		if a, b := render(t, g.format, fixture(), o), render(t, g.format, r, o); !bytes.Equal(a, b) {
			t.Errorf("%s: output depends on finding order", g.file)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTextColor(t *testing.T) {
	o := Options{Catalogue: catalogue()}
	plain := render(t, "text", fixture(), o)
	if bytes.Contains(plain, []byte("\x1b")) {
		t.Error("text without Color has escape codes")
	}
	o.Color = true
	col := render(t, "text", fixture(), o)
	if !ansi.Match(col) {
		t.Fatal("text with Color has no escape codes")
	}
	if got := ansi.ReplaceAll(col, nil); !bytes.Equal(got, plain) {
		t.Errorf("colour changes more than colour:\n%s\nvs\n%s", got, plain)
	}
	for _, f := range []string{"json", "junit", "sarif", "markdown"} {
		if bytes.Contains(render(t, f, fixture(), o), []byte("\x1b")) {
			t.Errorf("%s has escape codes with Color on", f)
		}
	}
}

func TestTextContent(t *testing.T) {
	out := string(render(t, "text", fixture(), Options{Catalogue: catalogue()}))
	for _, want := range []string{
		"4 passed, 2 warnings, 3 failed, 1 skipped, 1 error, 1 waived — NOT READY (2 blocking at error; 1 check could not run)",
		"checked: source sql01.contoso.local\\PROD (SQL01\\PROD, 13.0.5026.0, Enterprise Edition (64-bit)) · storage blob https://contoso.blob.core.windows.net/backups · plan plans/sales.yaml",
		"Blocking (2)\n",
		"fix: Fix DMS301 by following the *documented* steps.",
		"more: dmsready explain DMS301",
		"WAIVED DMS310  database:Legacy",
		"waived: Legacy is retired before cutover (CHG-1234); until 2026-12-31; plan.yaml:31",
		"EXPIRED DMS305 file:sales/* (plan.yaml:36)",
		"UNUSED  DMS201 folder:archive (plan.yaml:40)",
		"server.msdb (permission): The SELECT permission was denied on the object 'backupset' (needs db_datareader on msdb)",
		"1 check could not run: DMS402",
		"  target         2 passed, 0 skipped\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Summary first: the verdict comes before any finding.
	if strings.Index(out, "NOT READY") > strings.Index(out, "Blocking") {
		t.Error("verdict is not first")
	}
	// Passes are counted, not listed, unless verbose.
	if strings.Contains(out, "PASS") {
		t.Error("passes listed without --verbose")
	}
	verbose := string(render(t, "text", fixture(), Options{Catalogue: catalogue(), Verbose: true}))
	for _, want := range []string{"Server, storage and plan\n", "Database Legacy\n", "PASS  DMS101  database:Orders",
		"firstLSN=42000000123400001 previousLastLSN=42000000120000001"} {
		if !strings.Contains(verbose, want) {
			t.Errorf("verbose text lacks %q", want)
		}
	}
	quiet := string(render(t, "text", fixture(), Options{Catalogue: catalogue(), Quiet: true}))
	if quiet != "4 passed, 2 warnings, 3 failed, 1 skipped, 1 error, 1 waived — NOT READY (2 blocking at error; 1 check could not run)\n" {
		t.Errorf("quiet text is not the verdict line alone:\n%s", quiet)
	}
}

// 300 stray files in one folder are one line, with the count; verbose
// lists them; one source error is reported once with the checks it stopped.
func TestTextGroupsRepeats(t *testing.T) {
	r := &Report{FailOn: check.Error}
	for i := 0; i < 300; i++ {
		r.Findings = append(r.Findings, check.Finding{CheckID: "DMS208", Status: check.StatusWarn, Severity: check.Warning,
			Object: fmt.Sprintf("file:stray/note%03d.txt", i), Message: "not a backup file"})
	}
	r.Findings = append(r.Findings, check.Finding{CheckID: "DMS208", Status: check.StatusWarn, Severity: check.Warning,
		Object: "file:other/x.txt", Message: "not a backup file"})
	r.SourceErrors = []facts.SourceError{{Source: facts.SrcServer, Kind: "unreachable", Message: "dial tcp: connection refused"}}
	for _, id := range []string{"DMS401", "DMS406", "DMS415"} {
		r.Findings = append(r.Findings, check.Finding{CheckID: id, Status: check.StatusError, Object: "-",
			Message: "server could not be collected: dial tcp: connection refused", Evidence: check.Ev{"source": "server", "kind": "unreachable"}})
	}
	out := string(render(t, "text", r, Options{}))
	for _, want := range []string{
		"WARN  DMS208  300 files in folder stray — not a backup file (e.g. file:stray/note000.txt)\n",
		"WARN  DMS208  file:other/x.txt — not a backup file\n",
		"ERROR server (unreachable): dial tcp: connection refused\n" + indent + "3 checks could not run: DMS401, DMS406, DMS415\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "connection refused"); n != 1 {
		t.Errorf("source error printed %d times, want once", n)
	}
	if n := strings.Count(out, "\n"); n > 20 {
		t.Errorf("%d lines for 301 repeats and one source error:\n%s", n, out)
	}
	verbose := string(render(t, "text", r, Options{Verbose: true}))
	if n := strings.Count(verbose, "file:stray/"); n < 300 {
		t.Errorf("verbose lists %d stray files, want all 300", n)
	}
}

func TestSummaryLineReady(t *testing.T) {
	r := &Report{FailOn: check.Error, Findings: []check.Finding{
		{CheckID: "DMS101", Status: check.StatusPass, Object: "database:A", Database: "A", Message: "ok"},
		{CheckID: "DMS305", Status: check.StatusWarn, Severity: check.Warning, Object: "file:x", Database: "A", Message: "gap"},
	}}
	out := string(render(t, "text", r, Options{}))
	if !strings.Contains(out, "\n1 passed, 1 warning, 0 failed, 0 skipped, 0 errors — READY\n") {
		t.Errorf("summary line:\n%s", out)
	}
	r.FailOn = check.Warning
	out = string(render(t, "text", r, Options{}))
	if !strings.Contains(out, "— NOT READY (1 blocking at warning)\n") {
		t.Errorf("summary line at fail-on warning:\n%s", out)
	}
}

// Every format copes with a report that has nothing in it.
func TestEmptyReport(t *testing.T) {
	for _, f := range Formats() {
		if out := render(t, f, &Report{}, Options{}); len(out) == 0 {
			t.Errorf("%s: empty output", f)
		}
	}
}

func TestParseFormatSpec(t *testing.T) {
	tests := []struct {
		in, format, path string
		err              bool
	}{
		{"json", "json", "", false},
		{"json=report.json", "json", "report.json", false},
		{"JUnit=out/junit.xml", "junit", "out/junit.xml", false},
		{"md=ticket.md", "markdown", "ticket.md", false},
		{"sarif=-", "sarif", "", false},
		{"text=", "text", "", false},
		{"json=a=b.json", "json", "a=b.json", false},
		{"yaml", "", "", true},
		{"", "", "", true},
		{"=x.json", "", "", true},
	}
	for _, tt := range tests {
		f, p, err := ParseFormatSpec(tt.in)
		if (err != nil) != tt.err || f != tt.format || p != tt.path {
			t.Errorf("ParseFormatSpec(%q) = %q, %q, %v; want %q, %q, error %v", tt.in, f, p, err, tt.format, tt.path, tt.err)
		}
	}
	if _, _, err := ParseFormatSpec("yaml"); err == nil || !strings.Contains(err.Error(), "text, json, junit, sarif, markdown") {
		t.Errorf("unknown format error does not list the formats: %v", err)
	}
	for _, f := range append(Formats(), "md", "MARKDOWN") {
		if _, ok := Lookup(f); !ok {
			t.Errorf("Lookup(%q) failed", f)
		}
	}
}

func TestUseColor(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "NO_COLOR" {
				return v
			}
			return ""
		}
	}
	for _, tt := range []struct {
		tty     bool
		noColor string
		want    bool
	}{
		{true, "", true},
		{true, "1", false},
		{false, "", false},
		{false, "1", false},
	} {
		if got := UseColor(tt.tty, env(tt.noColor)); got != tt.want {
			t.Errorf("UseColor(%v, NO_COLOR=%q) = %v", tt.tty, tt.noColor, got)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Do this. Then that.":                "Do this.",
		"Run `a. b` first. Then the rest.":   "Run `a. b` first.",
		"One\nline  only":                    "One line only",
		strings.Repeat("word ", 40) + "end.": strings.TrimSpace(strings.Repeat("word ", 22)) + " …",
	} {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDescribeSource(t *testing.T) {
	for in, want := range map[string]SourceInfo{
		`sql01\PROD,1433`: {Server: "sql01,1433", Instance: "PROD"},
		"sql01":           {Server: "sql01"},
		"sqlserver://u@127.0.0.1:4100/INST?encrypt=disable": {Server: "127.0.0.1:4100", Instance: "INST"},
	} {
		var r Report
		Describe(&r, &facts.Facts{Plan: facts.ResolvedPlan{Source: facts.PlanSource{Server: in}}})
		if r.Source == nil || *r.Source != want {
			t.Errorf("Describe(%q) = %+v, want %+v", in, r.Source, want)
		}
	}
}

// The fix's Markdown becomes code and bold; nothing else becomes markup.
func TestMDInline(t *testing.T) {
	got := string(mdInline("Run `ALTER DATABASE [x] <y>` **now** & <b>not this</b>"))
	want := "Run <code>ALTER DATABASE [x] &lt;y&gt;</code> <b>now</b> &amp; &lt;b&gt;not this&lt;/b&gt;"
	if got != want {
		t.Errorf("mdInline = %q, want %q", got, want)
	}
}

// An incomplete run reads INCOMPLETE in the verdict line, the HTML title
// and an estate, never READY.
func TestIncompleteEverywhere(t *testing.T) {
	r := &Report{FailOn: check.Error, Summary: Summary{Unverified: []string{"Sales"}}, Findings: []check.Finding{
		{CheckID: "DMS101", Status: check.StatusPass, Object: "database:Sales", Database: "Sales", Message: "ok"},
	}}
	if out := string(render(t, "text", r, Options{Quiet: true})); !strings.Contains(out, "— INCOMPLETE (") {
		t.Errorf("text: %s", out)
	}
	if out := string(render(t, "html", r, Options{})); !strings.Contains(out, "<h1>Migration readiness: INCOMPLETE</h1>") {
		t.Error("HTML title is not INCOMPLETE")
	}
	e := NewEstate([]*Report{r}, nil, check.Error, Options{})
	if e.Summary.Ready || e.Summary.Incomplete != 1 || !strings.Contains(e.verdict(), "verified nothing") {
		t.Errorf("estate: %+v %s", e.Summary, e.verdict())
	}
}

// A collector that failed leaves the run NOT READY even when no check
// needed what it would have read (no error finding): the exit code is
// already 3 there, and the reports said READY with "ready": true.
func TestSourceErrorNeverReady(t *testing.T) {
	r := &Report{FailOn: check.Error, Findings: []check.Finding{
		{CheckID: "DMS101", Status: check.StatusPass, Object: "database:A", Database: "A", Message: "ok"},
	}, SourceErrors: []facts.SourceError{{Source: facts.SrcTables, Kind: "timeout", Message: "query timed out"}}}
	out := string(render(t, "text", r, Options{Quiet: true}))
	if strings.Contains(out, "READY") && !strings.Contains(out, "NOT READY (") || !strings.Contains(out, "server.tables") {
		t.Errorf("text verdict with a failed collector: %s", out)
	}
	if out := string(render(t, "json", r, Options{})); !strings.Contains(out, `"ready": false`) {
		t.Errorf("JSON summary with a failed collector says ready:\n%s", out)
	}
	if out := string(render(t, "markdown", r, Options{})); !strings.HasPrefix(out, "# Migration readiness: NOT READY") {
		t.Errorf("markdown: %s", out)
	}
	if out := string(render(t, "html", r, Options{})); !strings.Contains(out, "<h1>Migration readiness: NOT READY</h1>") {
		t.Error("HTML title is not NOT READY")
	}
	if e := NewEstate([]*Report{r}, nil, check.Error, Options{}); e.Summary.Ready || e.Summary.ReadyReports != 0 || e.Summary.ReadyDatabases != 0 || !strings.Contains(e.verdict(), "could not collect") {
		t.Errorf("estate: %+v %s", e.Summary, e.verdict())
	}
}

// A waiver whose check could not run this time (an error finding: errors
// are never waived) is not a waiver that "matched nothing": telling the
// reader to remove it would drop it just before the check runs again.
func TestUnusedWaiverOnAnError(t *testing.T) {
	r := &Report{FailOn: check.Error, Findings: []check.Finding{
		{CheckID: "DMS402", Status: check.StatusError, Object: "database:HR", Database: "HR", Message: "could not be collected"},
		{CheckID: "DMS301", Status: check.StatusPass, Object: "database:HR", Database: "HR", Message: "restores in sequence"},
	}, Waivers: []check.WaiverUse{
		{Waiver: check.Waiver{Check: "DMS402", Object: "database:*", Reason: "r", Where: "plan.yaml:9"}, Unused: true},
		{Waiver: check.Waiver{Check: "DMS301", Object: "database:X", Reason: "r", Where: "plan.yaml:12"}, Unused: true},
		// A check ID no check of the run has: a typo, or a check of another
		// target or version. "Fix its pattern" would send people to the
		// wrong field.
		{Waiver: check.Waiver{Check: "DMS999", Object: "database:HR", Reason: "r", Where: "plan.yaml:15"}, Unused: true},
	}}
	for _, f := range []string{"text", "markdown", "html"} {
		out := string(render(t, f, r, Options{}))
		if !strings.Contains(out, "matched only findings that could not be decided (1 error)") {
			t.Errorf("%s does not say the waiver met an error:\n%s", f, out)
		}
		if f != "markdown" && strings.Count(out, "remove it or fix its pattern") != 1 {
			t.Errorf("%s: want the remove advice for the DMS301 waiver only:\n%s", f, out)
		}
		if !strings.Contains(out, "check DMS999 reported nothing in this run") {
			t.Errorf("%s does not say DMS999 reported nothing:\n%s", f, out)
		}
	}
}

// An estate whose only shortfall is reports that verified nothing exits
// 4, as each of them does; its title said NOT READY.
func TestEstateOfIncompleteSaysIncomplete(t *testing.T) {
	inc := &Report{Name: "inc.json", FailOn: check.Error, Summary: Summary{Unverified: []string{"Sales"}}, Findings: []check.Finding{
		{CheckID: "DMS101", Status: check.StatusPass, Object: "database:Sales", Database: "Sales", Message: "ok"},
	}}
	e := NewEstate([]*Report{inc}, nil, check.Error, Options{})
	for _, f := range []string{"text", "markdown", "html"} {
		var b bytes.Buffer
		if err := WriteEstate(&b, f, e, Options{}); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); !strings.Contains(out, "INCOMPLETE (1 report verified nothing about a database)") || strings.Contains(out, "NOT READY") {
			t.Errorf("%s:\n%s", f, out)
		}
	}
	// With a blocker beside it, the estate is NOT READY and says both.
	e = NewEstate([]*Report{inc, fixture()}, nil, check.Error, Options{})
	if v := e.verdict(); !strings.HasPrefix(v, "NOT READY (") || !strings.Contains(v, "1 report verified nothing") {
		t.Errorf("verdict %q", v)
	}
}

// An estate lists each input's verdict: an incomplete one (nothing blocks,
// nothing verified) was listed NOT READY in the estate text, Markdown and
// HTML matrix, the word for a blocker or a check that could not run,
// though its own report and exit code (4) say INCOMPLETE.
func TestEstateListsIncomplete(t *testing.T) {
	inc := &Report{Name: "inc.json", FailOn: check.Error, Summary: Summary{Unverified: []string{"Sales"}}, Findings: []check.Finding{
		{CheckID: "DMS101", Status: check.StatusPass, Object: "database:Sales", Database: "Sales", Message: "ok"},
	}}
	bad := fixture()
	bad.Name = "bad.json"
	e := NewEstate([]*Report{inc, bad}, nil, check.Error, Options{})
	for _, f := range []string{"text", "markdown", "html"} {
		var b bytes.Buffer
		if err := WriteEstate(&b, f, e, Options{}); err != nil {
			t.Fatal(err)
		}
		var row string
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.Contains(l, "inc.json") && strings.Contains(l, "READY") || strings.Contains(l, "inc.json") && strings.Contains(l, "INCOMPLETE") {
				row = l
				break
			}
		}
		if !strings.Contains(row, "INCOMPLETE") || strings.Contains(row, "NOT READY") {
			t.Errorf("%s: the incomplete input's row %q", f, row)
		}
	}
}
