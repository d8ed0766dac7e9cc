package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// OneDatabasePerFolder is check DMS205: a folder with backups of two
// databases fails the restore.
var OneDatabasePerFolder = &check.Check{
	ID:       "DMS205",
	Title:    "A folder holds the backups of one database only",
	Severity: check.Error,
	Needs:    []facts.Source{facts.SrcStorage, facts.SrcBackups},
	Targets:  backupTargets,
	Prevents: "2009: Migration for Database failed: backups from multiple databases found in the folder",
	Doc: "Only the folders and files the planned databases' restores read are judged (with no database planned, all); problems elsewhere in a shared container are listed at info severity, never blocking. DMS restores every backup it finds in a database's folder; backups of another database in the same " +
		"folder make the migration fail. The database is decided by each backup's header (DatabaseName, and " +
		"FamilyGUID to tell apart two databases of the same name), never by file names.",
	Fix:   "Move each database's backups into a folder of its own and give each database its folder in the plan.",
	Link:  linkKnownIssues,
	Basis: check.Documented("Microsoft, DMS known issues (2009): backups of several databases in one folder fail the restore"),
	Run: func(p *check.Pass) {
		// A database is its name (case-insensitive, as SQL Server compares
		// them by default) and its FamilyGUID.
		type dbKey struct{ name, family string }
		// Its files are counted as they come: each path is listed once
		// when the listing's paths strictly increase (the collectors'
		// order), so a database's files are counted without a set of
		// their paths (13 MB at 100,000 files); a listing in another
		// order, or with a path twice, is counted with the set.
		type dbFiles struct {
			name  string
			n     int
			last  string
			files map[string]bool
		}
		files := scan(p.Facts.Storage)
		unique := true
		for i := 1; i < len(files) && unique; i++ {
			unique = files[i-1].Path < files[i].Path
		}
		byFolder := map[string]map[dbKey]*dbFiles{}
		sc := scopeOf(p)
		// Files whose header could not be decoded, by folder: their
		// database is unknown.
		var undecoded map[string][]string
		for _, f := range files {
			// Only the folders DMS reads for a planned database are judged.
			if f.Backup == nil {
				switch f.ReadErrorKind {
				case facts.ReadTruncated, facts.ReadEncrypted, facts.ReadCorrupt, facts.ReadUnreadable:
					if undecoded == nil {
						undecoded = map[string][]string{}
					}
					undecoded[f.Dir()] = append(undecoded[f.Dir()], f.Path)
				}
				continue
			}
			for si := range f.Backup.Sets {
				s := &f.Backup.Sets[si] // not a copy of the set
				if s.DatabaseName == "" {
					continue
				}
				m := byFolder[f.Dir()]
				if m == nil {
					m = map[dbKey]*dbFiles{}
					byFolder[f.Dir()] = m
				}
				k := dbKey{strings.ToLower(s.DatabaseName), s.FamilyGUID}
				d := m[k]
				if d == nil {
					d = &dbFiles{name: s.DatabaseName}
					if !unique {
						d.files = map[string]bool{}
					}
					m[k] = d
				}
				switch {
				case d.files != nil:
					d.files[f.Path] = true
					d.n = len(d.files)
				case d.n == 0 || d.last != f.Path:
					d.n, d.last = d.n+1, f.Path
				}
			}
		}
		for dir, dbs := range byFolder {
			obj := check.FolderObject(dir)
			names := map[string]int{}
			var parts []string
			var only string
			for k, d := range dbs {
				names[k.name]++
				only = d.name
				parts = append(parts, fmt.Sprintf("%s (%s)", d.name, count(d.n, "file", "files")))
			}
			sort.Strings(parts)
			ev := check.Ev{"databases": strings.Join(parts, ", ")}
			if !sc.folder(dir) {
				// Not read for a planned database: listed, never blocking.
				if len(dbs) > 1 {
					outOfScope(p)("", obj, fmt.Sprintf("%s holds backups of %d databases: %s", folderName(dir), len(dbs), strings.Join(parts, ", ")), ev)
				}
				continue
			}
			if len(dbs) == 1 {
				if bad := unreadIn(p, dir, false); len(bad) > 0 {
					// An unread file could be another database's backup.
					unreadError(p, only, obj, bad)
					continue
				}
				if u := undecoded[dir]; len(u) > 0 {
					// DMS208 reports why each could not be read.
					p.Skip(only, obj, fmt.Sprintf("cannot tell whether %s holds backups of %s only: the database of %s is unknown (header not decoded): %s",
						folderName(dir), only, count(len(u), "file", "files"), list(u, 10)))
					continue
				}
				p.Pass(only, obj, fmt.Sprintf("%s holds backups of %s only", folderName(dir), only), ev)
				continue
			}
			msg := fmt.Sprintf("%s holds backups of %d databases: %s", folderName(dir), len(dbs), strings.Join(parts, ", "))
			for _, n := range names {
				if n > 1 {
					msg += " (the same name with different FamilyGUIDs: different databases)"
					break
				}
			}
			p.Fail("", obj, msg, ev)
		}
	},
}
