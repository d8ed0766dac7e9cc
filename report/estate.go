package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/check"
)

// Estate is many reports judged together: one per plan or facts file
// (usually one per source server), with what sums them up.
type Estate struct {
	SchemaVersion int            `json:"schemaVersion"`
	Kind          string         `json:"kind"` // always "estate"
	Tool          string         `json:"tool"`
	Version       string         `json:"version"`
	Started       time.Time      `json:"started"`
	Finished      time.Time      `json:"finished"`
	FailOn        check.Severity `json:"failOn"`
	Summary       EstateSummary  `json:"summary"`
	// ByCheck counts findings per check across the estate.
	ByCheck []CheckCount `json:"byCheck"`
	// TopBlockers are the checks blocking the most databases.
	TopBlockers []Blocker `json:"topBlockers"`
	// Failures are inputs that could not be read or collected at all.
	Failures []InputFailure `json:"failures,omitempty"`
	Reports  []*Report      `json:"reports"`
}

// EstateSummary is the estate at a glance.
type EstateSummary struct {
	Inputs       int `json:"inputs"`
	Reports      int `json:"reports"`
	ReadyReports int `json:"readyReports"`
	// Incomplete counts reports that verified nothing about a planned
	// database (or nothing at all).
	Incomplete     int     `json:"incomplete"`
	Databases      int     `json:"databases"`
	ReadyDatabases int     `json:"readyDatabases"`
	Findings       Summary `json:"findings"`
	Ready          bool    `json:"ready"`
}

// CheckCount is one check's findings across the estate.
type CheckCount struct {
	Check  string `json:"check"`
	Title  string `json:"title"`
	Pass   int    `json:"pass"`
	Warn   int    `json:"warn"`
	Fail   int    `json:"fail"`
	Skip   int    `json:"skip"`
	Error  int    `json:"error"`
	Waived int    `json:"waived"`
}

// Blocker is a check that blocks: how often, on how many servers.
type Blocker struct {
	Check     string `json:"check"`
	Title     string `json:"title"`
	Findings  int    `json:"findings"`
	Reports   int    `json:"reports"`
	Databases int    `json:"databases"`
	Fix       string `json:"fix,omitempty"`
}

// InputFailure is an input that gave no report.
type InputFailure struct {
	Input   string `json:"input"`
	Message string `json:"message"`
}

type checkRow = CheckCount
type blockerRow = Blocker

// NewEstate sums reports up; failOn judges blocking as in each report.
func NewEstate(reports []*Report, failures []InputFailure, failOn check.Severity, o Options) *Estate {
	if failOn == "" {
		failOn = check.Error
	}
	e := &Estate{SchemaVersion: SchemaVersion, Kind: "estate", Tool: "dmsready", FailOn: failOn, Failures: failures}
	rs := append([]*Report(nil), reports...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
	e.Reports = rs
	cat := map[string]*check.Check{}
	for _, c := range o.Catalogue {
		cat[c.ID] = c
	}
	counts := map[string]*CheckCount{}
	type blk struct {
		n       int
		reports map[string]bool
		dbs     map[string]bool
		title   string
	}
	blocks := map[string]*blk{}
	for i, r := range rs {
		if r.FailOn == "" {
			r.FailOn = failOn
		}
		if e.Started.IsZero() || (!r.Started.IsZero() && r.Started.Before(e.Started)) {
			e.Started = r.Started
		}
		if r.Finished.After(e.Finished) {
			e.Finished = r.Finished
		}
		if e.Version == "" {
			e.Version = r.Version
		}
		sum := Summarize(r.Findings, failOn)
		sum.Incomplete(r.Summary.Unverified)
		sum.Collected(r.SourceErrors)
		if len(sum.Unverified) > 0 {
			e.Summary.Incomplete++
		}
		e.Summary.Reports++
		if sum.Ready {
			e.Summary.ReadyReports++
		}
		addSummary(&e.Summary.Findings, sum)
		dbBlocked := map[string]bool{}
		dbs := map[string]bool{}
		// A collector that failed leaves every database of its report open,
		// as a server-wide error finding does.
		if len(r.SourceErrors) > 0 {
			dbBlocked[""] = true
		}
		for _, f := range r.Findings {
			if f.Database != "" {
				dbs[f.Database] = true
			}
			c := counts[f.CheckID]
			if c == nil {
				c = &CheckCount{Check: f.CheckID, Title: f.Title}
				counts[f.CheckID] = c
			}
			switch f.Status {
			case check.StatusPass:
				c.Pass++
			case check.StatusWarn:
				c.Warn++
			case check.StatusFail:
				c.Fail++
			case check.StatusSkip:
				c.Skip++
			case check.StatusError:
				c.Error++
			}
			if f.Waiver != nil {
				c.Waived++
			}
			if f.Blocking(failOn) || f.Status == check.StatusError {
				dbBlocked[f.Database] = true
			}
			if f.Blocking(failOn) {
				b := blocks[f.CheckID]
				if b == nil {
					b = &blk{reports: map[string]bool{}, dbs: map[string]bool{}, title: f.Title}
					blocks[f.CheckID] = b
				}
				b.n++
				b.reports[fmt.Sprint(i)] = true
				if f.Database != "" {
					b.dbs[fmt.Sprint(i)+"\x00"+f.Database] = true
				}
			}
		}
		for db := range dbs {
			e.Summary.Databases++
			// A server-wide blocker (storage unreachable) blocks every database.
			if !dbBlocked[db] && !dbBlocked[""] {
				e.Summary.ReadyDatabases++
			}
		}
	}
	e.Summary.Inputs = e.Summary.Reports + len(failures)
	e.Summary.Ready = e.Summary.Reports > 0 && e.Summary.ReadyReports == e.Summary.Reports && len(failures) == 0
	for _, c := range counts {
		if c.Title == "" && cat[c.Check] != nil {
			c.Title = cat[c.Check].Title
		}
		e.ByCheck = append(e.ByCheck, *c)
	}
	sort.Slice(e.ByCheck, func(i, j int) bool { return e.ByCheck[i].Check < e.ByCheck[j].Check })
	for id, b := range blocks {
		bl := Blocker{Check: id, Title: b.title, Findings: b.n, Reports: len(b.reports), Databases: len(b.dbs)}
		if c := cat[id]; c != nil {
			bl.Fix = firstSentence(c.Fix)
			if bl.Title == "" {
				bl.Title = c.Title
			}
		}
		e.TopBlockers = append(e.TopBlockers, bl)
	}
	sort.Slice(e.TopBlockers, func(i, j int) bool {
		a, b := e.TopBlockers[i], e.TopBlockers[j]
		if a.Databases != b.Databases {
			return a.Databases > b.Databases
		}
		if a.Findings != b.Findings {
			return a.Findings > b.Findings
		}
		return a.Check < b.Check
	})
	if len(e.TopBlockers) > 10 {
		e.TopBlockers = e.TopBlockers[:10]
	}
	if e.ByCheck == nil {
		e.ByCheck = []CheckCount{}
	}
	if e.TopBlockers == nil {
		e.TopBlockers = []Blocker{}
	}
	return e
}

func addSummary(dst *Summary, s Summary) {
	dst.Pass += s.Pass
	dst.Warn += s.Warn
	dst.Fail += s.Fail
	dst.Skip += s.Skip
	dst.Error += s.Error
	dst.Waived += s.Waived
	dst.Blocking += s.Blocking
	dst.Ready = dst.Blocking == 0 && dst.Error == 0
}

// took is the estate's wall time, first start to last finish.
func (e *Estate) took() time.Duration {
	if e.Started.IsZero() || e.Finished.Before(e.Started) {
		return 0
	}
	return e.Finished.Sub(e.Started).Round(time.Millisecond)
}

func (e *Estate) counts() string {
	s := e.Summary
	parts := []string{
		plural(s.Reports, "report", "reports") + fmt.Sprintf(" (%d ready)", s.ReadyReports),
		plural(s.Databases, "database", "databases") + fmt.Sprintf(" (%d ready)", s.ReadyDatabases),
	}
	if len(e.Failures) > 0 {
		parts = append(parts, plural(len(e.Failures), "input failed", "inputs failed"))
	}
	return strings.Join(parts, ", ")
}

func (e *Estate) verdict() string {
	if e.Summary.Ready {
		return "READY"
	}
	var why []string
	if n := e.Summary.Findings.Blocking; n > 0 {
		why = append(why, fmt.Sprintf("%d blocking at %s", n, e.FailOn))
	}
	if n := e.Summary.Findings.Error; n > 0 {
		why = append(why, plural(n, "check could not run", "checks could not run"))
	}
	if n := len(e.Failures); n > 0 {
		why = append(why, plural(n, "input gave no report", "inputs gave no report"))
	}
	collectFailed := 0
	for _, r := range e.Reports {
		if len(r.SourceErrors) > 0 {
			collectFailed++
		}
	}
	if collectFailed > 0 {
		why = append(why, plural(collectFailed, "report could not collect a source", "reports could not collect a source"))
	}
	if n := e.Summary.Incomplete; n > 0 {
		inc := plural(n, "report verified nothing about a database", "reports verified nothing about a database")
		if len(why) == 0 {
			// Nothing blocks and nothing failed: the estate is what its
			// reports say and what it exits (4), not NOT READY.
			return Incomplete + " (" + inc + ")"
		}
		why = append(why, inc)
	}
	if e.Summary.Reports == 0 && len(why) == 0 {
		why = append(why, "nothing was checked")
	}
	return "NOT READY (" + strings.Join(why, "; ") + ")"
}

// EstateFormats are the formats an estate report can be written in.
func EstateFormats() []string { return []string{"text", "json", "html", "markdown", "sarif", "junit"} }

// WriteEstate writes e in format.
func WriteEstate(w io.Writer, format string, e *Estate, o Options) error {
	switch format {
	case "text":
		return EstateText(w, e, o)
	case "json":
		return EstateJSON(w, e, o)
	case "html":
		return EstateHTML(w, e, o)
	case "markdown":
		return EstateMarkdown(w, e, o)
	case "sarif":
		return estateSARIF(w, e, o)
	case "junit":
		return estateJUnit(w, e, o)
	}
	return fmt.Errorf("estate report: format %q: want one of %s", format, strings.Join(EstateFormats(), ", "))
}

func (e *Estate) views(o Options) []*view {
	vs := make([]*view, len(e.Reports))
	for i, r := range e.Reports {
		vs[i] = prepare(r, o)
	}
	return vs
}

// reportName labels a report in an estate.
func reportName(r *Report) string {
	switch {
	case r.Name != "":
		return r.Name
	case r.PlanPath != "":
		return r.PlanPath
	case r.Source != nil:
		return r.Source.Server
	}
	return "(unnamed)"
}

// EstateText prints the estate verdict, the top blockers with their fixes,
// one line per report, inputs that failed, and (verbose) each report's
// body; quiet prints the verdict line alone.
func EstateText(w io.Writer, e *Estate, o Options) error {
	p := painter(o.Color)
	b := bufio.NewWriter(w)
	colour := ansiGreen
	if !e.Summary.Ready {
		colour = ansiRed
	}
	line := e.counts() + " — " + p.paint(ansiBold+colour, e.verdict())
	if o.Quiet {
		fmt.Fprintln(b, line)
		return b.Flush()
	}
	head := strings.TrimSpace("dmsready "+clean(e.Version)) + " · estate of " + plural(e.Summary.Inputs, "input", "inputs") + " · fail-on " + string(e.FailOn)
	fmt.Fprintln(b, p.paint(ansiBold, head))
	if !e.Started.IsZero() {
		fmt.Fprintf(b, "started %s, took %s\n", e.Started.UTC().Format(time.RFC3339), e.took())
	}
	fmt.Fprintln(b)
	fmt.Fprintln(b, line)
	fs := e.Summary.Findings
	fmt.Fprintf(b, "findings: %d passed, %d warnings, %d failed, %d skipped, %d errors, %d waived\n", fs.Pass, fs.Warn, fs.Fail, fs.Skip, fs.Error, fs.Waived)
	if len(e.TopBlockers) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, "Top blockers"))
		for _, bl := range e.TopBlockers {
			where := ""
			if bl.Databases > 0 { // not for server- or storage-wide findings
				where = " in " + plural(bl.Databases, "database", "databases")
			}
			fmt.Fprintf(b, "  %s  %s — %s%s on %s\n", bl.Check, clean(bl.Title), plural(bl.Findings, "finding", "findings"),
				where, plural(bl.Reports, "server", "servers"))
			if bl.Fix != "" {
				fmt.Fprintln(b, "          fix: "+clean(bl.Fix))
			}
		}
	}
	fmt.Fprintln(b)
	fmt.Fprintln(b, p.paint(ansiBold, "By server"))
	name := 6
	for _, r := range e.Reports {
		if n := len([]rune(clean(reportName(r)))); n > name {
			name = n
		}
	}
	if name > 48 {
		name = 48
	}
	fmt.Fprintf(b, "  %-*s  %-10s  %5s  %5s  %5s  %s\n", name, "INPUT", "VERDICT", "DBS", "BLOCK", "WARN", "BLOCKING BY AREA (SOURCE)")
	for _, v := range e.views(o) {
		v = v.sanitized()
		// The report's own word: INCOMPLETE is not NOT READY (exit 4, not 1 or 3).
		verdict, col := v.sum.VerdictWord(), ansiRed
		switch verdict {
		case Ready:
			col = ansiGreen
		case Incomplete:
			col = ansiYellow
		}
		dbs := map[string]bool{}
		area := map[string]int{}
		for _, f := range v.findings {
			if f.Database != "" {
				dbs[f.Database] = true
			}
			if f.Blocking(v.fo) {
				area[Area(f.CheckID)]++
			}
		}
		var ab []string
		for _, a := range Areas {
			if area[a] > 0 {
				ab = append(ab, fmt.Sprintf("%s %d", a, area[a]))
			}
		}
		n := clean(reportName(v.Report))
		if len([]rune(n)) > name {
			n = "…" + string([]rune(n)[len([]rune(n))-name+1:])
		}
		src := ""
		if s := v.Source; s != nil {
			src = s.Server
			if s.Name != "" {
				src = s.Name
			}
			src = " (" + src + ")"
		}
		fmt.Fprintf(b, "  %-*s  %s  %5d  %5d  %5d  %s%s\n", name, n, p.paint(col, fmt.Sprintf("%-10s", verdict)), len(dbs), v.sum.Blocking, v.sum.Warn, strings.Join(ab, ", "), src)
	}
	if len(e.Failures) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, "Inputs that gave no report"))
		for _, f := range e.Failures {
			fmt.Fprintf(b, "  %s %s: %s\n", p.paint(ansiMagenta, "ERROR"), clean(f.Input), clean(f.Message))
		}
	}
	if o.Verbose {
		for _, v := range e.views(o) {
			v = v.sanitized()
			fmt.Fprintln(b)
			fmt.Fprintln(b, p.paint(ansiBold, "== "+reportName(v.Report)))
			if c := checkedLine(v); c != "" {
				fmt.Fprintln(b, c)
			}
			fmt.Fprintln(b, verdictLine(v, p))
			v.textBody(b, p, false)
		}
	}
	return b.Flush()
}

// EstateJSON writes the estate with every report in its JSON report form.
func EstateJSON(w io.Writer, e *Estate, o Options) error {
	out := *e
	out.Started, out.Finished = e.Started.UTC(), e.Finished.UTC()
	out.Reports = make([]*Report, len(e.Reports))
	for i, r := range e.Reports {
		out.Reports[i] = normalized(r, o)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// EstateHTML writes the estate page: the verdict, top blockers, counts by
// check, and each server's matrix, findings and restore timelines.
func EstateHTML(w io.Writer, e *Estate, o Options) error {
	vs := e.views(o)
	for i := range vs {
		vs[i] = vs[i].sanitized()
	}
	p := pageOf(e, vs)
	return writeHTML(w, p)
}

// EstateMarkdown writes a ticket-sized estate summary.
func EstateMarkdown(w io.Writer, e *Estate, o Options) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# Estate readiness: %s\n\n", word(e.verdict()))
	fmt.Fprintf(b, "%s — **%s**\n\n", mdText(e.counts()), mdText(e.verdict()))
	if len(e.TopBlockers) > 0 {
		fmt.Fprintln(b, "## Top blockers")
		fmt.Fprintln(b)
		fmt.Fprintln(b, "| Check | Title | Findings | Databases | Servers | Fix |")
		fmt.Fprintln(b, "|---|---|---:|---:|---:|---|")
		for _, bl := range e.TopBlockers {
			fmt.Fprintf(b, "| %s | %s | %d | %d | %d | %s |\n", bl.Check, mdText(bl.Title), bl.Findings, bl.Databases, bl.Reports, strings.ReplaceAll(oneLine(bl.Fix), "|", `\|`))
		}
		fmt.Fprintln(b)
	}
	fmt.Fprintln(b, "## By server")
	fmt.Fprintln(b)
	fmt.Fprintln(b, "| Server | Verdict | Blocking | Warnings | Errors |")
	fmt.Fprintln(b, "|---|---|---:|---:|---:|")
	for _, v := range e.views(o) {
		fmt.Fprintf(b, "| %s | %s | %d | %d | %d |\n", mdText(reportName(v.Report)), v.sum.VerdictWord(), v.sum.Blocking, v.sum.Warn, v.sum.Error)
	}
	if len(e.Failures) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, "## Inputs that gave no report")
		fmt.Fprintln(b)
		for _, f := range e.Failures {
			fmt.Fprintf(b, "- %s: %s\n", mdCode(f.Input, false), mdText(f.Message))
		}
	}
	return b.Flush()
}
