package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// withFiles is f with more files in its listing.
func withFiles(f *facts.Facts, more ...facts.File) *facts.Facts {
	f.Storage.Files = append(f.Storage.Files, more...)
	return f
}

func TestNoFullBackup(t *testing.T) {
	testCheck(t, NoFullBackup, []tcase{
		{"full", rfacts(salesPlan, chainOK...), []string{"pass database:Sales: restore starts from full backup s/full.bak"}},
		{"no full", rfacts(salesPlan, without(chainOK, "s/full.bak")...), []string{"fail database:Sales: no full backup of the database is among the files in folder s"}},
		{"no backups", rfacts(salesPlan), []string{"fail database:Sales: no backup of the database was found in folder s"}},
		// DMS reads only the folder's own files: a full below it is never
		// restored (it passed as the restore's start).
		{"full in a subfolder", rfacts(salesPlan, rfull("s/FULL/full.bak", 10, 20, "F1"), rlog("s/log1.trn", 10, 30)),
			[]string{"fail database:Sales: no full backup of the database is among the files in folder s (1 backup file of it in subfolders, which DMS does not read; see DMS204: s/FULL/full.bak)"}},
		{"only in subfolders", rfacts(salesPlan, rfull("s/FULL/full.bak", 10, 20, "F1")),
			[]string{"fail database:Sales: no backup of the database was found in folder s (1 backup file of it in subfolders"}},
		// A file DMS never sees, unread or not, decides nothing.
		{"unread file in a subfolder", withFiles(rfacts(salesPlan, chainOK...), unread("s/old/x.trn")),
			[]string{"pass database:Sales: restore starts from full backup s/full.bak"}},
		// A file whose header did not decode for a reason nobody classified
		// (a reader panic) may be the full: undecided, never a pass.
		{"unreadable file in the folder", withFiles(rfacts(salesPlan, chainOK...),
			facts.File{Path: "s/x.bak", Size: 4096, ReadErrorKind: facts.ReadUnreadable, ReadError: "header reader failed: index out of range"}),
			[]string{"error database:Sales: the backup sets of 1 file could not be read, so this is undecided: s/x.bak (unreadable)"}},
		{"corrupt and io-error files in the folder", withFiles(rfacts(salesPlan, chainOK...), unread("s/y.trn"),
			facts.File{Path: "s/x.bak", Size: 4096, ReadErrorKind: facts.ReadCorrupt, ReadError: "MTF block checksum mismatch"}),
			[]string{"error database:Sales: the backup sets of 2 files could not be read, so this is undecided: s/y.trn (io-error), s/x.bak (corrupt)"}},
		// Managed Instance restores no system database: its chain is not
		// judged (it passed as "restore starts from full backup").
		{"system database on Managed Instance", rfacts(facts.ResolvedPlan{Mode: "offline", Databases: []facts.PlanDatabase{{Name: "master", Folder: "m"}}},
			rb{path: "m/master.bak", typ: facts.TypeFull, first: 10, last: 20, guid: "M1", db: "master"},
			rb{path: "m/master2.bak", typ: facts.TypeFull, first: 10, last: 20, guid: "M2", db: "master", family: "fam-b"}),
			[]string{"skip database:master: master is a system database, which Managed Instance does not restore (see DMS104)"}},
		// Known not to be backups: they change nothing.
		{"not backups in the folder", withFiles(rfacts(salesPlan, chainOK...),
			facts.File{Path: "s/readme.txt", Size: 10, ReadErrorKind: facts.ReadNotBackup, ReadError: "not a SQL Server backup"},
			facts.File{Path: "s/empty.bak", ReadErrorKind: facts.ReadEmpty, ReadError: "empty file"}),
			[]string{"pass database:Sales: restore starts from full backup s/full.bak"}},
	})
}
