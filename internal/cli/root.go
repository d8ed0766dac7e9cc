package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
)

// state carries a command's exit code out of cobra, which knows errors only.
type state struct{ code int }

func newRoot(e *env, st *state) *cobra.Command {
	// Commands in the order a user meets them, not alphabetical.
	cobra.EnableCommandSorting = false
	var showVersion bool
	root := &cobra.Command{
		Use:   "dmsready",
		Short: "Find every documented reason an Azure DMS migration would fail, before cutover",
		Long: `dmsready checks a SQL Server migration to Azure SQL Managed Instance, SQL Server
on Azure VMs or Azure SQL Database against the limitations and error codes
Microsoft documents for the Azure Database Migration Service (DMS): it reads
the source catalog, lists the backup storage, reads the backup headers and
dry-runs the restore plan.

Exit codes: 0 ready, 1 blocking findings (at or above --fail-on), 2 usage or
plan error, 3 a source could not be collected, 4 incomplete (nothing verified
about a planned database).`,
		Example: `  dmsready check --plan migration.yaml
  dmsready inspect backups/ --files
  dmsready explain DMS101`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			return resolveConfig(e, c)
		},
		// Completion of the top level lists commands, not files.
		ValidArgsFunction: cobra.NoFileCompletions,
		Run: func(c *cobra.Command, args []string) {
			if showVersion {
				st.code = printVersion(e)
				return
			}
			fmt.Fprint(e.stderr, c.UsageString())
			st.code = exitUsage
		},
	}
	root.Flags().BoolVar(&showVersion, "version", false, "print the version (as 'dmsready version')")
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })
	root.AddCommand(
		newCheckCmd(e, st),
		newCollectCmd(e, st),
		newRestorePlanCmd(e, st),
		newDiffCmd(e, st),
		newInspectCmd(e, st),
		newPlanCmd(e, st),
		newChecksCmd(e, st),
		newExplainCmd(e, st),
		newVersionCmd(e, st),
	)
	addCompletionCmd(root)
	return root
}

// addCompletionCmd adds cobra's `completion` command now (not lazily at
// Execute) so that its help carries examples like every other command's.
func addCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = `  source <(dmsready completion bash)
  dmsready completion zsh > "${fpath[1]}/_dmsready"
  dmsready completion fish > ~/.config/fish/completions/dmsready.fish
  dmsready completion powershell | Out-String | Invoke-Expression`
		for _, sh := range c.Commands() {
			sh.Example = "  dmsready completion " + sh.Name() + " --help"
		}
	}
}

// usageFail reports a command line cobra rejected (unknown command or
// flag, wrong arguments): exit 2, as flag errors always were.
func usageFail(e *env, c *cobra.Command, err error) int {
	path := "dmsready"
	if c != nil {
		path = c.CommandPath()
	}
	fmt.Fprintf(e.stderr, "%s: %v\n", path, err)
	fmt.Fprintf(e.stderr, "Run '%s --help' for usage.\n", path)
	return exitUsage
}

// normalizeArgs keeps the Go flag package's spellings working: -plan and
// --o meant what --plan and -o mean to cobra. Only names that are flags of
// some command are rewritten, and nothing after "--".
func normalizeArgs(root *cobra.Command, args []string) []string {
	long, short := map[string]bool{"help": true}, map[string]bool{"h": true}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		visit := func(f *pflag.Flag) {
			long[f.Name] = true
			if f.Shorthand != "" {
				short[f.Shorthand] = true
			}
		}
		c.Flags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		name := strings.TrimLeft(a, "-")
		dashes := len(a) - len(name)
		if k := strings.IndexByte(name, '='); k >= 0 {
			name = name[:k]
		}
		switch {
		case dashes == 1 && len(name) > 1 && long[name]:
			a = "-" + a
		case dashes == 2 && len(name) == 1 && short[name] && !long[name]:
			a = a[1:]
		}
		out = append(out, a)
	}
	return out
}

// builtin is the built-in registry.
func builtin() []*check.Check { return checks.All }

// registry adds extra checks to the built-in ones. An extra check follows
// the same rules (a valid definition, an ID of DMS + 3 digits) and may not
// take an ID the built-in registry or another extra check already has.
func registry(extra []*check.Check) ([]*check.Check, error) {
	all := builtin()
	if len(extra) == 0 {
		return all, nil
	}
	ids := map[string]bool{}
	for _, c := range all {
		ids[c.ID] = true
	}
	reg := slices.Clone(all)
	for _, c := range extra {
		if c == nil {
			return nil, errors.New("extra check: nil")
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("extra check: %w", err)
		}
		if ids[c.ID] {
			return nil, fmt.Errorf("extra check %s: the ID is already taken (built-in checks and extra checks need IDs of their own)", c.ID)
		}
		ids[c.ID] = true
		reg = append(reg, c)
	}
	slices.SortFunc(reg, func(a, b *check.Check) int { return strings.Compare(a.ID, b.ID) })
	if err := check.Validate(reg); err != nil {
		return nil, err
	}
	return reg, nil
}

// completeWords completes a flag from a fixed list of values.
func completeWords(words ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}
