package check

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// Run evaluates every check over f. Checks not applying to the plan's target
// kind are skipped with that reason; a check whose facts are missing is
// skipped, one whose collector failed is an error; a check that panics is an
// error too, and the others still run. A check that reports nothing records a
// skip, so nothing passes silently. The checks run concurrently (at most
// GOMAXPROCS at once); the findings come in registry order all the same.
func Run(all []*Check, f *facts.Facts) []Finding { return RunTimed(all, f, nil) }

// RunTimed is Run, telling took how long each check ran (for JUnit's time
// attributes), in registry order once all have run. A value several checks
// derive is timed in the first to ask; the others wait for it.
func RunTimed(all []*Check, f *facts.Facts, took func(id string, d time.Duration)) []Finding {
	return RunMemo(all, f, took, NewMemo())
}

// RunMemo is RunTimed keeping the values the checks derive in m, for the
// caller to reuse after the run (Memo.Value).
func RunMemo(all []*Check, f *facts.Facts, took func(id string, d time.Duration), mm *Memo) []Finding {
	res := make([][]Finding, len(all))
	dur := make([]time.Duration, len(all))
	m := &mm.memo
	// A panic outside a check's Run (which runOne turns into an error
	// finding) goes to Run's caller, as when the checks ran in its
	// goroutine: the first in registry order, once all have stopped.
	panics := make([]any, len(all))
	one := func(i int) {
		defer func() {
			if r := recover(); r != nil {
				panics[i] = r
			}
		}()
		t := time.Now()
		res[i] = runOne(all[i], f, m)
		dur[i] = time.Since(t)
	}
	workers := min(runtime.GOMAXPROCS(0), len(all))
	if workers <= 1 {
		for i := range all {
			one(i)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(all) {
						return
					}
					one(i)
				}
			})
		}
		wg.Wait()
	}
	for _, r := range panics {
		if r != nil {
			panic(r)
		}
	}
	n := 0
	for _, fs := range res {
		n += len(fs)
	}
	out := make([]Finding, 0, n)
	for i, fs := range res {
		out = append(out, fs...)
		if took != nil {
			took(all[i].ID, dur[i])
		}
	}
	return out
}

// KeyRestorePlans is the key the checks derive restore.Build(f) under: a
// caller showing the plans reads them from the run's Memo, not building
// them again.
const KeyRestorePlans = "restore.plans"

// Memo keeps the values the checks of one run derive (Pass.Derived).
type Memo struct{ memo memo }

// NewMemo returns an empty Memo for one run over one set of facts.
func NewMemo() *Memo { return &Memo{memo{m: map[string]*derived{}}} }

// Value returns what the run derived under key from f, or computes it now
// if no check asked for it. compute must be the one the checks use.
func (m *Memo) Value(f *facts.Facts, key string, compute func(*facts.Facts) any) any {
	return (&Pass{Facts: f, memo: &m.memo}).Derived(key, compute)
}

// memo holds the values checks derive, one per key, each computed once per
// run however many checks ask at once.
type memo struct {
	mu sync.Mutex
	m  map[string]*derived
}

type derived struct {
	once     sync.Once
	v        any
	panicked bool
	r        any // what compute panicked with: every asker panics with it
}

func (m *memo) entry(key string) *derived {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.m[key]
	if e == nil {
		e = &derived{}
		m.m[key] = e
	}
	return e
}

func runOne(c *Check, f *facts.Facts, m *memo) (fs []Finding) {
	one := func(st Status, msg string, ev Ev) []Finding {
		return []Finding{{CheckID: c.ID, Title: c.Title, Status: st, Object: ObjectNone, Message: msg, Evidence: ev}}
	}
	if kind := f.Plan.Target.Kind; kind != "" && !c.AppliesTo(kind) {
		return one(StatusSkip, fmt.Sprintf("does not apply to target kind %s", kind), nil)
	}
	for _, s := range c.Needs {
		if e := f.ErrorFor(s); e != nil {
			ev := Ev{"source": string(e.Source), "kind": string(e.Kind)}
			if e.Permission != "" {
				ev["permission"] = e.Permission
			}
			msg := fmt.Sprintf("%s could not be collected: %s", s, e.Message)
			if e.Permission != "" {
				msg += " (needs " + e.Permission + ")"
			}
			return one(StatusError, msg, ev)
		}
	}
	var missing []string
	for _, s := range c.Needs {
		if !f.Has(s) {
			missing = append(missing, string(s))
		}
	}
	if len(missing) > 0 {
		return one(StatusSkip, "not collected: "+strings.Join(missing, ", ")+notAsked(f.Plan, missing), nil)
	}
	defer func() {
		if r := recover(); r != nil {
			fs = one(StatusError, fmt.Sprintf("check crashed: %v", r), nil)
		}
	}()
	p := &Pass{Facts: f, check: c, memo: m}
	c.Run(p)
	if len(p.findings) == 0 {
		return one(StatusSkip, "nothing to check", nil)
	}
	// Stable by object, as sort.SliceStable sorted them (without its
	// reflection-based swaps of these large values).
	byObject := func(a, b Finding) int { return strings.Compare(a.Object, b.Object) }
	if !slices.IsSortedFunc(p.findings, byObject) {
		slices.SortStableFunc(p.findings, byObject)
	}
	return p.findings
}

// Validate checks a registry: valid definitions, unique sorted IDs.
func Validate(all []*Check) error {
	for i, c := range all {
		if err := c.Validate(); err != nil {
			return err
		}
		if i > 0 && all[i-1].ID >= c.ID {
			return fmt.Errorf("registry: %s after %s: IDs must be unique and sorted", c.ID, all[i-1].ID)
		}
	}
	return nil
}

// Lookup finds a check by ID (case-insensitive).
func Lookup(all []*Check, id string) *Check {
	for _, c := range all {
		if strings.EqualFold(c.ID, id) {
			return c
		}
	}
	return nil
}

// notAsked says which plan setting was left out when the missing facts were
// never asked for, so a skip tells the user what to give.
func notAsked(p facts.ResolvedPlan, missing []string) string {
	var why []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			why = append(why, s)
		}
	}
	for _, m := range missing {
		switch {
		case (m == string(facts.SrcServer) || strings.HasPrefix(m, string(facts.SrcServer)+".")) && p.Source.Server == "":
			add("no source server given: source.server or --source")
		case (m == string(facts.SrcStorage) || m == string(facts.SrcBackups)) && p.Storage.Location == "":
			add("no backup storage given: storage.location or --storage")
		case facts.SrcTarget.Covers(facts.Source(m)) && p.Target.Server == "":
			add("no live target given: target.server")
		case strings.HasPrefix(m, string(facts.SrcAzure)) && p.Azure == nil:
			add("no azure section in the plan: azure.subscription with azure.target, azure.storageAccount, azure.dms")
		case m == string(facts.SrcAzureTarget) && p.Azure != nil && p.Azure.Target == "":
			add("no azure.target")
		case m == string(facts.SrcAzureStorage) && p.Azure != nil && p.Azure.StorageAccount == "":
			add("no storage account: azure.storageAccount, or a blob container URL in storage.location")
		case m == string(facts.SrcAzureDMS) && p.Azure != nil && p.Azure.DMS == "":
			add("no azure.dms")
		}
	}
	if len(why) == 0 {
		return ""
	}
	return " (" + strings.Join(why, "; ") + ")"
}
