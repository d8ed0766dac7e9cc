package checks

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// Explain writes one check's documentation for a terminal.
func Explain(w io.Writer, c *check.Check) {
	fmt.Fprintf(w, "%s  %s\n\n", c.ID, c.Title)
	fmt.Fprintf(w, "Severity:  %s\n", c.Severity)
	fmt.Fprintf(w, "Targets:   %s\n", targetsText(c))
	fmt.Fprintf(w, "Needs:     %s\n", needsText(c))
	fmt.Fprintf(w, "Prevents:  %s\n\n", c.Prevents)
	fmt.Fprintf(w, "Why:\n%s\n\n", indent(c.Doc))
	fmt.Fprintf(w, "Fix:\n%s\n\n", indent(c.Fix))
	fmt.Fprintf(w, "Basis:     %s\n", c.Basis)
	fmt.Fprintf(w, "Source:    %s\n", c.Link)
	if ks := KnownFor(c.ID); len(ks) > 0 {
		fmt.Fprintln(w)
		for _, k := range ks {
			fmt.Fprintf(w, "Decides before cutover: %s\n", knownLabel(k))
		}
	}
}

// ExplainKnown writes every known-issue entry of a DMS error code or key.
// It returns false when nothing matches.
func ExplainKnown(w io.Writer, code string) bool {
	found := false
	for _, k := range KnownIssues {
		if k.Code != code && k.Key != code {
			continue
		}
		if found {
			fmt.Fprintln(w)
		}
		found = true
		fmt.Fprintf(w, "%s\n\n", knownLabel(k))
		fmt.Fprintf(w, "Message:   %s\n", k.Message)
		if k.Cause != "" {
			fmt.Fprintf(w, "Cause:     %s\n", k.Cause)
		}
		if k.Advice != "" {
			fmt.Fprintf(w, "Advice:    %s\n", k.Advice)
		}
		if len(k.Checks) > 0 {
			fmt.Fprintf(w, "Checked by: %s\n", strings.Join(k.Checks, ", "))
		}
		if k.Undecidable != "" {
			fmt.Fprintf(w, "Not decidable in advance: %s\n", k.Undecidable)
		}
	}
	return found
}

func knownLabel(k Known) string {
	if k.Code != "" {
		return fmt.Sprintf("DMS error %s %s (%s)", k.Code, k.Name, k.Key)
	}
	return "limitation " + k.Key
}

// KnownFor lists the known-issue entries a check decides.
func KnownFor(id string) []Known {
	var out []Known
	for _, k := range KnownIssues {
		for _, c := range k.Checks {
			if c == id {
				out = append(out, k)
			}
		}
	}
	return out
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

func targetsText(c *check.Check) string {
	if len(c.Targets) == 0 {
		return "all (sqlmi, sqlvm, sqldb)"
	}
	return strings.Join(c.Targets, ", ")
}

func needsText(c *check.Check) string {
	var s []string
	for _, n := range c.Needs {
		s = append(s, string(n))
	}
	return strings.Join(s, ", ")
}

// Table writes the catalogue as an aligned table.
func Table(w io.Writer, all []*check.Check) {
	fmt.Fprintf(w, "%-7s %-8s %-18s %s\n", "ID", "SEVERITY", "TARGETS", "TITLE")
	for _, c := range all {
		t := "all"
		if len(c.Targets) > 0 {
			t = strings.Join(c.Targets, ",")
		}
		fmt.Fprintf(w, "%-7s %-8s %-18s %s\n", c.ID, c.Severity, t, c.Title)
	}
}

// Markdown writes the catalogue; docs/checks.md is this output.
func Markdown(w io.Writer, all []*check.Check) {
	fmt.Fprint(w, "# dmsready checks\n\n")
	fmt.Fprint(w, "Generated from the check registry by `go test ./checks -update`; do not edit by hand.\n")
	fmt.Fprint(w, "Check IDs are a public contract: never renumbered, never reused.\n")
	fmt.Fprint(w, "Each check's **Basis** says where its rule comes from: `documented:` cites what Microsoft's (or another public) documentation states, ")
	fmt.Fprint(w, "`dmsready's own rule:` marks what dmsready decides by its own reasoning. A documented rule may name a detail that is dmsready's own.\n\n")
	fmt.Fprint(w, "| ID | Severity | Targets | Title |\n|---|---|---|---|\n")
	for _, c := range all {
		fmt.Fprintf(w, "| [%s](#%s) | %s | %s | %s |\n", c.ID, strings.ToLower(c.ID), c.Severity, targetsText(c), c.Title)
	}
	for _, c := range all {
		fmt.Fprintf(w, "\n## %s\n\n**%s**\n\n", c.ID, c.Title)
		fmt.Fprintf(w, "- Severity: %s\n- Targets: %s\n- Needs: %s\n- Prevents: %s\n- Basis: %s\n- Source: <%s>\n\n", c.Severity, targetsText(c), needsText(c), c.Prevents, c.Basis, c.Link)
		fmt.Fprintf(w, "%s\n\n**Fix.** %s\n", strings.TrimSpace(c.Doc), strings.TrimSpace(c.Fix))
	}
	fmt.Fprint(w, "\n# DMS error codes and limitations\n\n")
	fmt.Fprint(w, "Every entry of Microsoft's known-issues page, and what decides it before cutover (`dmsready explain CODE`).\n\n")
	fmt.Fprint(w, "| Code | Entry | Decided by | |\n|---|---|---|---|\n")
	for _, k := range KnownIssues {
		by := strings.Join(k.Checks, ", ")
		if by == "" {
			by = "—"
		}
		note := k.Undecidable
		if note != "" {
			note = "not decidable in advance: " + note
		}
		code := k.Code
		if code == "" {
			code = "limitation"
		}
		fmt.Fprintf(w, "| %s | %s: %s | %s | %s |\n", code, k.Key, mdCell(k.Message), by, mdCell(note))
	}
	releasesMarkdown(w)
}

// releasesMarkdown writes the SQL Server release table the version checks
// (DMS102, DMS207, DMS307, DMS415, DMS503) decide by.
func releasesMarkdown(w io.Writer) {
	fmt.Fprint(w, "\n# SQL Server releases\n\n")
	fmt.Fprint(w, "The one table of releases (package `checks/sqlrelease`) the version checks decide by. A backup restores on a release ")
	fmt.Fprintf(w, "whose database version is the same or higher; backups older than %s are reported unknown, never passed.\n\n", sqlrelease.Oldest.Name)
	fmt.Fprint(w, "| Release | Version | Database versions | Compatibility levels | Restores backups from |\n|---|---|---|---|---|\n")
	for _, r := range sqlrelease.All {
		from := "—"
		if r.Judged() {
			var names []string
			for _, b := range r.RestoresFrom() {
				names = append(names, shortName(b))
			}
			from = strings.Join(names, ", ")
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", r.Name, r.Version(), joinInts(r.DBVersions), joinInts(r.CompatLevels), from)
	}
	fmt.Fprint(w, "\n| SQL Managed Instance update policy (`target.version`) | Restores backups up to |\n|---|---|\n")
	for _, p := range sqlrelease.Policies {
		fmt.Fprintf(w, "| `%s`: %s | %s (database version %d) |\n", p.Key, p.Name, p.UpTo.Name, p.UpTo.MaxDBVersion())
	}
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

// JSONEntry is a check as `dmsready checks --format json` prints it.
type JSONEntry struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Severity check.Severity `json:"severity"`
	Targets  []string       `json:"targets"`
	Needs    []facts.Source `json:"needs"`
	Prevents string         `json:"prevents"`
	Doc      string         `json:"doc"`
	Fix      string         `json:"fix"`
	Link     string         `json:"link"`
	Basis    string         `json:"basis"`
}

// Entries converts the registry for JSON output.
func Entries(all []*check.Check) []JSONEntry {
	out := make([]JSONEntry, 0, len(all))
	for _, c := range all {
		t := []string(c.Targets)
		if t == nil {
			t = []string{}
		}
		out = append(out, JSONEntry{c.ID, c.Title, c.Severity, t, c.Needs, c.Prevents, c.Doc, c.Fix, c.Link, c.Basis})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
