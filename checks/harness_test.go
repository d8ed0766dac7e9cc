package checks

import (
	"fmt"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"sort"
	"strings"
	"testing"
)

// outcome renders findings as "status object" lines for compact assertions.
func outcome(fs []check.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, fmt.Sprintf("%s %s", f.Status, f.Object))
	}
	return strings.Join(s, "; ")
}

// want is "status object: message fragment".
func runWant(t *testing.T, c *check.Check, f *facts.Facts, want ...string) {
	t.Helper()
	fs := check.Run([]*check.Check{c}, f)
	var got []string
	for _, x := range fs {
		got = append(got, fmt.Sprintf("%s %s: %s", x.Status, x.Object, x.Message))
	}
	if len(got) != len(want) {
		t.Fatalf("%s: got %d findings, want %d:\n%s", c.ID, len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		w := strings.SplitN(want[i], ": ", 2)
		g := strings.SplitN(got[i], ": ", 2)
		if g[0] != w[0] || len(w) > 1 && !strings.Contains(g[1], w[1]) {
			t.Errorf("%s finding %d:\n got  %s\n want %s", c.ID, i, got[i], want[i])
		}
	}
}

// failsAndWarns runs every restore check and lists the fail and warn
// findings as "ID status object: message".
func failsAndWarns(f *facts.Facts) []string {
	var out []string
	for _, x := range check.Run(restoreChecks, f) {
		if x.Status == check.StatusFail || x.Status == check.StatusWarn {
			out = append(out, fmt.Sprintf("%s %s %s: %s", x.CheckID, x.Status, x.Object, x.Message))
		}
	}
	return out
}

func exactly(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n got\n  %s\n want\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// verdicts runs one check and returns "object=status" lines, sorted.
func verdicts(c *check.Check, f *facts.Facts) string {
	var out []string
	for _, fd := range check.Run([]*check.Check{c}, f) {
		out = append(out, fd.Object+"="+string(fd.Status))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

type tcase struct {
	name string
	f    *facts.Facts
	want string
}

func runCases(t *testing.T, c *check.Check, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := verdicts(c, tc.f); got != tc.want {
				var msgs []string
				for _, fd := range check.Run([]*check.Check{c}, tc.f) {
					msgs = append(msgs, fmt.Sprintf("%s %s: %s", fd.Object, fd.Status, fd.Message))
				}
				t.Errorf("got  %s\nwant %s\n%s", got, tc.want, strings.Join(msgs, "\n"))
			}
		})
	}
}

type storageCase struct {
	name string
	fx   fx
	want string
}

func runStorageCases(t *testing.T, c *check.Check, cases []storageCase) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := verdicts(c, tc.fx.facts()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
				for _, fd := range check.Run([]*check.Check{c}, tc.fx.facts()) {
					t.Logf("%s %s: %s", fd.Status, fd.Object, fd.Message)
				}
			}
		})
	}
}
