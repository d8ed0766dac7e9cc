package storage

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
)

// samplesDir is ../shared/samples beside the module root; the test skips
// when it is absent (a fresh clone elsewhere).
func samplesDir(t testing.TB) string {
	t.Helper()
	root := azuritetest.ModuleRoot()
	d := filepath.Join(root, "..", "shared", "samples", "appveyor-lab")
	if root == "" {
		d = ""
	}
	if _, err := os.Stat(d); d == "" || err != nil {
		t.Skip("real backup samples not found at ../shared/samples (beside the module root)")
	}
	return d
}

// sampleLayout reads the sample tree; sql2008-backups/db2 goes in as page
// blobs so that one folder meets the 2012/2014 VM rule and the others not.
func sampleLayout(t testing.TB, dir string) []layoutFile {
	t.Helper()
	var out []layoutFile
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		bt := facts.BlockBlob
		if strings.HasPrefix(rel, "sql2008-backups/db2/") && len(b)%512 == 0 {
			bt = facts.PageBlob
		}
		out = append(out, layoutFile{path: rel, blobType: bt, data: b})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// layoutChecks are the checks whose findings must not depend on where the
// backups sit (blob or share); DMS201-203 and DMS207 look at the medium.
var layoutChecks = []*check.Check{checks.FlatFolders, checks.OneDatabasePerFolder, checks.SeparateFolders,
	checks.ReadableBackups, checks.FullBackupChecksums, checks.PlannedDatabaseBackups, checks.UnplannedBackups,
	checks.OneBackupSetPerFile}

func findings(st *facts.Storage, target facts.PlanTarget, cs []*check.Check) []string {
	f := &facts.Facts{SchemaVersion: facts.SchemaVersion, Storage: st, Plan: facts.ResolvedPlan{Target: target}}
	var out []string
	for _, fd := range check.Run(cs, f) {
		out = append(out, fd.CheckID+" "+fd.Object+" "+string(fd.Status))
	}
	sort.Strings(out)
	return out
}

func has(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func TestSamples(t *testing.T) {
	dir := samplesDir(t)
	local := mustCollect(t, Config{Location: dir, ReadHeaders: true})
	if !local.HeadersRead || len(local.Files) < 70 {
		t.Fatalf("%d files, headers read %v", len(local.Files), local.HeadersRead)
	}
	for _, f := range local.Files {
		if f.Backup == nil && strings.Contains(f.ReadError, "compressed backups are not supported") {
			t.Logf("%s: %s (the reader's limit, not storage's)", f.Path, f.ReadError)
			continue
		}
		if f.Backup == nil {
			t.Errorf("%s: no header (%s %s)", f.Path, f.ReadErrorKind, f.ReadError)
			continue
		}
		if f.Backup.Compressed {
			continue
		}
		// Uncompressed backups: head and tail, at most 64 KiB.
		if f.Reads > 2 || f.BytesRead > 64<<10 {
			t.Errorf("%s: %d reads, %d bytes read; want at most 2 reads and 64 KiB", f.Path, f.Reads, f.BytesRead)
		}
	}
	if f := fileByPath(local, "singlerestore/singlerestore.bak"); f == nil || f.Backup == nil || f.Backup.Sets[0].DatabaseName != "singlerestore" {
		t.Errorf("singlerestore.bak = %+v", f)
	}

	mi := facts.PlanTarget{Kind: facts.KindMI}
	got := findings(local, mi, layoutChecks)
	for _, want := range []string{
		"DMS204 database:db1 fail",         // db1/DIFF + db1/LOG
		"DMS204 database:ft1 fail",         // FULL/DIFF/LOG
		"DMS205 folder:singlerestore fail", // two databases in one folder
		"DMS205 folder:sql2008-backups/db2/FULL pass",
		"DMS209 file:sql2008-backups/db2/FULL/SQL2008_db2_FULL_20170518_041738.bak pass", // Ola's @CheckSum='Y'
	} {
		if !has(got, want) {
			t.Errorf("local findings lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", strings.Join(got, "\n"))
	}

	srv := azuritetest.Start(t, azuritetest.Options{})
	c := srv.Client(t, nil)
	ctrURL := srv.CreateContainer(t, c, "samples")
	layout := sampleLayout(t, dir)
	upload(t, c, "samples", layout)
	remote := mustCollect(t, Config{Location: ctrURL, ConnectionString: srv.ConnString(), ReadHeaders: true})

	// The same bytes give the same facts and the same layout findings.
	if len(remote.Files) != len(local.Files) {
		t.Fatalf("azurite lists %d files, the folder %d", len(remote.Files), len(local.Files))
	}
	for i, r := range remote.Files {
		l := local.Files[i]
		if r.Path != l.Path || r.Size != l.Size || (r.Backup == nil) != (l.Backup == nil) || r.Reads != l.Reads || r.BytesRead != l.BytesRead {
			t.Errorf("file %d: azurite %s %d bytes (%d reads), folder %s %d bytes (%d reads)", i, r.Path, r.Size, r.Reads, l.Path, l.Size, l.Reads)
			continue
		}
		if r.Backup != nil && (r.Backup.Sets[0].DatabaseName != l.Backup.Sets[0].DatabaseName || r.Backup.Sets[0].LastLSN != l.Backup.Sets[0].LastLSN) {
			t.Errorf("%s: headers differ between azurite and the folder", r.Path)
		}
	}
	if rf, lf := strings.Join(findings(remote, mi, layoutChecks), "\n"), strings.Join(got, "\n"); rf != lf {
		t.Errorf("azurite findings differ from the folder's:\n--- azurite\n%s\n--- folder\n%s", rf, lf)
	}

	// A SQL Server 2014 VM target: block blobs fail, the db2 page blobs pass,
	// and the share cannot be used at all.
	vm := facts.PlanTarget{Kind: facts.KindVM, Version: "2014"}
	pb := findings(remote, vm, []*check.Check{checks.PageBlobsForOldVM})
	for _, want := range []string{
		"DMS207 folder:sql2008-backups/db2/FULL pass",
		"DMS207 file:sql2008-backups/db1/LOG/SQL2008_db1_LOG_20170518_041831.trn fail",
		"DMS207 file:singlerestore/singlerestore.bak fail",
	} {
		if !has(pb, want) {
			t.Errorf("2014 VM findings lack %q:\n%s", want, strings.Join(pb, "\n"))
		}
	}
	if f := findings(local, vm, []*check.Check{checks.PageBlobsForOldVM}); strings.Join(f, ",") != "DMS207 storage fail" {
		t.Errorf("2014 VM from a share: %v", f)
	}
	if f := fileByPath(remote, "sql2008-backups/db2/FULL/SQL2008_db2_FULL_20170518_041738.bak"); f == nil || f.BlobType != facts.PageBlob || f.Backup == nil {
		t.Errorf("page blob not listed or not read: %+v", f)
	}
}
