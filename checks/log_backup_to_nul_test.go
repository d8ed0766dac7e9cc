package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLogBackupToNUL(t *testing.T) {
	testCheck(t, LogBackupToNUL, []tcase{
		{"nul", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "L", "2026-01-01 01:00", true, false, "nul"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak"), hist("B", "L", "2026-01-01 01:00", true, false, `\\share\null.trn`)),
			[]string{"fail database:A", "pass database:B"}},
		{"sqldb does not restore backups", with(history(), func(f *facts.Facts) { f.Plan.Target.Kind = facts.KindDB }), []string{"skip -"}},
		// Only a log backup to NUL breaks the log chain; a copy-only full
		// or a differential to NUL is simply not there to restore.
		{"not a log backup", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-01 01:00", true, true, "NUL"),
			hist("A", "I", "2026-01-01 02:00", true, false, "nul"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			[]string{"pass database:A", "pass database:B"}},
	})
}
