package checks

import (
	"testing"
)

func TestSameNameDatabases(t *testing.T) {
	runWant(t, SameNameDatabases, rfacts(salesPlan, chainOK...), "pass database:Sales")
	other := rfull("s/other.bak", 100, 120, "X1")
	other.family = "fam-b"
	runWant(t, SameNameDatabases, rfacts(salesPlan, withBackups(chainOK, other)...),
		"fail database:Sales: backups named Sales come from 2 different databases (family GUID or creation date differ): family fam-a fork fork-a (s/full.bak); family fam-b fork fork-a (s/other.bak)")
	forked := rfull("s/restored.bak", 100, 120, "X2")
	forked.fork = "fork-b"
	runWant(t, SameNameDatabases, rfacts(salesPlan, withBackups(chainOK, forked)...),
		"fail database:Sales: backups named Sales come from 2 different recovery forks of the database")
}
