package facts

import (
	"fmt"
	"testing"
)

// TestDatabasesFromHeadersFoldCase: two spellings of one name in backup
// headers (public-newer has QuanLyBanHang and Quanlybanhang) are one
// database to plan, as the restore planner matches names; before, each
// spelling became a database claiming both files, doubling every finding.
// System databases are left out, as they are from the source server's
// list: DMS migrates user databases only.
func TestDatabasesFromHeadersFoldCase(t *testing.T) {
	f := &Facts{Storage: &Storage{Files: []File{
		{Path: "a.bak", Backup: &BackupMedia{Sets: []BackupSet{{DatabaseName: "QuanLyBanHang"}}}},
		{Path: "b.bak", Backup: &BackupMedia{Sets: []BackupSet{{DatabaseName: "Quanlybanhang"}}}},
		{Path: "c.bak", Backup: &BackupMedia{Sets: []BackupSet{{DatabaseName: "Other"}}}},
		{Path: "master.bak", Backup: &BackupMedia{Sets: []BackupSet{{DatabaseName: "master"}}}},
	}}}
	var names []string
	for _, d := range f.Databases() {
		names = append(names, d.Name)
	}
	if got := fmt.Sprint(names); got != "[Other QuanLyBanHang]" {
		t.Errorf("Databases() = %s, want [Other QuanLyBanHang]", got)
	}
}

// TestDatabasesFromServerKeepCase: a case-sensitive server can hold Sales
// and sales, two databases; both stay in the list.
func TestDatabasesFromServerKeepCase(t *testing.T) {
	f := &Facts{Server: &Server{Databases: []Database{{Name: "Sales"}, {Name: "sales"}, {Name: "master"}}}}
	var names []string
	for _, d := range f.Databases() {
		names = append(names, d.Name)
	}
	if got := fmt.Sprint(names); got != "[Sales sales]" {
		t.Errorf("Databases() = %s, want [Sales sales]", got)
	}
}
