package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestSeparateFolders(t *testing.T) {
	runStorageCases(t, SeparateFolders, []storageCase{
		{"planned, same folder", fx{dbs: dbs("a@x", "b@x/", "c@y")}, "database:a=fail database:b=fail database:c=pass"},
		{"both at root", fx{dbs: dbs("a", "b"), files: []facts.File{bf("a.bak", full("a")), bf("b.bak", full("b"))}}, "database:a=fail database:b=fail"},
		{"inferred, separate", fx{files: []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b")), bf("c.bak", full("c"))}}, "database:a=pass database:b=pass database:c=pass"},
		{"unknown folder", fx{noHeaders: true, dbs: dbs("a", "b@b")}, "database:a=skip database:b=pass"},
	})
}
