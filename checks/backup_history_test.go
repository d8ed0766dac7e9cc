package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestBackupHistoryChecks(t *testing.T) {
	h := func(hs ...facts.BackupHistory) *facts.Facts {
		return with(srv(facts.KindMI, facts.Database{Name: "A"}, facts.Database{Name: "B"}), func(f *facts.Facts) { f.Server.BackupHistory = hs })
	}
	runCases(t, LastFullChecksum, []tcase{
		{"checksums", h(hist("A", "D", "2026-01-01 00:00", false, false, "a1.bak"), hist("A", "D", "2026-01-02 00:00", true, false, "a2.bak"),
			hist("B", "D", "2026-01-02 00:00", false, false, "b.bak")), "database:A=pass database:B=fail"},
		{"latest is without", h(hist("A", "D", "2026-01-02 00:00", false, true, "a2.bak"), hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak")),
			"database:A=fail database:B=skip"},
		// Log Replay Service restores fulls without checksums (slower, no
		// corruption check): a warning, as DMS209 says.
		{"lrs does not require them", with(h(hist("A", "D", "2026-01-02 00:00", false, false, "a.bak")), func(f *facts.Facts) { f.Plan.Method = "lrs" }),
			"database:A=warn database:B=skip"},
	})
	runCases(t, CopyOnlyInChain, []tcase{
		{"copy-only", h(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-02 00:00", true, true, "c.bak"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), "database:A=warn database:B=pass"},
	})
	runCases(t, LogBackupToNUL, []tcase{
		{"nul", h(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "L", "2026-01-01 01:00", true, false, "nul"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak"), hist("B", "L", "2026-01-01 01:00", true, false, `\\share\null.trn`)),
			"database:A=fail database:B=pass"},
		{"sqldb does not restore backups", with(h(), func(f *facts.Facts) { f.Plan.Target.Kind = facts.KindDB }), "-=skip"},
		// Only a log backup to NUL breaks the log chain; a copy-only full
		// or a differential to NUL is simply not there to restore.
		{"not a log backup", h(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-01 01:00", true, true, "NUL"),
			hist("A", "I", "2026-01-01 02:00", true, false, "nul"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			"database:A=pass database:B=pass"},
	})
}
