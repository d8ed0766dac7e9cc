package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/restore"
)

// LastBackupFile is check DMS309: in offline mode DMS (and LRS autocomplete)
// restores up to the named last backup file; it must be the end of the chain.
var LastBackupFile = &check.Check{
	ID:       "DMS309",
	Title:    "Offline mode: the named last backup file ends the restore chain",
	Severity: check.Error,
	Needs:    restoreNeeds,
	Targets:  restoreTargets,
	Prevents: "2007: the restore plan is broken / the migration does not complete when the last backup file is not the last of the chain",
	Doc: "In offline mode DMS (and Log Replay Service in autocomplete mode) restores every valid backup in the " +
		"database's folder by LSN and completes after the file named as the last backup. That file must be the " +
		"end of the restore chain: a file that is not in the chain, or backups with higher LSNs after it, fail " +
		"the migration.",
	Fix: "Name the last file of the restore sequence (`dmsready restore-plan` prints it) as `lastBackupFile`, " +
		"or remove the later backups from the folder.",
	Link:  linkLRS,
	Basis: check.Documented("Microsoft, DMS known issues and Log Replay Service: the last backup file must hold the end of the chain"),
	Run: func(p *check.Pass) {
		if p.Plan().Mode != facts.ModeOffline {
			p.Skip("", check.ObjectPlan, "the plan is not in offline mode")
			return
		}
		last := map[string]string{}
		for _, d := range p.Plan().Databases {
			last[strings.ToLower(d.Name)] = d.LastBackupFile
		}
		for _, pl := range usableSequences(p) {
			name := last[strings.ToLower(pl.Database)]
			obj := check.DatabaseObject(pl.Database)
			if name == "" {
				p.Skip(pl.Database, obj, "the plan names no last backup file")
				continue
			}
			if !hasFull(pl) {
				p.Skip(pl.Database, obj, "no restore chain (see DMS303)")
				continue
			}
			ev := lineageEv(pl, check.Ev{"lastBackupFile": name, "chainEnds": pl.Reaches.File, "reaches": pl.Reaches.LSN.String()})
			folder := strings.Trim(pl.Folder, "/")
			bare := !strings.Contains(name, "/")
			// A share is read over SMB, where names are case-insensitive.
			eq := func(a, b string) bool { return a == b }
			if st := p.Facts.Storage; st != nil && st.Kind == facts.StorageShare {
				eq = strings.EqualFold
			}
			match := func(files []string) bool {
				for _, f := range files {
					if eq(f, name) || folder != "" && eq(f, folder+"/"+strings.TrimLeft(name, "/")) || bare && eq(path.Base(f), name) {
						return true
					}
				}
				return false
			}
			idx := -1
			for i, s := range pl.Steps {
				if match(s.Files) {
					idx = i
				}
			}
			if idx < 0 {
				found := false
				for _, u := range pl.Unused {
					if match(u.Files()) {
						found = true
						p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s is not in the restore chain (%s: %s); the chain ends with %s", name, u.Reason, u.Detail(), pl.Reaches.File), ev)
						break
					}
				}
				if !found {
					p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s is not among the database's backups; the chain ends with %s", name, pl.Reaches.File), ev)
				}
				continue
			}
			s := pl.Steps[idx]
			if s.LastLSN == pl.Reaches.LSN {
				// The folder is restored by LSN: a backup the chain cannot
				// use that ends later still fails the job.
				var later []string
				for _, u := range pl.Unused {
					switch u.Reason {
					case restore.ReasonOtherDatabase, restore.ReasonDuplicate:
						continue
					}
					// An unreadable file counts when its header was read
					// (a file cut short): DMS restores it too. One whose
					// header was not has no LSN and is never later.
					if l := u.LastLSN(); l.Compare(s.LastLSN) > 0 {
						later = append(later, fmt.Sprintf("%s (%s, LSN %s)", u.File(), u.Reason, l))
					}
				}
				if len(later) > 0 {
					ev["later"] = strings.Join(firstN(later, 10), "; ")
					p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s ends the chain at LSN %s, but %d backup%s in the folder end%s later: %s",
						name, s.LastLSN, len(later), plural(len(later)), verb(len(later), "s", ""), strings.Join(firstN(later, 5), "; ")), ev)
					continue
				}
				p.Pass(pl.Database, obj, fmt.Sprintf("last backup file %s ends the chain at LSN %s", name, s.LastLSN), ev)
				continue
			}
			var after []string
			for _, t := range pl.Steps[idx+1:] {
				after = append(after, t.File())
			}
			ev["after"] = strings.Join(firstN(after, 10), ", ")
			p.Fail(pl.Database, obj, fmt.Sprintf("last backup file %s ends at LSN %s but %d backup%s it in the chain, up to %s (LSN %s)",
				name, s.LastLSN, len(after), verb(len(after), " follows", "s follow"), pl.Reaches.File, pl.Reaches.LSN), ev)
		}
	},
}
