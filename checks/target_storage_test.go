package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestTargetStorage(t *testing.T) {
	d := facts.Database{Name: "A", DataBytes: 1000 << 20, LogBytes: 24 << 20, Files: []facts.DatabaseFile{}}
	testCheck(t, TargetStorage, []tcase{
		{"fits", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31744, StorageLimitMB: 32768}, d), []string{"pass target"}},
		{"full", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31745, StorageLimitMB: 32768}, d), []string{"fail target"}},
		{"unknown", tgt(facts.KindMI, facts.TargetServer{}, d), []string{"skip target"}},
	})
}
