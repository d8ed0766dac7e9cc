package plan

import (
	"os"
	"path/filepath"
	"testing"
)

// A storage location written on Windows is kept as written wherever the
// plan is read; only a relative folder is taken from the plan's folder.
func TestLoadKeepsWindowsLocations(t *testing.T) {
	dir := t.TempDir()
	for loc, want := range map[string]string{
		`C:\SQLBackups\Sales`:             `C:\SQLBackups\Sales`,
		`'d:/backups'`:                    `d:/backups`,
		`'\\fileserver\sqlbackups\Sales'`: `\\fileserver\sqlbackups\Sales`,
		`//fileserver/sqlbackups`:         `//fileserver/sqlbackups`,
		`file:///C:/SQLBackups`:           `file:///C:/SQLBackups`,
		`/mnt/backups`:                    `/mnt/backups`,
		`backups/sales`:                   filepath.Join(dir, "backups/sales"),
	} {
		p := filepath.Join(dir, "m.yaml")
		body := "version: 1\ntarget:\n  kind: sqlmi\nstorage:\n  location: " + loc + "\n  auth: none\ndatabases:\n  - name: Sales\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		pl, err := Load(p)
		if err != nil {
			t.Errorf("%s: %v", loc, err)
			continue
		}
		if pl.Storage.Location != want {
			t.Errorf("location %s: got %q, want %q", loc, pl.Storage.Location, want)
		}
	}
}
