package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestStorageReachable(t *testing.T) {
	testCheck(t, StorageReachable, []tcase{
		{"listed", fx{files: []facts.File{bf("a/f.bak", full("a"))}}.facts(), []string{"pass storage"}},
		{"empty", fx{}.facts(), []string{"warn storage"}},
		// A share whose subfolders could not all be listed is not wholly
		// listable: say which, rather than pass.
		{"a folder not listable", fx{files: []facts.File{bf("a/f.bak", full("a")),
			{Path: "b/", ReadErrorKind: facts.ReadIOError, ReadError: "cannot list this folder: permission denied"}}}.facts(),
			[]string{"warn storage: listed 1 file, but 1 folder could not be listed: b/ (cannot list this folder: permission denied)"}},
		{"sql database target", fx{kind: facts.KindDB}.facts(), []string{"skip -"}},
	})
	f := fx{}.facts()
	f.Storage.Files = nil
	f.AddError(facts.SourceError{Source: facts.SrcStorage, Kind: "firewall", Message: "the storage account refused the request"})
	fs := findings(StorageReachable, f)
	if len(fs) != 1 || fs[0].Status != check.StatusError || fs[0].Evidence["kind"] != "firewall" {
		t.Errorf("firewall error: %+v", fs)
	}
	if !strings.Contains(StorageReachable.Doc, "firewall") || !strings.Contains(StorageReachable.Fix, "virtual network") {
		t.Error("the doc must name the storage firewall and its remedy")
	}
}
