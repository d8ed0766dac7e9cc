package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/infile"
	"github.com/dmsready/dmsready/report"
)

type diffOpts struct {
	format string
	failOn string
}

func newDiffCmd(e *env, st *state) *cobra.Command {
	var o diffOpts
	c := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Compare two JSON reports: what became blocking, what was fixed, what is new",
		Long: `Compares two JSON reports of 'dmsready check' (or two estate reports),
finding by finding: what became blocking, what was fixed (blocking before, a
pass now), what is no longer checked (blocking before, not decided now: not
counted as fixed) and what is new since — a rehearsal against cutover night.

Exit codes: 0 nothing new blocks, 1 something new blocks, 2 usage error or
a file that is not a dmsready JSON report.`,
		Example: `  dmsready check --plan m.yaml --format json=rehearsal.json
  dmsready check --plan m.yaml --format json=cutover.json
  dmsready diff rehearsal.json cutover.json
  dmsready diff rehearsal.json cutover.json --format markdown > changes.md`,
		Args: cobra.ExactArgs(2),
		Run: func(c *cobra.Command, args []string) {
			st.code = cmdDiff(e, &o, args)
		},
	}
	c.Flags().StringVar(&o.format, "format", "text", "text, json or markdown")
	c.Flags().StringVar(&o.failOn, "fail-on", "", "judge blocking at this severity: error, warning or info (default: the new report's)")
	c.RegisterFlagCompletionFunc("format", completeWords("text", "json", "markdown"))
	c.RegisterFlagCompletionFunc("fail-on", completeWords("error", "warning", "info"))
	return c
}

func cmdDiff(e *env, o *diffOpts, args []string) int {
	switch o.format {
	case "text", "json", "markdown", "md":
	default:
		return usageError(e, "diff", fmt.Errorf("--format %q: want text, json or markdown", o.format))
	}
	var fo check.Severity
	if o.failOn != "" {
		var err error
		if fo, err = check.ParseSeverity(o.failOn); err != nil {
			return usageError(e, "diff", fmt.Errorf("--fail-on: %w", err))
		}
	}
	read := func(path string) ([]*report.Report, error) {
		f, err := infile.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rs, err := report.ReadReports(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return rs, nil
	}
	old, err := read(args[0])
	if err != nil {
		return usageError(e, "diff", err)
	}
	cur, err := read(args[1])
	if err != nil {
		return usageError(e, "diff", err)
	}
	d := report.NewDiff(args[0], old, args[1], cur, fo)
	if err := report.WriteDiff(e.stdout, o.format, d); err != nil {
		return usageError(e, "diff", err)
	}
	if d.Blocks() {
		return exitFindings
	}
	return exitReady
}
