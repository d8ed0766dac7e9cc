package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/fold"
)

// historyOf returns a database's backup history, oldest first: the rows of
// the source database sourceDB picks, so that on a case-sensitive collation
// another database's differing only in case are not mixed in, and without
// the rows of an earlier database of that name (earlier).
func historyOf(p *check.Pass, db string) []facts.BackupHistory {
	all, d := allHistoryOf(p, db)
	if d == nil || d.DatabaseGUID == "" {
		return all
	}
	out := all[:0:0]
	for _, h := range all {
		if !earlier(d, h) {
			out = append(out, h)
		}
	}
	return out
}

// earlier reports a row msdb kept from an earlier database of d's name:
// RESTORE gives the database it (re)creates a new database_guid, so a
// backup with another one was taken of a database since replaced (by
// RESTORE, or dropped and created again). Unknown GUIDs (not read, older
// facts) keep the row.
func earlier(d *facts.Database, h facts.BackupHistory) bool {
	return d != nil && d.DatabaseGUID != "" && h.DatabaseGUID != "" && !strings.EqualFold(d.DatabaseGUID, h.DatabaseGUID)
}

// incarnationNote says how many of a database's msdb rows historyOf left
// out as an earlier database's, for the end of a message; "" when none.
func incarnationNote(p *check.Pass, db string) string {
	if d := sourceDB(p, db); d == nil || d.DatabaseGUID == "" {
		return ""
	}
	all, d := allHistoryOf(p, db)
	n := 0
	for _, h := range all {
		if earlier(d, h) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s of an earlier database of this name ignored: its backupset.database_guid is not the current database's %s, "+
		"which RESTORE or CREATE DATABASE gave it since)", count(n, "msdb backup row", "msdb backup rows"), d.DatabaseGUID)
}

// noted reports through p with a note appended to every message: the
// history checks say when rows of an earlier database were left out.
type noted struct {
	p    *check.Pass
	note string
}

func (n noted) Pass(db, obj, msg string, ev check.Ev) { n.p.Pass(db, obj, msg+n.note, ev) }
func (n noted) Fail(db, obj, msg string, ev check.Ev) { n.p.Fail(db, obj, msg+n.note, ev) }
func (n noted) Warn(db, obj, msg string, ev check.Ev) { n.p.Warn(db, obj, msg+n.note, ev) }
func (n noted) Note(db, obj, msg string, ev check.Ev) { n.p.Note(db, obj, msg+n.note, ev) }
func (n noted) Skip(db, obj, reason string)           { n.p.Skip(db, obj, reason+n.note) }

// allHistoryOf is historyOf with the rows of earlier databases of the
// name, and the source database it picked (nil when the source has none).
func allHistoryOf(p *check.Pass, db string) ([]facts.BackupHistory, *facts.Database) {
	exact := false
	d := sourceDB(p, db)
	if d != nil {
		db, exact = d.Name, true
	}
	type index struct{ exact, folded map[string][]int }
	x := p.Derived("history.byName", func(f *facts.Facts) any {
		x := index{map[string][]int{}, map[string][]int{}}
		for i, h := range scanHistory(f.Server) {
			x.exact[h.Database] = append(x.exact[h.Database], i)
			k := fold.Key(h.Database)
			x.folded[k] = append(x.folded[k], i)
		}
		return x
	}).(index)
	rows := x.exact[db]
	if !exact {
		rows = x.folded[fold.Key(db)]
	}
	out := make([]facts.BackupHistory, 0, len(rows))
	for _, i := range rows {
		out = append(out, p.Facts.Server.BackupHistory[i])
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Start, out[j].Start
		return a != nil && b != nil && a.Before(*b)
	})
	return out, d
}

func when(h facts.BackupHistory) string {
	if h.Start == nil {
		return "(no date)"
	}
	return h.Start.Format("2006-01-02 15:04")
}

func typeName(t facts.HistoryType) string {
	switch t {
	case facts.HistoryFull:
		return "full"
	case facts.HistoryDifferential:
		return "differential"
	case facts.HistoryLog:
		return "log"
	}
	return "type " + string(t)
}

func isNUL(dev string) bool {
	d := strings.ToUpper(strings.TrimSpace(dev))
	return d == "NUL" || d == "NUL:" || d == `\\.\NUL`
}

// noHistory says why msdb shows no backup of d. In an availability group
// backups may run on another replica, each recording them in its own msdb
// (Microsoft: "Offload supported backups to secondary replicas"); "no
// backup" would be wrong there.
func noHistory(d *facts.Database, what string) string {
	if !inAG(d) {
		return "msdb records no " + what + " of this database"
	}
	return fmt.Sprintf("msdb on this replica records no %s of this database, which is in %s: "+
		"backups may be taken on another replica; read msdb there, or check the backups in storage",
		what, agName(d))
}

// inAG reports an availability database, named or not (facts files older
// than InAvailabilityGroup have only the name).
func inAG(d *facts.Database) bool { return d.AvailabilityGroup != "" || d.InAvailabilityGroup }

// agName names d's availability group and where it takes backups, for a
// message; the login may not see either (VIEW ANY DEFINITION).
func agName(d *facts.Database) string {
	if d.AvailabilityGroup == "" {
		return "an availability group whose name and backup preference the login cannot see (needs VIEW ANY DEFINITION)"
	}
	pref := d.AGBackupPreference
	if pref == "" {
		pref = "unknown"
	}
	return fmt.Sprintf("availability group %s (automated backup preference %s)", d.AvailabilityGroup, pref)
}

// restoreBase is where a restore from this server's backups starts, by
// msdb: the last full that is not copy-only, not a row RESTORE wrote for
// another server's backup, of the current recovery fork (the fork of this
// server's newest row), and written to a file DMS can restore (fileMedia);
// then the newest differential of that full. full is nil when msdb has none.
// A VSS snapshot or a third-party tool's full (a virtual device) resets the
// differential base but leaves no file: DMS restores the file full before
// it, and differentials taken after it belong to no file full.
func restoreBase(hist []facts.BackupHistory) (full, diff *facts.BackupHistory) {
	fork := ""
	for i := len(hist) - 1; i >= 0; i-- {
		if !hist[i].OtherServer {
			fork = hist[i].RecoveryForkGUID
			break
		}
	}
	own := func(h facts.BackupHistory) bool {
		return !h.IsCopyOnly && !h.OtherServer && (fork == "" || h.RecoveryForkGUID == "" || strings.EqualFold(h.RecoveryForkGUID, fork)) && fileMedia(h)
	}
	for i := range hist {
		if hist[i].Type == "D" && own(hist[i]) {
			full, diff = &hist[i], nil
		}
		if full != nil && hist[i].Type == "I" && own(hist[i]) &&
			(hist[i].DatabaseBackupLSN.IsZero() || hist[i].DatabaseBackupLSN == full.CheckpointLSN) {
			diff = &hist[i]
		}
	}
	return full, diff
}

// fileMedia reports a backup written to a file DMS can restore: disk (2),
// URL (9) or a named backup device (105, usually a disk file), not to
// NUL. A virtual device (7: VSS snapshots, third-party tools) or tape (5)
// leaves no such file. An unknown type (0: NULL in msdb, or older facts)
// counts as a file, as before device types were read.
func fileMedia(h facts.BackupHistory) bool {
	if h.IsSnapshot {
		// VSS, or 2022's metadata-only file: the data is in a snapshot.
		return false
	}
	switch h.DeviceType {
	case 0, 2, 9, 105:
		return !toNUL(h)
	}
	return false
}

// mediaName says where a backup that is no file went, for a message.
func mediaName(h facts.BackupHistory) string {
	switch {
	case h.IsSnapshot:
		return "a storage snapshot (VSS, or BACKUP ... WITH METADATA_ONLY)"
	case toNUL(h):
		return "NUL"
	case h.DeviceType == 7:
		return "a virtual device (a VSS snapshot or a third-party backup tool)"
	case h.DeviceType == 5:
		return "tape"
	}
	return fmt.Sprintf("device type %d", h.DeviceType)
}
