// Package collect runs the collectors a plan asks for — source SQL Server,
// backup storage with headers, optional live target — concurrently, and
// gathers their facts and failures. It decides nothing.
package collect

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azure"
	"github.com/dmsready/dmsready/internal/plan"
)

// Options are what a collection needs besides the plan.
type Options struct {
	Plan   *plan.Document
	Getenv func(string) string
	// Progress receives progress lines; nil means silent.
	Progress io.Writer
	// Prompt asks for a secret on a terminal; nil when there is none.
	Prompt func(label string) (string, error)
	Now    func() time.Time
	// Azure holds what the plan cannot: tests give a credential and a
	// transport for the loopback Resource Manager. The plan's azure section
	// fills the rest.
	Azure azure.Config
}

// Phase is how long one collector took.
type Phase struct {
	Name     string
	Duration time.Duration
}

// collector fills its part of f. prepare runs first, one collector at a
// time (it may prompt for a password); the function it returns runs
// concurrently with the others, so it returns its results rather than
// writing shared state.
type collector struct {
	name    string
	prepare func(o Options) func(ctx context.Context) func(f *facts.Facts)
}

// Run collects everything the plan names. Failures become facts.Errors; the
// other collectors still run.
func Run(ctx context.Context, o Options) (*facts.Facts, []Phase) {
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: o.Now().UTC().Truncate(time.Second), Plan: o.Plan.Facts()}
	type job struct {
		name string
		run  func(context.Context) func(*facts.Facts)
	}
	var jobs []job
	for _, c := range collectors {
		if c.wanted(o.Plan) {
			jobs = append(jobs, job{c.name, c.prepare(o)})
		}
	}
	phases := make([]Phase, len(jobs))
	apply := make([]func(*facts.Facts), len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			apply[i] = j.run(ctx)
			phases[i] = Phase{Name: "collect." + j.name, Duration: time.Since(start)}
		}()
	}
	wg.Wait()
	for _, a := range apply {
		if a != nil {
			a(f)
		}
	}
	return f, phases
}

type registered struct {
	collector
	wanted func(p *plan.Document) bool
}
