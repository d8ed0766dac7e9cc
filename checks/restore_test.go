package checks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/check"
	"github.com/dmsready/dmsready/internal/facts"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

func rl(block int) facts.LSN {
	if block == 0 {
		return facts.LSN{}
	}
	return facts.LSN{VLF: 4000000000, Block: uint32(block), Slot: 1}
}

// rb is one synthetic backup file of database Sales.
type rb struct {
	path, typ   string
	first, last int
	guid, base  string
	baseCkpt    int
	db, family  string
	fork        string
	famCount    int
	famSeq      int
	version     int
	major       int
	files       []string
}

func (b rb) file() facts.File {
	s := facts.BackupSet{Position: 1, DatabaseName: "Sales", BackupType: b.typ, FirstLSN: rl(b.first), LastLSN: rl(b.last),
		CheckpointLSN: rl(b.first), DatabaseBackupLSN: rl(b.baseCkpt), BackupSetGUID: b.guid, DifferentialBaseGUID: b.base,
		FamilyGUID: "fam-a", RecoveryForkID: "fork-a", DatabaseVersion: 661, SoftwareMajor: 10, SoftwareMinor: 50, SoftwareVersion: "10.50.1600"}
	if b.db != "" {
		s.DatabaseName = b.db
	}
	if b.family != "" {
		s.FamilyGUID = b.family
	}
	if b.fork != "" {
		s.RecoveryForkID = b.fork
	}
	if b.version != 0 {
		s.DatabaseVersion = b.version
	}
	if b.major != 0 {
		s.SoftwareMajor, s.SoftwareMinor = b.major, 0
	}
	if b.typ == facts.TypeDifferential {
		s.DifferentialBaseLSN = rl(b.baseCkpt)
	}
	for i, n := range b.files {
		s.Files = append(s.Files, facts.BackupFile{LogicalName: n, Type: "D", FileID: i + 1})
	}
	fin := time.Date(2026, 11, 1, 10, b.last%60, 0, 0, time.UTC)
	s.BackupFinishDate = &fin
	m := &facts.BackupMedia{MediaSetID: "m-" + b.guid, FamilyCount: 1, FamilySequence: 1, Sets: []facts.BackupSet{s}}
	if b.famCount > 0 {
		m.FamilyCount, m.FamilySequence = b.famCount, b.famSeq
	}
	return facts.File{Path: b.path, Size: 1, Backup: m}
}

func rfull(p string, first, last int, guid string, files ...string) rb {
	return rb{path: p, typ: facts.TypeFull, first: first, last: last, guid: guid, files: files}
}
func rdiff(p string, first, last int, guid, base string) rb {
	return rb{path: p, typ: facts.TypeDifferential, first: first, last: last, guid: guid, base: base, baseCkpt: 10}
}
func rlog(p string, first, last int) rb {
	return rb{path: p, typ: facts.TypeLog, first: first, last: last, guid: "g-" + p, baseCkpt: 10}
}

func rfacts(plan facts.Plan, bs ...rb) *facts.Facts {
	if plan.Target.Kind == "" {
		plan.Target.Kind = facts.KindMI
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: plan, Storage: &facts.Storage{Files: []facts.File{}, HeadersRead: true}}
	for _, b := range bs {
		f.Storage.Files = append(f.Storage.Files, b.file())
	}
	return f
}

var salesPlan = facts.Plan{Mode: "online", Databases: []facts.PlanDatabase{{Name: "Sales", Folder: "s"}}}

// chainOK is full -> diff -> log3, with log1/log2 before the differential.
var chainOK = []rb{
	rfull("s/full.bak", 10, 20, "F1", "Sales", "Sales_log"),
	rlog("s/log1.trn", 10, 30), rlog("s/log2.trn", 30, 40),
	rdiff("s/diff.bak", 35, 45, "D1", "F1"),
	rlog("s/log3.trn", 40, 50),
}

func without(bs []rb, paths ...string) []rb {
	var out []rb
	for _, b := range bs {
		drop := false
		for _, p := range paths {
			drop = drop || b.path == p
		}
		if !drop {
			out = append(out, b)
		}
	}
	return out
}

func withBackups(bs []rb, more ...rb) []rb { return append(append([]rb(nil), bs...), more...) }

// want is "status object: message fragment".
func runWant(t *testing.T, c *check.Check, f *facts.Facts, want ...string) {
	t.Helper()
	fs := check.Run([]*check.Check{c}, f)
	var got []string
	for _, x := range fs {
		got = append(got, fmt.Sprintf("%s %s: %s", x.Status, x.Object, x.Message))
	}
	if len(got) != len(want) {
		t.Fatalf("%s: got %d findings, want %d:\n%s", c.ID, len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		w := strings.SplitN(want[i], ": ", 2)
		g := strings.SplitN(got[i], ": ", 2)
		if g[0] != w[0] || len(w) > 1 && !strings.Contains(g[1], w[1]) {
			t.Errorf("%s finding %d:\n got  %s\n want %s", c.ID, i, got[i], want[i])
		}
	}
}

func TestBrokenLogChain(t *testing.T) {
	runWant(t, BrokenLogChain, rfacts(salesPlan, chainOK...),
		"pass database:Sales: 3 backups restore in sequence up to LSN 4000000000000000005000001")
	// log2 is bridged by the differential: still fine.
	runWant(t, BrokenLogChain, rfacts(salesPlan, without(chainOK, "s/log2.trn")...), "pass database:Sales")
	// After the differential nothing bridges a missing log.
	f := rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...)
	runWant(t, BrokenLogChain, f,
		"fail database:Sales: log chain broken between s/log3.trn (ends at LSN 4000000000000000005000001) and s/log5.trn (starts at LSN 4000000000000000006000001)")
	fs := check.Run([]*check.Check{BrokenLogChain}, f)
	if ev := fs[0].Evidence; ev["before"] != "s/log3.trn" || ev["after"] != "s/log5.trn" || fs[0].Severity != check.Error {
		t.Errorf("evidence %v severity %s", ev, fs[0].Severity)
	}
	runWant(t, BrokenLogChain, rfacts(salesPlan, rlog("s/log1.trn", 10, 30)), "skip database:Sales: no complete full backup")
}

func TestBridgedLogGap(t *testing.T) {
	runWant(t, BridgedLogGap, rfacts(salesPlan, chainOK...), "pass database:Sales: no log gap is bridged")
	// A gap nothing bridges is DMS301's failure: this pass must not claim
	// that there are no gaps at all.
	broken := rfacts(salesPlan, withBackups(chainOK, rlog("s/log5.trn", 60, 70))...)
	for _, x := range check.Run([]*check.Check{BridgedLogGap}, broken) {
		if x.Status == check.StatusPass && strings.Contains(x.Message, "no gaps") {
			t.Errorf("broken chain: DMS302 says %q", x.Message)
		}
	}
	f := rfacts(salesPlan, without(chainOK, "s/log2.trn")...)
	runWant(t, BridgedLogGap, f,
		"warn database:Sales: log gap between s/log1.trn (ends at LSN 4000000000000000003000001) and s/log3.trn (starts at LSN 4000000000000000004000001) is bridged by the differential backup s/diff.bak")
	if fs := check.Run([]*check.Check{BridgedLogGap}, f); fs[0].Severity != check.Info || fs[0].Blocking(check.Warning) {
		t.Errorf("bridged gap must be information: %+v", fs[0])
	}
}

func TestNoFullBackup(t *testing.T) {
	runWant(t, NoFullBackup, rfacts(salesPlan, chainOK...), "pass database:Sales: restore starts from full backup s/full.bak")
	runWant(t, NoFullBackup, rfacts(salesPlan, without(chainOK, "s/full.bak")...),
		"fail database:Sales: no full backup of the database is among the files in folder s")
	runWant(t, NoFullBackup, rfacts(salesPlan), "fail database:Sales: no backup of the database was found in folder s")
}

func TestLogsWithoutFull(t *testing.T) {
	runWant(t, LogsWithoutFull, rfacts(salesPlan, chainOK...), "pass database:Sales: 1 log backup follows full backup s/full.bak")
	runWant(t, LogsWithoutFull, rfacts(salesPlan, without(chainOK, "s/full.bak")...),
		"fail database:Sales: 3 log backups but no complete full backup")
	runWant(t, LogsWithoutFull, rfacts(salesPlan, rfull("s/full.bak", 10, 20, "F1")), "skip database:Sales: no log backups")
}

func TestMissingStripe(t *testing.T) {
	s1 := rfull("s/new1.bak", 60, 70, "F2")
	s1.famCount, s1.famSeq = 3, 1
	s2 := s1
	s2.path, s2.famSeq = "s/new2.bak", 2
	s3 := s1
	s3.path, s3.famSeq = "s/new3.bak", 3
	runWant(t, MissingStripe, rfacts(salesPlan, withBackups(chainOK, s1, s2, s3)...), "pass database:Sales: every backup set has all its files (1 striped set in the sequence)")
	runWant(t, MissingStripe, rfacts(salesPlan, withBackups(chainOK, s1, s3)...),
		"fail file:s/new1.bak: full backup striped over 3 files: media family 2 missing (present: s/new1.bak, s/new3.bak)")
}

func TestDifferentialWithoutBase(t *testing.T) {
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, chainOK...), "pass database:Sales: differential s/diff.bak is based on full backup s/full.bak")
	other := rdiff("s/diff9.bak", 45, 55, "D9", "F9")
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, withBackups(chainOK, other)...),
		"fail file:s/diff9.bak: differential s/diff9.bak: its full backup F9 is not among the files")
	old := rdiff("s/old.bak", 5, 8, "D0", "F0")
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, withBackups(chainOK, old)...), "warn file:s/old.bak: differential s/old.bak")
	runWant(t, DifferentialWithoutBase, rfacts(salesPlan, rfull("s/full.bak", 10, 20, "F1")), "skip database:Sales: no differential backups")
}

func TestNewerThanTarget(t *testing.T) {
	plan := func(kind, v string) facts.Plan {
		p := salesPlan
		p.Target = facts.PlanTarget{Kind: kind, Version: v}
		return p
	}
	b2019 := rfull("s/full.bak", 10, 20, "F1")
	b2019.version = 904
	b2025 := b2019
	b2025.version = 998
	noDBV := b2019
	noDBV.version, noDBV.major = 1, 16 // 1 is no released version: fall back to the major
	tests := []struct {
		name string
		plan facts.Plan
		b    rb
		want string
	}{
		{"vm newer", plan(facts.KindVM, "2017"), b2019, "fail database:Sales: 1 backup newer than target SQL Server 2017: s/full.bak (SQL Server 2019, database version 904)"},
		{"vm same", plan(facts.KindVM, "2019"), b2019, "pass database:Sales: backups are from SQL Server 2019, restorable on target SQL Server 2019"},
		{"vm 2008 R2 target", plan(facts.KindVM, "2008 R2"), chainOK[0], "pass database:Sales: backups are from SQL Server 2008 R2"},
		{"vm 2008 target", plan(facts.KindVM, "2008"), chainOK[0], "fail database:Sales: 1 backup newer than target SQL Server 2008"},
		{"vm unknown target", plan(facts.KindVM, "vNext"), b2019, "skip database:Sales: target version \"vNext\" is not a known"},
		{"mi 2022 policy 2025 backup", plan(facts.KindMI, "2022"), b2025, "fail database:Sales: 1 backup newer than target SQL Managed Instance (SQL Server 2022 update policy)"},
		{"mi 2025 policy", plan(facts.KindMI, "2025"), b2025, "pass database:Sales"},
		{"mi autd", plan(facts.KindMI, "always-up-to-date"), b2025, "pass database:Sales"},
		{"mi no policy old backup", plan(facts.KindMI, ""), b2019, "pass database:Sales: backups are from SQL Server 2019, which every SQL Managed Instance update policy restores"},
		{"mi no policy 2025 backup", plan(facts.KindMI, ""), b2025, "skip database:Sales: the plan gives no SQL Managed Instance update policy"},
		{"major fallback", plan(facts.KindVM, "2019"), noDBV, "fail database:Sales: 1 backup newer than target SQL Server 2019: s/full.bak (SQL Server 2022, database version 957)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runWant(t, NewerThanTarget, rfacts(tt.plan, tt.b), tt.want) })
	}
	unknown := b2019
	unknown.version, unknown.major = 950, -1
	f := rfacts(plan(facts.KindVM, "2019"), unknown)
	f.Storage.Files[0].Backup.Sets[0].Unknown = []string{"softwareMajor"}
	runWant(t, NewerThanTarget, f, "skip database:Sales: the backups' SQL Server version is unknown")
	// A backup of unknown version could be a 2025 one, which the default
	// (2022) update policy refuses: the pass says it was not decided.
	lg := rlog("s/log1.trn", 20, 30)
	lg.version, lg.major = 950, -1
	b2019.version, b2019.major = 904, 15
	f = rfacts(plan(facts.KindMI, ""), b2019, lg)
	f.Storage.Files[1].Backup.Sets[0].Unknown = []string{"softwareMajor"}
	runWant(t, NewerThanTarget, f, "pass database:Sales: every SQL Managed Instance update policy restores (1 with unknown version not decided)")
	runWant(t, NewerThanTarget, rfacts(plan(facts.KindDB, ""), b2019), "skip -: does not apply to target kind sqldb")
}

func TestLogicalFileNames(t *testing.T) {
	plan := func(m map[string]string) facts.Plan {
		p := salesPlan
		p.Databases = []facts.PlanDatabase{{Name: "Sales", Folder: "s", FileMapping: m}}
		return p
	}
	runWant(t, LogicalFileNames, rfacts(salesPlan, chainOK...), "skip database:Sales: the plan maps no logical file names")
	runWant(t, LogicalFileNames, rfacts(plan(map[string]string{"Sales": "/d/s.mdf", "Sales_log": "/l/s.ldf"}), chainOK...),
		"pass database:Sales: all 2 mapped logical file names are in full backup s/full.bak")
	runWant(t, LogicalFileNames, rfacts(plan(map[string]string{"Sales_Data": "/d/s.mdf", "sales_log": "/l/s.ldf"}), chainOK...),
		"fail database:Sales: mapped logical file \"Sales_Data\" is not in full backup s/full.bak (it holds Sales, Sales_log)",
		"warn database:Sales: mapped logical file \"sales_log\" is \"Sales_log\" in the backup")
	runWant(t, LogicalFileNames, rfacts(plan(map[string]string{"x": "y"}), rfull("s/full.bak", 10, 20, "F1")),
		"skip database:Sales: the full backup's file list is unknown")
}

func TestLastBackupFile(t *testing.T) {
	plan := func(mode, last string) facts.Plan {
		p := salesPlan
		p.Mode = mode
		p.Databases = []facts.PlanDatabase{{Name: "Sales", Folder: "s", LastBackupFile: last}}
		return p
	}
	runWant(t, LastBackupFile, rfacts(plan("online", "log3.trn"), chainOK...), "skip plan: the plan is not in offline mode")
	runWant(t, LastBackupFile, rfacts(plan("offline", ""), chainOK...), "skip database:Sales: the plan names no last backup file")
	runWant(t, LastBackupFile, rfacts(plan("offline", "log3.trn"), chainOK...), "pass database:Sales: last backup file log3.trn ends the chain")
	runWant(t, LastBackupFile, rfacts(plan("offline", "s/log3.trn"), chainOK...), "pass database:Sales")
	runWant(t, LastBackupFile, rfacts(plan("offline", "diff.bak"), chainOK...),
		"fail database:Sales: last backup file diff.bak ends at LSN 4000000000000000004500001 but 1 backup follows it in the chain, up to s/log3.trn")
	runWant(t, LastBackupFile, rfacts(plan("offline", "log1.trn"), chainOK...),
		"fail database:Sales: last backup file log1.trn is not in the restore chain (before-base")
	runWant(t, LastBackupFile, rfacts(plan("offline", "log9.trn"), chainOK...),
		"fail database:Sales: last backup file log9.trn is not among the database's backups")
	// Past a gap: the chain ends at log3, but log5 in the folder ends later.
	runWant(t, LastBackupFile, rfacts(plan("offline", "log3.trn"), withBackups(chainOK, rlog("s/log5.trn", 60, 70))...),
		"fail database:Sales: last backup file log3.trn ends the chain at LSN 4000000000000000005000001, but 1 backup in the folder ends later: s/log5.trn (after-break, LSN 4000000000000000007000001)")
	// A trailing empty log ends at the same LSN: naming the log before it is fine.
	runWant(t, LastBackupFile, rfacts(plan("offline", "log3.trn"), withBackups(chainOK, rlog("s/log4.trn", 50, 50))...), "pass database:Sales")
}

func TestSameNameDatabases(t *testing.T) {
	runWant(t, SameNameDatabases, rfacts(salesPlan, chainOK...), "pass database:Sales")
	other := rfull("s/other.bak", 100, 120, "X1")
	other.family = "fam-b"
	runWant(t, SameNameDatabases, rfacts(salesPlan, withBackups(chainOK, other)...),
		"fail database:Sales: backups named Sales come from 2 different databases (family GUID or creation date differ): family fam-a fork fork-a (s/full.bak); family fam-b fork fork-a (s/other.bak)")
	forked := rfull("s/restored.bak", 100, 120, "X2")
	forked.fork = "fork-b"
	runWant(t, SameNameDatabases, rfacts(salesPlan, withBackups(chainOK, forked)...),
		"fail database:Sales: backups named Sales come from 2 different recovery forks of the database")
}

func TestRestoreChecksRegistered(t *testing.T) {
	if err := check.Validate(All); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*check.Check{BrokenLogChain, BridgedLogGap, NoFullBackup, LogsWithoutFull, MissingStripe,
		DifferentialWithoutBase, NewerThanTarget, LogicalFileNames, LastBackupFile, SameNameDatabases} {
		if check.Lookup(All, c.ID) != c {
			t.Errorf("%s not in the registry", c.ID)
		}
	}
}

var restoreChecks = []*check.Check{BrokenLogChain, BridgedLogGap, NoFullBackup, LogsWithoutFull, MissingStripe,
	DifferentialWithoutBase, NewerThanTarget, LogicalFileNames, LastBackupFile, SameNameDatabases}

// failsAndWarns runs every restore check and lists the fail and warn
// findings as "ID status object: message".
func failsAndWarns(f *facts.Facts) []string {
	var out []string
	for _, x := range check.Run(restoreChecks, f) {
		if x.Status == check.StatusFail || x.Status == check.StatusWarn {
			out = append(out, fmt.Sprintf("%s %s %s: %s", x.CheckID, x.Status, x.Object, x.Message))
		}
	}
	return out
}

func exactly(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n got\n  %s\n want\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func samplePlan(f *facts.Facts, kind, version, mode string, dbs ...facts.PlanDatabase) *facts.Facts {
	f.Plan = facts.Plan{Target: facts.PlanTarget{Kind: kind, Version: version}, Mode: mode, Databases: dbs}
	return f
}

func TestRealChainsFindings(t *testing.T) {
	all := restoretest.Load(t, "appveyor-lab/sql2008-backups")
	stopAt := facts.PlanDatabase{Name: "StopAt", Folder: "StopAt", LastBackupFile: "StopAt_23.trn"}

	t.Run("StopAt intact", func(t *testing.T) {
		f := samplePlan(all, facts.KindMI, "2022", "offline", stopAt)
		exactly(t, failsAndWarns(f))
		fs := check.Run([]*check.Check{BrokenLogChain}, f)
		if len(fs) != 1 || fs[0].Status != check.StatusPass || fs[0].Evidence["reaches"] != "19000000024600001" {
			t.Errorf("DMS301: %+v", fs)
		}
	})
	t.Run("StopAt log removed", func(t *testing.T) {
		f := samplePlan(restoretest.Without(t, all, "StopAt/StopAt_21.trn"), facts.KindMI, "2022", "offline", stopAt)
		exactly(t, failsAndWarns(f),
			"DMS301 fail database:StopAt: log chain broken between StopAt/StopAt_2.trn (ends at LSN 19000000019300001) and StopAt/StopAt_23.trn (starts at LSN 19000000021500001): the log backup covering that range is missing",
			"DMS309 fail database:StopAt: last backup file StopAt_23.trn is not in the restore chain (after-break: starts at LSN 19000000021500001, after the chain ends at LSN 19000000019300001); the chain ends with StopAt/StopAt_2.trn")
	})
	t.Run("db1 has no full", func(t *testing.T) {
		f := samplePlan(all, facts.KindMI, "2022", "online", facts.PlanDatabase{Name: "db1", Folder: "db1"})
		exactly(t, failsAndWarns(f),
			"DMS303 fail database:db1: no full backup of the database is among the files in folder db1",
			"DMS304 fail database:db1: 2 log backups but no complete full backup to restore them onto",
			"DMS306 fail file:db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak: differential db1/DIFF/SQL2008_db1_DIFF_20170518_041819.bak: its full backup 61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE is not among the files",
			"DMS306 fail file:db1/DIFF/SQL2008_db1_DIFF_20170518_041826.bak: differential db1/DIFF/SQL2008_db1_DIFF_20170518_041826.bak: its full backup 61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE is not among the files")
	})
	t.Run("stripe removed", func(t *testing.T) {
		f := samplePlan(restoretest.Without(t, all, "RestoreTimeStripe/Stripe2/RestoreTimeStripe2a.bak"), facts.KindMI, "2022", "online",
			facts.PlanDatabase{Name: "RestoreTimeStripe", Folder: "RestoreTimeStripe"})
		exactly(t, failsAndWarns(f),
			"DMS305 fail file:RestoreTimeStripe/Stripe1/RestoreTimeStripe2.bak: full backup striped over 2 files: media family 2 missing (present: RestoreTimeStripe/Stripe1/RestoreTimeStripe2.bak)")
	})
	t.Run("version and logical names", func(t *testing.T) {
		// DBWithoutOwner's data file is really named DBWihtoutOwner.
		d := facts.PlanDatabase{Name: "DBWithoutOwner", Folder: "DBWithoutOwner",
			FileMapping: map[string]string{"DBWithoutOwner": "F:\\data\\d.mdf", "DBWithoutOwner_log": "G:\\log\\d.ldf"}}
		f := samplePlan(all, facts.KindVM, "2008", "online", d)
		exactly(t, failsAndWarns(f),
			"DMS307 fail database:DBWithoutOwner: 5 backups newer than target SQL Server 2008: DBWithoutOwner/FULL/SQL2008_DBWithoutOwner_FULL_20170518_041741.bak (SQL Server 2008 R2, database version 661); DBWithoutOwner/DIFF/SQL2008_DBWithoutOwner_DIFF_20170518_041826.bak (SQL Server 2008 R2, database version 661); DBWithoutOwner/LOG/SQL2008_DBWithoutOwner_LOG_20170518_041837.trn (SQL Server 2008 R2, database version 661); DBWithoutOwner/DIFF/SQL2008_DBWithoutOwner_DIFF_20170518_041819.bak (SQL Server 2008 R2, database version 661); DBWithoutOwner/LOG/SQL2008_DBWithoutOwner_LOG_20170518_041831.trn (SQL Server 2008 R2, database version 661)",
			"DMS308 fail database:DBWithoutOwner: mapped logical file \"DBWithoutOwner\" is not in full backup DBWithoutOwner/FULL/SQL2008_DBWithoutOwner_FULL_20170518_041741.bak (it holds DBWihtoutOwner, DBWihtoutOwner_log)",
			"DMS308 fail database:DBWithoutOwner: mapped logical file \"DBWithoutOwner_log\" is not in full backup DBWithoutOwner/FULL/SQL2008_DBWithoutOwner_FULL_20170518_041741.bak (it holds DBWihtoutOwner, DBWihtoutOwner_log)")
	})
}

func TestRealForksFindings(t *testing.T) {
	f := restoretest.Load(t, "appveyor-lab/RestoreTimeClean")
	extra := restoretest.File(t, restoretest.Load(t, "appveyor-lab/restoretimeclean2016"), "RestoreTimeClean.bak")
	extra.Path = "RestoreTimeClean2016.bak"
	rtc := facts.PlanDatabase{Name: "RestoreTimeClean"}

	t.Run("differential bridges a gap", func(t *testing.T) {
		g := samplePlan(restoretest.Without(t, f, "RestoreTimeClean_2.trn"), facts.KindVM, "2014", "online", rtc)
		exactly(t, failsAndWarns(g),
			"DMS302 warn database:RestoreTimeClean: log gap between RestoreTimeClean_1.trn (ends at LSN 25000000015300001) and RestoreTimeClean_3.trn (starts at LSN 25000000016300001) is bridged by the differential backup RestoreTimeClean2.bak")
		for _, x := range check.Run([]*check.Check{BridgedLogGap}, g) {
			if x.Blocking(check.Warning) {
				t.Errorf("a bridged gap blocks: %+v", x)
			}
		}
	})
	t.Run("another fork's backup in the folder", func(t *testing.T) {
		g := samplePlan(restoretest.With(f, extra), facts.KindVM, "2014", "online", rtc)
		exactly(t, failsAndWarns(g),
			"DMS307 fail database:RestoreTimeClean: 1 backup newer than target SQL Server 2014: RestoreTimeClean2016.bak (SQL Server 2016, database version 852)",
			"DMS310 fail database:RestoreTimeClean: backups named RestoreTimeClean come from 2 different recovery forks of the database (restored copies): family E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 fork 6D3A541D-31C4-4207-975E-917419133822 (RestoreTimeClean2016.bak); family E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 fork E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9 (RestoreTimeClean.bak)")
	})
}

func TestMIFileLayout(t *testing.T) {
	layout := func(types ...string) *facts.Facts {
		f := rfacts(salesPlan, chainOK...)
		var files []facts.BackupFile
		for i, ty := range types {
			files = append(files, facts.BackupFile{LogicalName: fmt.Sprintf("f%d_%s", i, ty), Type: ty, FileID: i + 1})
		}
		f.Storage.Files[0].Backup.Sets[0].Files = files
		return f
	}
	runWant(t, MIFileLayout, layout("D", "L"), "pass database:Sales: 1 data file and 1 log file")
	runWant(t, MIFileLayout, layout("D", "D", "L", "L"), "fail database:Sales: 2 log files (f2_L, f3_L)")
	runWant(t, MIFileLayout, layout("D", "L", "S"), "fail database:Sales: FILESTREAM, FileTable or memory-optimized files (f2_S)")
	runWant(t, MIFileLayout, layout(), "skip database:Sales: file list is unknown")
	vm := layout("D", "L", "L")
	vm.Plan.Target.Kind = facts.KindVM
	runWant(t, MIFileLayout, vm, "skip -: does not apply to target kind sqlvm")
}
