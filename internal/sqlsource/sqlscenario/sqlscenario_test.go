package sqlscenario

import (
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/sqlsource"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// The fixtures answer exactly the queries dmsready sends to each version,
// with columns the query selects: a new or renamed query or column in
// queries.go shows up here, not as a puzzling collector test failure.
func TestFixturesMatchQueries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sc     *tdstest.Scenario
		major  int
		target bool
	}{
		{"2019", Healthy().Scenario(), 15, false},
		{"2012", SQL2012().Scenario(), 11, false},
		{"2008R2", SQL2008R2().Scenario(), 10, false},
		{"target", MI().Scenario(), 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string]sqlsource.Query{}
			for _, q := range sqlsource.Queries {
				if q.Target == tc.target && (tc.target || (q.MinMajor <= tc.major && (q.MaxMajor == 0 || tc.major <= q.MaxMajor))) {
					want[q.Marker] = q
				}
			}
			var missing, extra []string
			for m := range want {
				if tc.sc.Answers[m] == nil {
					missing = append(missing, m)
				}
			}
			for m, r := range tc.sc.Answers {
				q, ok := want[m]
				if !ok {
					extra = append(extra, m)
					continue
				}
				sql := strings.ReplaceAll(q.SQL, "{db}", "[Sales]")
				rep := r(tdstest.Request{SQL: sql, Marker: m, Params: []tdstest.Param{{Name: "@p1", Value: "Sales"}}})
				if rep.Err != nil || len(rep.Sets) != 1 {
					t.Errorf("%s: reply %+v", m, rep)
					continue
				}
				for _, c := range rep.Sets[0].Cols {
					if !strings.Contains(sql, c.Name) {
						t.Errorf("%s: column %s is not in the query", m, c.Name)
					}
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			if len(missing) > 0 || len(extra) > 0 {
				t.Errorf("unanswered queries %v, answers to no query %v", missing, extra)
			}
		})
	}
}

func TestMsdbDeniedAnswersOnlyMsdbWith229(t *testing.T) {
	sc := MsdbDenied().Scenario()
	for _, q := range sqlsource.Queries {
		r := sc.Answers[q.Marker]
		if r == nil {
			continue
		}
		rep := r(tdstest.Request{SQL: q.SQL, Marker: q.Marker, Params: []tdstest.Param{{Value: "Sales"}}})
		denied := rep.Err != nil && rep.Err.Number == 229
		if msdb := strings.Contains(q.SQL, "msdb."); denied != msdb {
			t.Errorf("%s: denied %v, reads msdb %v", q.Marker, denied, msdb)
		}
	}
}
