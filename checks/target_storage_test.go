package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTargetStorage(t *testing.T) {
	d := facts.Database{Name: "A", DataBytes: 1000 << 20, LogBytes: 24 << 20, Files: []facts.DatabaseFile{}}
	testCheck(t, TargetStorage, []tcase{
		{"fits", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31743, StorageLimitMB: 32768}, d), []string{"pass target"}},
		// Exactly what is left is never a pass: "can't exceed" is reached.
		{"exactly full", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31744, StorageLimitMB: 32768}, d), []string{"fail target"}},
		{"full", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31745, StorageLimitMB: 32768}, d), []string{"fail target"}},
		{"unknown", tgt(facts.KindMI, facts.TargetServer{}, d), []string{"skip -: not collected: target.storage"}},
		{"denied", with(tgt(facts.KindMI, facts.TargetServer{}, d), func(f *facts.Facts) {
			f.Errors = []facts.SourceError{{Source: facts.SrcTargetStorage, Kind: "permission", Permission: "VIEW SERVER STATE", Message: "denied"}}
		}), []string{"error -: VIEW SERVER STATE"}},
	})
}
