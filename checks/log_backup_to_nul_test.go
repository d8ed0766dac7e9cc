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
		// Outside the range the restore needs (bridged by the differential
		// the restore starts from) a log to NUL is information.
		{"before the differential", history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"), lsnHist("A", "L", "2026-01-01 01:00", 10, 30, "NUL"),
			lsnHist("A", "I", "2026-01-01 02:00", 35, 40, "a.dif"), lsnHist("A", "L", "2026-01-01 03:00", 30, 50, "a.trn"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			[]string{"warn database:A: outside the range the restore needs", "pass database:B"}},
		{"after the differential", history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"), lsnHist("A", "I", "2026-01-01 02:00", 35, 40, "a.dif"),
			lsnHist("A", "L", "2026-01-01 03:00", 10, 50, "NUL"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			[]string{"fail database:A", "pass database:B"}},
		// No full in this msdb (an availability group secondary, whose
		// fulls are taken on the primary): where the restore starts is
		// unknown, so whether a log to NUL is inside its range is too.
		{"no full on this replica", with(history(hist("A", "L", "2019-03-01 01:00", true, false, "NUL"), hist("A", "L", "2026-01-01 01:00", true, false, "a.trn"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), func(f *facts.Facts) {
			f.Server.Databases[0].AvailabilityGroup = "AG1"
		}), []string{"skip database:A: 2019-03-01", "pass database:B"}},
		// Each replica's msdb records only its own backups: none to NUL
		// on this replica of an availability group is cannot tell, named
		// or not (a login without VIEW ANY DEFINITION sees no group name).
		{"availability group", with(history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "L", "2026-01-01 01:00", true, false, "a.trn"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak"), hist("C", "D", "2026-01-01 00:00", true, false, "c.bak")), func(f *facts.Facts) {
			f.Server.Databases[0].AvailabilityGroup, f.Server.Databases[0].AGBackupPreference = "AG1", "SECONDARY"
			f.Server.Databases = append(f.Server.Databases, facts.Database{Name: "C", InAvailabilityGroup: true})
		}), []string{"skip database:A: availability group AG1 (automated backup preference SECONDARY)", "pass database:B", "skip database:C: VIEW ANY DEFINITION"}},
		// A log to NUL after this replica's last full: a full taken on
		// another replica after it would bridge the gap.
		{"availability group, to NUL", with(history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "L", "2026-01-01 01:00", true, false, "NUL"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), func(f *facts.Facts) {
			f.Server.Databases[0].AvailabilityGroup = "AG1"
		}), []string{"warn database:A: another replica's msdb may bridge the gap", "pass database:B"}},
		// A snapshot full (virtual device) after a log to NUL does not
		// bridge it: DMS restores from the file full before the gap.
		{"snapshot full after the gap", history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"), lsnHist("A", "L", "2026-01-01 01:00", 10, 30, "NUL"),
			func() facts.BackupHistory {
				h := lsnHist("A", "D", "2026-01-01 02:00", 35, 40, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}1")
				h.DeviceType = 7
				return h
			}(), lsnHist("A", "L", "2026-01-01 03:00", 30, 50, "a.trn"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			[]string{"fail database:A", "pass database:B"}},
		{"sqldb does not restore backups", with(history(), func(f *facts.Facts) { f.Plan.Target.Kind = facts.KindDB }), []string{"skip -"}},
		// Only a log backup to NUL breaks the log chain; a copy-only full
		// or a differential to NUL is simply not there to restore.
		{"not a log backup", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-01 01:00", true, true, "NUL"),
			hist("A", "I", "2026-01-01 02:00", true, false, "nul"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")),
			[]string{"pass database:A", "pass database:B"}},
	})
}

// lsnHist is a history row with LSNs (blocks in one VLF); a differential's
// base is the full at block 10.
func lsnHist(db string, typ facts.HistoryType, start string, first, last int, dev string) facts.BackupHistory {
	h := hist(db, typ, start, true, false, dev)
	h.FirstLSN, h.LastLSN, h.CheckpointLSN = rl(first), rl(last), rl(first)
	if typ == facts.HistoryDifferential {
		h.DatabaseBackupLSN = rl(10)
	}
	return h
}
