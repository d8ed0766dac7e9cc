package checks

import (
	"slices"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// What several checks read per database is indexed here once per run
// (check.Pass.Derived), so that no check scans every file of the storage
// for every database: the checks stay linear in the estate.

// databases is databases(p), built once per run (without a plan it
// is built from every file). Read-only: the checks share it.
func databases(p *check.Pass) []facts.PlanDatabase {
	// Clipped: an append by one check never writes where another reads.
	return p.Derived("facts.databases", func(f *facts.Facts) any { return slices.Clip(f.Databases()) }).([]facts.PlanDatabase)
}

// folderOf is dbFolder's answer for one database.
type folderOf struct {
	folder string
	ok     bool
	why    string
}

// dbFolders are the folders of databases(p), in the same order, found once
// per run. Only checks that need storage may ask.
func dbFolders(p *check.Pass) []folderOf {
	dbs := databases(p)
	idx := dbIndexOf(p)
	return p.Derived("storage.folders", func(f *facts.Facts) any {
		out := make([]folderOf, len(dbs))
		for i, d := range dbs {
			out[i].folder, out[i].ok, out[i].why = dbFolder(f.Storage, idx, d)
		}
		return out
	}).([]folderOf)
}

// unreadIndex lists the files whose read failed (readFailed), as listed:
// in each folder, and in each folder or below it ("" holds them all).
type unreadIndex struct {
	in, under map[string][]string
}

func unreadOf(p *check.Pass) unreadIndex {
	return p.Derived("storage.unread", func(f *facts.Facts) any {
		x := unreadIndex{in: map[string][]string{}, under: map[string][]string{}}
		for _, fl := range scan(f.Storage) {
			if !readFailed(fl) {
				continue
			}
			dir := fl.Dir()
			x.in[dir] = append(x.in[dir], fl.Path)
			// Every folder isUnder(dir, folder) holds: the root, each
			// prefix of dir ending before a "/", and dir itself.
			x.under[""] = append(x.under[""], fl.Path)
			for i := 1; i < len(dir); i++ {
				if dir[i] == '/' {
					x.under[dir[:i]] = append(x.under[dir[:i]], fl.Path)
				}
			}
			if dir != "" {
				x.under[dir] = append(x.under[dir], fl.Path)
			}
		}
		return x
	}).(unreadIndex)
}

// unreadIn lists the files whose read failed in folder (and below it when
// deep), sorted as listed. Read-only: the checks share it.
func unreadIn(p *check.Pass, folder string, deep bool) []string {
	x := unreadOf(p)
	s := x.in[folder]
	if deep {
		s = x.under[folder]
	}
	return s[:len(s):len(s)]
}

// unreadFor lists the files that could hold the i-th of databases(p)'s
// backups but could not be read: in its folder (the plan's, or the one its
// backups were found in, and below it), or anywhere when neither is known.
func unreadFor(p *check.Pass, i int) []string {
	if fo := dbFolders(p)[i]; fo.ok {
		return unreadIn(p, fo.folder, true)
	}
	return unreadIn(p, "", true)
}

// scanned, when set (by tests), is told the number of rows each time a
// check walks every file of the storage or every row of the backup history:
// the walks per run must not grow with the number of databases.
var scanned func(rows int)

// scan returns st's files for a walk over all of them. Every such walk in
// the checks goes through it (TestScansAreCounted keeps it so), never one
// per database.
func scan(st *facts.Storage) []facts.File {
	if st == nil {
		return nil
	}
	if scanned != nil {
		scanned(len(st.Files))
	}
	return st.Files
}

// scanHistory returns srv's backup history for a walk over all of it,
// counted as scan counts files.
func scanHistory(srv *facts.Server) []facts.BackupHistory {
	if srv == nil {
		return nil
	}
	if scanned != nil {
		scanned(len(srv.BackupHistory))
	}
	return srv.BackupHistory
}
