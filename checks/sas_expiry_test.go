package checks

import (
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSASExpiry(t *testing.T) {
	exp := func(d time.Duration) func(*facts.Storage) {
		return func(st *facts.Storage) {
			e := now.Add(d)
			st.SAS = &facts.SASInfo{Permissions: "rl", Expiry: &e}
		}
	}
	testCheck(t, SASExpiry, []tcase{
		{"a week", fx{st: exp(7 * 24 * time.Hour)}.facts(), []string{"pass sas"}},
		{"soon", fx{st: exp(3 * time.Hour)}.facts(), []string{"warn sas"}},
		{"expired", fx{st: exp(-time.Hour)}.facts(), []string{"warn sas"}},
		{"no sas", fx{}.facts(), []string{"skip sas"}},
		{"policy expiry", fx{st: func(st *facts.Storage) { st.SAS = &facts.SASInfo{Permissions: "rl", PolicyID: "p"} }}.facts(), []string{"skip sas"}},
	})
}
