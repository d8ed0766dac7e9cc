package checks

import (
	"path"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// dbFolder is the folder holding d's backups: the plan's, or inferred from
// headers as the deepest folder containing all of them. why explains a miss.
func dbFolder(st *facts.Storage, idx dbIndex, d facts.PlanDatabase) (folder string, ok bool, why string) {
	if d.Folder != "" {
		return cleanFolder(d.Folder), true, ""
	}
	if st == nil || !st.HeadersRead {
		return "", false, "the plan gives no folder and backup headers were not read to find it"
	}
	files := idx.of(d.Name)
	if len(files) == 0 {
		return "", false, "no backups of " + d.Name + " found to infer its folder (see DMS210)"
	}
	common := st.Files[files[0]].Dir()
	for _, i := range files[1:] {
		common = commonFolder(common, st.Files[i].Dir())
	}
	return common, true, ""
}

// commonFolder is the longest run of whole "/"-separated segments a and b
// start with: strings.Join of the common prefix of their strings.Split,
// without splitting.
func commonFolder(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	switch {
	case i == len(a) && (i == len(b) || b[i] == '/'):
		return a
	case i == len(b) && a[i] == '/':
		return b
	}
	if j := strings.LastIndexByte(a[:i], '/'); j >= 0 {
		return a[:j]
	}
	return ""
}

// dbIndex maps a lower-cased database name to the files holding its
// backups, so that per-database checks stay linear in large containers.
type dbIndex struct {
	by      map[string][]int
	unknown []int // files without a decoded header
}

// dbIndexOf is indexByDB of the run's storage, built once per run.
func dbIndexOf(p *check.Pass) dbIndex {
	return p.Derived("storage.byDB", func(f *facts.Facts) any { return indexByDB(f.Storage) }).(dbIndex)
}

func indexByDB(st *facts.Storage) dbIndex {
	idx := dbIndex{by: map[string][]int{}}
	var last, key string
	// The list of the key at hand, stored back when the key changes.
	var cur []int
	curKey, have := "", false
	files := scan(st)
	for i := range files {
		f := &files[i]
		if f.Backup == nil {
			idx.unknown = append(idx.unknown, i)
			continue
		}
		sets := f.Backup.Sets
		for j := range sets {
			// fileDBs(f), without building it: each name once.
			if n := sets[j].DatabaseName; n != "" && !dupName(sets[:j], n) {
				// Files come database by database: reuse the last key.
				if n != last {
					last, key = n, strings.ToLower(n)
				}
				if !have || key != curKey {
					if have {
						idx.by[curKey] = cur
					}
					curKey, cur, have = key, idx.by[key], true
				}
				cur = append(cur, i)
			}
		}
	}
	if have {
		idx.by[curKey] = cur
	}
	return idx
}

func (x dbIndex) of(db string) []int { return x.by[strings.ToLower(db)] }

func cleanFolder(s string) string {
	return strings.Trim(strings.ReplaceAll(s, "\\", "/"), "/")
}

// isUnder reports whether dir is folder or inside it ("" is the root).
func isUnder(dir, folder string) bool {
	return folder == "" || dir == folder || strings.HasPrefix(dir, folder+"/")
}

// belongs reports whether a file counts as one of db's backups: by header
// when headers were read, else by a backup file extension below the
// database's own (non-root) folder.
func belongs(f facts.File, db string, headersRead bool, folder string) bool {
	if headersRead && f.Backup != nil {
		return hasDB(f, db)
	}
	if headersRead && readFailed(f) {
		// Unknown, not a backup of db: callers report it as undecided.
		return false
	}
	if headersRead && f.ReadErrorKind == "" {
		return false
	}
	if f.ReadErrorKind == facts.ReadNotBackup || f.ReadErrorKind == facts.ReadEmpty {
		// Known not to be a backup at all, whatever its name.
		return false
	}
	return folder != "" && isBackupName(f.Name())
}

func hasDB(f facts.File, db string) bool {
	if f.Backup == nil {
		return false
	}
	for si := range f.Backup.Sets {
		s := &f.Backup.Sets[si] // not a copy of the set
		if strings.EqualFold(s.DatabaseName, db) {
			return true
		}
	}
	return false
}

// dupName reports whether a set before has name n (strings.EqualFold).
func dupName(before []facts.BackupSet, n string) bool {
	for k := range before {
		if before[k].DatabaseName != "" && strings.EqualFold(before[k].DatabaseName, n) {
			return true
		}
	}
	return false
}

func fileDBs(f facts.File) []string {
	if f.Backup == nil {
		return nil
	}
	var out []string
	for si := range f.Backup.Sets {
		s := &f.Backup.Sets[si] // not a copy of the set
		dup := false
		for _, o := range out {
			dup = dup || strings.EqualFold(o, s.DatabaseName)
		}
		if !dup && s.DatabaseName != "" {
			out = append(out, s.DatabaseName)
		}
	}
	return out
}

func firstDB(f facts.File) string {
	if dbs := fileDBs(f); len(dbs) > 0 {
		return dbs[0]
	}
	return ""
}

// isBackupFile: a decoded backup, or without headers a backup-like name.
func isBackupFile(f facts.File, headersRead bool) bool {
	if headersRead {
		return f.Backup != nil
	}
	return isBackupName(f.Name())
}

func isBackupName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".bak", ".trn", ".log", ".diff", ".dif", ".full":
		return true
	}
	return false
}

func folderName(dir string) string {
	if dir == "" {
		return "the root folder"
	}
	return "folder " + dir
}

func folderNames(dirs []string) []string {
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = folderName(d)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func blobTypeName(t string) string {
	switch t {
	case facts.BlockBlob:
		return "block blob"
	case facts.AppendBlob:
		return "append blob"
	case "":
		return "blob of unknown type"
	}
	return t
}
