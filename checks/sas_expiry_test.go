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
		// A user delegation SAS is valid until its key expires (ske), when
		// that comes before its own expiry (se).
		{"user delegation key expires first", fx{st: func(st *facts.Storage) {
			e, k := now.Add(7*24*time.Hour), now.Add(3*time.Hour)
			st.SAS = &facts.SASInfo{Permissions: "rl", Expiry: &e, KeyExpiry: &k, UserDelegation: true}
		}}.facts(), []string{"warn sas: the SAS expires in 3 hours, within 24 hours (its user delegation key expires then, before the SAS's own expiry"}},
		{"user delegation key expired", fx{st: func(st *facts.Storage) {
			e, k := now.Add(7*24*time.Hour), now.Add(-time.Hour)
			st.SAS = &facts.SASInfo{Permissions: "rl", Expiry: &e, KeyExpiry: &k, UserDelegation: true}
		}}.facts(), []string{"warn sas: the SAS expired 1 hours before collection (its user delegation key expired then"}},
		{"policy expiry", fx{st: func(st *facts.Storage) { st.SAS = &facts.SASInfo{Permissions: "rl", PolicyID: "p"} }}.facts(), []string{"skip sas"}},
	})
}
