package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// reborn is history of database A whose rows were all taken by an earlier
// database of that name (database_guid G1): A was since restored or
// re-created (its current GUID is G2) and has no backup of its own. B's
// rows are its own.
func reborn(rows ...facts.BackupHistory) *facts.Facts {
	for i := range rows {
		if rows[i].Database == "A" {
			rows[i].DatabaseGUID = "G1"
		}
	}
	return with(history(rows...), func(f *facts.Facts) { f.Server.Databases[0].DatabaseGUID = "g2" })
}

// msdb keeps the rows of a database replaced by RESTORE under the same
// name: they decided DMS410, DMS411 and DMS412 for the new one.
func TestEarlierIncarnationIgnored(t *testing.T) {
	nul := func() facts.BackupHistory {
		h := lsnHist("A", "L", "2026-01-01 01:00", 20, 30, "NUL")
		return h
	}
	testCheck(t, LastFullChecksum, []tcase{
		{"earlier full", reborn(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			[]string{"skip database:A: earlier database", "pass database:B"}},
		// Rows of the current database (same GUID, any case) still count.
		{"current full", with(reborn(hist("A", "D", "2026-01-01 00:00", false, false, "a.bak")), func(f *facts.Facts) {
			f.Server.BackupHistory[0].DatabaseGUID = "G2"
		}), []string{"fail database:A", "skip database:B"}},
	})
	testCheck(t, LogBackupToNUL, []tcase{
		{"earlier log to NUL", reborn(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"), nul()),
			[]string{"skip database:A: earlier database", "skip database:B"}},
	})
	testCheck(t, CopyOnlyInChain, []tcase{
		{"earlier copy-only", reborn(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-01 02:00", true, true, "co.bak")),
			[]string{"skip database:A: earlier database", "skip database:B"}},
	})
}
