package checks

import (
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// set is a backup set of db; opts tweak it.
func set(db, typ string, checksum bool) facts.BackupSet {
	return facts.BackupSet{Position: 1, DatabaseName: db, BackupType: typ, HasBackupChecksums: checksum, FamilyGUID: "fam-" + strings.ToLower(db)}
}

// bf is a decoded backup file holding sets.
func bf(path string, sets ...facts.BackupSet) facts.File {
	for i := range sets {
		sets[i].Position = i + 1
	}
	return facts.File{Path: path, Size: 4096, BlobType: facts.BlockBlob, AccessTier: "Hot", Backup: &facts.BackupMedia{Sets: sets}}
}

func full(db string) facts.BackupSet { return set(db, facts.TypeFull, true) }

func logb(db string) facts.BackupSet { return set(db, facts.TypeLog, true) }

type fx struct {
	kind, version string
	method        facts.Method
	dbs           []facts.PlanDatabase
	files         []facts.File
	noHeaders     bool
	st            func(*facts.Storage)
}

func (x fx) facts() *facts.Facts {
	kind := x.kind
	if kind == "" {
		kind = facts.KindMI
	}
	st := &facts.Storage{Kind: facts.StorageBlob, Location: "https://acct.blob.core.windows.net/ctr", Container: "ctr",
		Auth: "sas", Files: x.files, HeadersRead: !x.noHeaders}
	if st.Files == nil {
		st.Files = []facts.File{}
	}
	seen := map[string]bool{"": true}
	st.Folders = []facts.Folder{{Path: ""}}
	for _, f := range st.Files {
		st.TotalBytes += f.Size
		for d := f.Dir(); !seen[d]; d = parent(d) {
			seen[d] = true
			st.Folders = append(st.Folders, facts.Folder{Path: d})
		}
	}
	if x.st != nil {
		x.st(st)
	}
	return &facts.Facts{SchemaVersion: facts.SchemaVersion, CollectedAt: now, Storage: st,
		Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: kind, Version: x.version}, Method: x.method, Databases: x.dbs}}
}

func parent(d string) string {
	if i := strings.LastIndexByte(d, '/'); i >= 0 {
		return d[:i]
	}
	return ""
}

func dbs(names ...string) []facts.PlanDatabase {
	var out []facts.PlanDatabase
	for _, n := range names {
		name, folder, _ := strings.Cut(n, "@")
		out = append(out, facts.PlanDatabase{Name: name, Folder: folder})
	}
	return out
}
