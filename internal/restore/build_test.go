package restore

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

func TestSimpleChain(t *testing.T) {
	p := one(t, mkFacts(nil,
		logb("s/log2.trn", 30, 40),
		full("s/full.bak", 10, 20, "F1"),
		logb("s/log1.trn", 10, 30),
		logb("s/log3.trn", 40, 50),
	))
	eq(t, "status", p.Status, StatusReady)
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn", "s/log2.trn", "s/log3.trn"})
	eq(t, "reaches", p.Reaches.LSN, lsn(50))
	eq(t, "reaches file", p.Reaches.File, "s/log3.trn")
	eq(t, "issues", len(p.Issues), 0)
	eq(t, "unused", len(p.Unused), 0)
}

func TestGapBreaksChain(t *testing.T) {
	p := one(t, mkFacts(nil,
		full("s/full.bak", 10, 20, "F1"),
		logb("s/log1.trn", 10, 30),
		logb("s/log3.trn", 40, 50),
		logb("s/log4.trn", 50, 60),
	))
	eq(t, "status", p.Status, StatusBroken)
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn"})
	br := issuesOf(p, KindBreak)
	if len(br) != 1 {
		t.Fatalf("breaks: %+v", p.Issues)
	}
	eq(t, "before", br[0].Before, "s/log1.trn")
	eq(t, "after", br[0].After, "s/log3.trn")
	eq(t, "from", br[0].From, lsn(30))
	eq(t, "to", br[0].To, lsn(40))
	eq(t, "unused", unusedBy(p), map[string]string{"s/log3.trn": ReasonAfterBreak, "s/log4.trn": ReasonAfterBreak})
	eq(t, "reaches", p.Reaches.File, "s/log1.trn")
}

func TestGapRightAfterFull(t *testing.T) {
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log2.trn", 30, 40)))
	br := issuesOf(p, KindBreak)
	if len(br) != 1 || br[0].Before != "s/full.bak" || br[0].After != "s/log2.trn" {
		t.Fatalf("break: %+v", p.Issues)
	}
}

func TestGapBridgedByDifferential(t *testing.T) {
	p := one(t, mkFacts(nil,
		full("s/full.bak", 10, 20, "F1"),
		logb("s/log1.trn", 10, 30),
		logb("s/log3.trn", 40, 50),
		diff("s/diff.bak", 45, 55, "D1", "F1", 10),
		logb("s/log4.trn", 50, 60),
	))
	eq(t, "status", p.Status, StatusReady)
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/diff.bak", "s/log4.trn"})
	gaps := issuesOf(p, KindGap)
	if len(gaps) != 1 {
		t.Fatalf("gaps: %+v", p.Issues)
	}
	eq(t, "gap", []string{gaps[0].Before, gaps[0].After, gaps[0].BridgedBy}, []string{"s/log1.trn", "s/log3.trn", "s/diff.bak"})
	eq(t, "breaks", len(issuesOf(p, KindBreak)), 0)
	eq(t, "unused", unusedBy(p), map[string]string{"s/log1.trn": ReasonBeforeBase, "s/log3.trn": ReasonBeforeBase})
}

func TestGapBridgedByLaterFull(t *testing.T) {
	p := one(t, mkFacts(nil,
		full("s/full1.bak", 10, 20, "F1"),
		logb("s/log1.trn", 10, 30),
		logb("s/log3.trn", 40, 50),
		full("s/full2.bak", 45, 55, "F2"),
		logb("s/log4.trn", 50, 60),
	))
	eq(t, "status", p.Status, StatusReady)
	eq(t, "steps", stepFiles(p), []string{"s/full2.bak", "s/log4.trn"})
	gaps := issuesOf(p, KindGap)
	if len(gaps) != 1 || gaps[0].BridgedBy != "s/full2.bak" {
		t.Fatalf("gaps: %+v", p.Issues)
	}
	eq(t, "unused", unusedBy(p), map[string]string{"s/full1.bak": ReasonSuperseded, "s/log1.trn": ReasonBeforeBase, "s/log3.trn": ReasonBeforeBase})
}

func TestLatestDifferentialOfTheFull(t *testing.T) {
	p := one(t, mkFacts(nil,
		full("s/full.bak", 10, 20, "F1"),
		diff("s/diff1.bak", 30, 35, "D1", "F1", 10),
		diff("s/diff2.bak", 40, 45, "D2", "F1", 10),
		logb("s/log1.trn", 10, 50),
	))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/diff2.bak", "s/log1.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/diff1.bak": ReasonSuperseded})
}

func TestDifferentialMatchedByLSNWithoutGUID(t *testing.T) {
	p := one(t, mkFacts(nil,
		full("s/full.bak", 10, 20, ""),
		diff("s/diff.bak", 30, 35, "", "", 10),
		diff("s/other.bak", 30, 36, "", "", 9),
	))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/diff.bak"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/other.bak": ReasonNoBase})
	eq(t, "no-base issues", len(issuesOf(p, KindNoBase)), 1)
}

func TestDifferentialWithoutBase(t *testing.T) {
	p := one(t, mkFacts(nil,
		full("s/full.bak", 10, 20, "F1"),
		diff("s/diff.bak", 30, 35, "D1", "F0", 5),
		logb("s/log1.trn", 10, 40),
	))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn"})
	nb := issuesOf(p, KindNoBase)
	if len(nb) != 1 || !strings.Contains(nb[0].Message, "F0") {
		t.Fatalf("no-base: %+v", p.Issues)
	}
	eq(t, "unused", unusedBy(p), map[string]string{"s/diff.bak": ReasonNoBase})
}

func TestNoFull(t *testing.T) {
	p := one(t, mkFacts(nil,
		diff("s/diff.bak", 30, 35, "D1", "F0", 5),
		logb("s/log1.trn", 10, 40),
		logb("s/log2.trn", 40, 40),
	))
	eq(t, "status", p.Status, StatusNoFull)
	eq(t, "steps", len(p.Steps), 0)
	if p.Reaches != nil {
		t.Errorf("reaches = %+v, want nil", p.Reaches)
	}
	eq(t, "no-full", len(issuesOf(p, KindNoFull)), 1)
	eq(t, "no-base", len(issuesOf(p, KindNoBase)), 1)
	eq(t, "unused", unusedBy(p), map[string]string{"s/diff.bak": ReasonNoBase, "s/log1.trn": ReasonNoFull, "s/log2.trn": ReasonNoFull})
}

func TestMissingStripeFallsBackToOlderFull(t *testing.T) {
	s1 := full("s/new_1.bak", 30, 40, "F2")
	s1.famCount, s1.famSeq = 3, 1
	s3 := full("s/new_3.bak", 30, 40, "F2")
	s3.famCount, s3.famSeq = 3, 3
	p := one(t, mkFacts(nil, full("s/old.bak", 10, 20, "F1"), s1, s3, logb("s/log1.trn", 10, 50)))
	eq(t, "steps", stepFiles(p), []string{"s/old.bak", "s/log1.trn"})
	ms := issuesOf(p, KindMissingStripe)
	if len(ms) != 1 || !strings.Contains(ms[0].Message, "media family 2 is missing") {
		t.Fatalf("missing stripe: %+v", p.Issues)
	}
	eq(t, "files", ms[0].Files, []string{"s/new_1.bak", "s/new_3.bak"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/new_1.bak": ReasonIncomplete})
}

func TestStripedFullComplete(t *testing.T) {
	var bks []bk
	for _, n := range []int{2, 1, 3} {
		b := full("s/f"+string(rune('0'+n))+".bak", 10, 20, "F1")
		b.famCount, b.famSeq = 3, n
		bks = append(bks, b)
	}
	p := one(t, mkFacts(nil, bks...))
	eq(t, "steps", len(p.Steps), 1)
	eq(t, "stripes in family order", p.Steps[0].Files, []string{"s/f1.bak", "s/f2.bak", "s/f3.bak"})
	eq(t, "familyCount", p.Steps[0].FamilyCount, 3)
}

func TestOnlyFullMissingStripe(t *testing.T) {
	s1 := full("s/f1.bak", 10, 20, "F1")
	s1.famCount, s1.famSeq = 2, 1
	p := one(t, mkFacts(nil, s1, logb("s/log.trn", 10, 30)))
	eq(t, "status", p.Status, StatusNoFull)
	nf := issuesOf(p, KindNoFull)
	if len(nf) != 1 || !strings.Contains(nf[0].Message, "missing stripes") {
		t.Fatalf("no-full: %+v", p.Issues)
	}
}

func TestDuplicateCopyOfFile(t *testing.T) {
	a := logb("s/log1.trn", 10, 30)
	b := a
	b.path = "s/log1 - Copy.trn"
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), a, b))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1 - Copy.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/log1.trn": ReasonDuplicate})
	eq(t, "duplicate issues", len(issuesOf(p, KindDuplicate)), 1)
}

func TestDuplicateRangePrefersRegularLog(t *testing.T) {
	c := logb("s/copy.trn", 10, 30)
	c.copyOnly = true
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), c, logb("s/log1.trn", 10, 30)))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/copy.trn": ReasonDuplicate})
	eq(t, "copy-only issues", len(issuesOf(p, KindCopyOnly)), 1)
}

func TestCopyOnlyLogOverlap(t *testing.T) {
	c := logb("s/copy.trn", 30, 35)
	c.copyOnly = true
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30), c, logb("s/log2.trn", 30, 40)))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn", "s/copy.trn", "s/log2.trn"})
	ov := issuesOf(p, KindOverlap)
	if len(ov) != 1 || ov[0].Before != "s/copy.trn" || ov[0].After != "s/log2.trn" {
		t.Fatalf("overlap: %+v", p.Issues)
	}
	eq(t, "reaches", p.Reaches.LSN, lsn(40))
}

func TestCopyOnlyFullIsNoDifferentialBase(t *testing.T) {
	c := full("s/copyfull.bak", 40, 45, "F2")
	c.copyOnly = true
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), c, diff("s/diff.bak", 50, 60, "D1", "F1", 10)))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/diff.bak"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/copyfull.bak": ReasonSuperseded})
}

func TestEmptyLogAtEndIsRestored(t *testing.T) {
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30), logb("s/log2.trn", 30, 30)))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn", "s/log2.trn"})
	if !p.Steps[2].Empty {
		t.Error("log2 not marked empty")
	}
	eq(t, "reaches", p.Reaches.LSN, lsn(30))
}

func TestLogEndingAtDifferentialIsCovered(t *testing.T) {
	// The sql2008-backups shape: a log ending exactly where the
	// differential ends is too early; the empty log after it is restored.
	p := one(t, mkFacts(nil,
		full("s/full.bak", 10, 20, "F1"),
		diff("s/diff.bak", 30, 45, "D1", "F1", 10),
		logb("s/log1.trn", 5, 45),
		logb("s/log2.trn", 45, 45),
	))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/diff.bak", "s/log2.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/log1.trn": ReasonBeforeBase})
}

func TestSameNameDifferentDatabases(t *testing.T) {
	b := full("s/other.bak", 100, 120, "X1")
	b.family = "fam-b"
	p := Build(mkFacts(nil, full("s/full.bak", 10, 20, "F1"), b))
	if len(p) != 2 {
		t.Fatalf("got %d plans", len(p))
	}
	eq(t, "families", []string{p[0].FamilyGUID, p[1].FamilyGUID}, []string{"fam-a", "fam-b"})
	eq(t, "steps", []string{p[0].Steps[0].File(), p[1].Steps[0].File()}, []string{"s/full.bak", "s/other.bak"})
}

func TestFolderScopeAndOtherDatabase(t *testing.T) {
	o := full("sales/hr.bak", 10, 20, "H1")
	o.db = "HR"
	f := mkFacts([]facts.PlanDatabase{{Name: "Sales", Folder: "sales"}},
		full("sales/full.bak", 10, 20, "F1"), o, full("elsewhere/full.bak", 30, 40, "F2"))
	f.Storage.Files = append(f.Storage.Files, facts.File{Path: "sales/readme.txt", ReadError: "not a SQL Server backup", ReadErrorKind: "not-backup"})
	p := one(t, f)
	eq(t, "steps", stepFiles(p), []string{"sales/full.bak"})
	eq(t, "unused", unusedBy(p), map[string]string{"sales/hr.bak": ReasonOtherDatabase, "sales/readme.txt": ReasonUnreadable})
}

func TestNoBackups(t *testing.T) {
	p := one(t, mkFacts([]facts.PlanDatabase{{Name: "Sales", Folder: "sales"}}, full("other/full.bak", 10, 20, "F1")))
	eq(t, "status", p.Status, StatusNoBackups)
}

func TestNoStorage(t *testing.T) {
	if ps := Build(&facts.Facts{}); ps != nil {
		t.Errorf("plans without storage: %+v", ps)
	}
}

func TestDatabasesFromHeaders(t *testing.T) {
	o := full("hr.bak", 10, 20, "H1")
	o.db = "HR"
	ps := Build(mkFacts(nil, full("sales.bak", 10, 20, "F1"), o))
	if len(ps) != 2 || ps[0].Database != "HR" || ps[1].Database != "Sales" {
		t.Fatalf("plans: %+v", ps)
	}
}

func TestSeveralSetsInOneFile(t *testing.T) {
	fl := full("s/all.bak", 10, 20, "F1").file()
	lg := logb("s/all.bak", 10, 30).file().Backup.Sets[0]
	lg.Position = 2
	fl.Backup.Sets = append(fl.Backup.Sets, lg)
	f := mkFacts(nil)
	f.Storage.Files = append(f.Storage.Files, fl)
	p := one(t, f)
	eq(t, "steps", len(p.Steps), 2)
	eq(t, "positions", []int{p.Steps[0].Position, p.Steps[1].Position}, []int{0, 2})
	eq(t, "reaches", p.Reaches.LSN, lsn(30))
}

func TestJSONAndTable(t *testing.T) {
	p := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30), logb("s/log3.trn", 40, 50)))
	var jb strings.Builder
	if err := WriteJSON(&jb, []Sequence{p}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"plans": [`, `"database": "Sales"`, `"status": "broken"`, `"firstLSN": "4000000000000000001000001"`,
		`"kind": "break"`, `"before": "s/log1.trn"`, `"reason": "after-break"`, `"reaches": {`} {
		if !strings.Contains(jb.String(), w) {
			t.Errorf("JSON lacks %s:\n%s", w, jb.String())
		}
	}
	var tb strings.Builder
	if err := WriteTable(&tb, []Sequence{p}); err != nil {
		t.Fatal(err)
	}
	want := `database Sales: broken
  family fam-a, recovery fork fork-a
  #  TYPE  FIRST LSN                  LAST LSN                   FINISHED (UTC)       FILES
  1  full  4000000000000000001000001  4000000000000000002000001  2026-11-01 10:20:00  s/full.bak
  2  log   4000000000000000001000001  4000000000000000003000001  2026-11-01 10:30:00  s/log1.trn
  reaches LSN 4000000000000000003000001 (2026-11-01 10:30:00 UTC) with s/log1.trn
  break: log chain broken between s/log1.trn (ends at LSN 4000000000000000003000001) and s/log3.trn (starts at LSN 4000000000000000004000001): the log backup covering that range is missing
  not restored:
    s/log3.trn  after-break  starts at LSN 4000000000000000004000001, after the chain ends at LSN 4000000000000000003000001
`
	if tb.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", tb.String(), want)
	}
	tb.Reset()
	if err := WriteTable(&tb, nil); err != nil || tb.String() != "no databases to plan\n" {
		t.Errorf("empty: %q %v", tb.String(), err)
	}
}

func BenchmarkBuild(b *testing.B) {
	// A month of 15-minute logs with a daily full and hourly differentials.
	var bks []bk
	n := 1
	for day := 0; day < 30; day++ {
		start := n
		bks = append(bks, full(fmt.Sprintf("s/full%d.bak", day), n, n+2, fmt.Sprintf("F%d", day)))
		for q := 0; q < 96; q++ {
			bks = append(bks, logb(fmt.Sprintf("s/log%d_%d.trn", day, q), n, n+4))
			if q%4 == 3 {
				bks = append(bks, diff(fmt.Sprintf("s/diff%d_%d.bak", day, q), n+1, n+3, fmt.Sprintf("D%d_%d", day, q), fmt.Sprintf("F%d", day), start))
			}
			n += 4
		}
	}
	f := mkFacts(nil, bks...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ps := Build(f)
		if len(ps) != 1 || ps[0].Status != StatusReady {
			b.Fatalf("plans: %d %s", len(ps), ps[0].Status)
		}
	}
}

func TestUnknownAndProvisionalHeaders(t *testing.T) {
	f := mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30), logb("s/log2.trn", 30, 40))
	f.Storage.Files[2].Backup.Sets[0].Unknown = []string{"lastLSN"}
	p := one(t, f)
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/log2.trn": ReasonUnknownLSN})

	// A provisional header's LastLSN is an estimate: no sequence is built
	// on it, neither a pass nor a break.
	f = mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30), logb("s/log2.trn", 30, 40))
	f.Storage.Files[1].Backup.Sets[0].Provisional = true
	p = one(t, f)
	eq(t, "status", p.Status, StatusUndecided)
	eq(t, "steps", stepFiles(p), []string(nil))
	eq(t, "unused", unusedBy(p), map[string]string{"s/log1.trn": ReasonProvisional})
	eq(t, "provisional", len(issuesOf(p, KindProvisional)), 1)
	if p.Reaches != nil || len(issuesOf(p, KindBreak)) > 0 {
		t.Errorf("a sequence was built on a provisional header: %+v", p)
	}
}

// TestAppendedCompressedProvisional: a compressed file with two appended
// sets is read from its head (the first set's provisional header) and its
// tail (the last set's final header). The full's provisional LastLSN (150)
// is short of its final one (200), so a chain built on it shows a break
// before a log that starts at 180 and is in fact restorable. The planner
// must not build on it.
func TestAppendedCompressedProvisional(t *testing.T) {
	l := func(b uint32) facts.LSN { return facts.LSN{VLF: 30, Block: b, Slot: 1} }
	fam := "11111111-1111-1111-1111-111111111111"
	fullSet := backuptest.Set{DatabaseName: "Sales", FirstLSN: l(100), CheckpointLSN: l(100), LastLSN: l(200),
		ProvisionalLastLSN: l(150), Checksums: true, FamilyGUID: fam, RecoveryForkID: fam}
	later := backuptest.Set{DatabaseName: "Sales", Type: facts.TypeLog, FirstLSN: l(300), LastLSN: l(400),
		Checksums: true, FamilyGUID: fam, RecoveryForkID: fam}
	log := backuptest.Set{DatabaseName: "Sales", Type: facts.TypeLog, FirstLSN: l(180), LastLSN: l(300),
		DatabaseBackupLSN: l(100), Checksums: true, FamilyGUID: fam, RecoveryForkID: fam,
		BackupSetGUID: "33333333-3333-3333-3333-333333333333"}
	read := func(path string, spec backuptest.Spec) facts.File {
		b := backuptest.Bytes(spec)
		m, err := backup.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return facts.File{Path: path, Size: int64(len(b)), Backup: m}
	}
	f := mkFacts(nil)
	f.Storage.Files = []facts.File{
		read("s/Sales.bak", backuptest.Spec{Compressed: true, Sets: []backuptest.Set{fullSet, later}}),
		read("s/Sales_log.trn", backuptest.Spec{Sets: []backuptest.Set{log}}),
	}
	if s := f.Storage.Files[0].Backup.Sets[0]; !s.Provisional || s.LastLSN != l(150) {
		t.Fatalf("the reader no longer reports the first set provisional (LastLSN %s): rewrite this test", s.LastLSN)
	}
	p := one(t, f)
	if p.Status != StatusUndecided || len(p.Steps) > 0 || len(issuesOf(p, KindBreak)) > 0 {
		t.Errorf("plan built on a provisional header: status %s, steps %v, breaks %v", p.Status, stepFiles(p), issuesOf(p, KindBreak))
	}
	if is := issuesOf(p, KindProvisional); len(is) != 1 || !strings.Contains(is[0].Message, "undecided") {
		t.Errorf("provisional issue: %+v", is)
	}
	if Broken([]Sequence{p}) != true {
		t.Error("an undecided plan counted as ready")
	}
}

func TestWriteFormatsAndBroken(t *testing.T) {
	ok := one(t, mkFacts(nil, full("s/full.bak", 10, 20, "F1")))
	bad := one(t, mkFacts(nil, logb("s/log.trn", 10, 20)))
	if Broken([]Sequence{ok}) || !Broken([]Sequence{ok, bad}) {
		t.Error("Broken")
	}
	var b strings.Builder
	if err := Write(&b, "json", []Sequence{ok}); err != nil || !strings.HasPrefix(b.String(), "{\n  \"plans\"") {
		t.Errorf("json: %v %q", err, b.String())
	}
	if err := Write(&b, "xml", nil); err == nil {
		t.Error("xml accepted")
	}
}

// TestCutFilesNotRestored: a file cut short (an interrupted copy) whose
// first header still decoded cannot be restored: the plan must not start
// from it or restore it, or restore-plan calls a broken database ready.
func TestCutFilesNotRestored(t *testing.T) {
	cut := func(f *facts.File) {
		f.Backup.Sets[0].Provisional = true
		f.ReadErrorKind, f.ReadError = "truncated", "truncated at offset 20000: the file ends"
	}
	f := mkFacts(nil, full("s/full.bak", 10, 20, "F1"))
	cut(&f.Storage.Files[0])
	p := one(t, f)
	eq(t, "steps", stepFiles(p), []string(nil))
	eq(t, "unused", unusedBy(p), map[string]string{"s/full.bak": ReasonUnreadable})
	if p.Status == StatusReady {
		t.Errorf("status %s with the only full backup cut short", p.Status)
	}
	// The backup was found: "no backups" would contradict DMS210's count.
	if is := issuesOf(p, KindNoFull); p.Status != StatusNoFull || len(is) != 1 || !strings.Contains(is[0].Message, "s/full.bak (truncated at offset 20000") {
		t.Errorf("status %s, issues %+v: want no-full naming the cut file", p.Status, p.Issues)
	}

	f = mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30), logb("s/log2.trn", 30, 40))
	cut(&f.Storage.Files[2])
	p = one(t, f)
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/log2.trn": ReasonUnreadable})
}

// Without base GUIDs the differential's base LSN may equal the full's
// FirstLSN (RESTORE HEADERONLY: DifferentialBaseLSN is the base's FirstLSN)
// rather than its CheckpointLSN; both mean the same base.
func TestDifferentialBaseByFirstLSN(t *testing.T) {
	f := full("s/full.bak", 10, 20, "")
	f.ckpt = 15
	byFirst := diff("s/diff.bak", 30, 40, "", "", 10)
	p := one(t, mkFacts(nil, f, byFirst))
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/diff.bak"})
	byCkpt := diff("s/diff.bak", 30, 40, "", "", 15)
	p = one(t, mkFacts(nil, f, byCkpt))
	eq(t, "steps by checkpoint", stepFiles(p), []string{"s/full.bak", "s/diff.bak"})
	other := diff("s/diff.bak", 30, 40, "", "", 12)
	p = one(t, mkFacts(nil, f, other))
	eq(t, "steps of another base", stepFiles(p), []string{"s/full.bak"})
}

// TestSupersededNamesTheSet: public-newer's QuanLyKhachSan.bak holds two
// full backups; the older one is superseded by set 2 of the same file, and
// the reason must say which set, not "older than QuanLyKhachSan.bak".
func TestSupersededNamesTheSet(t *testing.T) {
	f := mkFacts(nil, full("s/two.bak", 10, 20, "F1"))
	second := full("s/two.bak", 30, 40, "F2").file()
	second.Backup.Sets[0].Position = 2
	f.Storage.Files[0].Backup.Sets = append(f.Storage.Files[0].Backup.Sets, second.Backup.Sets[0])
	p := one(t, f)
	if len(p.Unused) != 1 || p.Unused[0].Detail() != "an older full backup than s/two.bak (backup set 2)" {
		t.Errorf("unused: %+v", p.Unused)
	}
}

// TestCutTrailerNotRestored: a file cut inside its last set's trailer
// (SFMB ESET ESET SFMB) still has its final header copy, so the reader
// returns the set as final (not provisional) along with a truncated
// error. SQL Server cannot restore it either: the plan must not restore
// it and call the chain ready.
func TestCutTrailerNotRestored(t *testing.T) {
	lsnAt := func(block uint32) facts.LSN { return facts.LSN{VLF: 30, Block: block, Slot: 1} }
	file := func(path string, s backuptest.Set, cut int) facts.File {
		s.DatabaseName = "Sales"
		b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{s}})
		b = b[:len(b)-cut]
		m, err := backup.Read(bytes.NewReader(b), int64(len(b)))
		f := facts.File{Path: path, Size: int64(len(b)), Backup: m}
		if err != nil {
			var e *backup.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: %v", path, err)
			}
			f.ReadError, f.ReadErrorKind = err.Error(), facts.ReadErrorKind(e.Kind)
		}
		return f
	}
	f := mkFacts(nil)
	f.Storage.Files = []facts.File{
		file("s/full.bak", backuptest.Set{Type: facts.TypeFull, FirstLSN: lsnAt(100), LastLSN: lsnAt(150), BackupSetGUID: "00000000-0000-0000-0000-0000000000F1"}, 0),
		file("s/log1.trn", backuptest.Set{Type: facts.TypeLog, FirstLSN: lsnAt(100), LastLSN: lsnAt(200), BackupSetGUID: "00000000-0000-0000-0000-0000000000A1"}, 0),
		file("s/log2.trn", backuptest.Set{Type: facts.TypeLog, FirstLSN: lsnAt(200), LastLSN: lsnAt(300), BackupSetGUID: "00000000-0000-0000-0000-0000000000A2"}, 100),
	}
	cut := f.Storage.Files[2]
	if cut.ReadErrorKind != facts.ReadTruncated || cut.Backup == nil || cut.Backup.Sets[0].Provisional {
		t.Fatalf("the reader's view of the cut file changed: kind %q, media %+v", cut.ReadErrorKind, cut.Backup)
	}
	p := one(t, f)
	eq(t, "steps", stepFiles(p), []string{"s/full.bak", "s/log1.trn"})
	eq(t, "unused", unusedBy(p), map[string]string{"s/log2.trn": ReasonUnreadable})
}

// TestPasswordMediaNotRestored: a backup on a media set with a media
// password (appveyor-lab's backuppassword/passwd.bak: the TAPE block's
// password field is set) restores only WITH MEDIAPASSWORD, which DMS has
// no way to give: it is not a restore step, and the plan says why.
func TestPasswordMediaNotRestored(t *testing.T) {
	yes := true
	f := mkFacts(nil, full("s/full.bak", 10, 20, "F1"), logb("s/log1.trn", 10, 30))
	f.Storage.Files[0].Backup.PasswordProtected = &yes
	p := one(t, f)
	eq(t, "steps", stepFiles(p), []string(nil))
	eq(t, "unused", unusedBy(p), map[string]string{"s/full.bak": ReasonPassword, "s/log1.trn": ReasonNoFull})
	if is := issuesOf(p, KindNoFull); p.Status != StatusNoFull || len(is) != 1 || !strings.Contains(is[0].Message, "s/full.bak") || !strings.Contains(is[0].Message, "password") {
		t.Errorf("status %s, issues %+v: want no-full naming the password-protected full", p.Status, p.Issues)
	}
	// A backup set password (BACKUP ... WITH PASSWORD) likewise.
	f = mkFacts(nil, full("s/full.bak", 10, 20, "F1"))
	f.Storage.Files[0].Backup.Sets[0].PasswordProtected = &yes
	p = one(t, f)
	eq(t, "set password: unused", unusedBy(p), map[string]string{"s/full.bak": ReasonPassword})
	if p.Status != StatusNoFull {
		t.Errorf("set password: status %s", p.Status)
	}
	// Unknown (nil) or false is not a password.
	no := false
	f = mkFacts(nil, full("s/full.bak", 10, 20, "F1"))
	f.Storage.Files[0].Backup.PasswordProtected = &no
	eq(t, "no password: steps", stepFiles(one(t, f)), []string{"s/full.bak"})
	t.Run("sample", func(t *testing.T) {
		m, err := backup.ReadFile(filepath.Join("..", "..", "..", "shared", "samples", "appveyor-lab", "backuppassword", "passwd.bak"))
		if err != nil {
			var e *backup.Error
			if errors.As(err, &e) && e.Kind == backup.KindUnreadable {
				t.Skipf("samples absent: %v", err)
			}
			t.Fatal(err)
		}
		f := mkFacts(nil)
		f.Storage.Files = []facts.File{{Path: "passwd.bak", Size: 1, Backup: m}}
		ps := Build(f)
		if len(ps) != 1 || ps[0].Status != StatusNoFull || len(ps[0].Unused) != 1 || ps[0].Unused[0].Reason != ReasonPassword {
			t.Fatalf("passwd.bak: %+v", ps)
		}
	})
}

// DMS reads only the files directly in a database's folder (dms-rules:
// one flat folder per database, no nesting): a backup in a subfolder of
// the plan's folder is never restored, so it neither completes nor breaks
// the plan. Without a plan folder the database's backups are grouped by
// header wherever they lie, as before (docs/restore-plan.md says why).
func TestNestedFilesNotInPlan(t *testing.T) {
	dbs := []facts.PlanDatabase{{Name: "Sales", Folder: "sales"}}
	// The log that continues the chain sits below the folder: DMS
	// restores the full alone, which the plan must say.
	p := one(t, mkFacts(dbs, full("sales/full.bak", 10, 20, "F1"), logb("sales/old/log1.trn", 15, 30)))
	eq(t, "steps", stepFiles(p), []string{"sales/full.bak"})
	eq(t, "reaches", p.Reaches.LSN, lsn(20))
	eq(t, "unused", unusedBy(p), map[string]string{})

	// The only full sits below the folder: DMS finds no backup to start from.
	p = one(t, mkFacts(dbs, full("sales/FULL/full.bak", 10, 20, "F1"), logb("sales/log1.trn", 15, 30)))
	eq(t, "status", p.Status, StatusNoFull)

	// A nested log past a gap does not break the chain DMS restores, nor
	// do a nested unreadable file and another database's nested backup.
	o := full("sales/hr/hr.bak", 10, 20, "H1")
	o.db = "HR"
	f := mkFacts(dbs, full("sales/full.bak", 10, 20, "F1"), logb("sales/log1.trn", 15, 30), logb("sales/archive/log9.trn", 50, 60), o)
	f.Storage.Files = append(f.Storage.Files, facts.File{Path: "sales/x/cut.trn", ReadError: "truncated at offset 512", ReadErrorKind: "truncated"})
	p = one(t, f)
	eq(t, "status", p.Status, StatusReady)
	eq(t, "steps", stepFiles(p), []string{"sales/full.bak", "sales/log1.trn"})
	eq(t, "issues", len(p.Issues), 0)
	eq(t, "unused", unusedBy(p), map[string]string{})

	// No plan folder: grouped by header over the whole listing, unchanged.
	p = one(t, mkFacts([]facts.PlanDatabase{{Name: "Sales"}}, full("sales/full.bak", 10, 20, "F1"), logb("sales/old/log1.trn", 15, 30)))
	eq(t, "steps", stepFiles(p), []string{"sales/full.bak", "sales/old/log1.trn"})
}
