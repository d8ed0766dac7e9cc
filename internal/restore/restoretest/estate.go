package restoretest

import (
	"fmt"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

// EstateSpec describes a synthetic estate of backup headers (facts only, no
// files): per database a run of backups every 15 minutes, a full every
// FullEvery backups, a differential every DiffEvery, logs in between.
type EstateSpec struct {
	Databases int // default 1
	Backups   int // per database; default a year of 15-minute backups (35,040)
	FullEvery int // default 96 (daily)
	DiffEvery int // default 16 (4-hourly)
	// Broken drops the third-last log of every database: a gap after the
	// last full and differential, which no full can bridge (the worst case
	// for choosing the starting full).
	Broken bool
	// BrokenEarly drops a log early in the chain as well.
	BrokenEarly bool
	// Folders puts each database's backups flat in its own folder and
	// names it in the plan with that folder (scoped); otherwise the plan
	// lists none and they sit in FULL, DIFF and LOG subfolders.
	Folders bool
	// Server adds a source server reporting every database (FULL recovery).
	Server bool
	// LSNBases leaves out differential base GUIDs: every other differential
	// names its full by FirstLSN, the others by CheckpointLSN.
	LSNBases bool
}

var estateT0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Estate builds facts for spec. The result is deterministic.
func Estate(spec EstateSpec) *facts.Facts {
	if spec.Databases <= 0 {
		spec.Databases = 1
	}
	if spec.Backups <= 0 {
		spec.Backups = 365 * 96
	}
	if spec.FullEvery <= 0 {
		spec.FullEvery = 96
	}
	if spec.DiffEvery <= 0 {
		spec.DiffEvery = 16
	}
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: estateT0.Add(time.Duration(spec.Backups+1) * 15 * time.Minute),
		Plan:    facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}, Mode: "offline"},
		Storage: &facts.Storage{Kind: facts.StorageShare, Location: "/estate", HeadersRead: true}}
	f.Storage.Files = make([]facts.File, 0, spec.Databases*spec.Backups)
	if spec.Server {
		f.Server = &facts.Server{Name: "SRV", Databases: []facts.Database{}}
	}
	for d := range spec.Databases {
		db := fmt.Sprintf("db%05d", d)
		dir := db
		if spec.Folders {
			f.Plan.Databases = append(f.Plan.Databases, facts.PlanDatabase{Name: db, Folder: dir})
		}
		if f.Server != nil {
			f.Server.Databases = append(f.Server.Databases, facts.Database{Name: db, RecoveryModel: "FULL"})
		}
		estateDB(f, spec, d, db, dir)
	}
	return f
}

func estateDB(f *facts.Facts, spec EstateSpec, d int, db, dir string) {
	lsn := func(n uint64) facts.LSN {
		return facts.LSN{VLF: uint32(40 + n/100000), Block: uint32(n % 100000), Slot: 1}
	}
	created := estateT0.Add(-24 * time.Hour)
	family := fmt.Sprintf("%08x-0000-4000-8000-%012x", d, d)
	n := uint64(1000)
	logFrom := n
	var fullGUID string
	var fullCkpt, fullFirst uint64
	for i := range spec.Backups {
		at := estateT0.Add(time.Duration(i) * 15 * time.Minute)
		fin := at.Add(time.Minute)
		n += 7
		s := facts.BackupSet{
			Position: 1, DatabaseName: db, ServerName: "SRV", SoftwareVersion: "15.0.4153", SoftwareMajor: 15,
			SoftwareBuild: 4153, DatabaseVersion: 904, CompatibilityLevel: 150, RecoveryModel: "FULL",
			HasBackupChecksums: true, DatabaseCreationDate: &created, BackupStartDate: &at, BackupFinishDate: &fin,
			BackupSetGUID: fmt.Sprintf("%08x-%04x-4000-8000-%012x", d, i%0x10000, i), FamilyGUID: family,
			RecoveryForkID: family, BackupSize: 1 << 20,
			Files: []facts.BackupFile{
				{LogicalName: db, PhysicalName: `D:\Data\` + db + ".mdf", Type: "D", FileID: 1, Size: 1 << 30, FileGroupName: "PRIMARY"},
				{LogicalName: db + "_log", PhysicalName: `L:\Log\` + db + "_log.ldf", Type: "L", FileID: 2, Size: 1 << 28},
			},
		}
		var kind string
		switch {
		case i%spec.FullEvery == 0:
			kind, s.BackupType, s.BackupTypeCode = "FULL", facts.TypeFull, 1
			s.FirstLSN, s.CheckpointLSN, s.LastLSN = lsn(n-4), lsn(n-2), lsn(n)
			fullGUID, fullCkpt, fullFirst = s.BackupSetGUID, n-2, n-4
		case i%spec.DiffEvery == 0:
			kind, s.BackupType, s.BackupTypeCode = "DIFF", facts.TypeDifferential, 5
			s.FirstLSN, s.CheckpointLSN, s.LastLSN = lsn(n-4), lsn(n-2), lsn(n)
			s.DatabaseBackupLSN, s.DifferentialBaseLSN, s.DifferentialBaseGUID = lsn(fullCkpt), lsn(fullCkpt), fullGUID
			if spec.LSNBases {
				s.DifferentialBaseGUID = ""
				if (i/spec.DiffEvery)%2 == 1 {
					s.DifferentialBaseLSN = lsn(fullFirst)
				}
			}
		default:
			kind, s.BackupType, s.BackupTypeCode = "LOG", facts.TypeLog, 2
			s.FirstLSN, s.LastLSN, s.CheckpointLSN = lsn(logFrom), lsn(n), lsn(fullCkpt)
			s.DatabaseBackupLSN = lsn(fullCkpt)
			logFrom = n
			if (spec.Broken && i == spec.Backups-3) || (spec.BrokenEarly && i == spec.Backups/3+1) {
				continue // the missing log
			}
		}
		ext := ".bak"
		if kind == "LOG" {
			ext = ".trn"
		}
		// Unscoped: Ola Hallengren's FULL/DIFF/LOG subfolders, planned by
		// header. Scoped: flat in the folder, the only layout DMS reads.
		p := fmt.Sprintf("%s/%s/%s_%s_%s%s", dir, kind, db, kind, at.Format("20060102_150405"), ext)
		if spec.Folders {
			p = fmt.Sprintf("%s/%s_%s_%s%s", dir, db, kind, at.Format("20060102_150405"), ext)
		}
		mt := fin
		f.Storage.Files = append(f.Storage.Files, facts.File{Path: p, Size: 1 << 20, LastModified: &mt,
			Backup: &facts.BackupMedia{MediaSetID: s.BackupSetGUID, FamilyCount: 1, FamilySequence: 1, BlockSize: 512,
				Sets: []facts.BackupSet{s}, Reads: 2, BytesRead: 64 << 10}})
		f.Storage.BytesRead += 64 << 10
		f.Storage.Reads += 2
		f.Storage.TotalBytes += 1 << 20
	}
}
