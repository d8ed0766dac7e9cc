package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestSeparateFolders(t *testing.T) {
	testCheck(t, SeparateFolders, []tcase{
		{"planned, same folder", fx{dbs: dbs("a@x", "b@x/", "c@y")}.facts(), []string{"fail database:a", "fail database:b", "pass database:c"}},
		{"both at root", fx{dbs: dbs("a", "b"), files: []facts.File{bf("a.bak", full("a")), bf("b.bak", full("b"))}}.facts(), []string{"fail database:a", "fail database:b"}},
		{"inferred, separate", fx{files: []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b")), bf("c.bak", full("c"))}}.facts(), []string{"pass database:a", "pass database:b", "pass database:c"}},
		{"unknown folder", fx{noHeaders: true, dbs: dbs("a", "b@b")}.facts(), []string{"skip database:a", "pass database:b"}},
		// Backups spread over sibling folders have no one folder: their
		// common ancestor (the root) is not a folder they "share" or
		// "have to themselves" (DMS204 reports the nesting).
		{"spread over folders", fx{files: []facts.File{
			bf("flip/u.bak", full("u")), bf("trunc/u.bak", full("u")),
			bf("cmpflip/s.bak", full("s")), bf("cmptrunc/s.bak", full("s")),
			bf("c/c.bak", full("c")),
		}}.facts(), []string{"skip database:u: see DMS204", "skip database:s: see DMS204", "pass database:c"}},
	})
}
