package checks

import (
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"strings"
	"testing"
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
	runStorageCases(t, ReadableBackups, []storageCase{
		{"mixed", fx{files: files}, "file:db/cold.bak=fail file:db/cut.bak=fail file:db/empty.bak=warn file:db/enc.bak=fail file:db/notes.txt=warn folder:db=pass"},
		{"listing only", fx{noHeaders: true, files: []facts.File{{Path: "a.bak", Size: 5}, {Path: "b.bak", Size: 5, AccessTier: "Archive"}, {Path: "c.bak"}}}, "file:b.bak=fail file:c.bak=warn storage=skip"},
	})
}

// TestReadableBackupsMessage: the reader's error already says "not a SQL
// Server backup"; the finding must not say it twice.
func TestReadableBackupsMessage(t *testing.T) {
	f := fx{files: []facts.File{{Path: "db/notes.txt", Size: 10, ReadErrorKind: "not-backup",
		ReadError: "not a SQL Server backup: no MTF TAPE block at the start of the file"}}}.facts()
	for _, fd := range check.Run([]*check.Check{ReadableBackups}, f) {
		if strings.Count(fd.Message, "not a SQL Server backup") != 1 || !strings.Contains(fd.Message, "no MTF TAPE block") {
			t.Errorf("message %q", fd.Message)
		}
	}
}
