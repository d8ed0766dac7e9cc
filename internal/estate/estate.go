// Package estate evaluates many migration plans or facts files at once —
// an estate of tens to thousands of databases — into one report: inputs are
// collected concurrently up to a bound, each input's failure stays its own,
// and every input becomes a report.Report the estate report sums up.
package estate

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/infile"
	"github.com/dmsready/dmsready/internal/plan"
	"github.com/dmsready/dmsready/internal/restore"
	"github.com/dmsready/dmsready/report"
)

// Kinds of input.
const (
	KindPlan  = "plan"
	KindFacts = "facts"
)

// Input is one plan or facts file.
type Input struct {
	Path string
	Kind string
}

// Expand turns --plan / --facts arguments into inputs: a file as it is, a
// folder as every plan (*.yaml, *.yml) or facts file (*.json) in it and its
// subfolders, sorted. A folder with none is an error, as is a missing path.
func Expand(paths []string, kind string) ([]Input, error) {
	var out []Input
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, Input{Path: p, Kind: kind})
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			ext := strings.ToLower(filepath.Ext(path))
			if (kind == KindPlan && (ext == ".yaml" || ext == ".yml")) || (kind == KindFacts && ext == ".json") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			want := "*.yaml or *.yml plans"
			if kind == KindFacts {
				want = "*.json facts files"
			}
			return nil, fmt.Errorf("%s: no %s in the folder", p, want)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// Options configure an evaluation.
type Options struct {
	Checks  []*check.Check
	FailOn  check.Severity
	Version string
	// Parallel bounds how many inputs are collected at once (default 4).
	Parallel int
	// Collect gathers facts for a plan (collect.Run with the caller's
	// environment); needed for plan inputs only.
	Collect func(ctx context.Context, p *plan.Document) (*facts.Facts, []report.Timing)
	// Now is the clock waivers expire by (time.Now when nil).
	Now func() time.Time
	// ValidateFacts checks the plan a facts file carries (as a plan file is
	// validated when loaded); nil accepts it.
	ValidateFacts func(path string, p facts.ResolvedPlan) error
	// Done is told after each input, for progress; may be nil.
	Done func(in Input, r *report.Report, err error)
}

// Evaluate runs the checks over f and builds its report: what was checked,
// findings with waivers applied, timings per phase and per check, the
// restore plans (for the HTML timeline).
func Evaluate(f *facts.Facts, started time.Time, timings []report.Timing, o Options) *report.Report {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	fo := o.FailOn
	if fo == "" {
		fo = check.Error
	}
	t0 := time.Now()
	var ct []report.CheckTiming
	memo := check.NewMemo()
	findings := check.RunMemo(o.Checks, f, func(id string, d time.Duration) {
		ct = append(ct, report.CheckTiming{Check: id, Micros: d.Microseconds()})
	}, memo)
	uses := check.ApplyWaivers(findings, f.Plan.Waivers, now())
	timings = append(timings, report.Timing{Phase: "checks", Millis: time.Since(t0).Milliseconds()})
	r := &report.Report{
		SchemaVersion: report.SchemaVersion, Tool: "dmsready", Version: o.Version,
		Started: started.UTC(), Timings: timings, CheckTimings: ct, FailOn: fo,
		Findings: findings, Waivers: uses, SourceErrors: f.Errors,
	}
	report.Describe(r, f)
	if f.Storage != nil && f.Storage.Files != nil {
		// The plans the restore checks built, not built again.
		r.Restore = memo.Value(f, check.KeyRestorePlans, func(f *facts.Facts) any { return restore.Build(f) }).([]restore.Sequence)
	}
	r.Finished = time.Now().UTC()
	r.Summary = report.Summarize(findings, fo)
	// A run that verified nothing about a planned database is INCOMPLETE.
	r.Summary.Incomplete(check.Unverified(o.Checks, f, findings))
	r.Summary.Collected(f.Errors)
	return r
}

// Locations are the plan lines naming each database, the storage, the
// source and the target: where SARIF results point.
func Locations(p *plan.Document) []report.Location {
	if p == nil || p.File == "" {
		return nil
	}
	var out []report.Location
	add := func(obj string, line int) {
		if line > 0 {
			out = append(out, report.Location{Object: obj, File: p.File, Line: line})
		}
	}
	for _, d := range p.Databases {
		add("database:"+d.Name, d.Pos.Line)
	}
	// The value's first line: location: under storage:, server: under source:.
	add("storage", p.KeyPos["storage"].Line)
	add("source", p.KeyPos["source"].Line)
	add("target", p.KeyPos["target"].Line)
	return out
}

// Run evaluates every input, at most Parallel at a time. An input that
// cannot be read, or whose collection panics, becomes a failure; the others
// still run. Reports come back in input order.
func Run(ctx context.Context, inputs []Input, o Options) ([]*report.Report, []report.InputFailure) {
	par := o.Parallel
	if par <= 0 {
		par = 4
	}
	reports := make([]*report.Report, len(inputs))
	errs := make([]error, len(inputs))
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("internal error: %v\n%s", p, debug.Stack())
				}
				if o.Done != nil {
					o.Done(in, reports[i], errs[i])
				}
			}()
			reports[i], errs[i] = one(ctx, in, o)
		}()
	}
	wg.Wait()
	var out []*report.Report
	var fails []report.InputFailure
	for i, r := range reports {
		if errs[i] != nil {
			// The input is named once: not again at the start of its error.
			msg := strings.TrimPrefix(firstLine(errs[i].Error()), inputs[i].Path+": ")
			fails = append(fails, report.InputFailure{Input: inputs[i].Path, Message: msg})
			continue
		}
		out = append(out, r)
	}
	return out, fails
}

// lean keeps what an estate report draws of a report's restore plans: the
// plans that do not restore, without the decoded headers they point into
// (which would keep every input's facts in memory).
func lean(r *report.Report) {
	var keep []restore.Sequence
	for _, p := range r.Restore {
		if p.Status == restore.StatusReady {
			continue
		}
		p.Steps = append([]restore.Backup(nil), p.Steps...)
		for i := range p.Steps {
			p.Steps[i].Header = nil
		}
		p.Unused = append([]restore.Unused(nil), p.Unused...)
		for i := range p.Unused {
			p.Unused[i] = p.Unused[i].Detached()
		}
		keep = append(keep, p)
	}
	r.Restore = keep
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func one(ctx context.Context, in Input, o Options) (*report.Report, error) {
	started := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch in.Kind {
	case KindFacts:
		// A FIFO or a device is refused, not opened and waited on.
		fl, err := infile.Open(in.Path)
		if err != nil {
			return nil, err
		}
		defer fl.Close()
		f, err := facts.Read(fl)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		if o.ValidateFacts != nil {
			if err := o.ValidateFacts(in.Path, f.Plan); err != nil {
				return nil, err
			}
		}
		r := Evaluate(f, started, nil, o)
		r.Name = in.Path
		lean(r)
		return r, nil
	case KindPlan:
		p, err := plan.Load(in.Path)
		if err != nil {
			return nil, err
		}
		if o.Collect == nil {
			return nil, fmt.Errorf("%s: no collector", in.Path)
		}
		f, timings := o.Collect(ctx, p)
		r := Evaluate(f, started, timings, o)
		r.Name, r.PlanPath, r.Locations = in.Path, in.Path, Locations(p)
		lean(r)
		return r, nil
	}
	return nil, fmt.Errorf("%s: unknown input kind %q", in.Path, in.Kind)
}
