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

// Text writes the report for a terminal: a header, findings grouped by
// database (server-, storage- and plan-wide ones first), waiver problems,
// source errors, and a closing summary line.
func Text(w io.Writer, r *Report, o Options) error {
	v := prepare(r, o).sanitized()
	p := painter(o.Color)
	b := bufio.NewWriter(w)

	fmt.Fprintln(b, p.paint(ansiBold, header(v)))
	if t := timing(v); t != "" {
		fmt.Fprintln(b, t)
	}
	for _, g := range v.groups() {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, groupTitle(g.db)))
		for _, f := range g.findings {
			textFinding(b, p, f)
		}
	}
	if len(v.findings) == 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, "No findings: no check ran.")
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
			fmt.Fprintf(b, "  %s  %s: matched nothing; remove it or fix its pattern\n", p.paint(ansiYellow, "UNUSED"), waiverLabel(w))
		}
	}
	if len(v.errs) > 0 {
		fmt.Fprintln(b)
		fmt.Fprintln(b, p.paint(ansiBold, "Source errors"))
		for _, e := range v.errs {
			fmt.Fprintf(b, "  %s %s (%s): %s", p.paint(ansiMagenta, "ERROR"), e.Source, e.Kind, e.Message)
			if e.Permission != "" {
				fmt.Fprintf(b, " (needs %s)", e.Permission)
			}
			fmt.Fprintln(b)
		}
	}
	fmt.Fprintln(b)
	counts, verdict := v.summaryLine()
	colour := ansiGreen
	if !v.sum.Ready {
		colour = ansiRed
	}
	fmt.Fprintf(b, "%s — %s\n", counts, p.paint(ansiBold+colour, verdict))
	return b.Flush()
}

func textFinding(b *bufio.Writer, p painter, f check.Finding) {
	word := statusWord(f.Status)
	colour := map[check.Status]string{
		check.StatusPass: ansiGreen, check.StatusWarn: ansiYellow, check.StatusFail: ansiRed,
		check.StatusSkip: ansiDim, check.StatusError: ansiMagenta,
	}[f.Status]
	if f.Waiver != nil {
		colour = ansiCyan
	}
	// Pad before painting so escape codes do not upset the columns.
	fmt.Fprintf(b, "  %s %s  ", p.paint(colour, fmt.Sprintf("%-5s", word)), f.CheckID)
	if f.Object != "" && f.Object != "-" {
		fmt.Fprintf(b, "%s — ", f.Object)
	}
	fmt.Fprintln(b, f.Message)
	const indent = "                "
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
