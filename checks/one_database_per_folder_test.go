package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestOneDatabasePerFolder(t *testing.T) {
	same := full("db1")
	same.FamilyGUID = "other-family"
	runStorageCases(t, OneDatabasePerFolder, []storageCase{
		{"two databases", fx{files: []facts.File{bf("x/singlerestore.bak", full("singlerestore")), bf("x/testlastbackup.bak", full("RestoreTimeClean"))}}, "folder:x=fail"},
		{"names lie, headers decide", fx{files: []facts.File{bf("x/db1.bak", full("db1")), bf("x/db2.bak", logb("db1"))}}, "folder:x=pass"},
		{"case-insensitive", fx{files: []facts.File{bf("x/a.bak", full("Sales")), bf("x/b.trn", logb("SALES"))}}, "folder:x=pass"},
		{"same name, other family", fx{files: []facts.File{bf("x/a.bak", full("db1")), bf("x/b.bak", same)}}, "folder:x=fail"},
		{"root and folders", fx{files: []facts.File{bf("a.bak", full("a")), bf("b/b.bak", full("b")), {Path: "readme.txt", ReadErrorKind: "not-backup"}}}, "folder:/=pass folder:b=pass"},
		{"one file, two databases", fx{files: []facts.File{bf("x/multi.bak", full("a"), full("b"))}}, "folder:x=fail"},
		{"headers not read", fx{noHeaders: true, files: []facts.File{{Path: "a.bak"}}}, "-=skip"},
	})
}
