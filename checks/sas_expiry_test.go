package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
	"time"
)

func TestSASExpiry(t *testing.T) {
	exp := func(d time.Duration) func(*facts.Storage) {
		return func(st *facts.Storage) {
			e := now.Add(d)
			st.SAS = &facts.SASInfo{Permissions: "rl", Expiry: &e}
		}
	}
	runStorageCases(t, SASExpiry, []storageCase{
		{"a week", fx{st: exp(7 * 24 * time.Hour)}, "sas=pass"},
		{"soon", fx{st: exp(3 * time.Hour)}, "sas=warn"},
		{"expired", fx{st: exp(-time.Hour)}, "sas=warn"},
		{"no sas", fx{}, "sas=skip"},
		{"policy expiry", fx{st: func(st *facts.Storage) { st.SAS = &facts.SASInfo{Permissions: "rl", PolicyID: "p"} }}, "sas=skip"},
	})
}
