package facts

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLSNDecimalForm(t *testing.T) {
	// StopAt_23.trn: SQL Server reported "begins at LSN 19000000021500001".
	l, err := ParseLSN("19000000021500001")
	if err != nil {
		t.Fatal(err)
	}
	if l != (LSN{VLF: 19, Block: 215, Slot: 1}) {
		t.Fatalf("parsed %+v", l)
	}
	if l.String() != "19000000021500001" {
		t.Errorf("String = %s", l.String())
	}
	// Past 2^64: VLF 4294967295 is a 25-digit LSN.
	big := LSN{VLF: 0xFFFFFFFF, Block: 0xFFFFFFFF, Slot: 0xFFFF}
	back, err := ParseLSN(big.String())
	if err != nil || back != big {
		t.Errorf("round trip of %s: %+v %v", big, back, err)
	}
	for _, bad := range []string{"-1", "abc", "1e5", "99999999999999999999999999"} {
		if _, err := ParseLSN(bad); err == nil {
			t.Errorf("ParseLSN(%q) accepted", bad)
		}
	}
}

func TestLSNOrder(t *testing.T) {
	a := LSN{VLF: 19, Block: 215, Slot: 1}
	b := LSN{VLF: 19, Block: 215, Slot: 2}
	c := LSN{VLF: 20}
	if !a.Less(b) || !b.Less(c) || c.Less(a) || a.Compare(a) != 0 {
		t.Error("LSN order")
	}
}

func TestLSNJSON(t *testing.T) {
	b, _ := json.Marshal(struct {
		A LSN `json:"a"`
		Z LSN `json:"z"`
	}{A: LSN{VLF: 19, Block: 215, Slot: 1}})
	if string(b) != `{"a":"19000000021500001","z":null}` {
		t.Fatalf("got %s", b)
	}
	var v struct{ A, Z LSN }
	if err := json.Unmarshal(b, &v); err != nil || v.A.VLF != 19 || !v.Z.IsZero() {
		t.Errorf("unmarshal: %+v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"A":19000000021500001}`), &v); err == nil {
		t.Error("a JSON number LSN (precision lost past 2^53) was accepted")
	}
}

func TestFactsRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	yes := true
	f := &Facts{SchemaVersion: SchemaVersion, CollectedAt: now,
		Plan:   ResolvedPlan{Target: PlanTarget{Kind: KindMI}, Databases: []PlanDatabase{{Name: "Sales"}}},
		Server: &Server{Version: "15.0.2000.5", Major: 15, Databases: []Database{{Name: "Sales"}}, Certificates: []Certificate{}},
		Storage: &Storage{Kind: "share", Files: []File{{Path: "sales/a.bak", Size: 10, Backup: &BackupMedia{
			Sets: []BackupSet{{DatabaseName: "Sales", FirstLSN: LSN{VLF: 1}, IsCopyOnly: &yes}}}}}},
		Errors: []SourceError{{Source: SrcBackupHistory, Kind: "permission", Message: "denied", Permission: "db_datareader in msdb"}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	back, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, back) {
		t.Errorf("round trip differs:\n%+v\n%+v", f, back)
	}
	// nil = not collected, empty = collected and none: both survive.
	if back.Server.BackupHistory != nil || back.Server.Certificates == nil {
		t.Error("nil/empty distinction lost")
	}
	if !back.Has(SrcEncryption) || back.Has(SrcBackupHistory) || !back.Has(SrcStorage) {
		t.Error("Has after round trip")
	}
	if e := back.ErrorFor(SrcBackupHistory); e == nil || e.Permission == "" {
		t.Error("ErrorFor lost")
	}
	if back.ErrorFor(SrcDatabases) != nil {
		t.Error("an msdb error covers server.databases")
	}
}

func TestReadRejectsUnknownFields(t *testing.T) {
	_, err := Read(strings.NewReader(`{"schemaVersion":1,"plan":{},"surprise":1}`))
	if err == nil || !strings.Contains(err.Error(), "surprise") {
		t.Errorf("err = %v", err)
	}
}

// A facts file of another schema version is refused by its version, even
// when its fields no longer decode; a file without one is not a facts file.
func TestReadRefusesOtherSchemaByVersion(t *testing.T) {
	for in, want := range map[string]string{
		`{"schemaVersion":2,"plan":{"mode":5},"newThing":{}}`: "schema version 2",
		`{"schemaVersion":0,"plan":{}}`:                       "schema version 0",
		`{"schemaVersion":"1","plan":{}}`:                     "schemaVersion",
		`{"plan":{}}`:                                         "no schemaVersion",
		`{"schemaVersion":1,"tool":"dmsready","findings":[]}`: "tool",
	} {
		_, err := Read(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to name %q", in, err, want)
		}
	}
}

func TestSourceCovers(t *testing.T) {
	if !SrcServer.Covers(SrcBackupHistory) || SrcBackupHistory.Covers(SrcServer) || SrcStorage.Covers(SrcServer) {
		t.Error("Covers")
	}
	if Source("server").Covers(Source("serverx")) {
		t.Error("prefix without a dot")
	}
}

// Any decimal that parses prints back the same (modulo leading zeros), so
// LSNs from msdb and from headers compare exactly.
func FuzzParseLSN(f *testing.F) {
	f.Add("19000000021500001")
	f.Add("0")
	f.Add("4294967295429496729565535")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLSN(s)
		if err != nil {
			return
		}
		back, err := ParseLSN(l.String())
		if err != nil || back != l {
			t.Fatalf("%q -> %+v -> %q -> %+v %v", s, l, l.String(), back, err)
		}
	})
}
