package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/textsafe"
)

func newChecksCmd(e *env, st *state) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "checks",
		Short: "List every check (--format table|json|markdown)",
		Long: `Lists every check this dmsready runs: ID, severity, the targets it applies to
and its title. 'dmsready explain ID' prints one check in full.`,
		Example: `  dmsready checks
  dmsready checks --format json
  dmsready checks --format markdown > checks.md`,
		Args: noArgs("dmsready explain %s"),
		Run: func(c *cobra.Command, _ []string) {
			st.code = cmdChecks(e, format)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "table, json or markdown")
	c.RegisterFlagCompletionFunc("format", completeWords("table", "json", "markdown"))
	return c
}

func cmdChecks(e *env, format string) int {
	switch format {
	case "table":
		checks.Table(e.stdout, e.registry)
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(checks.Entries(e.registry)); err != nil {
			return usageError(e, "checks", err)
		}
	case "markdown", "md":
		checks.Markdown(e.stdout, e.registry)
	default:
		return usageError(e, "checks", fmt.Errorf("--format %q: want table, json or markdown", format))
	}
	return exitReady
}

var codePattern = regexp.MustCompile(`^[0-9]{4}$`)

func newExplainCmd(e *env, st *state) *cobra.Command {
	return &cobra.Command{
		Use:   "explain DMS101 | 2009 | limitation-key ...",
		Short: "Explain a check (DMS101) or a DMS error code (2009)",
		Long: `Prints a check's documentation (why it matters, how to fix it, its source), or
what dmsready knows about a DMS error code or documented limitation and which
check decides it. Without arguments, lists the known error codes.`,
		Example: `  dmsready explain DMS101
  dmsready explain 2009
  dmsready explain DMS204 DMS301`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var ids []cobra.Completion
			for _, c := range e.registry {
				ids = append(ids, cobra.CompletionWithDesc(c.ID, c.Title))
			}
			for _, k := range checks.KnownIssues {
				if k.Code != "" {
					ids = append(ids, k.Code)
				}
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		Run: func(c *cobra.Command, args []string) {
			st.code = cmdExplain(e, c, args)
		},
	}
}

func cmdExplain(e *env, c *cobra.Command, pos []string) int {
	if len(pos) == 0 {
		fmt.Fprintf(e.stderr, "Usage: %s\n", c.UseLine())
		fmt.Fprintln(e.stderr, "\nDMS error codes and limitations:")
		for _, k := range checks.KnownIssues {
			label := k.Code
			if label == "" || k.Key != k.Code {
				label = k.Key
			}
			fmt.Fprintf(e.stderr, "  %-24s %s\n", label, firstSentence(k.Message))
		}
		return exitUsage
	}
	code := exitReady
	for i, a := range pos {
		if i > 0 {
			fmt.Fprintln(e.stdout, "\n---")
		}
		if c := check.Lookup(e.registry, a); c != nil {
			checks.Explain(e.stdout, c)
			continue
		}
		if checks.ExplainKnown(e.stdout, strings.ToLower(a)) || checks.ExplainKnown(e.stdout, a) {
			continue
		}
		if codePattern.MatchString(a) && explainQuoted(e.stdout, a) {
			continue
		}
		switch {
		case codePattern.MatchString(a):
			fmt.Fprintf(e.stderr, "dmsready explain: %s is not a DMS error code on the known-issues page\n", a)
		default:
			fmt.Fprintf(e.stderr, "dmsready explain: no check or error code %q (see 'dmsready checks')\n", a)
		}
		code = exitUsage
	}
	return code
}

// explainQuoted explains the DMS errors whose documented message quotes
// code: the SQL Server and OS errors that DMS error 2009 wraps (3169,
// 3634, 1450) are what a user holding the message looks up.
func explainQuoted(w io.Writer, code string) bool {
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(code) + `\b`)
	var keys []string
	for _, k := range checks.KnownIssues {
		if k.Code != "" && k.Code != code && word.MatchString(k.Message) {
			keys = append(keys, k.Key)
		}
	}
	if len(keys) == 0 {
		return false
	}
	fmt.Fprintf(w, "%s is not a DMS error code; the message of %s quotes it:\n\n", code, strings.Join(keys, ", "))
	for i, k := range keys {
		if i > 0 {
			fmt.Fprintln(w)
		}
		checks.ExplainKnown(w, k)
	}
	return true
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 && i < 100 {
		return s[:i+1]
	}
	if len(s) > 100 {
		return s[:97] + "..."
	}
	return s
}

func newPlanCmd(e *env, st *state) *cobra.Command {
	c := &cobra.Command{
		Use:     "plan",
		Short:   "plan validate FILE: check a migration plan",
		Long:    `Works with migration plans (YAML). 'dmsready plan validate FILE' checks one.`,
		Example: `  dmsready plan validate migration.yaml`,
		Args:    cobra.NoArgs,
		Run: func(c *cobra.Command, _ []string) {
			fmt.Fprintln(e.stderr, "Usage: dmsready plan validate FILE")
			st.code = exitUsage
		},
	}
	c.AddCommand(&cobra.Command{
		Use:   "validate FILE",
		Short: "Check a migration plan: every error with file:line:column",
		Long: `Reads a migration plan and reports every error in it as file:line:column:
message (exit 2), or a one-line summary of a valid plan (exit 0).`,
		Example: `  dmsready plan validate migration.yaml`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		Run: func(c *cobra.Command, args []string) {
			st.code = cmdPlanValidate(e, args)
		},
	})
	return c
}

func cmdPlanValidate(e *env, pos []string) int {
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "Usage: dmsready plan validate FILE")
		return exitUsage
	}
	p, err := plan.Load(pos[0])
	if err != nil {
		return planError(e, err)
	}
	f := p.Facts()
	fmt.Fprintf(e.stdout, "%s: valid plan: target %s, %d database(s), %d waiver(s), %s\n", pos[0], f.Target.Kind, len(f.Databases), len(p.Waivers), f.Digest)
	return exitReady
}

// planError prints plan errors one per line (file:line:column: message).
func planError(e *env, err error) int {
	var es plan.Errors
	if errors.As(err, &es) {
		for _, pe := range es {
			fmt.Fprintln(e.stderr, textsafe.Line(pe.Error()))
		}
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "dmsready: %s\n", textsafe.Line(err.Error()))
	return exitUsage
}
