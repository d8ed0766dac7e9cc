package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/collect"
	"github.com/dmsready/dmsready/internal/infile"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/internal/textsafe"
	"github.com/dmsready/dmsready/report"
)

type output struct{ format, path string }

type checkOpts struct {
	sf      sourceFlags
	formats []string
	failOn  string
	noColor bool
	cmd     *cobra.Command
}

func newCheckCmd(e *env, st *state) *cobra.Command {
	var o checkOpts
	c := &cobra.Command{
		Use:   "check",
		Short: "Evaluate readiness: collect (or read --facts) and run every check",
		Long: `Collects facts from the source SQL Server, the backup storage and the target
named by the plan and flags (or reads them from --facts), runs every check and
reports what passes, warns, fails or was skipped.

Exit codes: 0 ready, 1 findings at or above --fail-on, 2 usage or plan error,
3 a source could not be collected (and nothing blocking was found), 4
incomplete: nothing blocks, but nothing was verified about a planned database
(or at all).`,
		Example: `  dmsready check --plan migration.yaml
  dmsready check --source sql01 --user dmsready --password-env SQLPW \
      --storage /mnt/backups --target-kind sqlmi --database Sales
  dmsready check --facts facts.json --format json
  dmsready check --plan m.yaml --format text --format sarif=dmsready.sarif --format junit=junit.xml`,
		Args: noArgs("--plan %s"),
		Run: func(c *cobra.Command, _ []string) {
			st.code = cmdCheck(c.Context(), e, &o)
		},
	}
	o.cmd = c
	o.sf.register(c, true)
	fs := c.Flags()
	fs.StringArrayVar(&o.formats, "format", nil, "report `format`[=file]: text, json, junit, sarif, markdown (repeatable; default text to stdout)")
	fs.StringVar(&o.failOn, "fail-on", "error", "exit 1 on findings at or above this severity: error, warning or info")
	fs.BoolVar(&o.noColor, "no-color", false, "no ANSI colour even on a terminal")
	c.RegisterFlagCompletionFunc("format", completeWords("text", "json", "junit", "sarif", "markdown"))
	c.RegisterFlagCompletionFunc("fail-on", completeWords("error", "warning", "info"))
	return c
}

func cmdCheck(ctx context.Context, e *env, o *checkOpts) int {
	sf, formats := &o.sf, o.formats
	min, err := check.ParseSeverity(o.failOn)
	if err != nil {
		return usageError(e, "check", fmt.Errorf("%s: %w", origin(o.cmd, "fail-on"), err))
	}
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	var outs []output
	used := map[string]string{} // output path ("" is stdout) -> format
	for _, s := range formats {
		f, p, err := report.ParseFormatSpec(s)
		if err != nil {
			return usageError(e, "check", err)
		}
		// Two reports in one stream are neither valid JSON, SARIF nor XML.
		key := p
		if key != "" {
			key = filepath.Clean(p)
		}
		if prev, ok := used[key]; ok {
			where := "stdout"
			if p != "" {
				where = p
			}
			return usageError(e, "check", fmt.Errorf("--format %s and --format %s both write to %s: give one of them a file (%s=PATH)", prev, f, where, f))
		}
		used[key] = f
		outs = append(outs, output{f, p})
	}
	p, err := sf.load()
	if err != nil {
		return planError(e, err)
	}

	if sf.facts == "" && p.Source.Server == "" && p.Storage.Location == "" && p.Target.Server == "" && len(p.Databases) == 0 {
		return usageError(e, "check", fmt.Errorf("nothing to check: give --source, --storage or --database (or a plan that names them)"))
	}
	started := time.Now().UTC()
	var f *facts.Facts
	var timings []report.Timing
	if sf.facts != "" {
		if f, err = readFacts(sf.facts); err != nil {
			return usageError(e, "check", err)
		}
		overridePlan(f, p, *sf)
		if err := checkFactsPlan(sf.facts, f.Plan); err != nil {
			return usageError(e, "check", err)
		}
	} else {
		var phases []collect.Phase
		f, phases = collect.Run(ctx, collectOptions(e, p, outs))
		if f.Storage != nil && f.Storage.LocationNote != "" {
			fmt.Fprintf(e.stderr, "dmsready check: %s\n", textsafe.Line(f.Storage.LocationNote))
		}
		for _, ph := range phases {
			timings = append(timings, report.Timing{Phase: ph.Name, Millis: ph.Duration.Milliseconds()})
		}
	}
	t0 := time.Now()
	findings := check.Run(e.registry, f)
	uses := check.ApplyWaivers(findings, f.Plan.Waivers, time.Now())
	timings = append(timings, report.Timing{Phase: "checks", Millis: time.Since(t0).Milliseconds()})

	r := &report.Report{
		SchemaVersion: report.SchemaVersion, Tool: "dmsready", Version: toolVersion(),
		PlanDigest: f.Plan.Digest, Target: f.Plan.Target, Mode: f.Plan.Mode,
		Started: started, Finished: time.Now().UTC(), Timings: timings, FailOn: min,
		Findings: findings, Waivers: uses, SourceErrors: f.Errors,
	}
	r.Summary = report.Summarize(findings, min)
	r.Summary.Incomplete(check.Unverified(e.registry, f, findings))
	if code := writeReports(e, r, outs, o.noColor); code != exitReady {
		return code
	}
	return exitCode(r)
}

// exitCode: blocking findings decide "not ready" even when a source also
// failed; a failed source alone means the verdict is open; a run that
// verified nothing about a planned database (or nothing at all) is
// incomplete, never ready.
func exitCode(r *report.Report) int {
	switch {
	case r.Summary.Blocking > 0:
		return exitFindings
	case len(r.SourceErrors) > 0 || r.Summary.Error > 0:
		return exitSource
	case len(r.Summary.Unverified) > 0:
		return exitIncomplete
	}
	return exitReady
}

func writeReports(e *env, r *report.Report, outs []output, noColor bool) int {
	for _, o := range outs {
		print, _ := report.Lookup(o.format)
		opts := report.Options{Catalogue: e.registry}
		var w io.Writer = e.stdout
		var file *os.File
		if o.path != "" && o.path != "-" {
			if dir := filepath.Dir(o.path); dir != "." {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					fmt.Fprintf(e.stderr, "dmsready check: %v\n", err)
					return exitUsage
				}
			}
			var err error
			if file, err = os.Create(o.path); err != nil {
				fmt.Fprintf(e.stderr, "dmsready check: %v\n", err)
				return exitUsage
			}
			w = file
		} else {
			opts.Color = !noColor && report.UseColor(e.stdoutTTY, e.getenv)
		}
		err := print(w, r, opts)
		if file != nil {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "dmsready check: writing %s report: %v\n", o.format, err)
			return exitUsage
		}
	}
	return exitReady
}

func readFacts(path string) (*facts.Facts, error) {
	// A FIFO or a device is refused, not opened and waited on.
	fl, err := infile.Open(path)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	f, err := facts.Read(fl)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// checkFactsPlan checks the plan values a facts file carries, as a plan
// file's are checked: a value no check knows would make every check skip as
// "not applicable" and the verdict READY.
func checkFactsPlan(path string, fp facts.Plan) error {
	switch fp.Target.Kind {
	case facts.KindMI, facts.KindVM, facts.KindDB:
	default:
		return fmt.Errorf("%s: facts: plan target kind %q: want sqlmi, sqlvm or sqldb", path, fp.Target.Kind)
	}
	// Empty mode and method are the defaults (offline, dms), as in a plan.
	if fp.Mode != "" && fp.Mode != "online" && fp.Mode != "offline" {
		return fmt.Errorf("%s: facts: plan mode %q: want online or offline", path, fp.Mode)
	}
	if fp.Method != "" && fp.Method != "dms" && fp.Method != "lrs" {
		return fmt.Errorf("%s: facts: plan method %q: want dms or lrs", path, fp.Method)
	}
	return nil
}

// overridePlan lets a plan or flags given with --facts change the target
// and mode the facts were collected for (e.g. to compare targets offline).
func overridePlan(f *facts.Facts, p *plan.Plan, sf sourceFlags) {
	if sf.plan == "" && sf.o.TargetKind == "" && sf.o.TargetVersion == "" && sf.o.Mode == "" && sf.o.Method == "" && len(sf.databases) == 0 {
		return
	}
	fp := p.Facts()
	if sf.plan != "" {
		fp.Storage = f.Plan.Storage
		f.Plan = fp
		return
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&f.Plan.Target.Kind, sf.o.TargetKind)
	set(&f.Plan.Target.Version, sf.o.TargetVersion)
	set(&f.Plan.Mode, sf.o.Mode)
	set(&f.Plan.Method, sf.o.Method)
	if len(sf.databases) > 0 {
		f.Plan.Databases = fp.Databases
	}
}

// collectOptions wires progress (stderr, terminals only, never when a
// machine format goes to stdout) and the password prompt.
func collectOptions(e *env, p *plan.Plan, outs []output) collect.Options {
	o := collect.Options{Plan: p, Getenv: e.getenv, Prompt: e.prompt}
	machineOnStdout := false
	for _, out := range outs {
		if out.format != "text" && (out.path == "" || out.path == "-") {
			machineOnStdout = true
		}
	}
	if e.stderrTTY && !machineOnStdout {
		o.Progress = e.stderr
	}
	return o
}

type collectOpts struct {
	sf  sourceFlags
	out string
}

func newCollectCmd(e *env, st *state) *cobra.Command {
	var o collectOpts
	c := &cobra.Command{
		Use:   "collect",
		Short: "Collect facts only and write them as JSON (-o facts.json)",
		Long: `Collects facts (source catalog, backup storage, backup headers, target) and
writes them as JSON, to evaluate later or elsewhere with 'dmsready check --facts'.
Exit code 3 when a source could not be collected (the facts say why).`,
		Example: `  dmsready collect --plan migration.yaml -o facts.json
  dmsready collect --storage /mnt/backups --target-kind sqlvm --database Sales -o out/facts.json`,
		Args: noArgs("--plan %s"),
		Run: func(c *cobra.Command, _ []string) {
			st.code = cmdCollect(c.Context(), e, &o)
		},
	}
	o.sf.register(c, false)
	c.Flags().StringVarP(&o.out, "output", "o", "-", "write facts to this `file` (- for stdout)")
	c.MarkFlagFilename("output", "json")
	return c
}

func cmdCollect(ctx context.Context, e *env, opts *collectOpts) int {
	sf, out := &opts.sf, &opts.out
	p, err := sf.load()
	if err != nil {
		return planError(e, err)
	}
	// Open the output before collecting, which can take minutes: a bad
	// path fails at once. Its directory is made, as check's reports are.
	w := io.Writer(e.stdout)
	var fl *os.File
	if *out != "-" {
		if dir := filepath.Dir(*out); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return usageError(e, "collect", err)
			}
		}
		if fl, err = os.Create(*out); err != nil {
			return usageError(e, "collect", err)
		}
		w = fl
	}
	o := collectOptions(e, p, []output{{format: "json", path: *out}})
	f, _ := collect.Run(ctx, o)
	err = facts.Write(w, f)
	if fl != nil {
		if cerr := fl.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return usageError(e, "collect", err)
	}
	for _, se := range f.Errors {
		fmt.Fprintf(e.stderr, "dmsready collect: %s\n", textsafe.Line(se.Error()))
	}
	if len(f.Errors) > 0 {
		return exitSource
	}
	return exitReady
}

type restorePlanOpts struct {
	sf     sourceFlags
	format string
}

func newRestorePlanCmd(e *env, st *state) *cobra.Command {
	var o restorePlanOpts
	c := &cobra.Command{
		Use:   "restore-plan",
		Short: "Print the restore sequence DMS will attempt, per database",
		Long: `Lists the backup storage, reads the backup headers and prints, per database,
the sequence of restores DMS will attempt (full, differential, logs), or where
the chain breaks. Exit code 1 when a chain is broken.`,
		Example: `  dmsready restore-plan --plan migration.yaml
  dmsready restore-plan --storage /mnt/backups --target-kind sqlmi --format json
  dmsready restore-plan --facts facts.json`,
		Args: noArgs("--plan %s"),
		Run: func(c *cobra.Command, _ []string) {
			st.code = cmdRestorePlan(c.Context(), e, &o)
		},
	}
	o.sf.register(c, true)
	c.Flags().StringVar(&o.format, "format", "table", "table or json")
	c.RegisterFlagCompletionFunc("format", completeWords("table", "json"))
	return c
}

func cmdRestorePlan(ctx context.Context, e *env, o *restorePlanOpts) int {
	sf, format := &o.sf, &o.format
	if *format != "table" && *format != "json" {
		return usageError(e, "restore-plan", fmt.Errorf("--format %q: want table or json", *format))
	}
	p, err := sf.load()
	if err != nil {
		return planError(e, err)
	}
	var f *facts.Facts
	if sf.facts != "" {
		if f, err = readFacts(sf.facts); err != nil {
			return usageError(e, "restore-plan", err)
		}
		overridePlan(f, p, *sf)
		if err := checkFactsPlan(sf.facts, f.Plan); err != nil {
			return usageError(e, "restore-plan", err)
		}
	} else {
		f, _ = collect.Run(ctx, collectOptions(e, p, []output{{format: *format}}))
	}
	for _, se := range f.Errors {
		fmt.Fprintf(e.stderr, "dmsready restore-plan: %s\n", textsafe.Line(se.Error()))
	}
	if f.Storage == nil || f.Storage.Files == nil {
		if len(f.Errors) == 0 {
			fmt.Fprintln(e.stderr, "dmsready restore-plan: no backup storage: give --storage or storage.location in the plan")
			return exitUsage
		}
		return exitSource
	}
	plans := restore.Build(f)
	if err := restore.Write(e.stdout, *format, plans); err != nil {
		fmt.Fprintf(e.stderr, "dmsready restore-plan: %v\n", err)
		return exitUsage
	}
	switch {
	case restore.Broken(plans):
		return exitFindings
	case len(f.Errors) > 0:
		return exitSource
	}
	return exitReady
}
