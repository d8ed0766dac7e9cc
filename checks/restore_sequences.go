package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// lineageEv identifies which of several same-named databases a finding is about.
func lineageEv(p restore.Sequence, ev check.Ev) check.Ev {
	if ev == nil {
		ev = check.Ev{}
	}
	if p.FamilyGUID != "" {
		ev["familyGUID"] = p.FamilyGUID
	}
	if p.RecoveryForkID != "" {
		ev["recoveryForkID"] = p.RecoveryForkID
	}
	return ev
}

// hasFull reports whether the restore starts from a full backup.
func hasFull(p restore.Sequence) bool { return len(p.Steps) > 0 }

// reachText says how far the restore reaches: its last LSN and time.
func reachText(p restore.Sequence) string {
	if p.Reaches == nil {
		return ""
	}
	s := "LSN " + p.Reaches.LSN.String()
	if p.Reaches.Time != nil {
		s += " (" + p.Reaches.Time.UTC().Format("2006-01-02 15:04:05") + " UTC)"
	}
	return s
}

// restoreSequences builds the restore sequences once per run for all DMS3xx
// checks.
func restoreSequences(p *check.Pass) []restore.Sequence {
	return p.Derived("restore.plans", func(f *facts.Facts) any { return restore.Build(f) }).([]restore.Sequence)
}
