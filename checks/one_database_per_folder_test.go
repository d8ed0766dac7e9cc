package checks

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestOneDatabasePerFolder(t *testing.T) {
	same := full("db1")
	same.FamilyGUID = "other-family"
	testCheck(t, OneDatabasePerFolder, []tcase{
		{"two databases", fx{files: []facts.File{bf("x/singlerestore.bak", full("singlerestore")), bf("x/testlastbackup.bak", full("RestoreTimeClean"))}}.facts(), []string{"fail folder:x"}},
		{"names lie, headers decide", fx{files: []facts.File{bf("x/db1.bak", full("db1")), bf("x/db2.bak", logb("db1"))}}.facts(), []string{"pass folder:x"}},
		{"case-insensitive", fx{files: []facts.File{bf("x/a.bak", full("Sales")), bf("x/b.trn", logb("SALES"))}}.facts(), []string{"pass folder:x"}},
		{"same name, other family", fx{files: []facts.File{bf("x/a.bak", full("db1")), bf("x/b.bak", same)}}.facts(), []string{"fail folder:x"}},
		{"root and folders", fx{files: []facts.File{bf("a.bak", full("a")), bf("b/b.bak", full("b")), {Path: "readme.txt", ReadErrorKind: "not-backup"}}}.facts(), []string{"pass folder:/", "pass folder:b"}},
		{"one file, two databases", fx{files: []facts.File{bf("x/multi.bak", full("a"), full("b"))}}.facts(), []string{"fail folder:x"}},
		{"headers not read", fx{noHeaders: true, files: []facts.File{{Path: "a.bak"}}}.facts(), []string{"skip -"}},
		// A share's subfolder that could not be listed is named with a
		// trailing '/': what it holds is in it, not in the root.
		{"unlistable subfolder", fx{files: []facts.File{bf("a.bak", full("db1")),
			{Path: "System Volume Information/", ReadErrorKind: facts.ReadIOError, ReadError: "cannot list this folder: permission denied"}}}.facts(),
			[]string{"pass folder:/"}},
		{"unreadable file", fx{files: []facts.File{bf("a.bak", full("db1")),
			{Path: "b.bak", ReadErrorKind: facts.ReadIOError, ReadError: "permission denied"}}}.facts(),
			[]string{"error folder:/"}},
		// A file whose header could not be decoded (encrypted, corrupt) may
		// hold another database's backup: "db1 only" is not known.
		{"undecodable file", fx{files: []facts.File{bf("x/a.bak", full("db1")),
			{Path: "x/b.bak", Size: 4096, ReadErrorKind: facts.ReadEncrypted, ReadError: "encrypted: header unreadable"}}}.facts(),
			[]string{"skip folder:x: cannot tell whether folder x holds backups of db1 only: the database of 1 file is unknown (header not decoded): x/b.bak"}},
	})
}

// TestOneDatabasePerFolderCounts: the files of each database are counted
// once each, whether the listing's paths increase (counted as they come)
// or not (counted with a set): a file with two sets of one database, a
// listing out of order and a path listed twice give the same counts.
func TestOneDatabasePerFolderCounts(t *testing.T) {
	two := bf("x/a2.bak", full("a"), logb("a"))
	sorted := []facts.File{bf("x/a1.bak", full("a")), two, bf("x/b1.bak", full("b")), bf("x/b2.trn", logb("b")), bf("x/b3.trn", logb("b"))}
	reversed := make([]facts.File, len(sorted))
	for i, f := range sorted {
		reversed[len(sorted)-1-i] = f
	}
	twice := append([]facts.File{sorted[0], sorted[0]}, sorted[1:]...)
	for name, files := range map[string][]facts.File{"sorted": sorted, "reversed": reversed, "a path twice": twice} {
		fs := findings(OneDatabasePerFolder, fx{files: files}.facts())
		if len(fs) != 1 || !strings.Contains(fs[0].Message, "a (2 files), b (3 files)") {
			t.Errorf("%s: %+v, want a fail counting a (2 files), b (3 files)", name, fs)
		}
	}
}

// TestOneDatabasePerFolderGarbage: the check allocates per folder and
// database, not per file. It kept a set of every file's path (133 bytes
// a file, 13 MB of the checks phase at 100,000 files).
func TestOneDatabasePerFolderGarbage(t *testing.T) {
	var files []facts.File
	for d := range 50 {
		for i := range 200 {
			files = append(files, bf(fmt.Sprintf("db%02d/%03d.trn", d, i), logb(fmt.Sprintf("db%02d", d))))
		}
	}
	f := fx{files: files}.facts()
	findings(OneDatabasePerFolder, f) // the scope and other derived values
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	findings(OneDatabasePerFolder, f)
	runtime.ReadMemStats(&m1)
	if per := float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(files)); per > 40 {
		t.Errorf("DMS205 allocates %.0f bytes per file, want at most 40", per)
	}
}
