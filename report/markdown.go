package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
)

// Markdown writes a report for change tickets: the verdict and a summary
// table, the blocking findings with their fixes, the other findings per
// database, waivers, source errors, and the passes collapsed in <details>.
func Markdown(w io.Writer, r *Report, o Options) error {
	v := prepare(r, o).sanitized()
	b := bufio.NewWriter(w)
	counts, verdict := v.summaryLine()
	word := v.sum.VerdictWord()
	fmt.Fprintf(b, "# Migration readiness: %s\n\n", word)
	fmt.Fprintf(b, "%s — **%s**\n\n", mdText(counts), mdText(verdict))

	fmt.Fprintln(b, "| Result | Count |")
	fmt.Fprintln(b, "|---|---:|")
	for _, row := range []struct {
		name string
		n    int
	}{
		{"Blocking (at " + v.failOn() + ")", v.sum.Blocking},
		{"Failed", v.sum.Fail}, {"Warnings", v.sum.Warn}, {"Errors", v.sum.Error},
		{"Skipped", v.sum.Skip}, {"Waived", v.sum.Waived}, {"Passed", v.sum.Pass},
	} {
		fmt.Fprintf(b, "| %s | %d |\n", row.name, row.n)
	}
	fmt.Fprintln(b)

	fmt.Fprintln(b, "| Run | |")
	fmt.Fprintln(b, "|---|---|")
	for _, kv := range v.meta() {
		val := mdText(kv[1])
		if kv[0] == "Plan" {
			val = mdCode(kv[1], true)
		}
		fmt.Fprintf(b, "| %s | %s |\n", kv[0], val)
	}
	fmt.Fprintln(b)

	if bl := v.blocking(); len(bl) > 0 {
		fmt.Fprintf(b, "## Blocking findings (%d)\n\n", len(bl))
		for i, f := range bl {
			fmt.Fprintf(b, "%d. **%s %s** %s", i+1, statusWord(f.Status), v.checkRef(f.CheckID), mdText(v.title(f)))
			if f.Database != "" {
				fmt.Fprintf(b, " — database %s", mdText(f.Database))
			}
			fmt.Fprintln(b, "  ")
			fmt.Fprintf(b, "   %s", objectPrefix(f))
			fmt.Fprintf(b, "%s  \n", mdText(f.Message))
			if len(f.Evidence) > 0 {
				fmt.Fprintf(b, "   Evidence: %s  \n", mdEvidence(f.Evidence, false))
			}
			if c := v.cat[f.CheckID]; c != nil {
				fmt.Fprintf(b, "   Fix: %s  \n", oneLine(c.Fix))
				fmt.Fprintf(b, "   Prevents: %s\n", mdText(c.Prevents))
			}
		}
		fmt.Fprintln(b)
	}

	var others []group
	for _, g := range v.groups() {
		var fs []check.Finding
		for _, f := range g.findings {
			if f.Status != check.StatusPass {
				fs = append(fs, f)
			}
		}
		if len(fs) > 0 {
			others = append(others, group{db: g.db, findings: fs})
		}
	}
	if len(others) > 0 {
		fmt.Fprintln(b, "## Findings by database")
		for _, g := range others {
			fmt.Fprintf(b, "\n### %s\n\n", mdText(groupTitle(g.db)))
			fmt.Fprintln(b, "| Status | Check | Object | Finding | Evidence |")
			fmt.Fprintln(b, "|---|---|---|---|---|")
			for _, f := range g.findings {
				st := statusWord(f.Status)
				if f.Blocking(v.fo) {
					st = "**" + st + "**"
				}
				msg := mdText(f.Message)
				if f.Waiver != nil {
					st = "WAIVED"
					msg += "<br>*" + mdText(waiverNote(f.Waiver)) + "*"
				}
				fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", st, v.checkRef(f.CheckID),
					mdObject(f.Object), msg, mdEvidence(f.Evidence, true))
			}
		}
		fmt.Fprintln(b)
	}

	if len(v.Waivers) > 0 {
		fmt.Fprintln(b, "## Waivers")
		fmt.Fprintln(b)
		fmt.Fprintln(b, "| Check | Object | Reason | Expires | Where | State |")
		fmt.Fprintln(b, "|---|---|---|---|---|---|")
		for _, w := range v.Waivers {
			state := fmt.Sprintf("applied (%s)", plural(w.Matched, "match", "matches"))
			switch {
			case w.Expired:
				state = fmt.Sprintf("**expired**, not applied (%s)", plural(w.Matched, "match", "matches"))
			case w.Unused:
				state = "**unused**: matched nothing"
				if v.undecided(w) > 0 || !v.reported(w.Check) {
					state = "**unused**: " + mdText(v.unusedNote(w))
				}
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", w.Check, mdCode(w.Object, true), mdText(w.Reason),
				mdText(w.Expires), mdText(w.Where), state)
		}
		fmt.Fprintln(b)
	}

	if len(v.errs) > 0 {
		fmt.Fprintln(b, "## Source errors")
		fmt.Fprintln(b)
		for _, e := range v.errs {
			fmt.Fprintf(b, "- %s (%s): %s", mdCode(string(e.Source), false), mdText(string(e.Kind)), mdText(e.Message))
			if e.Permission != "" {
				fmt.Fprintf(b, " — needs %s", mdCode(e.Permission, false))
			}
			fmt.Fprintln(b)
		}
		fmt.Fprintln(b)
	}

	var passes []check.Finding
	for _, f := range v.findings {
		if f.Status == check.StatusPass {
			passes = append(passes, f)
		}
	}
	if len(passes) > 0 {
		fmt.Fprintf(b, "<details>\n<summary>Verified: %s</summary>\n\n", plural(len(passes), "passed", "passed"))
		fmt.Fprintln(b, "| Check | Database | Object | Finding |")
		fmt.Fprintln(b, "|---|---|---|---|")
		for _, f := range passes {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", v.checkRef(f.CheckID), mdText(f.Database), mdObject(f.Object), mdText(f.Message))
		}
		fmt.Fprintln(b, "\n</details>")
	}
	return b.Flush()
}

// checkRef links a check ID to its source when the catalogue knows it.
func (v *view) checkRef(id string) string {
	if c := v.cat[id]; c != nil && c.Link != "" {
		return "[" + id + "](" + c.Link + ")"
	}
	return id
}

func objectPrefix(f check.Finding) string {
	if f.Object == "" || f.Object == "-" {
		return ""
	}
	return mdCode(f.Object, false) + ": "
}

func mdObject(obj string) string {
	if obj == "" || obj == "-" {
		return ""
	}
	return mdCode(obj, true)
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "|", `\|`, "#", `\#`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes s for Markdown text and table cells: no emphasis, links,
// HTML or cell breaks can come out of a message, an object name or a reason.
func mdText(s string) string { return mdEscaper.Replace(s) }

// oneLine keeps Markdown from the check catalogue (trusted, already
// Markdown) on one list item line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// mdCode puts s in a code span long enough to hold its backticks; in a
// table the pipe must still be escaped, as GFM splits cells first.
func mdCode(s string, inTable bool) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func mdEvidence(ev map[string]string, inTable bool) string {
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = mdCode(k+"="+ev[k], inTable)
	}
	return strings.Join(parts, " ")
}
