package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestTargetStorage(t *testing.T) {
	d := facts.Database{Name: "A", DataBytes: 1000 << 20, LogBytes: 24 << 20, Files: []facts.DatabaseFile{}}
	runCases(t, TargetStorage, []tcase{
		{"fits", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31744, StorageLimitMB: 32768}, d), "target=pass"},
		{"full", tgt(facts.KindMI, facts.TargetServer{StorageKnown: true, StorageUsedMB: 31745, StorageLimitMB: 32768}, d), "target=fail"},
		{"unknown", tgt(facts.KindMI, facts.TargetServer{}, d), "target=skip"},
	})
}
