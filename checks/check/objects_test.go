package check

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// TestObjects pins the spelling waivers match on.
func TestObjects(t *testing.T) {
	for got, want := range map[string]string{
		DatabaseObject("Sales"):    "database:Sales",
		FileObject("s/full.bak"):   "file:s/full.bak",
		FolderObject(""):           "folder:/",
		FolderObject("s"):          "folder:s",
		ServerObject("logins"):     "server:logins",
		ContainerObject("backups"): "container:backups",
		LocationObject("nightly"):  "location:nightly",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f := Finding{CheckID: "DMS209", Object: FileObject("sales/full_1.bak")}
	if !matches(facts.Waiver{Check: "DMS209", Object: "file:sales/*"}, f) {
		t.Error("a waiver pattern does not match a constructed file object")
	}
}
