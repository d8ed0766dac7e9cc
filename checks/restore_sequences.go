package checks

import (
	"fmt"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// lineageEv identifies which of several same-named databases a finding is about.
func lineageEv(p restore.Sequence, ev check.Ev) check.Ev {
	if ev == nil {
		ev = check.Ev{}
	}
	if p.FamilyGUID != "" {
		ev["familyGUID"] = p.FamilyGUID
	}
	if p.RecoveryForkID != "" {
		ev["recoveryForkID"] = p.RecoveryForkID
	}
	return ev
}

// hasFull reports whether the restore starts from a full backup.
func hasFull(p restore.Sequence) bool { return len(p.Steps) > 0 }

// reachText says how far the restore reaches: its last LSN and time.
func reachText(p restore.Sequence) string {
	if p.Reaches == nil {
		return ""
	}
	s := "LSN " + p.Reaches.LSN.String()
	if p.Reaches.Time != nil {
		s += " (" + p.Reaches.Time.UTC().Format("2006-01-02 15:04:05") + " UTC)"
	}
	return s
}

// restoreSequences builds the restore sequences once per run for all DMS3xx
// checks.
func restoreSequences(p *check.Pass) []restore.Sequence {
	return p.Derived(check.KeyRestorePlans, func(f *facts.Facts) any { return restore.Build(f) }).([]restore.Sequence)
}

// usableSequences are the restore sequences of databases whose backups could all be
// read. For a database where a file DMS reads for it could hold its backups
// but its backup sets are unknown (setsUnknown: a storage error, a cancel,
// or a header that could not be decoded at all), it reports an error and
// leaves the plan out: a file that may be its full, a log that closes a gap
// or one past the last file never becomes a verdict on the chain without it.
func usableSequences(p *check.Pass) []restore.Sequence {
	unread := p.Derived("restore.unread", func(f *facts.Facts) any {
		m := map[string][]int{}
		if f.Storage == nil {
			return m
		}
		for i, d := range databases(p) {
			if bad := restoreUnread(p, i); len(bad) > 0 {
				m[strings.ToLower(d.Name)] = bad
			}
		}
		return m
	}).(map[string][]int)
	var out []restore.Sequence
	mi := p.Plan().Target.Kind == facts.KindMI
	skipped := map[string]bool{}
	for _, pl := range restoreSequences(p) {
		if mi && facts.IsSystemDatabase(pl.Database) {
			// Managed Instance restores no system database: its chain
			// passing would say a restore happens that never does. Once
			// per database, not per lineage.
			if k := strings.ToLower(pl.Database); !skipped[k] {
				skipped[k] = true
				p.Skip(pl.Database, check.DatabaseObject(pl.Database), pl.Database+" is a system database, which Managed Instance does not restore (see DMS104)")
			}
			continue
		}
		if bad := unread[strings.ToLower(pl.Database)]; len(bad) > 0 {
			setsUnknownError(p, pl.Database, check.DatabaseObject(pl.Database), bad)
			continue
		}
		if pl.Status == restore.StatusUndecided {
			// Only a provisional header was read for a set of this
			// database: the planner built nothing on it, so no verdict.
			var files []string
			for _, u := range pl.Unused {
				if u.Reason == restore.ReasonProvisional {
					files = append(files, u.File())
				}
			}
			p.Error(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("the restore sequence is undecided: only the header written before the data was read for %s (its LastLSN may differ from the final one); `dmsready inspect --deep` reads every set's final header",
				list(files, 10)), lineageEv(pl, check.Ev{"provisionalFiles": strings.Join(files, ", ")}))
			continue
		}
		if files := unplaced(pl); len(files) > 0 {
			// A backup of the database whose LSNs or type could not be
			// read is not in the sequence: DMS restores it all the same,
			// and it could end the chain, break it or belong elsewhere.
			p.Error(pl.Database, check.DatabaseObject(pl.Database), fmt.Sprintf("the restore sequence is undecided: the LSNs or backup type of %s could not be read, so %s cannot be placed in the chain",
				list(files, 10), verb(len(files), "it", "they")), lineageEv(pl, check.Ev{"unplacedFiles": strings.Join(files, ", ")}))
			continue
		}
		out = append(out, pl)
	}
	return out
}

// unplaced lists the files of the backups the planner could not place in
// the sequence because their LSNs or backup type are unknown.
func unplaced(pl restore.Sequence) []string {
	var files []string
	for i := range pl.Unused {
		if u := &pl.Unused[i]; u.Reason == restore.ReasonUnknownLSN || u.Reason == restore.ReasonUnknownType {
			files = append(files, u.File())
		}
	}
	return files
}

// setsUnknown reports a file whose backup sets are unknown because its read
// failed: a storage error or a cancel (readFailed), or a header that did not
// decode at all whatever the reason (truncated, corrupt, encrypted,
// archived, a reader panic or an error nobody classified: "unreadable", or
// a kind this version does not know). Only a file known not to be a backup
// (empty, not a SQL Server backup) is not one. A file whose header did
// decode before the error has known sets, which the planner judges.
func setsUnknown(f facts.File) bool {
	if readFailed(f) {
		return true
	}
	if f.Backup != nil || f.ReadErrorKind == "" {
		return false
	}
	return f.ReadErrorKind != facts.ReadEmpty && f.ReadErrorKind != facts.ReadNotBackup
}

// unknownSetsIndex lists, as unreadIndex does, the files whose backup sets
// are unknown (setsUnknown), as indexes into the storage's files: in each
// folder, and in each folder or below it ("" holds them all).
type unknownSetsIndex struct {
	in, under map[string][]int
}

func unknownSetsOf(p *check.Pass) unknownSetsIndex {
	return p.Derived("storage.setsUnknown", func(f *facts.Facts) any {
		x := unknownSetsIndex{in: map[string][]int{}, under: map[string][]int{}}
		for i, fl := range scan(f.Storage) {
			if !setsUnknown(fl) {
				continue
			}
			dir := fl.Dir()
			x.in[dir] = append(x.in[dir], i)
			x.under[""] = append(x.under[""], i)
			for j := 1; j < len(dir); j++ {
				if dir[j] == '/' {
					x.under[dir[:j]] = append(x.under[dir[:j]], i)
				}
			}
			if dir != "" {
				x.under[dir] = append(x.under[dir], i)
			}
		}
		return x
	}).(unknownSetsIndex)
}

// restoreUnread lists the files (indexes into the storage's files) DMS
// reads for the i-th of databases(p) whose backup sets are unknown: with a
// plan folder, the files directly in it (DMS reads no subfolder, as the
// planner); without one, in the folder its backups were found in and below
// (the planner takes its backups wherever they lie), or anywhere when no
// backup of it was found.
func restoreUnread(p *check.Pass, i int) []int {
	x := unknownSetsOf(p)
	fo := dbFolders(p)[i]
	var s []int
	switch {
	case databases(p)[i].Folder != "" && fo.ok:
		s = x.in[fo.folder]
	case fo.ok:
		s = x.under[fo.folder]
	default:
		s = x.under[""]
	}
	return s[:len(s):len(s)]
}

// setsUnknownError reports that obj cannot be decided because the backup
// sets of files DMS reads for it are unknown: an error (exit 3). When every
// one is a storage error or a cancel it is unreadError's message; otherwise
// each file is named with how its read failed (DMS208 judges the files).
func setsUnknownError(p *check.Pass, db, obj string, idx []int) {
	files := p.Facts.Storage.Files
	paths := make([]string, len(idx))
	named := make([]string, len(idx))
	transient := true
	for j, i := range idx {
		f := &files[i]
		paths[j] = f.Path
		k := string(f.ReadErrorKind)
		named[j] = f.Path + " (" + k + ")"
		transient = transient && readFailed(*f)
	}
	if transient {
		unreadError(p, db, obj, paths)
		return
	}
	p.Error(db, obj, fmt.Sprintf("the backup sets of %s could not be read, so this is undecided: %s (DMS208 says why)",
		count(len(idx), "file", "files"), list(named, 10)), check.Ev{"unreadFiles": strings.Join(paths, ", ")})
}
