package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestStorageLeastPrivilege(t *testing.T) {
	withSAS := func(perm, sr, si, srt string) func(*facts.Storage) {
		return func(st *facts.Storage) {
			st.SAS = &facts.SASInfo{Permissions: perm, Resource: sr, PolicyID: si, ResourceTypes: srt}
		}
	}
	auth := func(a facts.StorageAuth, kind string) func(*facts.Storage) {
		return func(st *facts.Storage) { st.Auth, st.Kind = a, kind }
	}
	testCheck(t, StorageLeastPrivilege, []tcase{
		{"read list", fx{st: withSAS("rl", "c", "", "")}.facts(), []string{"pass sas"}},
		{"write delete", fx{st: withSAS("rwdl", "c", "", "")}.facts(), []string{"warn sas"}},
		{"no list", fx{st: withSAS("r", "c", "", "")}.facts(), []string{"warn sas"}},
		{"stored policy", fx{st: withSAS("rl", "c", "pol", "")}.facts(), []string{"warn sas"}},
		{"account sas", fx{st: withSAS("rl", "", "", "co")}.facts(), []string{"warn sas"}},
		{"account key", fx{st: auth("account-key", facts.StorageBlob)}.facts(), []string{"warn storage"}},
		{"connection string with key", fx{st: auth("connection-string", facts.StorageBlob)}.facts(), []string{"warn storage"}},
		{"public", fx{st: auth("none", facts.StorageBlob)}.facts(), []string{"warn storage"}},
		{"entra", fx{st: auth("entra", facts.StorageBlob)}.facts(), []string{"pass storage"}},
		{"share", fx{st: auth("", facts.StorageShare)}.facts(), []string{"skip storage"}},
	})
}

// Under Log Replay Service a SAS beyond read+list stops the migration; with
// DMS it is a least-privilege warning.
func TestSASPrivilegeByMethod(t *testing.T) {
	f := func(method facts.Method) *facts.Facts {
		return &facts.Facts{Plan: facts.ResolvedPlan{Method: method, Target: facts.PlanTarget{Kind: facts.KindMI}},
			Storage: &facts.Storage{Kind: facts.StorageBlob, Files: []facts.File{},
				SAS: &facts.SASInfo{Permissions: "rwl", Resource: "c"}}}
	}
	testCheck(t, StorageLeastPrivilege, []tcase{
		{"lrs", f("lrs"), []string{"fail sas"}},
		{"dms", f("dms"), []string{"warn sas"}},
	})
	if fs := findings(StorageLeastPrivilege, f("dms")); fs[0].Severity != check.Warning {
		t.Errorf("dms: %+v", fs)
	}
}
