package checks

import (
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
	})
}
