package restore

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

var updateTSQL = flag.Bool("update-tsql", false, "rewrite testdata/*.sql")

func goldenSQL(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *updateTSQL {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/restore -run TSQL -update-tsql)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s", path, got)
	}
}

// The demo: Sales stops at its broken chain, Inventory moves its files as
// the plan maps them, HR restores and recovers; backups are read from the
// share.
func TestTSQLDemo(t *testing.T) {
	fl, err := os.Open("../../fixtures/demo/facts.json")
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	f, err := facts.Read(fl)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTSQL(&b, Build(f), f, TSQLHeader{Generated: "dmsready test at 2026-11-28T03:00:00Z", Plan: "fixtures/demo/plan.yaml"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"RESTORE DATABASE [Sales]\n  FROM DISK = N'",
		"RESTORE LOG [Sales]",
		"-- STOP: the restore cannot continue past this point",
		"MOVE N'Inventory' TO N'Inventory.mdf'",
		"RESTORE DATABASE [HR] WITH RECOVERY;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	// HR's full has no checksums: RESTORE ... WITH CHECKSUM would fail on it.
	if !strings.Contains(out, "HR_FULL.bak'\n  WITH NORECOVERY;") {
		t.Error("HR's full backup (no checksums) restored WITH CHECKSUM")
	}
	if strings.Contains(out, "RESTORE DATABASE [Sales] WITH RECOVERY") {
		t.Error("a broken chain is recovered")
	}
	goldenSQL(t, "demo.sql", b.Bytes())
}

// Blob storage reads FROM URL with each path segment escaped; quotes and
// brackets in names cannot end a literal or an identifier; stripes are
// listed together; a later backup set in a file is named by FILE =.
func TestTSQLBlobQuoting(t *testing.T) {
	f := mkFacts([]facts.PlanDatabase{{Name: "O'Brien]", TargetName: "Ob]x", Folder: "ob"}},
		full("ob/full 1.bak", 1, 10, "g1"), logb("ob/log#1.trn", 10, 20))
	for i := range f.Storage.Files {
		for j := range f.Storage.Files[i].Backup.Sets {
			f.Storage.Files[i].Backup.Sets[j].DatabaseName = "O'Brien]"
		}
	}
	f.Storage.Location = "https://acct.blob.core.windows.net/backups"
	var b bytes.Buffer
	if err := WriteTSQL(&b, Build(f), f, TSQLHeader{Generated: "dmsready test"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"RESTORE DATABASE [Ob]]x]\n  FROM URL = N'https://acct.blob.core.windows.net/backups/ob/full%201.bak'",
		"RESTORE LOG [Ob]]x]\n  FROM URL = N'https://acct.blob.core.windows.net/backups/ob/log%231.trn'",
		"CREATE CREDENTIAL [https://acct.blob.core.windows.net/backups]",
		"RESTORE DATABASE [Ob]]x] WITH RECOVERY;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("script lacks %q:\n%s", want, out)
		}
	}
	if got := quoteString("a'b\nc"); got != "N'a''b c'" {
		t.Errorf("quoteString = %q", got)
	}
}
