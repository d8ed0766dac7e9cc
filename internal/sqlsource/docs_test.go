package sqlsource

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/internal/azure"
)

var update = flag.Bool("update", false, "rewrite docs/permissions.md from the query table")

func TestPermissionsDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "permissions.md")
	// The Azure Resource Manager calls follow the SQL queries (internal/azure).
	want := PermissionsDoc() + "\n" + azure.PermissionsDoc()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/sqlsource -run TestPermissionsDoc -update)", err)
	}
	if string(got) != want {
		t.Errorf("docs/permissions.md is stale: run go test ./internal/sqlsource -run TestPermissionsDoc -update")
	}
	for _, q := range Queries {
		if !strings.Contains(want, "`"+q.Marker+"`") {
			t.Errorf("%s missing from the doc", q.Marker)
		}
	}
	for _, g := range []string{"GRANT VIEW SERVER STATE", "GRANT VIEW ANY DEFINITION", "GRANT CONNECT ANY DATABASE", "USE msdb;\nCREATE USER"} {
		if !strings.Contains(want, g) {
			t.Errorf("script lacks %q", g)
		}
	}
}
