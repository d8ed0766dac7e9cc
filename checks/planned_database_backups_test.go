package checks

import (
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

func TestPlannedDatabaseBackups(t *testing.T) {
	files := []facts.File{bf("a/a.bak", full("a")), bf("b/b.bak", full("b"))}
	testCheck(t, PlannedDatabaseBackups, []tcase{
		{"found", fx{dbs: dbs("a", "B@b"), files: files}.facts(), []string{"pass database:B", "pass database:a"}},
		{"wrong folder", fx{dbs: dbs("a@b"), files: files}.facts(), []string{"fail database:a"}},
		{"missing", fx{dbs: dbs("c"), files: files}.facts(), []string{"fail database:c"}},
		{"headers not read", fx{dbs: dbs("a"), noHeaders: true}.facts(), []string{"skip -"}},
	})
}

// A network share is read over SMB, whose folder names are
// case-insensitive (Windows, and Samba's default for Windows clients): a
// plan's folder "sales" is the listed folder "Sales", for the layout
// checks and the restore planner alike. A container's names are
// case-sensitive: there "sales" is another folder.
func TestShareFolderCase(t *testing.T) {
	files := []facts.File{bf("Sales/full.bak", full("Sales"))}
	share := func(st *facts.Storage) { st.Kind, st.Auth, st.Container = facts.StorageShare, "", "" }
	cs := []*check.Check{PlannedDatabaseBackups, FlatFolders}
	testChecks(t, cs, []tcase{
		{"share", fx{dbs: dbs("Sales@sales"), files: files, st: share}.facts(),
			[]string{"DMS210 pass database:Sales", "DMS204 pass database:Sales"}},
		{"share, both spellings", fx{dbs: dbs("Sales@sales"), files: append([]facts.File{bf("sales/x.bak", full("Other"))}, files...), st: share}.facts(),
			[]string{"DMS210 fail database:Sales", "DMS204 skip database:Sales"}},
		{"blob", fx{dbs: dbs("Sales@sales"), files: files}.facts(),
			[]string{"DMS210 fail database:Sales", "DMS204 skip database:Sales"}},
	})
	// The restore planner reads the same folder (facts without a folder
	// summary: the files' folders).
	restoreFacts := func(kind string) *facts.Facts {
		f := rfacts(salesPlan, chainOK...)
		f.Storage.Kind = kind
		for i := range f.Storage.Files {
			f.Storage.Files[i].Path = "S" + strings.TrimPrefix(f.Storage.Files[i].Path, "s")
		}
		return f
	}
	testCheck(t, NoFullBackup, []tcase{
		{"share restore", restoreFacts(facts.StorageShare), []string{"pass database:Sales: restore starts from full backup S/full.bak"}},
		{"blob restore", restoreFacts(facts.StorageBlob), []string{"fail database:Sales: no backup of the database was found in folder s"}},
	})
}
