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
// read. For a database where a file that could hold its backups failed to
// read (a storage error, not a bad backup), it reports an error and leaves
// the plan out: a transient error never becomes a broken chain or a
// missing full backup.
func usableSequences(p *check.Pass) []restore.Sequence {
	unread := p.Derived("restore.unread", func(f *facts.Facts) any {
		m := map[string][]string{}
		if f.Storage == nil {
			return m
		}
		for i, d := range databases(p) {
			if bad := unreadFor(p, i); len(bad) > 0 {
				m[strings.ToLower(d.Name)] = bad
			}
		}
		return m
	}).(map[string][]string)
	var out []restore.Sequence
	for _, pl := range restoreSequences(p) {
		if bad := unread[strings.ToLower(pl.Database)]; len(bad) > 0 {
			unreadError(p, pl.Database, check.DatabaseObject(pl.Database), bad)
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
