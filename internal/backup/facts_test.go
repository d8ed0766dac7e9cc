package backup

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// TestCorpusFacts pins what ../shared/samples/README.md states as certain,
// independently of any parser, plus the reader's read budget.
func TestCorpusFacts(t *testing.T) {
	dir := samplesDir(t)
	media := map[string]*facts.BackupMedia{}
	for _, rel := range sampleFiles(t, dir) {
		m, err := readFile(t, filepath.Join(dir, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		media[rel] = m
		wantSets := 1
		if strings.Contains(rel, "danghobathinh_") {
			wantSets = 2 // SOURCES.md: 2 sets
		}
		if len(m.Sets) != wantSets || m.SetCount != wantSets || m.SetsIncomplete {
			t.Errorf("%s: %d sets (count %d, incomplete %v), want %d", rel, len(m.Sets), m.SetCount, m.SetsIncomplete, wantSets)
			continue
		}
		s := m.Sets[0]
		if s.Provisional {
			t.Errorf("%s: only the provisional header copy was read", rel)
		}
		if s.BackupFinishDate == nil || s.BackupStartDate == nil || s.BackupFinishDate.Before(*s.BackupStartDate) {
			t.Errorf("%s: dates %v .. %v", rel, s.BackupStartDate, s.BackupFinishDate)
		}
		if s.LastLSN.Less(s.FirstLSN) || s.FirstLSN.IsZero() {
			t.Errorf("%s: LSNs %s .. %s", rel, s.FirstLSN, s.LastLSN)
		}
		if !m.Compressed && (m.BytesRead > int64(wantSets)*64<<10 || m.Reads > 2*wantSets) {
			t.Errorf("%s: read %d bytes in %d reads, budget 64 KiB in 2 per set", rel, m.BytesRead, m.Reads)
		}
		if len(s.Files) == 0 {
			t.Errorf("%s: no file list", rel)
		}
	}
	one := func(rel string) facts.BackupSet {
		t.Helper()
		m := media[rel]
		if m == nil || len(m.Sets) == 0 {
			t.Fatalf("%s: not decoded", rel)
		}
		return m.Sets[0]
	}

	// Ola Hallengren's jobs with @CheckSum='Y' on SQL Server 2008 R2 RTM.
	for rel := range media {
		if !strings.HasPrefix(rel, "appveyor-lab/sql2008-backups/") {
			continue
		}
		s := one(rel)
		if s.SoftwareMajor != 10 || s.SoftwareMinor != 50 {
			t.Errorf("%s: version %s, want 10.50 (2008 R2)", rel, s.SoftwareVersion)
		}
		parts := strings.Split(rel, "/")
		if len(parts) == 5 && (parts[3] == "FULL" || parts[3] == "DIFF" || parts[3] == "LOG") {
			if !s.HasBackupChecksums {
				t.Errorf("%s: taken WITH CHECKSUM, decoded without", rel)
			}
			if s.SoftwareBuild != 1600 {
				t.Errorf("%s: build %d, want 1600 (RTM)", rel, s.SoftwareBuild)
			}
			want := map[string]string{"FULL": facts.TypeFull, "DIFF": facts.TypeDifferential, "LOG": facts.TypeLog}[parts[3]]
			if s.BackupType != want {
				t.Errorf("%s: type %s, want %s", rel, s.BackupType, want)
			}
			if !strings.EqualFold(s.DatabaseName, parts[2]) {
				t.Errorf("%s: database %s, want %s", rel, s.DatabaseName, parts[2])
			}
		}
	}

	// SQL Server itself said StopAt_23 "begins at LSN 19000000021500001"; SP2, no checksums.
	st := one("appveyor-lab/sql2008-backups/StopAt/StopAt_23.trn")
	if st.FirstLSN.String() != "19000000021500001" || st.BackupType != facts.TypeLog {
		t.Errorf("StopAt_23: %s first LSN %s", st.BackupType, st.FirstLSN)
	}
	if st.HasBackupChecksums || st.SoftwareVersion != "10.50.4000" {
		t.Errorf("StopAt_23: checksums %v version %s", st.HasBackupChecksums, st.SoftwareVersion)
	}

	// restoretimeclean2016: the only SQL Server 2016 set; same database name.
	for rel := range media {
		s := one(rel)
		is2016 := strings.HasPrefix(rel, "appveyor-lab/restoretimeclean2016/")
		if strings.HasPrefix(rel, "appveyor-lab/") && (s.SoftwareMajor == 13) != is2016 {
			t.Errorf("%s: version %s", rel, s.SoftwareVersion)
		}
		if strings.HasPrefix(rel, "appveyor-lab/RestoreTimeClean/") || is2016 {
			if s.DatabaseName != "RestoreTimeClean" {
				t.Errorf("%s: database %q, want RestoreTimeClean", rel, s.DatabaseName)
			}
		}
	}
	// RestoreTimeClean: one database's chain, whatever the names say.
	fam := one("appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak").FamilyGUID
	for rel := range media {
		if strings.HasPrefix(rel, "appveyor-lab/RestoreTimeClean/") && one(rel).FamilyGUID != fam {
			t.Errorf("%s: family %s, want %s", rel, one(rel).FamilyGUID, fam)
		}
	}

	// singlerestore: two different databases.
	a, b := one("appveyor-lab/singlerestore/singlerestore.bak"), one("appveyor-lab/singlerestore/testlastbackup.bak")
	if a.DatabaseName == b.DatabaseName || a.FamilyGUID == b.FamilyGUID {
		t.Errorf("singlerestore: %s/%s and %s/%s should differ", a.DatabaseName, a.FamilyGUID, b.DatabaseName, b.FamilyGUID)
	}

	// RestoreTimeStripe: each backup striped over two families, one per folder.
	for rel, m := range media {
		if !strings.Contains(rel, "/RestoreTimeStripe/") {
			continue
		}
		seq := 1
		if strings.Contains(rel, "/Stripe2/") {
			seq = 2
		}
		if m.FamilyCount != 2 || m.FamilySequence != seq {
			t.Errorf("%s: family %d of %d, want %d of 2", rel, m.FamilySequence, m.FamilyCount, seq)
		}
	}
	s1 := media["appveyor-lab/sql2008-backups/RestoreTimeStripe/Stripe1/RestoreTimeStripe.bak"]
	s2 := media["appveyor-lab/sql2008-backups/RestoreTimeStripe/Stripe2/RestoreTimeStripe1.bak"]
	if s1.MediaSetID != s2.MediaSetID || s1.Sets[0].BackupSetGUID != s2.Sets[0].BackupSetGUID {
		t.Errorf("RestoreTimeStripe full: stripes not one media set: %s/%s vs %s/%s", s1.MediaSetID, s1.Sets[0].BackupSetGUID, s2.MediaSetID, s2.Sets[0].BackupSetGUID)
	}

	// cake-sqlserver: CakeRestoreTest, 2 logical files; one backup striped over three files.
	var setID, bsGUID string
	for i, rel := range []string{"cake-sqlserver/multiFilesBackup1.bak", "cake-sqlserver/multiFilesBackup2.bak", "cake-sqlserver/multiFilesBackup3.bak"} {
		m := media[rel]
		s := one(rel)
		if m.FamilyCount != 3 || m.FamilySequence != i+1 {
			t.Errorf("%s: family %d of %d, want %d of 3", rel, m.FamilySequence, m.FamilyCount, i+1)
		}
		if i == 0 {
			setID, bsGUID = m.MediaSetID, s.BackupSetGUID
		} else if m.MediaSetID != setID || s.BackupSetGUID != bsGUID {
			t.Errorf("%s: media set %s / backup set %s, want %s / %s", rel, m.MediaSetID, s.BackupSetGUID, setID, bsGUID)
		}
	}
	for rel := range media {
		if strings.HasPrefix(rel, "cake-sqlserver/") {
			s := one(rel)
			if s.DatabaseName != "CakeRestoreTest" || len(s.Files) != 2 || s.BackupType != facts.TypeFull {
				t.Errorf("%s: %s %s with %d files", rel, s.BackupType, s.DatabaseName, len(s.Files))
			}
		}
	}
	if m := media["cake-sqlserver/multiFileBackup.bak"]; m.FamilyCount != 1 {
		t.Errorf("multiFileBackup.bak: %d families, want 1", m.FamilyCount)
	}

	// passwd.bak: made for media-password tests.
	if m := media["appveyor-lab/backuppassword/passwd.bak"]; m.PasswordProtected == nil || !*m.PasswordProtected {
		t.Errorf("passwd.bak: media password not recognised")
	}

	// Cross-checks between files (not stated by the README, but forced by
	// how SQL Server chains backups): a differential's base is the full's
	// checkpoint, and a log chain has no gaps.
	full := one("appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak")
	diff := one("appveyor-lab/RestoreTimeClean/RestoreTimeClean2.bak")
	if diff.DifferentialBaseGUID != full.BackupSetGUID || diff.DifferentialBaseLSN != full.CheckpointLSN {
		t.Errorf("RestoreTimeClean2 differential base %s/%s, want the full's %s/%s",
			diff.DifferentialBaseGUID, diff.DifferentialBaseLSN, full.BackupSetGUID, full.CheckpointLSN)
	}
	chain := []string{"StopAt_1.trn", "StopAt_2.trn", "StopAt_21.trn", "StopAt_23.trn"}
	for i := 1; i < len(chain); i++ {
		a, b := one("appveyor-lab/sql2008-backups/StopAt/"+chain[i-1]), one("appveyor-lab/sql2008-backups/StopAt/"+chain[i])
		if a.LastLSN != b.FirstLSN {
			t.Errorf("%s ends at %s, %s begins at %s", chain[i-1], a.LastLSN, chain[i], b.FirstLSN)
		}
	}

	// The compressed SQL Server 2014 backup of SharePoint_Config.
	if m := media["appveyor-lab/compressed/SharePoint_Config.bak"]; m != nil {
		s := one("appveyor-lab/compressed/SharePoint_Config.bak")
		if !m.Compressed || s.DatabaseName != "SharePoint_Config" || s.SoftwareMajor != 12 {
			t.Errorf("SharePoint_Config.bak: compressed %v, %s, %s", m.Compressed, s.DatabaseName, s.SoftwareVersion)
		}
	}

	publicNewer(t, media)
}

// publicNewer checks what public-newer/SOURCES.md states of each file: the
// release, 4 KiB blocks, compression, the stripe, the appended sets, and
// that SQL Server 2005 has no CompressedBackupSize.
func publicNewer(t *testing.T, media map[string]*facts.BackupMedia) {
	t.Helper()
	want := []struct {
		file, version, kind string
	}{
		{"Hammerboy98_StudentTable_StudentDB.bak", "16.0.1000", "4K"},
		{"ShahadAlnaamani_Database-Course-_Day 5 - SQL_sql_lab1.bak", "16.0.1000", "compressed"},
		{"Tungdever_QuanLyBanHang_QLBH.bak", "16.0.1050", ""},
		{"soklimkhy_Bookstore-Winforms_BookStore.bak", "16.0.1130", "stripe 2/2, 4K"},
		{"Amiya-git04_University_Database_University.bak", "15.0.2000", ""},
		{"Dragoh54_sql-labs_Company.bak", "15.0.2000", "4K"},
		{"NAFOGU_Library-Database-System_LibraryDB.bak", "15.0.2000", "compressed, 4K"},
		{"Wudrou_ITMO.ADO.NET_MyDB.bak", "15.0.2000", "4K"},
		{"ayamita_api-test-net4_master.bak", "15.0.2095", "master"},
		{"Ettee_LTCSDL_TH71_Nhom7_QLBH.bak", "14.0.2027", "4K"},
		{"aylinpasa_ECommerce-EKitap_ECommerce.bak", "14.0.1000", ""},
		{"Harkiranb_ExperianCaseStudy_Test.bak", "13.0.4001", "4K"},
		{"dancingfrog_sql-server-with-r_SQLR.bak", "13.0.5026", ""},
		{"leanerr_Demo_School_management_system_master.bak", "13.0.1601", "4K, master"},
		{"AhmedSalemBinShamlh_Bank_Bank.bak", "12.0.4100", "4K"},
		{"tiendatmagic_quanlybansach_QuanLyBanSach.bak", "11.0.6020", "4K"},
		{"Mumtaz-hub_RestaurantManagement_Restaurant.bak", "10.0.2531", ""},
		{"danghobathinh_HeThongQuanLyKhachSan_QuanLyKhachSan.bak", "10.0.2531", "2 sets"},
		{"2692667768_fifth_Northwind.bak", "9.0.1399", ""},
	}
	// Wudrou's MyDB has a second filegroup FG1 with two files.
	if m := media["public-newer/Wudrou_ITMO.ADO.NET_MyDB.bak"]; m != nil {
		groups := map[string]int{}
		for _, f := range m.Sets[0].Files {
			groups[f.FileGroupName]++
		}
		if groups["PRIMARY"] != 1 || groups["FG1"] != 2 || groups[""] != 1 {
			t.Errorf("MyDB.bak filegroups %v", groups)
		}
	}
	for _, w := range want {
		rel := "public-newer/" + w.file
		m := media[rel]
		if m == nil {
			t.Errorf("%s: not decoded", rel)
			continue
		}
		bs := 512
		if strings.Contains(w.kind, "4K") {
			bs = 4096
		}
		if m.BlockSize != bs {
			t.Errorf("%s: block size %d, want %d", rel, m.BlockSize, bs)
		}
		if m.Compressed != strings.Contains(w.kind, "compressed") {
			t.Errorf("%s: compressed %v", rel, m.Compressed)
		}
		fam, seq := 1, 1
		if strings.Contains(w.kind, "stripe 2/2") {
			fam, seq = 2, 2
		}
		if m.FamilyCount != fam || m.FamilySequence != seq {
			t.Errorf("%s: family %d of %d, want %d of %d", rel, m.FamilySequence, m.FamilyCount, seq, fam)
		}
		for _, s := range m.Sets {
			if s.SoftwareVersion != w.version {
				t.Errorf("%s: version %s, want %s", rel, s.SoftwareVersion, w.version)
			}
			if strings.Contains(w.kind, "master") != (s.DatabaseName == "master") {
				t.Errorf("%s: database %s", rel, s.DatabaseName)
			}
			// 2005 has no CompressedBackupSize: absent, not a number.
			if s.SoftwareMajor < 10 && s.CompressedBackupSize != 0 {
				t.Errorf("%s: CompressedBackupSize %d on SQL Server %s", rel, s.CompressedBackupSize, s.SoftwareVersion)
			}
			if s.SoftwareMajor >= 10 && (s.CompressedBackupSize <= 0 || s.CompressedBackupSize > s.BackupSize) {
				t.Errorf("%s: CompressedBackupSize %d of %d", rel, s.CompressedBackupSize, s.BackupSize)
			}
		}
	}
}
