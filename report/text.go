package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/check"
)

const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

// Text writes the report for a terminal, summary first: what was checked,
// the verdict line, the blocking findings each with its one-line fix and
// where to read more, then the warnings, waived findings, what could not be
// checked (each source error once, with the checks it stopped) and waiver
// problems; passes and skips are counted per area. Repeated findings of one
// check in one folder are one line. Verbose adds every finding by database;
// Quiet prints the verdict line alone.
func Text(w io.Writer, r *Report, o Options) error {
	v := prepare(r, o).sanitized()
	p := painter(o.Color)
	b := bufio.NewWriter(w)
	if o.Quiet {
		fmt.Fprintln(b, verdictLine(v, p))
		return b.Flush()
	}
	fmt.Fprintln(b, p.paint(ansiBold, header(v)))
	if c := checkedLine(v); c != "" {
		fmt.Fprintln(b, c)
	}
	if t := timing(v); t != "" {
		fmt.Fprintln(b, t)
	}
	fmt.Fprintln(b)
	fmt.Fprintln(b, verdictLine(v, p))
	v.textBody(b, p, o.Verbose)
	return b.Flush()
}

// textBody is everything after the verdict line; the estate report reuses
// it per server.
func (v *view) textBody(b *bufio.Writer, p painter, verbose bool) {
	if len(v.findings) == 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, "No findings: no check ran.")
	}
	var block, warn, waived []check.Finding
	for _, f := range v.findings {
		switch {
		case f.Waiver != nil:
			waived = append(waived, f)
		case f.Blocking(v.fo):
			block = append(block, f)
		case f.Status == check.StatusWarn || f.Status == check.StatusFail:
			warn = append(warn, f)
		}
	}
	if len(block) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, fmt.Sprintf("Blocking (%d)", len(block))))
		for _, g := range v.repeats(block, verbose) {
			v.textLine(b, p, g)
			if c := v.cat[g.f.CheckID]; c != nil {
				fmt.Fprintln(b, indent+"fix: "+firstSentence(c.Fix))
			}
			fmt.Fprintln(b, indent+p.paint(ansiDim, "more: dmsready explain "+g.f.CheckID))
		}
	}
	if len(warn) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, fmt.Sprintf("Warnings (%d)", len(warn))))
		for _, g := range v.repeats(warn, verbose) {
			v.textLine(b, p, g)
		}
	}
	if len(waived) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, fmt.Sprintf("Waived (%d)", len(waived))))
		for _, g := range v.repeats(waived, verbose) {
			v.textLine(b, p, g)
		}
	}
	if errs := v.errorGroups(); len(errs) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, "Could not check"))
		for _, e := range errs {
			fmt.Fprintf(b, "  %s %s\n", p.paint(ansiMagenta, "ERROR"), e.What)
			if len(e.Checks) > 0 {
				fmt.Fprintln(b, indent+e.Stopped()+": "+strings.Join(e.Checks, ", "))
			}
		}
	}
	if ws := v.waiverProblems(); len(ws) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, "Waivers"))
		for _, w := range ws {
			if w.Expired {
				fmt.Fprintf(b, "  %s %s: expired %s, no longer applied (matched %s)\n",
					p.paint(ansiYellow, "EXPIRED"), waiverLabel(w), w.Expires, plural(w.Matched, "finding", "findings"))
				continue
			}
			fmt.Fprintf(b, "  %s  %s: %s\n", p.paint(ansiYellow, "UNUSED"), waiverLabel(w), v.unusedNote(w))
		}
	}
	if rows := v.areaCounts(); len(rows) > 0 && !verbose {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, "Passed and skipped, by area")+p.paint(ansiDim, " (--verbose lists them)"))
		for _, r := range rows {
			fmt.Fprintf(b, "  %-14s %s\n", r.area, r.counts)
		}
	}
	if verbose {
		for _, g := range v.groups() {
			fmt.Fprintln(b)
			fmt.Fprintln(b, p.paint(ansiBold, groupTitle(g.db)))
			for _, f := range g.findings {
				textFinding(b, p, f)
			}
		}
	}
}

const indent = "                "

// verdictLine is the one line --quiet prints: counts and verdict.
func verdictLine(v *view, p painter) string {
	counts, verdict := v.summaryLine()
	colour := ansiGreen
	switch word(verdict) {
	case "READY":
	case "NOT READY":
		colour = ansiRed
	default: // INCOMPLETE, or any other word a verdict may gain
		colour = ansiYellow
	}
	return counts + " — " + p.paint(ansiBold+colour, verdict)
}

// word is the verdict's word: "NOT READY (3 blocking)" -> "NOT READY".
func word(verdict string) string {
	w, _, _ := strings.Cut(verdict, " (")
	return w
}

// textLine prints one finding, or a run of repeats of it, on one line with
// its waiver note.
func (v *view) textLine(b *bufio.Writer, p painter, g repeat) {
	f := g.f
	word, colour := statusWord(f.Status), statusColour(f.Status)
	if f.Waiver != nil {
		word, colour = "WAIVED", ansiCyan
	}
	fmt.Fprintf(b, "  %s %s  ", p.paint(colour, fmt.Sprintf("%-5s", word)), f.CheckID)
	switch {
	case g.n > 1:
		fmt.Fprintf(b, "%s in folder %s — %s (e.g. %s)\n", plural(g.n, "file", "files"), folderName(g.folder), f.Message, f.Object)
	case f.Object != "" && f.Object != "-":
		fmt.Fprintf(b, "%s — %s\n", f.Object, f.Message)
	default:
		fmt.Fprintln(b, f.Message)
	}
	if f.Waiver != nil {
		fmt.Fprintln(b, indent+p.paint(ansiCyan, waiverNote(f.Waiver)))
	}
}

func folderName(f string) string {
	if f == "" {
		return "(root)"
	}
	return f
}

// repeat is one finding standing for n findings of the same check, status
// and database on files of one folder.
type repeat struct {
	f      check.Finding
	n      int
	folder string
}

// repeats groups findings on files of one folder by check and status, so
// 300 stray files are one line; verbose keeps them apart.
func (v *view) repeats(fs []check.Finding, verbose bool) []repeat {
	var out []repeat
	at := map[string]int{}
	for _, f := range fs {
		folder, isFile := fileFolder(f.Object)
		if verbose || !isFile || f.Waiver != nil {
			out = append(out, repeat{f: f, n: 1})
			continue
		}
		k := f.CheckID + "\x00" + string(f.Status) + "\x00" + f.Database + "\x00" + folder
		if i, ok := at[k]; ok {
			out[i].n++
			continue
		}
		at[k] = len(out)
		out = append(out, repeat{f: f, n: 1, folder: folder})
	}
	return out
}

// fileFolder is the folder of a "file:a/b/c.bak" object.
func fileFolder(obj string) (string, bool) {
	p, ok := strings.CutPrefix(obj, "file:")
	if !ok {
		return "", false
	}
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], true
	}
	return "", true
}

// errGroup is one source error with the checks it stopped.
type errGroup struct {
	What   string
	Checks []string
}

// Stopped says how many checks the error stopped: "3 checks could not run".
func (g errGroup) Stopped() string {
	return plural(len(g.Checks), "check", "checks") + " could not run"
}

// errorGroups reports each source error once with the checks it made
// error, then any error finding no source error explains (a crash).
func (v *view) errorGroups() []errGroup {
	var out []errGroup
	used := map[int]bool{}
	for _, e := range v.errs {
		g := errGroup{What: fmt.Sprintf("%s (%s): %s", e.Source, e.Kind, e.Message)}
		if e.Permission != "" {
			g.What += " (needs " + e.Permission + ")"
		}
		for i, f := range v.findings {
			if f.Status == check.StatusError && !used[i] && f.Evidence["source"] == string(e.Source) {
				used[i] = true
				if !contains(g.Checks, f.CheckID) {
					g.Checks = append(g.Checks, f.CheckID)
				}
			}
		}
		out = append(out, g)
	}
	for i, f := range v.findings {
		if f.Status == check.StatusError && !used[i] {
			what := f.CheckID + " "
			if f.Object != "" && f.Object != "-" {
				what += f.Object + " "
			}
			out = append(out, errGroup{What: what + "— " + f.Message})
		}
	}
	return out
}

type areaRow struct{ area, counts string }

// areaCounts counts passes and skips per area, in Areas order.
func (v *view) areaCounts() []areaRow {
	pass, skip := map[string]int{}, map[string]int{}
	for _, f := range v.findings {
		switch f.Status {
		case check.StatusPass:
			pass[Area(f.CheckID)]++
		case check.StatusSkip:
			skip[Area(f.CheckID)]++
		}
	}
	var out []areaRow
	for _, a := range Areas {
		if pass[a]+skip[a] == 0 {
			continue
		}
		out = append(out, areaRow{a, plural(pass[a], "passed", "passed") + ", " + plural(skip[a], "skipped", "skipped")})
	}
	return out
}

// firstSentence is the first sentence of a check's Markdown fix, on one
// line and at most fixWidth characters (cut at a word, with "…"): the text
// report's "fix:" line; explain has the rest.
func firstSentence(s string) string {
	s = oneLine(s)
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && !inCode(s[:i]) {
			s = s[:i+1]
			break
		}
	}
	if r := []rune(s); len(r) > fixWidth {
		cut := string(r[:fixWidth])
		if i := strings.LastIndexByte(cut, ' '); i > fixWidth/2 {
			cut = cut[:i]
		}
		s = strings.TrimRight(cut, " ,;:(") + " …"
	}
	return s
}

const fixWidth = 110

// inCode reports an odd number of backticks: a period inside `...`.
func inCode(s string) bool { return strings.Count(s, "`")%2 == 1 }

func statusColour(s check.Status) string {
	return map[check.Status]string{
		check.StatusPass: ansiGreen, check.StatusWarn: ansiYellow, check.StatusFail: ansiRed,
		check.StatusSkip: ansiDim, check.StatusError: ansiMagenta,
	}[s]
}

// checkedLine names what was checked: source, storage, plan.
func checkedLine(v *view) string {
	var parts []string
	if s := v.Source; s != nil {
		t := "source " + s.Server
		if s.Instance != "" {
			t += `\` + s.Instance
		}
		var about []string
		if s.Name != "" && !strings.EqualFold(s.Name, s.Server) {
			about = append(about, s.Name)
		}
		if s.Version != "" {
			about = append(about, s.Version)
		}
		if s.Edition != "" {
			about = append(about, s.Edition)
		}
		if len(about) > 0 {
			t += " (" + strings.Join(about, ", ") + ")"
		}
		parts = append(parts, t)
	}
	if s := v.Storage; s != nil {
		t := "storage " + s.Location
		if s.Kind != "" {
			t = "storage " + s.Kind + " " + s.Location
		}
		parts = append(parts, t)
	}
	if v.PlanPath != "" {
		parts = append(parts, "plan "+v.PlanPath)
	}
	if len(parts) == 0 {
		return ""
	}
	return "checked: " + strings.Join(parts, " · ")
}

func textFinding(b *bufio.Writer, p painter, f check.Finding) {
	word, colour := statusWord(f.Status), statusColour(f.Status)
	if f.Waiver != nil {
		word, colour = "WAIVED", ansiCyan
	}
	// Pad before painting so escape codes do not upset the columns.
	fmt.Fprintf(b, "  %s %s  ", p.paint(colour, fmt.Sprintf("%-5s", word)), f.CheckID)
	if f.Object != "" && f.Object != "-" {
		fmt.Fprintf(b, "%s — ", f.Object)
	}
	fmt.Fprintln(b, f.Message)
	if f.Waiver != nil {
		fmt.Fprintln(b, indent+p.paint(ansiCyan, waiverNote(f.Waiver)))
	}
	if f.Status != check.StatusPass && len(f.Evidence) > 0 {
		fmt.Fprintln(b, indent+p.paint(ansiDim, evidence(f.Evidence)))
	}
}

func header(v *view) string {
	tool := v.Tool
	if tool == "" {
		tool = "dmsready"
	}
	parts := []string{strings.TrimSpace(tool + " " + v.Version)}
	if v.Target.Kind != "" {
		t := "target " + v.Target.Kind
		if v.Target.Version != "" {
			t += " " + v.Target.Version
		}
		if v.Target.Server != "" {
			t += " (" + v.Target.Server + ")"
		}
		parts = append(parts, t)
	}
	if v.Mode != "" {
		parts = append(parts, v.Mode)
	}
	if v.PlanDigest != "" {
		parts = append(parts, "plan "+short(v.PlanDigest))
	}
	parts = append(parts, "fail-on "+v.failOn())
	return strings.Join(parts, " · ")
}

// short trims a digest to something a person can compare at a glance.
func short(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}

func timing(v *view) string {
	if v.Started.IsZero() {
		return ""
	}
	s := "started " + v.Started.UTC().Format(time.RFC3339)
	if !v.Finished.IsZero() {
		s += ", took " + v.Finished.Sub(v.Started).Round(time.Millisecond).String()
	}
	if len(v.Timings) > 0 {
		var ps []string
		for _, t := range v.Timings {
			ps = append(ps, t.Phase+" "+(time.Duration(t.Millis)*time.Millisecond).String())
		}
		s += " (" + strings.Join(ps, ", ") + ")"
	}
	return s
}
