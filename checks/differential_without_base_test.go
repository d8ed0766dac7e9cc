package checks

import "testing"

func TestDifferentialWithoutBase(t *testing.T) {
	other := rdiff("s/diff9.bak", 45, 55, "D9", "F9")
	old := rdiff("s/old.bak", 5, 8, "D0", "F0")
	testCheck(t, DifferentialWithoutBase, []tcase{
		{"based", rfacts(salesPlan, chainOK...), []string{"pass database:Sales: differential s/diff.bak is based on full backup s/full.bak"}},
		{"base missing", rfacts(salesPlan, withBackups(chainOK, other)...), []string{"fail file:s/diff9.bak: differential s/diff9.bak: its full backup F9 is not among the files"}},
		{"older base", rfacts(salesPlan, withBackups(chainOK, old)...), []string{"warn file:s/old.bak: differential s/old.bak"}},
		{"no differentials", rfacts(salesPlan, rfull("s/full.bak", 10, 20, "F1")), []string{"skip database:Sales: no differential backups"}},
	})
}
