package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"strings"
	"testing"
)

func TestRestoreChecksRegistered(t *testing.T) {
	if err := check.Validate(All); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*check.Check{BrokenLogChain, BridgedLogGap, NoFullBackup, LogsWithoutFull, MissingStripe,
		DifferentialWithoutBase, NewerThanTarget, LogicalFileNames, LastBackupFile, SameNameDatabases} {
		if check.Lookup(All, c.ID) != c {
			t.Errorf("%s not in the registry", c.ID)
		}
	}
}

var restoreChecks = []*check.Check{BrokenLogChain, BridgedLogGap, NoFullBackup, LogsWithoutFull, MissingStripe,
	DifferentialWithoutBase, NewerThanTarget, LogicalFileNames, LastBackupFile, SameNameDatabases}

func TestStorageRegistry(t *testing.T) {
	var ids []string
	for _, c := range All {
		if strings.HasPrefix(c.ID, "DMS2") {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) != 13 {
		t.Errorf("DMS2xx checks registered: %v", ids)
	}
	if err := check.Validate(All); err != nil {
		t.Error(err)
	}
}
