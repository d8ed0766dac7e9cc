package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestCopyOnlyInChain(t *testing.T) {
	other := hist("E", "D", "2026-01-01 00:00", true, false, "e.bak")
	other.OtherServer = true
	testCheck(t, CopyOnlyInChain, []tcase{
		{"copy-only", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("A", "D", "2026-01-02 00:00", true, true, "c.bak"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), []string{"warn database:A: since the last regular full", "pass database:B: since the last regular full"}},
		// msdb records no regular full: "since the last regular full" would
		// name a backup that is not there.
		{"no regular full", with(srv(facts.KindMI, facts.Database{Name: "C"}, facts.Database{Name: "D"}, facts.Database{Name: "E"}), func(f *facts.Facts) {
			f.Server.BackupHistory = []facts.BackupHistory{hist("C", "D", "2026-01-02 00:00", true, true, "c.bak"), hist("C", "L", "2026-01-02 01:00", true, false, "c.trn"),
				hist("D", "L", "2026-01-02 01:00", true, false, "d.trn"),
				other, hist("E", "D", "2026-01-03 00:00", true, true, "e2.bak")}
		}),
			[]string{"warn database:C: records no regular (not copy-only) full", "pass database:D: records no regular (not copy-only) full", "warn database:E: records no regular (not copy-only) full"}},
		// A copy-only VSS snapshot (virtual device) or one to NUL is no
		// file that could be mixed into the folder.
		{"copy-only snapshot", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"),
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", false, true, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}1")
				h.DeviceType = 7
				return h
			}(), hist("A", "D", "2026-01-02 01:00", true, true, "NUL"),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), []string{"pass database:A", "pass database:B"}},
		// A secondary's copy-only fulls are in its own msdb only.
		{"availability group", with(history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"), hist("B", "D", "2026-01-01 00:00", true, false, "b.bak")), func(f *facts.Facts) {
			f.Server.Databases[0].AvailabilityGroup = "AG1"
		}), []string{"skip database:A: availability group AG1 (automated backup preference unknown)", "pass database:B"}},
	})
}
