package checks

import "testing"

func TestSameNameDatabases(t *testing.T) {
	other := rfull("s/other.bak", 100, 120, "X1")
	other.family = "fam-b"
	forked := rfull("s/restored.bak", 100, 120, "X2")
	forked.fork = "fork-b"
	testCheck(t, SameNameDatabases, []tcase{
		{"one database", rfacts(salesPlan, chainOK...), []string{"pass database:Sales"}},
		{"two families", rfacts(salesPlan, withBackups(chainOK, other)...), []string{"fail database:Sales: backups named Sales come from 2 different databases (family GUID or creation date differ): family fam-a fork fork-a (s/full.bak); family fam-b fork fork-a (s/other.bak)"}},
		{"two forks", rfacts(salesPlan, withBackups(chainOK, forked)...), []string{"fail database:Sales: backups named Sales come from 2 different recovery forks of the database"}},
	})
}
