package checks

import (
	"github.com/dmsready/dmsready/checks/facts"
	"testing"
)

func TestFullBackupChecksums(t *testing.T) {
	nock := set("db", facts.TypeFull, false)
	unk := set("db", facts.TypeFull, false)
	unk.Unknown = []string{"hasBackupChecksums"}
	files := []facts.File{bf("db/ok.bak", full("db")), bf("db/nock.bak", nock), bf("db/log.trn", set("db", facts.TypeLog, false)), bf("db/unk.bak", unk)}
	runStorageCases(t, FullBackupChecksums, []storageCase{
		{"dms", fx{files: files}, "file:db/nock.bak=fail file:db/ok.bak=pass file:db/unk.bak=skip"},
		{"lrs", fx{method: "lrs", files: files}, "file:db/nock.bak=warn file:db/ok.bak=pass file:db/unk.bak=skip"},
		{"appended", fx{files: []facts.File{bf("db/two.bak", full("db"), nock)}}, "file:db/two.bak#1=pass file:db/two.bak#2=fail"},
	})
}
