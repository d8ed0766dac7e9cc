package checks

import (
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestFullBackupChecksums(t *testing.T) {
	nock := set("db", facts.TypeFull, false)
	unk := set("db", facts.TypeFull, false)
	unk.Unknown = []string{"hasBackupChecksums"}
	files := []facts.File{bf("db/ok.bak", full("db")), bf("db/nock.bak", nock), bf("db/log.trn", set("db", facts.TypeLog, false)), bf("db/unk.bak", unk)}
	testCheck(t, FullBackupChecksums, []tcase{
		{"dms", fx{files: files}.facts(), []string{"fail file:db/nock.bak", "pass file:db/ok.bak", "skip file:db/unk.bak"}},
		{"lrs", fx{method: "lrs", files: files}.facts(), []string{"warn file:db/nock.bak", "pass file:db/ok.bak", "skip file:db/unk.bak"}},
		{"appended", fx{files: []facts.File{bf("db/two.bak", full("db"), nock)}}.facts(), []string{"pass file:db/two.bak#1", "fail file:db/two.bak#2"}},
	})
}
