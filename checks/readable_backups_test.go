package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

func TestReadableBackups(t *testing.T) {
	files := []facts.File{
		bf("db/ok.bak", full("db")),
		{Path: "db/cold.bak", Size: 10, AccessTier: "Archive", ReadErrorKind: "archived"},
		{Path: "db/empty.bak", ReadErrorKind: "empty"},
		{Path: "db/cut.bak", Size: 10, ReadErrorKind: "truncated", ReadError: "truncated at offset 8"},
		{Path: "db/enc.bak", Size: 10, ReadErrorKind: "encrypted", ReadError: "encrypted"},
		{Path: "db/notes.txt", Size: 10, ReadErrorKind: "not-backup", ReadError: "not a SQL Server backup"},
	}
	testCheck(t, ReadableBackups, []tcase{
		{"mixed", fx{files: files}.facts(), []string{"fail file:db/cold.bak", "fail file:db/cut.bak", "warn file:db/empty.bak", "fail file:db/enc.bak", "warn file:db/notes.txt", "pass folder:db"}},
		{"listing only", fx{noHeaders: true, files: []facts.File{{Path: "a.bak", Size: 5}, {Path: "b.bak", Size: 5, AccessTier: "Archive"}, {Path: "c.bak"}}}.facts(), []string{"fail file:b.bak", "warn file:c.bak", "skip storage"}},
	})
}

// TestReadableBackupsMessage: the reader's error already says "not a SQL
// Server backup"; the finding must not say it twice.
func TestReadableBackupsMessage(t *testing.T) {
	f := fx{files: []facts.File{{Path: "db/notes.txt", Size: 10, ReadErrorKind: "not-backup",
		ReadError: "not a SQL Server backup: no MTF TAPE block at the start of the file"}}}.facts()
	for _, fd := range findings(ReadableBackups, f) {
		if strings.Count(fd.Message, "not a SQL Server backup") != 1 || !strings.Contains(fd.Message, "no MTF TAPE block") {
			t.Errorf("message %q", fd.Message)
		}
	}
}
