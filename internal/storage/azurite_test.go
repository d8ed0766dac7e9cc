package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
	"github.com/dmsready/dmsready/internal/faultproxytest"
)

// TestAzurite runs the blob source against a real Blob endpoint (Azurite)
// on loopback; one emulator serves every subtest.
func TestAzurite(t *testing.T) {
	srv := azuritetest.Start(t, azuritetest.Options{})
	c := srv.Client(t, nil)
	ctrURL := srv.CreateContainer(t, c, "backups")
	layout := testLayout()
	upload(t, c, "backups", layout)

	t.Run("inventory", func(t *testing.T) {
		st := mustCollect(t, Config{Location: "backups", ConnectionString: srv.ConnString(), ReadHeaders: true, HeaderReader: fakeReader})
		checkInventory(t, st, layout, true)
		if st.Auth != "connection-string" || st.Kind != facts.StorageBlob || st.Container != "backups" || st.Account != azuritetest.Account {
			t.Errorf("storage = %+v", st)
		}
	})

	t.Run("auth", func(t *testing.T) {
		sasURL := containerSAS(t, c, "backups", sas.ContainerPermissions{Read: true, List: true}, time.Now().Add(time.Hour))
		env := func(k string) string {
			if k == "AZURE_STORAGE_CONNECTION_STRING" {
				return srv.ConnString()
			}
			return ""
		}
		envKey := func(k string) string {
			if k == "AZURE_STORAGE_KEY" {
				return azuritetest.Key
			}
			return ""
		}
		_, sasQuery, _ := strings.Cut(sasURL, "?")
		envSAS := func(k string) string {
			if k == "AZURE_STORAGE_SAS_TOKEN" {
				return "?" + sasQuery
			}
			return envKey(k) // an explicit choice of sas must not fall back to the key
		}
		for _, tc := range []struct {
			name, auth string
			cfg        Config
		}{
			{"sas", "sas", Config{Location: sasURL}},
			{"connection-string", "connection-string", Config{Location: ctrURL, ConnectionString: srv.ConnString()}},
			{"env", "connection-string", Config{Location: ctrURL, Getenv: env}},
			{"account-key", "account-key", Config{Location: ctrURL, AccountKey: azuritetest.Key}},
			{"env key", "account-key", Config{Location: ctrURL, Getenv: envKey}},
			{"env sas", "sas", Config{Location: ctrURL, Auth: "sas", Getenv: envSAS}},
			{"explicit key over env", "account-key", Config{Location: ctrURL, AccountKey: azuritetest.Key, Getenv: env}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				cfg := tc.cfg
				cfg.ReadHeaders, cfg.HeaderReader = true, fakeReader
				st := mustCollect(t, cfg)
				checkInventory(t, st, layout, true)
				if string(st.Auth) != tc.auth {
					t.Errorf("auth = %q, want %q", st.Auth, tc.auth)
				}
				noSecret(t, "location", st.Location)
				js, _ := json.Marshal(st)
				noSecret(t, "facts", string(js))
				if st.Location != ctrURL {
					t.Errorf("location = %q, want %q", st.Location, ctrURL)
				}
			})
		}
		st := mustCollect(t, Config{Location: sasURL})
		if st.SAS == nil || st.SAS.Permissions != "rl" || st.SAS.Resource != "c" || st.SAS.Expiry == nil {
			t.Errorf("SAS facts = %+v", st.SAS)
		}
	})

	t.Run("hns-folder-markers", func(t *testing.T) {
		// Accounts with a hierarchical namespace list folders as empty blobs
		// marked hdi_isfolder=true: they are folders, not empty files.
		srv.CreateContainer(t, c, "hns")
		cc := c.ServiceClient().NewContainerClient("hns")
		yes := "true"
		if _, err := cc.NewBlockBlobClient("sales").UploadBuffer(context.Background(), nil, &blockblob.UploadBufferOptions{Metadata: map[string]*string{"hdi_isfolder": &yes}}); err != nil {
			t.Fatal(err)
		}
		upload(t, c, "hns", []layoutFile{{path: "sales/full.bak", blobType: facts.BlockBlob, data: fakeFile("sales", 5000)}})
		st := mustCollect(t, Config{Location: srv.Endpoint + "/hns", AccountKey: azuritetest.Key})
		if len(st.Files) != 1 || st.Files[0].Path != "sales/full.bak" {
			t.Errorf("files = %+v", st.Files)
		}
	})

	t.Run("prefix", func(t *testing.T) {
		st := mustCollect(t, Config{Location: ctrURL + "/db2", AccountKey: azuritetest.Key})
		var paths []string
		for _, f := range st.Files {
			paths = append(paths, f.Path)
		}
		if got := strings.Join(paths, ","); got != "cut.bak,db2_full.bak,db2_log.trn,readme.txt" {
			t.Errorf("paths under db2 = %s", got)
		}
		if st.Prefix != "db2" || st.Location != ctrURL+"/db2" {
			t.Errorf("prefix %q location %q", st.Prefix, st.Location)
		}
	})

	t.Run("sas-grants", func(t *testing.T) {
		u := containerSAS(t, c, "backups", sas.ContainerPermissions{Read: true, Write: true, Delete: true, List: true}, time.Now().Add(time.Hour))
		st := mustCollect(t, Config{Location: u})
		if st.SAS == nil || st.SAS.Permissions != "rwdl" {
			t.Errorf("SAS = %+v, want permissions rwdl", st.SAS)
		}
	})

	t.Run("sas-without-read", func(t *testing.T) {
		// Listing works, every header read is refused: the files say why.
		u := containerSAS(t, c, "backups", sas.ContainerPermissions{List: true}, time.Now().Add(time.Hour))
		st := mustCollect(t, Config{Location: u, ReadHeaders: true, HeaderReader: fakeReader})
		f := fileByPath(st, "db2/db2_full.bak")
		if f == nil || f.ReadErrorKind != ReadErrorIO || !strings.Contains(f.ReadError, "read (r)") {
			t.Errorf("file = %+v", f)
		}
		noSecret(t, "read error", f.ReadError)
	})

	errCases := []struct {
		name, kind, perm string
		cfg              func() Config
	}{
		{"expired-sas", "expired", "", func() Config {
			return Config{Location: containerSAS(t, c, "backups", sas.ContainerPermissions{Read: true, List: true}, time.Now().Add(-time.Hour))}
		}},
		{"sas-without-list", "forbidden", "list", func() Config {
			return Config{Location: containerSAS(t, c, "backups", sas.ContainerPermissions{Read: true}, time.Now().Add(time.Hour))}
		}},
		{"missing-container", "not-found", "", func() Config {
			return Config{Location: srv.Endpoint + "/nosuch", AccountKey: azuritetest.Key}
		}},
		{"wrong-key", "forbidden", "", func() Config {
			return Config{Location: ctrURL, AccountKey: strings.Repeat("A", 86) + "=="}
		}},
		{"unreachable", "unreachable", "", func() Config {
			return Config{Location: "http://127.0.0.1:1/" + azuritetest.Account + "/backups", AccountKey: azuritetest.Key, Retry: fastRetry()}
		}},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg()
			cfg.Getenv = noEnv
			st, errs := Collect(context.Background(), cfg)
			if len(errs) != 1 || string(errs[0].Kind) != tc.kind || errs[0].Source != facts.SrcStorage {
				t.Fatalf("errors = %+v, want one storage error of kind %s", errs, tc.kind)
			}
			if !strings.Contains(errs[0].Permission, tc.perm) {
				t.Errorf("permission = %q, want it to name %q", errs[0].Permission, tc.perm)
			}
			if st == nil || st.Files != nil {
				t.Errorf("storage = %+v, want Files nil after a failed listing", st)
			}
			noSecret(t, "message", errs[0].Message)
			noSecret(t, "location", st.Location)
		})
	}

	t.Run("faults", func(t *testing.T) {
		var gets int
		p := faultproxytest.Start("http://127.0.0.1:"+srv.Port, func(n int, r *http.Request) faultproxytest.Fault {
			switch {
			case n == 0:
				return faultproxytest.Busy
			case n == 1:
				return faultproxytest.Reset
			case r.Method == http.MethodGet && r.Header.Get("x-ms-range") != "":
				gets++
				switch gets {
				case 1:
					return faultproxytest.Busy
				case 3:
					return faultproxytest.Reset
				case 5:
					return faultproxytest.CutBody
				}
			}
			return faultproxytest.Pass
		})
		defer p.Close()
		loc := p.URL + "/" + azuritetest.Account + "/backups"
		st := mustCollect(t, Config{Location: loc, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: fakeReader, Retry: fastRetry(), Concurrency: 1})
		checkInventory(t, st, layout, true)
		seen := map[faultproxytest.Fault]int{}
		for _, r := range p.Requests() {
			seen[r.Fault]++
		}
		if seen[faultproxytest.Busy] != 2 || seen[faultproxytest.Reset] != 2 || seen[faultproxytest.CutBody] != 1 {
			t.Errorf("faults injected = %v, want 2 busy, 2 resets, 1 cut body", seen)
		}
	})

	t.Run("read-only", func(t *testing.T) {
		p := faultproxytest.Start("http://127.0.0.1:"+srv.Port, nil)
		defer p.Close()
		loc := p.URL + "/" + azuritetest.Account + "/backups"
		mustCollect(t, Config{Location: loc, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: fakeReader})
		reqs := p.Requests()
		if len(reqs) == 0 {
			t.Fatal("no request went through the proxy")
		}
		for _, r := range reqs {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				t.Errorf("dmsready sent %s %s?%s: it must only list and read", r.Method, r.Path, r.Query)
			}
			if r.Method == http.MethodGet && !strings.Contains(r.Query, "comp=list") && !strings.HasPrefix(r.Path, "/"+azuritetest.Account+"/backups/") {
				t.Errorf("unexpected request %s %s?%s", r.Method, r.Path, r.Query)
			}
		}
	})

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, errs := Collect(ctx, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: fakeReader, Getenv: noEnv})
		if len(errs) != 1 || errs[0].Kind != "canceled" {
			t.Fatalf("errors = %+v, want canceled", errs)
		}
		// Cancel in the middle of header reading: the listing is kept, the
		// headers are reported as not read.
		ctx, cancel = context.WithCancel(context.Background())
		hr := func(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
			cancel()
			return fakeReader(r, size)
		}
		st, errs := Collect(ctx, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: hr, Getenv: noEnv, Concurrency: 1})
		if len(errs) != 1 || errs[0].Kind != "canceled" || errs[0].Source != facts.SrcBackups || st.HeadersRead {
			t.Fatalf("errors = %+v, headersRead %v: want a canceled backups error", errs, st.HeadersRead)
		}
	})

	t.Run("progress", func(t *testing.T) {
		var buf bytes.Buffer
		mustCollect(t, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: fakeReader, Progress: &buf})
		if !strings.Contains(buf.String(), "8 files listed, 6/6 headers read") || !strings.HasSuffix(buf.String(), "\n") {
			t.Errorf("progress = %q", buf.String())
		}
	})
}

// checkInventory compares a listing with the layout it came from.
func checkInventory(t *testing.T, st *facts.Storage, layout []layoutFile, blob bool) {
	t.Helper()
	if len(st.Files) != len(layout) {
		t.Fatalf("%d files listed, want %d: %+v", len(st.Files), len(layout), st.Files)
	}
	if !st.HeadersRead {
		t.Errorf("HeadersRead = false")
	}
	var total int64
	for _, l := range layout {
		f := fileByPath(st, l.path)
		if f == nil {
			t.Errorf("%s not listed", l.path)
			continue
		}
		total += int64(len(l.data))
		if f.Size != int64(len(l.data)) {
			t.Errorf("%s: size %d, want %d", l.path, f.Size, len(l.data))
		}
		if f.LastModified == nil {
			t.Errorf("%s: no last-modified time", l.path)
		}
		if blob {
			if f.BlobType != l.blobType {
				t.Errorf("%s: blob type %q, want %q", l.path, f.BlobType, l.blobType)
			}
			if l.tier != "" && f.AccessTier != l.tier {
				t.Errorf("%s: tier %q, want %q", l.path, f.AccessTier, l.tier)
			}
		}
		want := map[string]string{"empty.bak": "empty", "cold/old.bak": "archived", "db2/readme.txt": "not-backup", "db2/cut.bak": "truncated"}[l.path]
		if !blob && want == "archived" {
			want = ""
		}
		if string(f.ReadErrorKind) != want {
			t.Errorf("%s: read error kind %q (%s), want %q", l.path, f.ReadErrorKind, f.ReadError, want)
		}
		if want == "" && (f.Backup == nil || len(f.Backup.Sets) != 1) {
			t.Errorf("%s: no header decoded", l.path)
		}
		if want == "empty" || want == "archived" {
			if f.Reads != 0 {
				t.Errorf("%s: %d reads, want none", l.path, f.Reads)
			}
			continue
		}
		// Both ends in at most two GETs, never more than head+tail bytes.
		wantReads := 2
		if f.Size <= DefaultHead+DefaultTail {
			wantReads = 1
		}
		if want == "not-backup" {
			wantReads = 1
		}
		if f.Reads != wantReads || f.BytesRead > DefaultHead+DefaultTail {
			t.Errorf("%s (%d bytes): %d reads, %d bytes read; want %d reads, at most %d bytes", l.path, f.Size, f.Reads, f.BytesRead, wantReads, DefaultHead+DefaultTail)
		}
	}
	if st.TotalBytes != total {
		t.Errorf("total bytes %d, want %d", st.TotalBytes, total)
	}
	var sum int64
	for _, f := range st.Files {
		sum += f.BytesRead
	}
	if st.BytesRead != sum || sum == 0 {
		t.Errorf("storage bytes read %d, files add up to %d", st.BytesRead, sum)
	}
}

// azuriteSASScope: a SAS that cannot list for a reason the SAS itself
// shows — its start time is still ahead, or it is for one blob — is named
// as that, not as a signature that does not match (the service answers both
// with 403 "Server failed to authenticate the request").
func azuriteSASScope(t *testing.T, srv *azuritetest.Server, c *azblob.Client) {
	srv.CreateContainer(t, c, "sasscope")
	upload(t, c, "sasscope", []layoutFile{{path: "sales/full.bak", blobType: facts.BlockBlob, data: fakeFile("sales", 5000)}})
	cc := c.ServiceClient().NewContainerClient("sasscope")
	start := time.Now().Add(2 * time.Hour)
	future, err := cc.GetSASURL(sas.ContainerPermissions{Read: true, List: true}, start.Add(time.Hour), &container.GetSASURLOptions{StartTime: &start})
	if err != nil {
		t.Fatal(err)
	}
	one, err := cc.NewBlobClient("sales/full.bak").GetSASURL(sas.BlobPermissions{Read: true}, time.Now().Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := azblob.NewSharedKeyCredential(azuritetest.Account, azuritetest.Key)
	if err != nil {
		t.Fatal(err)
	}
	// A directory SAS (sr=d): Azurite, like an account without a
	// hierarchical namespace, refuses it.
	dq, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, ExpiryTime: time.Now().Add(time.Hour),
		Permissions: (&sas.BlobPermissions{Read: true, List: true}).String(), ContainerName: "sasscope", Directory: "sales"}.SignWithSharedKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, loc, want string }{
		{"not-yet-valid", future, "the SAS is not valid yet"},
		{"blob-sas", one, "the SAS is for one blob (sr=b)"},
		{"directory-sas", srv.Endpoint + "/sasscope/sales?" + dq.Encode(), "the SAS is for one directory (sr=d)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, errs := Collect(context.Background(), Config{Location: tc.loc, Getenv: noEnv})
			if len(errs) != 1 || errs[0].Kind != facts.ErrForbidden || errs[0].Source != facts.SrcStorage {
				t.Fatalf("errors = %+v, want one forbidden storage error", errs)
			}
			if m := errs[0].Message; !strings.Contains(m, tc.want) || strings.Contains(m, "does not match") {
				t.Errorf("message = %q, want it to say %q and not blame the signature", m, tc.want)
			}
			if st.Files != nil {
				t.Errorf("files = %+v, want nil after a failed listing", st.Files)
			}
			noSecret(t, "message", errs[0].Message)
			noSecret(t, "location", st.Location)
		})
	}
}

// azuriteLocationIsBlob: a location naming one blob lists nothing
// below it; that is a location error, not an empty folder whose layout then
// passes.
func azuriteLocationIsBlob(t *testing.T, srv *azuritetest.Server, c *azblob.Client) {
	ctrURL := srv.CreateContainer(t, c, "isblob")
	upload(t, c, "isblob", []layoutFile{{path: "sales/full.bak", blobType: facts.BlockBlob, data: fakeFile("sales", 5000)}})
	st, errs := Collect(context.Background(), Config{Location: ctrURL + "/sales/full.bak", AccountKey: azuritetest.Key, Getenv: noEnv})
	if len(errs) != 1 || errs[0].Kind != facts.ErrInvalid || errs[0].Source != facts.SrcStorage || !strings.Contains(errs[0].Message, "is a blob, not a folder") {
		t.Fatalf("errors = %+v, want one invalid storage error saying the location is a blob", errs)
	}
	if st == nil || st.Files != nil {
		t.Errorf("storage = %+v, want Files nil", st)
	}
	// An empty folder is still an empty listing, not an error; so is an
	// empty folder of an account with a hierarchical namespace, listed as
	// a blob marked hdi_isfolder.
	yes := "true"
	if _, err := c.ServiceClient().NewContainerClient("isblob").NewBlockBlobClient("hr").UploadBuffer(context.Background(), nil,
		&blockblob.UploadBufferOptions{Metadata: map[string]*string{"hdi_isfolder": &yes}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"nosuchfolder", "hr"} {
		st = mustCollect(t, Config{Location: ctrURL + "/" + f, AccountKey: azuritetest.Key})
		if st.Files == nil || len(st.Files) != 0 {
			t.Errorf("%s: files = %+v, want an empty listing", f, st.Files)
		}
	}
}

// azuriteBlobVanishes: a blob deleted between the listing and its
// header read is an io-error that says the blob is gone, not that the
// container does not exist.
func azuriteBlobVanishes(t *testing.T, srv *azuritetest.Server, c *azblob.Client) {
	ctrURL := srv.CreateContainer(t, c, "vanish")
	upload(t, c, "vanish", []layoutFile{{path: "sales/full.bak", blobType: facts.BlockBlob, data: fakeFile("sales", 5000)}})
	hr := func(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
		if _, err := c.DeleteBlob(context.Background(), "vanish", "sales/full.bak", nil); err != nil {
			t.Error(err)
		}
		return fakeReader(r, size)
	}
	st := mustCollect(t, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: hr})
	f := fileByPath(st, "sales/full.bak")
	if f == nil || f.ReadErrorKind != ReadErrorIO || !strings.Contains(f.ReadError, "since it was listed") || strings.Contains(f.ReadError, "container") {
		t.Errorf("file = %+v, want an io-error naming the missing blob", f)
	}
}

// azuriteBlobStillBeingWritten: a blob rewritten (grown) between the
// listing and its header read was read at its listed size; the decode's
// failure is the blob changing, not a backup that cannot be restored.
func azuriteBlobStillBeingWritten(t *testing.T, srv *azuritetest.Server, c *azblob.Client) {
	ctrURL := srv.CreateContainer(t, c, "writing")
	data := fakeFile("sales", 8000)
	upload(t, c, "writing", []layoutFile{{path: "sales/full.bak", blobType: facts.BlockBlob, data: data[:3000]}})
	hr := func(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
		if _, err := c.UploadBuffer(context.Background(), "writing", "sales/full.bak", data, nil); err != nil {
			t.Error(err)
		}
		return fakeReader(r, size)
	}
	st := mustCollect(t, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: hr})
	f := fileByPath(st, "sales/full.bak")
	if f == nil || f.ReadErrorKind != ReadErrorIO || !strings.Contains(f.ReadError, "changed while it was read") || f.Backup != nil {
		t.Errorf("file = %+v, want an io-error saying the blob changed", f)
	}
	// A blob that is short and stays so is truncated, as before.
	st = mustCollect(t, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: fakeReader})
	if f := fileByPath(st, "sales/full.bak"); f == nil || f.ReadErrorKind != "" {
		t.Errorf("complete blob = %+v, want it read", f)
	}
	upload(t, c, "writing", []layoutFile{{path: "sales/cut.bak", blobType: facts.BlockBlob, data: data[:3000]}})
	st = mustCollect(t, Config{Location: ctrURL, AccountKey: azuritetest.Key, ReadHeaders: true, HeaderReader: fakeReader})
	if f := fileByPath(st, "sales/cut.bak"); f == nil || f.ReadErrorKind != "truncated" {
		t.Errorf("cut blob = %+v, want truncated", f)
	}
}

// TestAzuriteShapes runs the shapes below against one emulator, each in a
// container of its own.
func TestAzuriteShapes(t *testing.T) {
	srv := azuritetest.Start(t, azuritetest.Options{})
	c := srv.Client(t, nil)
	t.Run("sas-scope", func(t *testing.T) { azuriteSASScope(t, srv, c) })
	t.Run("location-is-blob", func(t *testing.T) { azuriteLocationIsBlob(t, srv, c) })
	t.Run("blob-vanishes", func(t *testing.T) { azuriteBlobVanishes(t, srv, c) })
	t.Run("blob-still-being-written", func(t *testing.T) { azuriteBlobStillBeingWritten(t, srv, c) })
}
