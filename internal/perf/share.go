package perf

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

// ShareSpec is a synthetic local share written with backuptest, laid out as
// the estate: per database a backup every 15 minutes, a full daily,
// a differential every 4 hours, logs in between, one folder per database.
type ShareSpec struct {
	Databases int // default 100
	Backups   int // in all; default 100,000
	// CompressedEvery compresses every n-th database (4: a quarter); 0 none.
	CompressedEvery int
}

// WriteShare writes spec under dir and returns the files and bytes written.
func WriteShare(dir string, spec ShareSpec) (files int, bytes int64, err error) {
	if spec.Databases <= 0 {
		spec.Databases = 100
	}
	if spec.Backups <= 0 {
		spec.Backups = 100000
	}
	per := spec.Backups / spec.Databases
	type job struct {
		path string
		spec backuptest.Spec
	}
	jobs := make(chan job, 64)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				b := backuptest.Bytes(j.spec)
				werr := os.WriteFile(j.path, b, 0o644)
				mu.Lock()
				files++
				bytes += int64(len(b))
				if werr != nil && err == nil {
					err = werr
				}
				mu.Unlock()
			}
		}()
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := range spec.Databases {
		db := fmt.Sprintf("db%03d", d)
		if e := os.MkdirAll(filepath.Join(dir, db), 0o755); e != nil {
			close(jobs)
			wg.Wait()
			return files, bytes, e
		}
		lsn := func(n int) facts.LSN {
			return facts.LSN{VLF: uint32(40 + n/100000), Block: uint32(n % 100000), Slot: 1}
		}
		n, logFrom := 1000, 1000
		var fullGUID string
		var fullCkpt int
		compressed := spec.CompressedEvery > 0 && d%spec.CompressedEvery == 0
		for i := range per {
			n += 7
			at := t0.Add(time.Duration(i) * 15 * time.Minute)
			s := backuptest.Set{DatabaseName: db, Checksums: true, Start: at, Finish: at.Add(time.Minute),
				BackupSetGUID: fmt.Sprintf("%08x-%04x-4000-8000-%012x", d, i%0x10000, i)}
			name := fmt.Sprintf("%s/%s_LOG_%s.trn", db, db, at.Format("20060102_1504"))
			switch {
			case i%96 == 0:
				s.Type, s.DataBytes = facts.TypeFull, 256<<10
				s.FirstLSN, s.CheckpointLSN, s.LastLSN = lsn(n-4), lsn(n-2), lsn(n)
				fullGUID, fullCkpt = s.BackupSetGUID, n-2
				name = fmt.Sprintf("%s/%s_FULL_%s.bak", db, db, at.Format("20060102_1504"))
			case i%16 == 0:
				s.Type, s.DataBytes = facts.TypeDifferential, 64<<10
				s.FirstLSN, s.CheckpointLSN, s.LastLSN = lsn(n-4), lsn(n-2), lsn(n)
				s.DatabaseBackupLSN, s.DifferentialBaseLSN, s.DifferentialBaseGUID = lsn(fullCkpt), lsn(fullCkpt), fullGUID
				name = fmt.Sprintf("%s/%s_DIFF_%s.bak", db, db, at.Format("20060102_1504"))
			default:
				s.Type = facts.TypeLog
				s.FirstLSN, s.LastLSN, s.CheckpointLSN, s.DatabaseBackupLSN = lsn(logFrom), lsn(n), lsn(fullCkpt), lsn(fullCkpt)
				logFrom = n
			}
			jobs <- job{filepath.Join(dir, filepath.FromSlash(name)), backuptest.Spec{Compressed: compressed, Sets: []backuptest.Set{s}}}
		}
	}
	close(jobs)
	wg.Wait()
	return files, bytes, err
}
