package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// restoreChecks are the DMS3xx checks (backup contents and the restore
// plan), taken from the registry.
func restoreChecks() []*check.Check {
	var out []*check.Check
	for _, c := range All {
		if strings.HasPrefix(c.ID, "DMS3") {
			out = append(out, c)
		}
	}
	return out
}

// TestRealChainsFindings runs every restore check over real backups (the
// headers of fixtures/restore, read from ../shared/samples): fails and warns
// with their messages, passes and skips by object.
func TestRealChainsFindings(t *testing.T) {
	all := func() *facts.Facts { return restoretest.Load(t, "appveyor-lab/sql2008-backups") }
	stopAt := facts.PlanDatabase{Name: "StopAt", Folder: "StopAt", LastBackupFile: "StopAt_23.trn"}
	// DBWithoutOwner's data file is really named DBWihtoutOwner.
	// Ola Hallengren's FULL/DIFF/LOG subfolders: planned without a folder,
	// by header wherever they lie (with the folder, DMS reads none of them).
	owner := facts.PlanDatabase{Name: "DBWithoutOwner",
		FileMapping: map[string]string{"DBWithoutOwner": "F:\\data\\d.mdf", "DBWithoutOwner_log": "G:\\log\\d.ldf"}}
	testChecks(t, restoreChecks(), []tcase{
		{"StopAt intact", samplePlan(all(), facts.KindMI, "2022", "offline", stopAt), []string{
			"DMS301 pass database:StopAt",
			"DMS302 pass database:StopAt",
			"DMS303 pass database:StopAt",
			"DMS304 pass database:StopAt",
			"DMS305 pass database:StopAt",
			"DMS306 skip database:StopAt",
			"DMS307 pass database:StopAt",
			"DMS308 skip database:StopAt",
			"DMS309 pass database:StopAt",
			"DMS310 pass database:StopAt",
			"DMS311 pass database:StopAt",
		}},
		{"StopAt log removed", samplePlan(restoretest.Without(t, all(), "StopAt/StopAt_21.trn"), facts.KindMI, "2022", "offline", stopAt), []string{
			"DMS301 fail database:StopAt: log chain broken between StopAt/StopAt_2.trn (ends at LSN 19000000019300001) and StopAt/StopAt_23.trn (starts at LSN 19000000021500001): the log backup covering that range is missing",
			"DMS302 pass database:StopAt",
			"DMS303 pass database:StopAt",
			"DMS304 pass database:StopAt",
			"DMS305 pass database:StopAt",
			"DMS306 skip database:StopAt",
			"DMS307 pass database:StopAt",
			"DMS308 skip database:StopAt",
			"DMS309 fail database:StopAt: last backup file StopAt_23.trn is not in the restore chain (after-break: starts at LSN 19000000021500001, after the chain ends at LSN 19000000019300001); the chain ends with StopAt/StopAt_2.trn",
			"DMS310 pass database:StopAt",
			"DMS311 pass database:StopAt",
		}},
		{"db1 has no full", samplePlan(all(), facts.KindMI, "2022", "online", facts.PlanDatabase{Name: "db1"}), []string{
			"DMS301 skip database:db1",
			"DMS302 skip database:db1",
			"DMS303 fail database:db1: no full backup of the database is among the files",
			"DMS304 fail database:db1: 2 log backups but no complete full backup to restore them onto",
			"DMS305 pass database:db1",
			"DMS306 fail file:db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak: differential db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak: its full backup 61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE is not among the files",
			"DMS306 fail file:db1/DIFF/SQL2008_db1_DIFF_20170518_041826.bak: differential db1/DIFF/SQL2008_db1_DIFF_20170518_041826.bak: its full backup 61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE is not among the files",
			"DMS307 pass database:db1",
			"DMS308 skip database:db1",
			"DMS309 skip plan",
			"DMS310 pass database:db1",
			"DMS311 skip database:db1",
		}},
		{"stripe removed", samplePlan(restoretest.Without(t, all(), "RestoreTimeStripe/Stripe2/RestoreTimeStripe2a.bak"), facts.KindMI, "2022", "online", facts.PlanDatabase{Name: "RestoreTimeStripe"}), []string{
			"DMS301 pass database:RestoreTimeStripe",
			"DMS302 pass database:RestoreTimeStripe",
			"DMS303 pass database:RestoreTimeStripe",
			"DMS304 pass database:RestoreTimeStripe",
			"DMS305 fail file:RestoreTimeStripe/Stripe1/RestoreTimeStripe2.bak: full backup striped over 2 files: media family 2 missing (present: RestoreTimeStripe/Stripe1/RestoreTimeStripe2.bak)",
			"DMS306 skip database:RestoreTimeStripe",
			"DMS307 pass database:RestoreTimeStripe",
			"DMS308 skip database:RestoreTimeStripe",
			"DMS309 skip plan",
			"DMS310 pass database:RestoreTimeStripe",
			"DMS311 pass database:RestoreTimeStripe",
		}},
		{"version and logical names", samplePlan(all(), facts.KindVM, "2008", "online", owner), []string{
			"DMS301 pass database:DBWithoutOwner",
			"DMS302 pass database:DBWithoutOwner",
			"DMS303 pass database:DBWithoutOwner",
			"DMS304 pass database:DBWithoutOwner",
			"DMS305 pass database:DBWithoutOwner",
			"DMS306 pass database:DBWithoutOwner",
			"DMS307 fail database:DBWithoutOwner: 5 backups newer than target SQL Server 2008: DBWithoutOwner/FULL/SQL2008_DBWithoutOwner_FULL_20170518_041741.bak (SQL Server 2008 R2, database version 661); DBWithoutOwner/DIFF/SQL2008_DBWithoutOwner_DIFF_20170518_041826.bak (SQL Server 2008 R2, database version 661); DBWithoutOwner/LOG/SQL2008_DBWithoutOwner_LOG_20170518_041837.trn (SQL Server 2008 R2, database version 661); DBWithoutOwner/DIFF/SQL2008_DBWithoutOwner_DIFF_20170518_041819.bak (SQL Server 2008 R2, database version 661); DBWithoutOwner/LOG/SQL2008_DBWithoutOwner_LOG_20170518_041831.trn (SQL Server 2008 R2, database version 661)",
			"DMS308 fail database:DBWithoutOwner: mapped logical file \"DBWithoutOwner\" is not in full backup DBWithoutOwner/FULL/SQL2008_DBWithoutOwner_FULL_20170518_041741.bak (it holds DBWihtoutOwner, DBWihtoutOwner_log)",
			"DMS308 fail database:DBWithoutOwner: mapped logical file \"DBWithoutOwner_log\" is not in full backup DBWithoutOwner/FULL/SQL2008_DBWithoutOwner_FULL_20170518_041741.bak (it holds DBWihtoutOwner, DBWihtoutOwner_log)",
			"DMS309 skip plan",
			"DMS310 pass database:DBWithoutOwner",
			"DMS311 skip -",
		}},
	})
	f := samplePlan(all(), facts.KindMI, "2022", "offline", stopAt)
	fs := findings(BrokenLogChain, f)
	if len(fs) != 1 || fs[0].Evidence["reaches"] != "19000000024600001" {
		t.Errorf("DMS301: %+v", fs)
	}
}

func TestRealForksFindings(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/RestoreTimeClean")
	extra := restoretest.File(t, restoretest.Load(t, "appveyor-lab/restoretimeclean2016"), "RestoreTimeClean.bak")
	extra.Path = "RestoreTimeClean2016.bak"
	rtc := facts.PlanDatabase{Name: "RestoreTimeClean"}
	bridged := samplePlan(restoretest.Without(t, f, "RestoreTimeClean_2.trn"), facts.KindVM, "2014", "online", rtc)
	forked := samplePlan(restoretest.With(f, extra), facts.KindVM, "2014", "online", rtc)
	testChecks(t, restoreChecks(), []tcase{
		{"differential bridges a gap", bridged, []string{
			"DMS301 pass database:RestoreTimeClean",
			"DMS302 warn database:RestoreTimeClean: log gap between RestoreTimeClean_1.trn (ends at LSN 25000000015300001) and RestoreTimeClean_3.trn (starts at LSN 25000000016300001) is bridged by the differential backup RestoreTimeClean2.bak",
			"DMS303 pass database:RestoreTimeClean",
			"DMS304 pass database:RestoreTimeClean",
			"DMS305 pass database:RestoreTimeClean",
			"DMS306 pass database:RestoreTimeClean",
			"DMS307 pass database:RestoreTimeClean",
			"DMS308 skip database:RestoreTimeClean",
			"DMS309 skip plan",
			"DMS310 pass database:RestoreTimeClean",
			"DMS311 skip -",
		}},
		{"another fork's backup in the folder", forked, []string{
			"DMS301 pass database:RestoreTimeClean",
			"DMS301 pass database:RestoreTimeClean",
			"DMS302 pass database:RestoreTimeClean",
			"DMS302 pass database:RestoreTimeClean",
			"DMS303 pass database:RestoreTimeClean",
			"DMS303 pass database:RestoreTimeClean",
			"DMS304 skip database:RestoreTimeClean",
			"DMS304 pass database:RestoreTimeClean",
			"DMS305 pass database:RestoreTimeClean",
			"DMS305 pass database:RestoreTimeClean",
			"DMS306 skip database:RestoreTimeClean",
			"DMS306 pass database:RestoreTimeClean",
			"DMS307 fail database:RestoreTimeClean: 1 backup newer than target SQL Server 2014: RestoreTimeClean2016.bak (SQL Server 2016, database version 852)",
			"DMS307 pass database:RestoreTimeClean",
			"DMS308 skip database:RestoreTimeClean",
			"DMS308 skip database:RestoreTimeClean",
			"DMS309 skip plan",
			"DMS310 fail database:RestoreTimeClean: backups named RestoreTimeClean come from 2 different recovery forks of the database (restored copies): family E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 fork 6D3A541D-31C4-4207-975E-917419133822 (RestoreTimeClean2016.bak); family E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 fork E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 (RestoreTimeClean.bak)",
			"DMS311 skip -",
		}},
	})
	for _, x := range findings(BridgedLogGap, bridged) {
		if x.Blocking(check.Warning) {
			t.Errorf("a bridged gap blocks: %+v", x)
		}
	}
}
