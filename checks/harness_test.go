package checks

import (
	"bytes"
	"flag"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// The one harness every check's test uses, in the spirit of analysistest:
// facts in, expected findings out, one table per check. A check's test is
//
//	func TestFlatFolders(t *testing.T) {
//		testCheck(t, FlatFolders, []tcase{
//			{"flat", fx{...}.facts(), []string{"pass database:db1"}},
//		})
//	}
//
// Every case also runs the check twice and fails when the two runs disagree
// or when the facts changed (see pure).

// tcase is one row of a check's table.
type tcase struct {
	name  string
	facts *facts.Facts
	// want lists every finding the check reports, as "status object" or
	// "status object: fragment", where the message must contain fragment.
	// Order does not matter (the runner sorts findings); the count does.
	want []string
}

// testCheck runs c over every case's facts and compares the findings with
// the case's want.
func testCheck(t *testing.T, c *check.Check, cases []tcase) {
	t.Helper()
	testChecks(t, []*check.Check{c}, cases)
}

// testChecks is testCheck for several checks at once (scenarios over real
// backups): each want then starts with the check's ID, "DMS301 pass
// database:Sales".
func testChecks(t *testing.T, cs []*check.Check, cases []tcase) {
	t.Helper()
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		tested[c.ID] = true
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := pure(cs, tc.facts)
			if err != nil {
				t.Fatal(err)
			}
			if err := match(fs, tc.want, len(cs) > 1); err != nil {
				t.Errorf("%v\ngot:\n  %s", err, strings.Join(lines(fs, len(cs) > 1), "\n  "))
			}
		})
	}
}

// tested holds the IDs testChecks ran; TestMain fails a registered check
// that has no table.
var tested = map[string]bool{}

// runsEverything reports whether the whole package ran (no -run or -skip).
func runsEverything() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return true
}

// findings runs one check over f, for assertions beyond the table
// (evidence, severity).
func findings(c *check.Check, f *facts.Facts) []check.Finding {
	return check.Run([]*check.Check{c}, f)
}

// pure runs cs twice over f and returns the findings; it fails when the runs
// disagree or the facts changed, deep-compared through their JSON form.
func pure(cs []*check.Check, f *facts.Facts) ([]check.Finding, error) {
	before, err := factsJSON(f)
	if err != nil {
		return nil, err
	}
	first := check.Run(cs, f)
	second := check.Run(cs, f)
	after, err := factsJSON(f)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(before, after) {
		return nil, fmt.Errorf("checks changed the facts:\nbefore %s\nafter  %s", before, after)
	}
	if !reflect.DeepEqual(first, second) {
		return nil, fmt.Errorf("two runs over the same facts disagree:\nfirst\n  %s\nsecond\n  %s",
			strings.Join(lines(first, true), "\n  "), strings.Join(lines(second, true), "\n  "))
	}
	return first, nil
}

func factsJSON(f *facts.Facts) ([]byte, error) {
	var b bytes.Buffer
	if err := facts.Write(&b, f); err != nil {
		return nil, fmt.Errorf("facts do not encode: %w", err)
	}
	return b.Bytes(), nil
}

// lines prints findings as "status object: message", with the check's ID
// in front when withID.
func lines(fs []check.Finding, withID bool) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = key(f, withID) + ": " + f.Message
	}
	return out
}

func key(f check.Finding, withID bool) string {
	k := string(f.Status) + " " + f.Object
	if withID {
		k = f.CheckID + " " + k
	}
	return k
}

// match pairs every wanted finding with one got finding of the same status
// and object whose message holds the fragment; none may be left over.
func match(fs []check.Finding, want []string, withID bool) error {
	used := make([]bool, len(fs))
	var missing []string
	// Wants with a fragment first, so that a bare "status object" does not
	// take the finding a fragment needs.
	order := make([]string, len(want))
	copy(order, want)
	sort.SliceStable(order, func(i, j int) bool {
		return strings.Contains(order[i], ": ") && !strings.Contains(order[j], ": ")
	})
	for _, w := range order {
		k, frag, _ := strings.Cut(w, ": ")
		found := false
		for i, f := range fs {
			if !used[i] && key(f, withID) == k && strings.Contains(f.Message, frag) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			missing = append(missing, w)
		}
	}
	var extra []string
	for i, u := range used {
		if !u {
			extra = append(extra, lines(fs[i:i+1], withID)[0])
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return nil
	}
	return fmt.Errorf("missing %q, unexpected %q", missing, extra)
}

func TestMatch(t *testing.T) {
	fs := []check.Finding{
		{Status: check.StatusPass, Object: "database:A", Message: "fine"},
		{Status: check.StatusFail, Object: "database:B", Message: "broken chain"},
		{Status: check.StatusFail, Object: "database:B", Message: "missing stripe"},
	}
	for _, tc := range []struct {
		want []string
		ok   bool
	}{
		{[]string{"fail database:B", "pass database:A", "fail database:B: stripe"}, true},
		{[]string{"fail database:B: chain", "fail database:B: stripe", "pass database:A: fine"}, true},
		{[]string{"pass database:A", "fail database:B"}, false},                                       // one finding left over
		{[]string{"pass database:A", "fail database:B", "fail database:B", "warn database:C"}, false}, // one missing
		{[]string{"pass database:A", "fail database:B: chain", "fail database:B: chain"}, false},      // fragment used twice
		{[]string{"warn database:A", "fail database:B", "fail database:B"}, false},                    // wrong status
	} {
		if err := match(fs, tc.want, false); (err == nil) != tc.ok {
			t.Errorf("match(%q) = %v, want ok=%v", tc.want, err, tc.ok)
		}
	}
}

// TestPureCatchesMutation: the purity check fails a check that changes the
// facts or answers differently the second time.
func TestPureCatchesMutation(t *testing.T) {
	base := check.Check{ID: "DMS999", Title: "t", Severity: check.Error, Needs: []facts.Source{facts.SrcPlan},
		Prevents: "x", Doc: "d", Fix: "f", Link: "https://example.invalid"}
	mutates, flips := base, base
	mutates.Run = func(p *check.Pass) {
		p.Facts.Plan.Databases[0].Name = "Changed"
		p.Pass("", "-", "ok", nil)
	}
	n := 0
	flips.Run = func(p *check.Pass) {
		n++
		p.Pass("", "-", fmt.Sprint(n), nil)
	}
	for _, c := range []*check.Check{&mutates, &flips} {
		f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: facts.ResolvedPlan{Databases: []facts.PlanDatabase{{Name: "Sales"}}}}
		if _, err := pure([]*check.Check{c}, f); err == nil {
			t.Errorf("impure check %p passed the purity test", c)
		}
	}
}
