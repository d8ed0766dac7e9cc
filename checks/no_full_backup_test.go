package checks

import (
	"testing"
)

func TestNoFullBackup(t *testing.T) {
	runWant(t, NoFullBackup, rfacts(salesPlan, chainOK...), "pass database:Sales: restore starts from full backup s/full.bak")
	runWant(t, NoFullBackup, rfacts(salesPlan, without(chainOK, "s/full.bak")...),
		"fail database:Sales: no full backup of the database is among the files in folder s")
	runWant(t, NoFullBackup, rfacts(salesPlan), "fail database:Sales: no backup of the database was found in folder s")
}
