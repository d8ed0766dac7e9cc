package backuptest_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/checks/sqlrelease"
	"github.com/dmsready/dmsready/internal/backup"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

func lsn(s string) facts.LSN {
	l, err := facts.ParseLSN(s)
	if err != nil {
		panic(err)
	}
	return l
}

// TestRoundTrip writes chosen values and reads them back with backup.Read.
func TestRoundTrip(t *testing.T) {
	yes := true
	sets := []backuptest.Set{
		{DatabaseName: "Sales", ServerName: `HOST\INST`, Type: facts.TypeFull, Checksums: true,
			FirstLSN: lsn("39000000048800071"), LastLSN: lsn("39000000051800001"), CheckpointLSN: lsn("39000000048800071"),
			DatabaseBackupLSN: lsn("39000000035400071"), Version: "13.0.5081", DatabaseVersion: sqlrelease.SQL2016.Writes, CompatibilityLevel: sqlrelease.SQL2016.DefaultCompatLevel(),
			BackupName: "Sales-Full", BackupDescription: "nightly", UserName: `DOM\svc`, TimeZone: 4,
			Start: time.Date(2024, 5, 1, 21, 0, 55, 0, time.UTC), Finish: time.Date(2024, 5, 1, 21, 1, 10, 0, time.UTC),
			BackupSetGUID: "C6C44151-8A2C-4C6C-9BF5-2E02090C8EBC", FamilyGUID: "E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9",
			LogChainLSN: lsn("25000000006200170"), PreviousForkLSN: lsn("25000000015300001"),
			PreviousRecoveryForkID: "E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9", DataBytes: 20000,
			ProvisionalLastLSN: lsn("39000000050000001")},
		{DatabaseName: "Sales", Type: facts.TypeDifferential, RecoveryModel: "SIMPLE",
			DifferentialBaseLSN: lsn("39000000048800071"), DifferentialBaseGUID: "C6C44151-8A2C-4C6C-9BF5-2E02090C8EBC",
			Files: []facts.BackupFile{{LogicalName: "Sales", PhysicalName: `D:\s.mdf`, Type: "D", FileID: 1, Size: 1 << 30, MaxSize: -1},
				{LogicalName: "Sales_2", PhysicalName: `D:\s2.ndf`, Type: "D", FileID: 3, Size: 5 << 20, FileGroupName: "ARCHIVE"},
				{LogicalName: "Sales_log", PhysicalName: `L:\s.ldf`, Type: "L", FileID: 2, Size: 1 << 20}}},
		{DatabaseName: "Sales", Type: facts.TypeLog, Version: "10.50.1600", DatabaseVersion: sqlrelease.SQL2008R2.Writes, CompatibilityLevel: sqlrelease.SQL2008R2.DefaultCompatLevel()},
	}
	spec := backuptest.Spec{FamilyCount: 3, FamilySequence: 2, MediaSetID: "B21CAE55-08B5-4F32-84F1-BC5E0A4382C2",
		MediaName: "media", MediaPassword: true, Sets: sets}
	var buf bytes.Buffer
	if err := backuptest.Write(&buf, spec); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if len(b)%512 != 0 {
		t.Errorf("file is %d bytes, not whole blocks", len(b))
	}
	m, err := backup.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if m.FamilyCount != 3 || m.FamilySequence != 2 || m.MediaSetID != spec.MediaSetID || m.MediaName != "media" ||
		m.PasswordProtected == nil || !*m.PasswordProtected || m.Compressed {
		t.Errorf("media: %+v", m)
	}
	if len(m.Sets) != len(sets) {
		t.Fatalf("%d sets, want %d", len(m.Sets), len(sets))
	}
	for i, in := range sets {
		w, err := backuptest.Defaults(in, i+1)
		if err != nil {
			t.Fatal(err)
		}
		g := m.Sets[i]
		check := func(name string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("set %d %s: got %v, want %v", i+1, name, got, want)
			}
		}
		check("position", g.Position, i+1)
		check("name", g.BackupName, w.BackupName)
		check("description", g.BackupDescription, w.BackupDescription)
		check("user", g.UserName, w.UserName)
		check("database", g.DatabaseName, w.DatabaseName)
		check("server", g.ServerName, w.ServerName)
		check("type", g.BackupType, w.Type)
		check("firstLSN", g.FirstLSN, w.FirstLSN)
		check("lastLSN", g.LastLSN, w.LastLSN)
		check("checkpointLSN", g.CheckpointLSN, w.CheckpointLSN)
		check("databaseBackupLSN", g.DatabaseBackupLSN, w.DatabaseBackupLSN)
		check("differentialBaseLSN", g.DifferentialBaseLSN, w.DifferentialBaseLSN)
		check("differentialBaseGUID", g.DifferentialBaseGUID, w.DifferentialBaseGUID)
		check("logChainLSN", g.LogChainLSN, w.LogChainLSN)
		check("previousForkLSN", g.PreviousForkLSN, w.PreviousForkLSN)
		check("previousRecoveryForkID", g.PreviousRecoveryForkID, w.PreviousRecoveryForkID)
		check("checksums", g.HasBackupChecksums, w.Checksums)
		check("version", g.SoftwareVersion, w.Version)
		check("databaseVersion", g.DatabaseVersion, w.DatabaseVersion)
		check("compat", g.CompatibilityLevel, w.CompatibilityLevel)
		check("backupSize", g.BackupSize, w.BackupSize)
		check("backupSetGUID", g.BackupSetGUID, w.BackupSetGUID)
		check("familyGUID", g.FamilyGUID, w.FamilyGUID)
		check("bindingID", g.BindingID, w.BindingID)
		check("recoveryForkID", g.RecoveryForkID, w.RecoveryForkID)
		check("files", g.Files, w.Files)
		check("provisional", g.Provisional, false)
		check("passwordProtected", g.PasswordProtected, &[]bool{false}[0])
		if !g.BackupStartDate.Equal(w.Start) || !g.BackupFinishDate.Equal(w.Finish) || !g.DatabaseCreationDate.Equal(w.Created) {
			t.Errorf("set %d dates: %v %v %v, want %v %v %v", i+1, g.BackupStartDate, g.BackupFinishDate, g.DatabaseCreationDate, w.Start, w.Finish, w.Created)
		}
		if w.RecoveryModel == "SIMPLE" {
			check("recoveryModel", g.RecoveryModel, "SIMPLE")
		}
	}
	_ = yes
}

// TestProvisionalOnly checks that a file cut after the data still yields the
// provisional header, flagged, with a truncation error.
func TestProvisionalOnly(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DataBytes: 100000, ProvisionalLastLSN: lsn("30000000009000001")}}})
	cut := b[:len(b)-40000]
	m, err := backup.Read(bytes.NewReader(cut), int64(len(cut)))
	e, ok := err.(*backup.Error)
	if !ok || e.Kind != backup.KindTruncated {
		t.Fatalf("err = %v, want truncated", err)
	}
	if m == nil || len(m.Sets) != 1 || !m.Sets[0].Provisional || m.Sets[0].LastLSN != lsn("30000000009000001") || m.Sets[0].BackupFinishDate != nil {
		t.Fatalf("media = %+v", m)
	}
}
