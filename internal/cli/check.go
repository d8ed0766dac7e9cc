package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	pathpkg "path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/collect"
	"github.com/dmsready/dmsready/internal/estate"
	"github.com/dmsready/dmsready/internal/infile"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/progress"
	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/internal/textsafe"
	"github.com/dmsready/dmsready/report"
)

type output struct{ format, path string }

type checkOpts struct {
	sf               sourceFlags
	formats          []string
	failOn           string
	noColor          bool
	verbose, quiet   bool
	exitZero         bool
	parallel         int
	plans, factsList []string // every --plan and --facts (an estate when several)
	cmd              *cobra.Command
}

// overrideFlags change one plan; an estate takes each plan as written.
var overrideFlags = []string{"source", "user", "password-env", "storage", "target-kind", "target-version", "database", "mode", "method"}

func newCheckCmd(e *env, st *state) *cobra.Command {
	var o checkOpts
	c := &cobra.Command{
		Use:   "check",
		Short: "Evaluate readiness: collect (or read --facts) and run every check",
		Long: `Collects facts from the source SQL Server, the backup storage and the target
named by the plan and flags (or reads them from --facts), runs every check and
reports what passes, warns, fails or was skipped.

Several --plan or --facts inputs, or folders of them, make one estate report
(per-server and per-database matrix, counts by check, top blockers), collecting
up to --parallel plans at once; an input that fails is reported, the others
still run.

The text report leads with the verdict and what blocks, each with its fix;
--verbose lists every finding, --quiet prints the verdict line alone.

Exit codes: 0 ready, 1 findings at or above --fail-on, 2 usage or plan error,
3 a source could not be collected (and nothing blocking was found), 4
incomplete: nothing blocks, but nothing was verified about a planned database
(or at all); --exit-zero exits 0 whatever was found (usage errors still exit 2).`,
		Example: `  dmsready check --plan migration.yaml
  dmsready check --source sql01 --user dmsready --password-env SQLPW \
      --storage /mnt/backups --target-kind sqlmi --database Sales
  dmsready check --facts facts.json --format json
  dmsready check --plan m.yaml --format text --format sarif=dmsready.sarif --format junit=junit.xml
  dmsready check --plan m.yaml --format html=report.html --quiet
  dmsready check --plan plans/ --parallel 8 --format html=estate.html --format json=estate.json
  dmsready check --facts collected/ --format markdown=estate.md --exit-zero`,
		Args: noArgs("--plan %s"),
		Run: func(c *cobra.Command, _ []string) {
			st.code = cmdCheck(c.Context(), e, &o)
		},
	}
	o.cmd = c
	o.sf.multi = true
	o.sf.register(c, true)
	fs := c.Flags()
	fs.StringArrayVar(&o.formats, "format", nil, "report `format`[=file]: text, json, junit, sarif, markdown, html (repeatable; default text to stdout)")
	fs.StringVar(&o.failOn, "fail-on", "error", "exit 1 on findings at or above this severity: error, warning or info")
	fs.BoolVar(&o.noColor, "no-color", false, "no ANSI colour even on a terminal")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "text: list every finding (passes, skips, each repeat) by database")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "text: print the verdict line only (and no progress)")
	fs.BoolVar(&o.exitZero, "exit-zero", false, "exit 0 whatever was found (report-only pipelines); usage errors still exit 2")
	fs.IntVar(&o.parallel, "parallel", 4, "estate: collect at most `n` plans at once")
	c.RegisterFlagCompletionFunc("format", completeWords("text", "json", "junit", "sarif", "markdown", "html"))
	c.RegisterFlagCompletionFunc("fail-on", completeWords("error", "warning", "info"))
	return c
}

func cmdCheck(ctx context.Context, e *env, o *checkOpts) int {
	sf, formats := &o.sf, o.formats
	gate, err := check.ParseSeverity(o.failOn)
	if err != nil {
		return usageError(e, "check", fmt.Errorf("%s: %w", origin(o.cmd, "fail-on"), err))
	}
	if o.verbose && o.quiet {
		return usageError(e, "check", fmt.Errorf("--verbose and --quiet: give one"))
	}
	if o.parallel < 1 {
		return usageError(e, "check", fmt.Errorf("--parallel %d: want 1 or more", o.parallel))
	}
	o.plans, o.factsList = sf.plans, sf.factsList
	estateMode := isEstate(o.plans, o.factsList)
	if !estateMode {
		if len(o.plans) == 1 {
			sf.plan = o.plans[0]
		}
		if len(o.factsList) == 1 {
			sf.facts = o.factsList[0]
		}
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
		in := overwritesInput(p, o.plans, ".yaml", ".yml")
		if in == "" {
			in = overwritesInput(p, o.factsList, ".json")
		}
		if in != "" {
			return usageError(e, "check", fmt.Errorf("--format %s=%s would overwrite the input %s: write the report elsewhere", f, p, in))
		}
		outs = append(outs, output{f, p})
	}
	if estateMode {
		return cmdEstate(ctx, e, o, outs, gate)
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
		co, stop := collectOptions(e, p, outs, o.quiet)
		f, phases = collect.Run(ctx, co)
		stop()
		if f.Storage != nil && f.Storage.LocationNote != "" {
			fmt.Fprintf(e.stderr, "dmsready check: %s\n", textsafe.Line(f.Storage.LocationNote))
		}
		for _, ph := range phases {
			timings = append(timings, report.Timing{Phase: ph.Name, Millis: ph.Duration.Milliseconds()})
		}
	}
	r := estate.Evaluate(f, started, timings, estate.Options{Checks: e.registry, FailOn: gate, Version: toolVersion()})
	if sf.plan != "" {
		r.PlanPath, r.Locations = sf.plan, estate.Locations(p)
	}
	if code := writeReports(e, r, outs, o); code != exitReady {
		return code
	}
	if o.exitZero {
		return exitReady
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

func writeReports(e *env, r *report.Report, outs []output, co *checkOpts) int {
	noColor := co.noColor
	for _, o := range outs {
		write, _ := report.Lookup(o.format)
		opts := report.Options{Catalogue: e.registry, Verbose: co.verbose, Quiet: co.quiet}
		var w io.Writer = e.stdout
		var file *os.File
		if o.path != "" && o.path != "-" {
			var err error
			if file, err = createOutput(o.path); err != nil {
				fmt.Fprintf(e.stderr, "dmsready check: %v\n", err)
				return exitUsage
			}
			w = file
		} else {
			opts.Color = !noColor && report.UseColor(e.stdoutTTY, e.getenv)
		}
		err := write(w, r, opts)
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
	// Refuse an oversized file before reading any of it (Read also stops
	// at the limit, for input whose size stat cannot tell).
	if st, err := fl.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > facts.MaxFileSize {
		return nil, fmt.Errorf("%s: %w", path, &facts.TooLargeError{Limit: facts.MaxFileSize})
	}
	f, err := facts.Read(fl)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// checkFactsPlan checks the plan values a facts file carries, as a plan
// file's are checked: a value no check knows would make every check skip as
// "not applicable" and the verdict READY.
func checkFactsPlan(path string, fp facts.ResolvedPlan) error {
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
	// Waivers as a plan has them: a facts file is no way around the
	// required reason.
	for i, w := range fp.Waivers {
		switch {
		case !factsCheckID.MatchString(w.Check):
			return fmt.Errorf("%s: facts: plan waivers[%d].check %q: want a check ID like DMS201", path, i, w.Check)
		case strings.TrimSpace(w.Reason) == "":
			return fmt.Errorf("%s: facts: plan waivers[%d]: reason is required", path, i)
		}
		if _, err := pathpkg.Match(w.Object, ""); err != nil {
			return fmt.Errorf("%s: facts: plan waivers[%d].object %q: bad pattern", path, i, w.Object)
		}
		if w.Expires != "" {
			if _, err := time.Parse("2006-01-02", w.Expires); err != nil {
				return fmt.Errorf("%s: facts: plan waivers[%d].expires %q: want a date YYYY-MM-DD", path, i, w.Expires)
			}
		}
	}
	return nil
}

var factsCheckID = regexp.MustCompile(`^DMS[0-9]{3}$`)

// overridePlan lets a plan or flags given with --facts change the target
// and mode the facts were collected for (e.g. to compare targets offline).
func overridePlan(f *facts.Facts, p *plan.Document, sf sourceFlags) {
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
	if sf.o.Mode != "" {
		f.Plan.Mode = facts.Mode(sf.o.Mode)
	}
	if sf.o.Method != "" {
		f.Plan.Method = facts.Method(sf.o.Method)
	}
	if len(sf.databases) > 0 {
		f.Plan.Databases = fp.Databases
	}
}

// collectOptions wires progress and the password prompt. Progress goes to
// stderr, never stdout: on a terminal the status line rewritten in place
// (not when a machine format goes to stdout, which shares the screen); on a
// non-terminal (CI) a plain line at most every 10 seconds, none for a short
// scan; none with --quiet. stop ends it once collection is done.
func collectOptions(e *env, p *plan.Document, outs []output, quiet bool) (o collect.Options, stop func()) {
	o = collect.Options{Plan: p, Getenv: e.getenv, Prompt: e.prompt}
	stop = func() {}
	switch {
	case quiet:
	case e.stderrTTY:
		if !machineOnStdout(outs) {
			o.Progress = e.stderr
		}
	default:
		l := progress.NewLines(e.stderr, progressEvery, nil)
		done := make(chan struct{})
		go l.Run(done)
		o.Progress, stop = l, func() { close(done) }
	}
	return o, stop
}

// progressEvery is how often a non-terminal gets a progress line at most.
const progressEvery = 10 * time.Second

// machineOnStdout: a format other than text writes to stdout.
func machineOnStdout(outs []output) bool {
	for _, out := range outs {
		if out.format != "text" && (out.path == "" || out.path == "-") {
			return true
		}
	}
	return false
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
		if sf.plan != "" && overwritesInput(*out, []string{sf.plan}) != "" {
			return usageError(e, "collect", fmt.Errorf("-o %s would overwrite the plan %s: write the facts elsewhere", *out, sf.plan))
		}
		if fl, err = createOutput(*out); err != nil {
			return usageError(e, "collect", err)
		}
		w = fl
	}
	o, stop := collectOptions(e, p, []output{{format: "json", path: *out}}, false)
	f, _ := collect.Run(ctx, o)
	stop()
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
  dmsready restore-plan --facts facts.json
  dmsready restore-plan --plan migration.yaml --format tsql > rehearsal.sql`,
		Args: noArgs("--plan %s"),
		Run: func(c *cobra.Command, _ []string) {
			st.code = cmdRestorePlan(c.Context(), e, &o)
		},
	}
	o.sf.register(c, true)
	c.Flags().StringVar(&o.format, "format", "table", "table, json or tsql (the RESTORE statements, for a rehearsal on a test server)")
	c.RegisterFlagCompletionFunc("format", completeWords("table", "json", "tsql"))
	return c
}

func cmdRestorePlan(ctx context.Context, e *env, o *restorePlanOpts) int {
	sf, format := &o.sf, &o.format
	if *format != "table" && *format != "json" && *format != "tsql" {
		return usageError(e, "restore-plan", fmt.Errorf("--format %q: want table, json or tsql", *format))
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
		co, stop := collectOptions(e, p, []output{{format: *format}}, false)
		f, _ = collect.Run(ctx, co)
		stop()
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
	if *format == "tsql" {
		err = restore.WriteTSQL(e.stdout, plans, f, restore.TSQLHeader{
			Generated: "dmsready " + toolVersion() + " at " + time.Now().UTC().Format(time.RFC3339), Plan: sf.plan})
	} else {
		err = restore.Write(e.stdout, *format, plans)
	}
	if err != nil {
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

// overwritesInput names the input (a plan or facts file given, or one in a
// folder given) that writing a report to out would replace: the report
// was written over the plan or facts file it was made from.
func overwritesInput(out string, inputs []string, exts ...string) string {
	if out == "" || out == "-" {
		return ""
	}
	ost, err := os.Stat(out)
	if err != nil {
		return "" // a new file replaces nothing
	}
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			continue
		}
		if !st.IsDir() {
			if os.SameFile(ost, st) {
				return in
			}
			continue
		}
		dst, err := os.Stat(filepath.Dir(out))
		if err == nil && os.SameFile(dst, st) && slices.Contains(exts, strings.ToLower(filepath.Ext(out))) {
			return out // one of the folder's inputs
		}
	}
	return ""
}
