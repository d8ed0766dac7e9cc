package checks

import "testing"

func TestNoFullBackup(t *testing.T) {
	testCheck(t, NoFullBackup, []tcase{
		{"full", rfacts(salesPlan, chainOK...), []string{"pass database:Sales: restore starts from full backup s/full.bak"}},
		{"no full", rfacts(salesPlan, without(chainOK, "s/full.bak")...), []string{"fail database:Sales: no full backup of the database is among the files in folder s"}},
		{"no backups", rfacts(salesPlan), []string{"fail database:Sales: no backup of the database was found in folder s"}},
	})
}
