package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// plannedScope is what DMS reads for the planned databases: their folders
// and the files holding their backups. The storage-layout and backup-content
// checks judge only that; other folders and files of a shared container are
// listed by DMS211 and never block. With no database planned every database
// found counts as planned, and so does every file and folder.
type plannedScope struct {
	// all: no database is planned, so nothing is out of scope.
	all bool
	// folders DMS reads: each planned database's folder, the plan's or,
	// without one, the folder its backups were found in.
	folders map[string]bool
	// loose are the planned databases without a folder in the plan: their
	// backups are in scope wherever they lie.
	loose map[string]bool
}

func scopeOf(p *check.Pass) plannedScope {
	return p.Derived("planned.scope", func(f *facts.Facts) any {
		s := plannedScope{folders: map[string]bool{}, loose: map[string]bool{}, all: len(f.Plan.Databases) == 0}
		folders := dbFolders(p)
		for i, d := range databases(p) {
			if d.Folder == "" {
				s.loose[strings.ToLower(d.Name)] = true
			}
			if folders[i].ok {
				s.folders[folders[i].folder] = true
			}
		}
		return s
	}).(plannedScope)
}

// file reports whether DMS reads f for a planned database.
func (s plannedScope) file(f facts.File) bool {
	if s.all || s.folders[f.Dir()] {
		return true
	}
	for _, n := range fileDBs(f) {
		if s.loose[strings.ToLower(n)] {
			return true
		}
	}
	return false
}

// folder reports whether DMS reads dir for a planned database.
func (s plannedScope) folder(dir string) bool { return s.all || s.folders[dir] }

// readErrorIO is the storage collector's ReadErrorKind for a file that
// could not be read (503s, resets, timeouts, permission denied, a file that
// vanished): it says nothing about the backup.
const readErrorIO = "io-error"

// readFailed reports a file whose header is unknown because storage could
// not be read (or the run was canceled), not because the backup is bad.
func readFailed(f facts.File) bool {
	return f.ReadErrorKind == readErrorIO || f.ReadErrorKind == facts.ReadCanceled
}

// unreadError reports that obj cannot be decided because files could not be
// read from storage: an error (exit 3), never a verdict on the backups.
func unreadError(p *check.Pass, db, obj string, files []string) {
	p.Error(db, obj, fmt.Sprintf("%s could not be read from storage (a transient or access error, not a bad backup), so this is undecided: %s",
		count(len(files), "file", "files"), list(files, 10)), check.Ev{"unreadFiles": strings.Join(files, ", ")})
}

// outOfScope reports, at info severity, a problem with a file or folder the
// planned databases' restores do not read: listed, never blocking.
func outOfScope(p *check.Pass) func(db, obj, msg string, ev check.Ev) {
	return func(db, obj, msg string, ev check.Ev) {
		p.Note(db, obj, msg+" (outside what the planned databases' restores read: not blocking)", ev)
	}
}
