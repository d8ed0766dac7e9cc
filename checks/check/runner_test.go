package check

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// TestRunConcurrently: with several checks running at once, the findings
// come in registry order (each check's sorted by object), a derived value
// is computed once however many checks ask at the same time, a derived
// value that panics makes every check asking for it an error with the same
// message, and took is told every check in order. Run with -race.
func TestRunConcurrently(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var computed, crashed atomic.Int64
	var all []*Check
	for i := range 60 {
		id := fmt.Sprintf("DMS%03d", i+1)
		switch {
		case i%7 == 3:
			all = append(all, testCheck(id, []facts.Source{facts.SrcPlan}, func(p *Pass) {
				p.Derived("boom", func(*facts.Facts) any { crashed.Add(1); panic("derived crashed") })
			}))
		default:
			all = append(all, testCheck(id, []facts.Source{facts.SrcPlan}, func(p *Pass) {
				v := p.Derived("shared", func(*facts.Facts) any {
					computed.Add(1)
					time.Sleep(time.Millisecond) // let the others ask meanwhile
					return 7
				}).(int)
				for j := 3; j > 0; j-- { // reported out of order: sorted by object
					p.Pass("", fmt.Sprintf("object:%d", j), fmt.Sprint(v*i), nil)
				}
			}))
		}
	}
	for range 5 {
		computed.Store(0)
		crashed.Store(0)
		var order []string
		fs := RunTimed(all, &facts.Facts{}, func(id string, d time.Duration) { order = append(order, id) })
		if computed.Load() != 1 || crashed.Load() != 1 {
			t.Fatalf("computed %d and %d times, want once each", computed.Load(), crashed.Load())
		}
		k := 0
		for i, c := range all {
			if order[i] != c.ID {
				t.Fatalf("took told %s at %d, want %s", order[i], i, c.ID)
			}
			if i%7 == 3 {
				if f := fs[k]; f.CheckID != c.ID || f.Status != StatusError || f.Message != "check crashed: derived crashed" {
					t.Fatalf("finding %d: %+v, want %s crashed", k, f, c.ID)
				}
				k++
				continue
			}
			for j := 1; j <= 3; j++ {
				if f := fs[k]; f.CheckID != c.ID || f.Object != fmt.Sprintf("object:%d", j) || f.Message != fmt.Sprint(7*i) {
					t.Fatalf("finding %d: %+v, want %s object:%d", k, f, c.ID, j)
				}
				k++
			}
		}
		if k != len(fs) {
			t.Fatalf("%d findings, want %d", len(fs), k)
		}
	}
}

// TestMemoKeepsDerivedValues: after RunMemo, Value returns what the checks
// derived (not computed again), and computes what none asked for.
func TestMemoKeepsDerivedValues(t *testing.T) {
	n := 0
	compute := func(*facts.Facts) any { n++; return []int{n} }
	all := []*Check{
		testCheck("DMS001", []facts.Source{facts.SrcPlan}, func(p *Pass) { p.Derived(KeyRestorePlans, compute); p.Pass("", "x", "y", nil) }),
		testCheck("DMS002", []facts.Source{facts.SrcPlan}, func(p *Pass) { p.Derived(KeyRestorePlans, compute); p.Pass("", "x", "y", nil) }),
	}
	f := &facts.Facts{}
	m := NewMemo()
	RunMemo(all, f, nil, m)
	if v := m.Value(f, KeyRestorePlans, compute).([]int); n != 1 || v[0] != 1 {
		t.Errorf("computed %d times, value %v: want the run's value, computed once", n, v)
	}
	if v := m.Value(f, "other", compute).([]int); n != 2 || v[0] != 2 {
		t.Errorf("a key no check asked for: computed %d times, value %v", n, v)
	}
}

// TestPanicOutsideACheckReachesTheCaller: a panic the runner itself hits
// (here: no facts at all) reaches Run's caller, who may recover it (the
// estate turns it into an input failure), instead of ending the process
// from a worker goroutine.
func TestPanicOutsideACheckReachesTheCaller(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	all := []*Check{
		testCheck("DMS001", []facts.Source{facts.SrcPlan}, func(p *Pass) {}),
		testCheck("DMS002", []facts.Source{facts.SrcPlan}, func(p *Pass) {}),
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic reached the caller")
		}
	}()
	Run(all, nil)
}
