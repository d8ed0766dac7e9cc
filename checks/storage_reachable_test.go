package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"strings"
	"testing"
)

func TestStorageReachable(t *testing.T) {
	runStorageCases(t, StorageReachable, []storageCase{
		{"listed", fx{files: []facts.File{bf("a/f.bak", full("a"))}}, "storage=pass"},
		{"empty", fx{}, "storage=warn"},
		{"sql database target", fx{kind: facts.KindDB}, "-=skip"},
	})
	f := fx{}.facts()
	f.Storage.Files = nil
	f.AddError(facts.SourceError{Source: facts.SrcStorage, Kind: "firewall", Message: "the storage account refused the request"})
	fs := check.Run([]*check.Check{StorageReachable}, f)
	if len(fs) != 1 || fs[0].Status != check.StatusError || fs[0].Evidence["kind"] != "firewall" {
		t.Errorf("firewall error: %+v", fs)
	}
	if !strings.Contains(StorageReachable.Doc, "firewall") || !strings.Contains(StorageReachable.Fix, "virtual network") {
		t.Error("the doc must name the storage firewall and its remedy")
	}
}
