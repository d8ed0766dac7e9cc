package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/textsafe"
)

// Options are what a reporter needs beyond the report itself.
type Options struct {
	// Color enables ANSI colour in text output. The caller decides: stdout is
	// a terminal and NO_COLOR is unset. Reporters never look at the
	// environment themselves, so their output is a function of their input.
	Color bool
	// Catalogue is the check registry: SARIF rules, titles, fixes and links.
	Catalogue []*check.Check
	// Verbose lists every finding in the text report (passes and skips
	// too, repeats apart); Quiet prints the verdict line alone.
	Verbose, Quiet bool
}

// Func writes r in one format.
type Func func(w io.Writer, r *Report, o Options) error

var formats = []struct {
	name string
	fn   Func
}{
	{"text", Text},
	{"json", JSON},
	{"junit", JUnit},
	{"sarif", SARIF},
	{"markdown", Markdown},
	{"html", HTML},
}

var aliases = map[string]string{"md": "markdown"}

// Formats lists the format names (aliases not included: "md" is markdown).
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// Lookup returns the reporter for a format name or alias.
func Lookup(format string) (func(io.Writer, *Report, Options) error, bool) {
	name := strings.ToLower(strings.TrimSpace(format))
	if a, ok := aliases[name]; ok {
		name = a
	}
	for _, f := range formats {
		if f.name == name {
			return f.fn, true
		}
	}
	return nil, false
}

// ParseFormatSpec splits a --format value, "json" or "json=out/report.json",
// into the canonical format name and the output path; a path of "" or "-"
// means stdout (returned as "").
func ParseFormatSpec(s string) (format, path string, err error) {
	name, path, _ := strings.Cut(s, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[name]; ok {
		name = a
	}
	if _, ok := Lookup(name); !ok {
		return "", "", fmt.Errorf("unknown format %q: want one of %s (optionally =PATH)", name, strings.Join(Formats(), ", "))
	}
	if path == "-" {
		path = ""
	}
	return name, path, nil
}

// view is a report prepared for printing: findings in report order, the
// summary recounted from them, so no printer can disagree with another.
type view struct {
	*Report
	findings []check.Finding
	sum      Summary
	fo       check.Severity // fail-on, defaulted to error
	errs     []facts.SourceError
	cat      map[string]*check.Check
}

func prepare(r *Report, o Options) *view {
	v := &view{Report: r, findings: sortFindings(r.Findings), cat: map[string]*check.Check{}}
	v.fo = r.FailOn
	if v.fo == "" {
		v.fo = check.Error
	}
	v.sum = Summarize(v.findings, v.fo)
	v.sum.Incomplete(r.Summary.Unverified)
	v.sum.Collected(r.SourceErrors)
	v.errs = append([]facts.SourceError(nil), r.SourceErrors...)
	sort.SliceStable(v.errs, func(i, j int) bool {
		a, b := v.errs[i], v.errs[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Message < b.Message
	})
	for _, c := range o.Catalogue {
		v.cat[c.ID] = c
	}
	return v
}

// sortFindings orders by database (server- and storage-wide first), check
// ID, object; status and message break ties so equal keys stay stable too.
func sortFindings(fs []check.Finding) []check.Finding {
	out := append([]check.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Database != b.Database:
			return a.Database < b.Database
		case a.CheckID != b.CheckID:
			return a.CheckID < b.CheckID
		case a.Object != b.Object:
			return a.Object < b.Object
		case a.Status != b.Status:
			return a.Status < b.Status
		}
		return a.Message < b.Message
	})
	return out
}

// group is the findings of one database, or of the server and storage ("").
type group struct {
	db       string
	findings []check.Finding
}

func (v *view) groups() []group {
	var gs []group
	for _, f := range v.findings {
		if len(gs) == 0 || gs[len(gs)-1].db != f.Database {
			gs = append(gs, group{db: f.Database})
		}
		gs[len(gs)-1].findings = append(gs[len(gs)-1].findings, f)
	}
	return gs
}

func groupTitle(db string) string {
	if db == "" {
		return "Server, storage and plan"
	}
	return "Database " + db
}

// title is the check's title from the finding, else from the catalogue.
func (v *view) title(f check.Finding) string {
	if f.Title != "" {
		return f.Title
	}
	if c := v.cat[f.CheckID]; c != nil {
		return c.Title
	}
	return ""
}

// blocking are the findings that make the report not ready.
func (v *view) blocking() []check.Finding {
	var out []check.Finding
	for _, f := range v.findings {
		if f.Blocking(v.fo) {
			out = append(out, f)
		}
	}
	return out
}

func (v *view) failOn() string { return string(v.fo) }

// summaryLine is the one-line verdict every human format ends or starts with.
func (v *view) summaryLine() (counts, verdict string) {
	s := v.sum
	parts := []string{
		plural(s.Pass, "passed", "passed"),
		plural(s.Warn, "warning", "warnings"),
		plural(s.Fail, "failed", "failed"),
		plural(s.Skip, "skipped", "skipped"),
		plural(s.Error, "error", "errors"),
	}
	if s.Waived > 0 {
		parts = append(parts, plural(s.Waived, "waived", "waived"))
	}
	counts = strings.Join(parts, ", ")
	if s.Ready {
		return counts, "READY"
	}
	var why []string
	if s.Blocking > 0 {
		why = append(why, fmt.Sprintf("%d blocking at %s", s.Blocking, v.failOn()))
	}
	if s.Error > 0 {
		why = append(why, plural(s.Error, "check could not run", "checks could not run"))
	} else if len(v.errs) > 0 {
		var srcs []string
		for _, e := range v.errs {
			srcs = append(srcs, string(e.Source))
		}
		why = append(why, "could not collect "+strings.Join(srcs, ", "))
	}
	if u := unverifiedText(s.Unverified); u != "" {
		why = append(why, u)
	}
	return counts, s.VerdictWord() + " (" + strings.Join(why, "; ") + ")"
}

// clean makes s safe for a terminal or a one-line cell: control
// characters, bidi overrides, line separators and invalid UTF-8 (a finding
// may quote a file name or a server message) are shown escaped, never sent
// to the terminal, and line breaks become spaces.
func clean(s string) string { return textsafe.Line(s) }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// evidence renders evidence compactly, keys sorted: k=v k2="v w".
func evidence(ev map[string]string) string {
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		val := ev[k]
		if val == "" || strings.ContainsAny(val, " \t\n\"=") {
			val = strconv.Quote(val)
		}
		b.WriteString(val)
	}
	return b.String()
}

func waiverNote(w *check.AppliedWaiver) string {
	s := "waived: " + w.Reason
	if w.Expires != "" {
		s += "; until " + w.Expires
	}
	if w.Where != "" {
		s += "; " + w.Where
	}
	return s
}

// waiverLabel names a waiver for humans: "DMS301 database:Legacy* (plan.yaml:31)".
func waiverLabel(w check.WaiverUse) string {
	obj := w.Object
	if obj == "" {
		obj = "*"
	}
	s := w.Check + " " + obj
	if w.Where != "" {
		s += " (" + w.Where + ")"
	}
	return s
}

// unusedNote says why an unused waiver applied to nothing: its check could
// not run on what it names (an error is never waived, and the waiver is
// wanted again when the check runs), or nothing matches it at all.
func (v *view) unusedNote(w check.WaiverUse) string {
	if n := v.undecided(w); n > 0 {
		return fmt.Sprintf("matched only findings that could not be decided (%s); not applied, keep it until the check runs", plural(n, "error", "errors"))
	}
	if !v.reported(w.Waiver.Check) {
		// Every check that runs records its passes and skips too: none
		// at all means the ID is not a check of this run.
		return "check " + w.Waiver.Check + " reported nothing in this run (not a check of this dmsready, or not one for this target); fix the ID or remove it"
	}
	return "matched nothing; remove it or fix its pattern"
}

// reported says whether check id has any finding in the run.
func (v *view) reported(id string) bool {
	for _, f := range v.findings {
		if f.CheckID == id {
			return true
		}
	}
	return false
}

// undecided counts the error findings w's pattern matches.
func (v *view) undecided(w check.WaiverUse) int {
	n := 0
	for _, f := range v.findings {
		if f.Status == check.StatusError && check.WaiverMatches(w.Waiver, f) {
			n++
		}
	}
	return n
}

// waiverProblems are the waivers worth telling people about: expired and unused.
func (v *view) waiverProblems() []check.WaiverUse {
	var out []check.WaiverUse
	for _, w := range v.Waivers {
		if w.Expired || w.Unused {
			out = append(out, w)
		}
	}
	return out
}

func statusWord(s check.Status) string {
	switch s {
	case check.StatusPass:
		return "PASS"
	case check.StatusWarn:
		return "WARN"
	case check.StatusFail:
		return "FAIL"
	case check.StatusSkip:
		return "SKIP"
	case check.StatusError:
		return "ERROR"
	}
	// A status read from a report file written elsewhere (diff).
	return clean(strings.ToUpper(string(s)))
}

// sanitized returns a view whose every string is clean, for the formats
// that reach a terminal or a rendered page as they are (text, Markdown).
// JSON, XML and SARIF keep the data exact; their encoders escape it.
func (v *view) sanitized() *view {
	r := *v.Report
	r.Tool, r.Version, r.PlanDigest, r.Mode = clean(r.Tool), clean(r.Version), clean(r.PlanDigest), clean(r.Mode)
	r.Name, r.PlanPath = clean(r.Name), clean(r.PlanPath)
	if r.Source != nil {
		s := *r.Source
		s.Server, s.Instance, s.Name, s.Version, s.Edition = clean(s.Server), clean(s.Instance), clean(s.Name), clean(s.Version), clean(s.Edition)
		r.Source = &s
	}
	if r.Storage != nil {
		s := *r.Storage
		s.Kind, s.Location = clean(s.Kind), clean(s.Location)
		r.Storage = &s
	}
	r.Target.Kind, r.Target.Version, r.Target.Server = clean(r.Target.Kind), clean(r.Target.Version), clean(r.Target.Server)
	r.Timings = append([]Timing(nil), r.Timings...)
	for i := range r.Timings {
		r.Timings[i].Phase = clean(r.Timings[i].Phase)
	}
	r.Waivers = append([]check.WaiverUse(nil), r.Waivers...)
	for i := range r.Waivers {
		w := &r.Waivers[i]
		w.Check, w.Object, w.Reason, w.Expires, w.Where = clean(w.Check), clean(w.Object), clean(w.Reason), clean(w.Expires), clean(w.Where)
	}
	out := *v
	out.Report = &r
	if u := v.sum.Unverified; len(u) > 0 {
		out.sum.Unverified = make([]string, len(u))
		for i, db := range u {
			out.sum.Unverified[i] = clean(db)
		}
	}
	out.findings = make([]check.Finding, len(v.findings))
	for i, f := range v.findings {
		f.CheckID, f.Title, f.Object, f.Database, f.Message = clean(f.CheckID), clean(f.Title), clean(f.Object), clean(f.Database), clean(f.Message)
		if f.Evidence != nil {
			ev := make(map[string]string, len(f.Evidence))
			for k, val := range f.Evidence {
				ev[clean(k)] = clean(val)
			}
			f.Evidence = ev
		}
		if f.Waiver != nil {
			w := *f.Waiver
			w.Reason, w.Expires, w.Where = clean(w.Reason), clean(w.Expires), clean(w.Where)
			f.Waiver = &w
		}
		out.findings[i] = f
	}
	out.errs = make([]facts.SourceError, len(v.errs))
	for i, e := range v.errs {
		e.Source, e.Kind, e.Message, e.Permission = facts.Source(clean(string(e.Source))), facts.ErrorKind(clean(string(e.Kind))), clean(e.Message), clean(e.Permission)
		out.errs[i] = e
	}
	return &out
}

// UseColor is the rule for Options.Color: the destination is a terminal
// and NO_COLOR (https://no-color.org) is unset or empty. A report written
// to a file never gets colour: pass tty=false.
func UseColor(tty bool, getenv func(string) string) bool {
	return tty && getenv("NO_COLOR") == ""
}
