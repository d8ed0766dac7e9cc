package checks

import (
	"testing"
)

func TestDifferentialWithoutBase(t *testing.T) {
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, chainOK...), "pass database:Sales: differential s/diff.bak is based on full backup s/full.bak")
	other := rdiff("s/diff9.bak", 45, 55, "D9", "F9")
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, withBackups(chainOK, other)...),
		"fail file:s/diff9.bak: differential s/diff9.bak: its full backup F9 is not among the files")
	old := rdiff("s/old.bak", 5, 8, "D0", "F0")
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, withBackups(chainOK, old)...), "warn file:s/old.bak: differential s/old.bak")
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, rfull("s/full.bak", 10, 20, "F1")), "skip database:Sales: no differential backups")
}
