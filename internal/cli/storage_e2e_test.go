package cli

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"

	"github.com/dmsready/dmsready/internal/azuritetest"
	"github.com/dmsready/dmsready/report"
)

// demoContainer uploads the demo backups to a fresh Azurite container and
// returns SAS URLs for it: read+list, read+list+write, and expired.
func demoContainer(t *testing.T) (readList, readWrite, expired string) {
	t.Helper()
	srv := azuritetest.Start(t, azuritetest.Options{})
	c := srv.Client(t, nil)
	srv.CreateContainer(t, c, "migration")
	root := filepath.Join("..", "..", "fixtures", "demo", "backups")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		_, err = c.UploadBuffer(context.Background(), "migration", filepath.ToSlash(rel), b, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cc := c.ServiceClient().NewContainerClient("migration")
	mk := func(p sas.ContainerPermissions, expiry time.Time) string {
		start := time.Now().Add(-3 * time.Hour)
		u, err := cc.GetSASURL(p, expiry, &container.GetSASURLOptions{StartTime: &start})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	now := time.Now()
	return mk(sas.ContainerPermissions{Read: true, List: true}, now.Add(48*time.Hour)),
		mk(sas.ContainerPermissions{Read: true, List: true, Write: true, Delete: true}, now.Add(48*time.Hour)),
		mk(sas.ContainerPermissions{Read: true, List: true}, now.Add(-time.Hour))
}

func signature(t *testing.T, sasURL string) string {
	u, err := url.Parse(sasURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("sig")
}

func assertNoSecret(t *testing.T, secret string, outputs ...string) {
	t.Helper()
	if secret == "" {
		t.Fatal("empty secret: the test would prove nothing")
	}
	for _, o := range outputs {
		if strings.Contains(o, secret) || strings.Contains(o, url.QueryEscape(secret)) {
			t.Errorf("a secret appears in the output:\n%s", o)
		}
	}
}

func statuses(t *testing.T, js string) map[string]string {
	t.Helper()
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("report: %v\n%s", err, js)
	}
	m := map[string]string{}
	for _, f := range r.Findings {
		m[f.CheckID+" "+f.Object] = string(f.Status)
	}
	return m
}

// The demo from an Azure Blob container (Azurite) gives the findings it gives
// from a local folder, and the SAS signature is never printed.
func TestCheckAgainstAzurite(t *testing.T) {
	readList, readWrite, expired := demoContainer(t)
	dir := t.TempDir()
	local := runBin(t, nil, "check", "--plan", "fixtures/demo/plan.yaml", "--format", "json")
	blob := runBin(t, nil, "check", "--plan", "fixtures/demo/plan.yaml", "--storage", readList,
		"--format", "json", "--format", "text="+filepath.Join(dir, "r.txt"), "--format", "sarif="+filepath.Join(dir, "r.sarif"),
		"--format", "junit="+filepath.Join(dir, "r.xml"), "--format", "markdown="+filepath.Join(dir, "r.md"))
	if blob.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s%s", blob.code, blob.stderr, blob.stdout)
	}
	ls, bs := statuses(t, local.stdout), statuses(t, blob.stdout)
	for k, v := range ls {
		if strings.HasPrefix(k, "DMS20") && (strings.HasPrefix(k, "DMS202") || strings.HasPrefix(k, "DMS203") || strings.HasPrefix(k, "DMS207")) {
			continue // credential and blob-type checks differ by design between a share and a container
		}
		if bs[k] != v {
			t.Errorf("%s: local %s, blob %s", k, v, bs[k])
		}
	}
	if bs["DMS202 storage"] == "" && bs["DMS202 sas"] == "" {
		t.Logf("DMS202 findings: %v", bs)
	}
	files := []string{blob.stdout, blob.stderr}
	for _, n := range []string{"r.txt", "r.sarif", "r.xml", "r.md"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, string(b))
	}
	assertNoSecret(t, signature(t, readList), files...)

	// A SAS that may write or delete: dmsready still only reads, and warns.
	rw := runBin(t, nil, "check", "--plan", "fixtures/demo/plan.yaml", "--storage", readWrite, "--format", "json")
	warned := false
	for k, v := range statuses(t, rw.stdout) {
		if strings.HasPrefix(k, "DMS202") && v == "warn" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("a write+delete SAS gave no DMS202 warning:\n%s", rw.stdout)
	}
	assertNoSecret(t, signature(t, readWrite), rw.stdout, rw.stderr)

	// An expired SAS: the storage source fails by name, the plan checks still
	// run, nothing leaks.
	ex := runBin(t, nil, "check", "--plan", "fixtures/demo/plan.yaml", "--storage", expired, "--format", "json")
	if ex.code != exitSource {
		t.Errorf("expired SAS: exit %d, want 3\n%s", ex.code, ex.stderr)
	}
	st := statuses(t, ex.stdout)
	if st["DMS201 -"] != "error" || st["DMS103 database:Sales"] != "pass" {
		t.Errorf("expired SAS statuses: DMS201=%q DMS103=%q", st["DMS201 -"], st["DMS103 database:Sales"])
	}
	if !strings.Contains(ex.stdout, "expired") {
		t.Errorf("the report does not say the SAS expired:\n%s", ex.stdout)
	}
	assertNoSecret(t, signature(t, expired), ex.stdout, ex.stderr)
}

// A plan names the variable holding the SAS; the token never sits in the plan.
func TestPlanSASFromEnvironment(t *testing.T) {
	readList, _, _ := demoContainer(t)
	base, token, _ := strings.Cut(readList, "?")
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	os.WriteFile(plan, []byte("target: {kind: sqlmi, version: \"2022\"}\nstorage:\n  location: "+base+"/inventory\n  auth: sas\n  sasEnv: DEMO_SAS\n"+
		"databases:\n  - {name: Inventory}\n"), 0o644)
	r := runBin(t, []string{"DEMO_SAS=" + token}, "check", "--plan", plan, "--format", "json")
	if r.code != exitReady {
		t.Fatalf("exit %d, want 0\n%s\n%s", r.code, r.stderr, r.stdout)
	}
	if statuses(t, r.stdout)["DMS301 database:Inventory"] != "pass" {
		t.Errorf("Inventory's chain was not verified:\n%s", r.stdout)
	}
	assertNoSecret(t, signature(t, readList), r.stdout, r.stderr)

	rp := runBin(t, []string{"DEMO_SAS=" + token}, "restore-plan", "--plan", plan)
	if rp.code != exitReady || !strings.Contains(rp.stdout, "Inventory_LOG_2.trn") {
		t.Errorf("restore-plan: exit %d\n%s\n%s", rp.code, rp.stdout, rp.stderr)
	}
	if r := runBin(t, nil, "check", "--plan", plan); r.code != exitSource {
		t.Errorf("unset SAS variable: exit %d, want 3\n%s", r.code, r.stderr)
	}
}

// restore-plan prints the sequence and exits 1 when a chain is broken.
func TestRestorePlanCommand(t *testing.T) {
	r := runBin(t, nil, "restore-plan", "--plan", "fixtures/demo/plan.yaml")
	if r.code != exitFindings {
		t.Fatalf("exit %d, want 1 (Sales is broken)\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"Sales_FULL.bak", "Sales_DIFF.bak", "Sales_LOG_2.trn", "Inventory_LOG_2.trn"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("restore plan lacks %s:\n%s", want, r.stdout)
		}
	}
	j := runBin(t, nil, "restore-plan", "--facts", "fixtures/demo/facts.json", "--format", "json")
	if !json.Valid([]byte(j.stdout)) || !strings.Contains(j.stdout, `"30000000050000001"`) {
		t.Errorf("restore-plan json:\n%s", j.stdout)
	}
	if r := runBin(t, nil, "restore-plan", "--target-kind", "sqlmi"); r.code != exitUsage {
		t.Errorf("no storage: exit %d, want 2", r.code)
	}
}

// TestEmptyContainerIsNeverReady: an empty Azurite container with a valid
// read+list SAS (DMS202 and DMS203 pass, DMS201 warns) and no database
// named verifies no database: INCOMPLETE, exit 4, never READY on nothing;
// the SAS signature stays out of the report.
func TestEmptyContainerIsNeverReady(t *testing.T) {
	srv := azuritetest.Start(t, azuritetest.Options{})
	c := srv.Client(t, nil)
	srv.CreateContainer(t, c, "empty")
	start := time.Now().Add(-time.Hour)
	u, err := c.ServiceClient().NewContainerClient("empty").GetSASURL(sas.ContainerPermissions{Read: true, List: true},
		time.Now().Add(48*time.Hour), &container.GetSASURLOptions{StartTime: &start})
	if err != nil {
		t.Fatal(err)
	}
	r := runBin(t, nil, "check", "--storage", u, "--target-kind", "sqlmi", "--no-color")
	if r.code != exitIncomplete || strings.Contains(r.stdout, "— READY") {
		t.Errorf("exit %d, want %d (incomplete)\n%s%s", r.code, exitIncomplete, r.stdout, r.stderr)
	}
	assertNoSecret(t, signature(t, u), r.stdout, r.stderr)
}
