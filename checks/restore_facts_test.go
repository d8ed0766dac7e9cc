package checks

import (
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
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
		FamilyGUID: "fam-a", RecoveryForkID: "fork-a", DatabaseVersion: sqlrelease.SQL2008R2.Writes, SoftwareMajor: sqlrelease.SQL2008R2.Major, SoftwareMinor: sqlrelease.SQL2008R2.Minor, SoftwareVersion: "10.50.1600"}
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

func rfacts(plan facts.ResolvedPlan, bs ...rb) *facts.Facts {
	if plan.Target.Kind == "" {
		plan.Target.Kind = facts.KindMI
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Plan: plan, Storage: &facts.Storage{Files: []facts.File{}, HeadersRead: true}}
	for _, b := range bs {
		f.Storage.Files = append(f.Storage.Files, b.file())
	}
	return f
}

var salesPlan = facts.ResolvedPlan{Mode: "online", Databases: []facts.PlanDatabase{{Name: "Sales", Folder: "s"}}}

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

func samplePlan(f *facts.Facts, kind, version string, mode facts.Mode, dbs ...facts.PlanDatabase) *facts.Facts {
	f.Plan = facts.ResolvedPlan{Target: facts.PlanTarget{Kind: kind, Version: version}, Mode: mode, Databases: dbs}
	return f
}
