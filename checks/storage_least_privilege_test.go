package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestStorageLeastPrivilege(t *testing.T) {
	withSAS := func(perm, sr, si, srt string) func(*facts.Storage) {
		return func(st *facts.Storage) {
			st.SAS = &facts.SASInfo{Permissions: perm, Resource: sr, PolicyID: si, ResourceTypes: srt}
		}
	}
	auth := func(a, kind string) func(*facts.Storage) {
		return func(st *facts.Storage) { st.Auth, st.Kind = a, kind }
	}
	runStorageCases(t, StorageLeastPrivilege, []storageCase{
		{"read list", fx{st: withSAS("rl", "c", "", "")}, "sas=pass"},
		{"write delete", fx{st: withSAS("rwdl", "c", "", "")}, "sas=warn"},
		{"no list", fx{st: withSAS("r", "c", "", "")}, "sas=warn"},
		{"stored policy", fx{st: withSAS("rl", "c", "pol", "")}, "sas=warn"},
		{"account sas", fx{st: withSAS("rl", "", "", "co")}, "sas=warn"},
		{"account key", fx{st: auth("account-key", facts.StorageBlob)}, "storage=warn"},
		{"connection string with key", fx{st: auth("connection-string", facts.StorageBlob)}, "storage=warn"},
		{"public", fx{st: auth("none", facts.StorageBlob)}, "storage=warn"},
		{"entra", fx{st: auth("entra", facts.StorageBlob)}, "storage=pass"},
		{"share", fx{st: auth("", facts.StorageShare)}, "storage=skip"},
	})
}

// Under Log Replay Service a SAS beyond read+list stops the migration; with
// DMS it is a least-privilege warning.
func TestSASPrivilegeByMethod(t *testing.T) {
	f := func(method string) *facts.Facts {
		return &facts.Facts{Plan: facts.Plan{Method: method, Target: facts.PlanTarget{Kind: facts.KindMI}},
			Storage: &facts.Storage{Kind: facts.StorageBlob, Files: []facts.File{},
				SAS: &facts.SASInfo{Permissions: "rwl", Resource: "c"}}}
	}
	if got := verdicts(StorageLeastPrivilege, f("lrs")); got != "sas=fail" {
		t.Errorf("lrs: %q", got)
	}
	fs := check.Run([]*check.Check{StorageLeastPrivilege}, f("dms"))
	if len(fs) != 1 || fs[0].Status != check.StatusWarn || fs[0].Severity != check.Warning {
		t.Errorf("dms: %+v", fs)
	}
}
