package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestLastFullChecksum(t *testing.T) {
	testCheck(t, LastFullChecksum, []tcase{
		{"checksums", history(hist("A", "D", "2026-01-01 00:00", false, false, "a1.bak"), hist("A", "D", "2026-01-02 00:00", true, false, "a2.bak"),
			hist("B", "D", "2026-01-02 00:00", false, false, "b.bak")), []string{"pass database:A", "fail database:B"}},
		// Each replica's msdb records only its own backups: the last full
		// seen here may not be the newest (a failover, or read on a
		// secondary), so neither a pass nor a failure.
		{"availability group", with(history(hist("A", "D", "2026-01-02 00:00", true, false, "a.bak"), hist("B", "D", "2026-01-02 00:00", false, false, "b.bak")), func(f *facts.Facts) {
			for i := range f.Server.Databases {
				f.Server.Databases[i].AvailabilityGroup = "AG1"
			}
		}), []string{"skip database:A: recorded on this replica (2026-01-02 00:00) has checksums", "warn database:B: availability group AG1"}},
		// A VSS snapshot or third-party tool writes its full to a virtual
		// device (device_type 7), usually without checksums; a full to NUL
		// or to tape is no file either. DMS restores files: the restore
		// starts from the newest full on disk or URL.
		{"newest full not a file", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"),
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", false, false, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}1")
				h.DeviceType = 7
				return h
			}(),
			hist("B", "D", "2026-01-01 00:00", true, false, "b.bak"), hist("B", "D", "2026-01-02 00:00", false, false, "NUL")),
			[]string{"pass database:A: 2026-01-01", "pass database:B: 2026-01-01"}},
		// SQL Server 2022's T-SQL snapshot backup writes its full as a
		// metadata file on disk (device type 2) marked is_snapshot: the
		// data stays in a storage snapshot, no file DMS can restore.
		{"metadata-only snapshot on disk", history(hist("A", "D", "2026-01-01 00:00", true, false, "a.bak"),
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", false, false, `D:\snap\A.bkm`)
				h.DeviceType, h.IsSnapshot = 2, true
				return h
			}()), []string{"pass database:A: 2026-01-01", "skip database:B"}},
		{"only snapshot fulls", history(
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", false, false, "{6F9619FF-8B86-D011-B42D-00C04FC964FF}1")
				h.DeviceType = 7
				return h
			}(), hist("A", "L", "2026-01-02 01:00", true, false, "a.trn")),
			[]string{"skip database:A: went to a virtual device", "skip database:B"}},
		{"latest is without", history(hist("A", "D", "2026-01-02 00:00", false, false, "a2.bak"), hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak")),
			[]string{"fail database:A", "skip database:B"}},
		// A copy-only full is no restore base: the regular full before it decides.
		{"latest is copy-only", history(hist("A", "D", "2026-01-02 00:00", false, true, "a2.bak"), hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak")),
			[]string{"pass database:A: 2026-01-01", "skip database:B"}},
		// Nor is a row RESTORE wrote for another server's backup, or a full
		// of an earlier recovery fork.
		{"restored from elsewhere", history(hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak"),
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", false, false, `\\other\a.bak`)
				h.OtherServer = true
				return h
			}()),
			[]string{"pass database:A: 2026-01-01", "skip database:B"}},
		{"earlier fork", history(
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-01 00:00", false, false, "old.bak")
				h.RecoveryForkGUID = "F1"
				return h
			}(),
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", true, false, "new.bak")
				h.RecoveryForkGUID = "F2"
				return h
			}(),
			func() facts.BackupHistory {
				h := hist("A", "L", "2026-01-03 00:00", true, false, "l.trn")
				h.RecoveryForkGUID = "F2"
				return h
			}()),
			[]string{"pass database:A: 2026-01-02", "skip database:B"}},
		// BACKUP ... WITH CONTINUE_AFTER_ERROR on a damaged database marks
		// the set damaged (backupset.is_damaged); RESTORE refuses it by
		// default (error 3182). Checksums do not make it restorable.
		{"damaged full with checksums", history(hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak"),
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", true, false, "a2.bak")
				h.IsDamaged = true
				return h
			}()), []string{"fail database:A: a2.bak", "skip database:B"}},
		{"damaged full, lrs", with(history(
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", false, false, "a2.bak")
				h.IsDamaged = true
				return h
			}()), func(f *facts.Facts) { f.Plan.Method = "lrs" }), []string{"fail database:A: damaged", "skip database:B"}},
		{"damaged differential", history(hist("A", "D", "2026-01-01 00:00", true, false, "a1.bak"),
			func() facts.BackupHistory {
				h := hist("A", "I", "2026-01-02 00:00", true, false, "a1.dif")
				h.IsDamaged = true
				return h
			}()), []string{"fail database:A: a1.dif", "skip database:B"}},
		{"damaged full, availability group", with(history(
			func() facts.BackupHistory {
				h := hist("A", "D", "2026-01-02 00:00", true, false, "a2.bak")
				h.IsDamaged = true
				return h
			}()), func(f *facts.Facts) { f.Server.Databases[0].AvailabilityGroup = "AG1" }), []string{"warn database:A: damaged", "skip database:B"}},
		// A log backup the restore needs that msdb marks damaged stops the
		// restore as a damaged full does (3182); one that ends before the
		// differential the restore uses, or an earlier one, is not restored.
		{"damaged log in range", history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"),
			lsnHist("A", "L", "2026-01-01 01:00", 10, 30, "a1.trn"),
			func() facts.BackupHistory {
				h := lsnHist("A", "L", "2026-01-01 02:00", 30, 40, "a2.trn")
				h.IsDamaged = true
				return h
			}(), lsnHist("A", "L", "2026-01-01 03:00", 40, 50, "a3.trn"),
			lsnHist("B", "D", "2026-01-01 00:00", 10, 20, "b.bak")),
			[]string{"fail database:A: a2.trn", "pass database:B"}},
		{"damaged log before the differential", history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"),
			func() facts.BackupHistory {
				h := lsnHist("A", "L", "2026-01-01 01:00", 10, 30, "a1.trn")
				h.IsDamaged = true
				return h
			}(), lsnHist("A", "I", "2026-01-01 02:00", 30, 40, "a.dif"), lsnHist("A", "L", "2026-01-01 03:00", 35, 50, "a2.trn")),
			[]string{"pass database:A", "skip database:B"}},
		// A damaged log that left no file (NUL) is DMS412's gap; a damaged
		// copy-only log is no link of the chain.
		{"damaged log without file or copy-only", history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"),
			func() facts.BackupHistory {
				h := lsnHist("A", "L", "2026-01-01 01:00", 10, 30, "NUL")
				h.IsDamaged = true
				return h
			}(),
			func() facts.BackupHistory {
				h := lsnHist("A", "L", "2026-01-01 02:00", 30, 40, "co.trn")
				h.IsDamaged, h.IsCopyOnly = true, true
				return h
			}()),
			[]string{"pass database:A", "skip database:B"}},
		{"damaged log, availability group", with(history(lsnHist("A", "D", "2026-01-01 00:00", 10, 20, "a.bak"),
			func() facts.BackupHistory {
				h := lsnHist("A", "L", "2026-01-01 01:00", 10, 30, "a1.trn")
				h.IsDamaged = true
				return h
			}()), func(f *facts.Facts) { f.Server.Databases[0].AvailabilityGroup = "AG1" }),
			[]string{"warn database:A: a1.trn", "skip database:B"}},
		// Log Replay Service restores fulls without checksums (slower, no
		// corruption check): a warning, as DMS209 says.
		{"lrs does not require them", with(history(hist("A", "D", "2026-01-02 00:00", false, false, "a.bak")), func(f *facts.Facts) { f.Plan.Method = "lrs" }),
			[]string{"warn database:A", "skip database:B"}},
		// In an availability group backups may run on another replica.
		{"ag", srv(facts.KindMI, facts.Database{Name: "A", AvailabilityGroup: "AG1", AGBackupPreference: "SECONDARY_ONLY"}),
			[]string{"skip database:A: availability group AG1 (automated backup preference SECONDARY_ONLY): backups may be taken on another replica"}},
	})
}

// On a case-sensitive server collation (Latin1_General_CS_AS, or Turkish
// where i and I are different letters) Sales and SALES are two databases:
// each is judged on its own facts and msdb history, never the other's.
func TestSourceNamesDifferingOnlyInCase(t *testing.T) {
	f := with(srv(facts.KindMI, facts.Database{Name: "Sales", RecoveryModel: "FULL"}, facts.Database{Name: "SALES", RecoveryModel: "SIMPLE"}), func(f *facts.Facts) {
		f.Plan.Mode = "online"
		f.Server.BackupHistory = []facts.BackupHistory{hist("Sales", "D", "2026-01-01 00:00", true, false, "s.bak"),
			hist("SALES", "D", "2026-01-02 00:00", false, false, "S.bak")}
	})
	testCheck(t, LastFullChecksum, []tcase{{"checksums", f, []string{"pass database:Sales: 2026-01-01", "fail database:SALES: 2026-01-02"}}})
	testCheck(t, RecoveryModelFull, []tcase{{"recovery", f, []string{"pass database:Sales", "fail database:SALES"}}})
}
