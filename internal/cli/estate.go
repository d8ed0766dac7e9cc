package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/collect"
	"github.com/dmsready/dmsready/internal/estate"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/progress"
	"github.com/dmsready/dmsready/report"
)

// isEstate: more than one --plan or more than one --facts, or a folder of
// them. One plan with one facts file is a single run (the plan's target
// and waivers applied to the facts).
func isEstate(plans, factsFiles []string) bool {
	if len(plans) > 1 || len(factsFiles) > 1 {
		return true
	}
	for _, p := range append(append([]string(nil), plans...), factsFiles...) {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// cmdEstate checks every plan and facts file given (folders expanded) and
// writes one estate report.
func cmdEstate(ctx context.Context, e *env, o *checkOpts, outs []output, fo check.Severity) int {
	for _, f := range overrideFlags {
		if o.cmd.Flags().Changed(f) {
			return usageError(e, "check", fmt.Errorf("--%s applies to one plan; with several --plan/--facts inputs put it in each plan", f))
		}
	}
	for _, out := range outs {
		if !contains(report.EstateFormats(), out.format) {
			return usageError(e, "check", fmt.Errorf("--format %s: an estate report is one of %v", out.format, report.EstateFormats()))
		}
	}
	if len(o.plans) > 0 && len(o.factsList) > 0 {
		return usageError(e, "check", fmt.Errorf("an estate takes plans or facts files, not both: each facts file carries its plan"))
	}
	var ins []estate.Input
	for _, g := range []struct {
		paths []string
		kind  string
	}{{o.plans, estate.KindPlan}, {o.factsList, estate.KindFacts}} {
		got, err := estate.Expand(g.paths, g.kind)
		if err != nil {
			return usageError(e, "check", err)
		}
		ins = append(ins, got...)
	}
	started := time.Now()
	var (
		mu   sync.Mutex
		done int
	)
	prog, stop := estateProgress(e, o, outs)
	opts := estate.Options{
		Checks: e.registry, FailOn: fo, Version: toolVersion(), Parallel: o.parallel, ValidateFacts: checkFactsPlan,
		Collect: func(ctx context.Context, p *plan.Document) (*facts.Facts, []report.Timing) {
			f, phases := collect.Run(ctx, collect.Options{Plan: p, Getenv: e.getenv})
			var ts []report.Timing
			for _, ph := range phases {
				ts = append(ts, report.Timing{Phase: ph.Name, Millis: ph.Duration.Milliseconds()})
			}
			return f, ts
		},
		Done: func(in estate.Input, r *report.Report, err error) {
			mu.Lock()
			defer mu.Unlock()
			done++
			if prog != nil {
				fmt.Fprintf(prog, "\restate: %d/%d inputs checked (%s)\x1b[K", done, len(ins), time.Since(started).Round(time.Second))
			}
		},
	}
	reports, fails := estate.Run(ctx, ins, opts)
	stop()
	est := report.NewEstate(reports, fails, fo, report.Options{Catalogue: e.registry})
	est.Version = toolVersion()
	for _, out := range outs {
		err := withOutput(e, out, func(w io.Writer, color bool) error {
			return report.WriteEstate(w, out.format, est, report.Options{Catalogue: e.registry, Color: color && !o.noColor,
				Verbose: o.verbose, Quiet: o.quiet})
		})
		if err != nil {
			fmt.Fprintf(e.stderr, "dmsready check: writing %s report: %v\n", out.format, err)
			return exitUsage
		}
	}
	if o.exitZero {
		return exitReady
	}
	// A report whose collector failed exits 3 alone, error finding or not.
	collectFailed := false
	for _, r := range reports {
		collectFailed = collectFailed || len(r.SourceErrors) > 0
	}
	switch {
	case est.Summary.Findings.Blocking > 0:
		return exitFindings
	case len(fails) > 0 || est.Summary.Findings.Error > 0 || collectFailed:
		return exitSource
	case est.Summary.Incomplete > 0:
		return exitIncomplete
	}
	return exitReady
}

// estateProgress is where estate progress goes: a rewritten line on a
// terminal, a line at most every 10 s on a non-terminal; nil with --quiet.
func estateProgress(e *env, o *checkOpts, outs []output) (io.Writer, func()) {
	if o.quiet {
		return nil, func() {}
	}
	if e.stderrTTY {
		if machineOnStdout(outs) {
			return nil, func() {}
		}
		return e.stderr, func() { fmt.Fprintln(e.stderr) }
	}
	l := progress.NewLines(e.stderr, 10*time.Second, nil)
	ch := make(chan struct{})
	go l.Run(ch)
	return l, func() { close(ch) }
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// createOutput creates a report or facts file, making its folder first, so
// that -o out/x.json works on a fresh checkout.
func createOutput(path string) (*os.File, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	return os.Create(path)
}

// withOutput opens an output (stdout or a file, its folder made) and hands
// the writer and whether colour may be used.
func withOutput(e *env, o output, write func(w io.Writer, color bool) error) error {
	if o.path == "" || o.path == "-" {
		return write(e.stdout, report.UseColor(e.stdoutTTY, e.getenv))
	}
	f, err := createOutput(o.path)
	if err != nil {
		return err
	}
	err = write(f, false)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
