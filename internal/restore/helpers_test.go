package restore

import (
	"fmt"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
)

// lsn builds an LSN in VLF 4000000000, so every value in these tests is
// beyond 2^64 as a decimal and only exact comparison gets them right.
func lsn(block int) facts.LSN {
	if block == 0 {
		return facts.LSN{}
	}
	return facts.LSN{VLF: 4000000000, Block: uint32(block), Slot: 1}
}

var t0 = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

// bk describes one synthetic backup set stripe.
type bk struct {
	path        string
	typ         string
	first, last int
	ckpt, dbb   int // checkpoint LSN, DatabaseBackupLSN
	guid        string
	baseGUID    string // differential base
	db          string // default "Sales"
	family      string // default "fam-a"
	fork        string // default "fork-a"
	famCount    int    // FamilyCount (default 1)
	famSeq      int    // FamilySequence (default 1)
	copyOnly    bool
	version     int
	files       []string // logical names
}

func (b bk) file() facts.File {
	s := facts.BackupSet{
		Position: 1, DatabaseName: "Sales", BackupType: b.typ,
		FirstLSN: lsn(b.first), LastLSN: lsn(b.last), CheckpointLSN: lsn(b.ckpt), DatabaseBackupLSN: lsn(b.dbb),
		BackupSetGUID: b.guid, DifferentialBaseGUID: b.baseGUID, FamilyGUID: "fam-a", RecoveryForkID: "fork-a",
		DatabaseVersion: sqlrelease.SQL2008R2.Writes, SoftwareMajor: sqlrelease.SQL2008R2.Major, SoftwareVersion: "10.50.1600",
	}
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
	if b.ckpt == 0 {
		s.CheckpointLSN = lsn(b.first)
	}
	if b.typ == facts.TypeDifferential && b.baseGUID == "" {
		s.DifferentialBaseLSN = lsn(b.dbb)
	}
	if b.copyOnly {
		t := true
		s.IsCopyOnly = &t
	}
	for i, n := range b.files {
		s.Files = append(s.Files, facts.BackupFile{LogicalName: n, Type: "D", FileID: i + 1})
	}
	fin := t0.Add(time.Duration(b.last) * time.Minute)
	s.BackupFinishDate = &fin
	ms := "media-" + b.guid
	if b.guid == "" {
		ms = "media-" + b.path
	}
	m := &facts.BackupMedia{MediaSetID: ms, FamilyCount: 1, FamilySequence: 1, Sets: []facts.BackupSet{s}}
	if b.famCount > 0 {
		m.FamilyCount, m.FamilySequence = b.famCount, b.famSeq
	}
	return facts.File{Path: b.path, Size: 1024, Backup: m}
}

func full(path string, first, last int, guid string) bk {
	return bk{path: path, typ: facts.TypeFull, first: first, last: last, guid: guid}
}

func diff(path string, first, last int, guid, base string, baseCkpt int) bk {
	return bk{path: path, typ: facts.TypeDifferential, first: first, last: last, guid: guid, baseGUID: base, dbb: baseCkpt}
}

func logb(path string, first, last int) bk {
	return bk{path: path, typ: facts.TypeLog, first: first, last: last, guid: "g-" + path}
}

func mkFacts(dbs []facts.PlanDatabase, bks ...bk) *facts.Facts {
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: t0,
		Plan:    facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}, Mode: "offline", Databases: dbs},
		Storage: &facts.Storage{Kind: "blob", Files: []facts.File{}, HeadersRead: true}}
	for _, b := range bks {
		f.Storage.Files = append(f.Storage.Files, b.file())
	}
	return f
}

func one(t *testing.T, f *facts.Facts) Sequence {
	t.Helper()
	ps := Build(f)
	if len(ps) != 1 {
		t.Fatalf("got %d plans, want 1: %+v", len(ps), ps)
	}
	return ps[0]
}

func stepFiles(p Sequence) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.File())
	}
	return out
}

func unusedBy(p Sequence) map[string]string {
	m := map[string]string{}
	for _, u := range p.Unused {
		m[u.File()] = u.Reason
	}
	return m
}

func issuesOf(p Sequence, kind string) []Issue {
	var out []Issue
	for _, is := range p.Issues {
		if is.Kind == kind {
			out = append(out, is)
		}
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
