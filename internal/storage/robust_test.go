package storage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
	"github.com/dmsready/dmsready/internal/faultproxytest"
)

// An endpoint that accepts and never answers ends the listing with a
// timeout naming the endpoint, within the per-request deadline and retries.
func TestBlackHoleTimesOut(t *testing.T) {
	addr := faultproxytest.BlackHole(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	st, errs := Collect(ctx, Config{Location: "http://" + addr + "/devstoreaccount1/backups", Auth: "none",
		ReadHeaders: true, Getenv: noEnv, RequestTimeout: 200 * time.Millisecond, Retry: fastRetry()})
	if ctx.Err() != nil {
		t.Fatalf("no per-request deadline: still running after %s", time.Since(start))
	}
	if len(errs) != 1 || errs[0].Kind != "timeout" || errs[0].Source != facts.SrcStorage {
		t.Fatalf("errors = %+v, want one storage timeout", errs)
	}
	if !strings.Contains(errs[0].Message, addr) || !strings.Contains(errs[0].Message, "requestTimeout") {
		t.Errorf("message %q should name the endpoint %s and the requestTimeout setting", errs[0].Message, addr)
	}
	if st == nil || st.Files != nil {
		t.Errorf("storage = %+v, want a failed listing", st)
	}
	t.Logf("black hole: gave up after %s", time.Since(start))
}

func perBlobStr(perBlob func(string) int, layout []layoutFile) string {
	var b strings.Builder
	for i, l := range layout {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %d", l.path, perBlob(l.path))
	}
	return b.String()
}

// Bodies cut short on every ranged GET: the reads per blob are bounded and
// the file's read is an I/O error, not a truncated or corrupt backup.
func TestCutBodiesAreBounded(t *testing.T) {
	srv := azuritetest.Start(t, azuritetest.Options{})
	c := srv.Client(t, nil)
	srv.CreateContainer(t, c, "cut")
	layout := []layoutFile{
		{path: "a/full.bak", blobType: facts.BlockBlob, data: fakeFile("a", 200<<10)},
		{path: "b/full.bak", blobType: facts.BlockBlob, data: fakeFile("b", 20<<10)},
	}
	upload(t, c, "cut", layout)
	var gets atomic.Int64
	p := faultproxytest.Start("http://127.0.0.1:"+srv.Port, func(n int, r *http.Request) faultproxytest.Fault {
		if r.Method == http.MethodGet && r.Header.Get("x-ms-range") != "" {
			gets.Add(1)
			return faultproxytest.CutEarly
		}
		return faultproxytest.Pass
	})
	perBlob := func(path string) int {
		n := 0
		for _, r := range p.Requests() {
			if strings.HasSuffix(r.Path, "/cut/"+path) {
				n++
			}
		}
		return n
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	st, errs := Collect(ctx, Config{Location: p.URL + "/" + azuritetest.Account + "/cut", AccountKey: azuritetest.Key, ReadHeaders: true,
		HeaderReader: fakeReader, Retry: fastRetry(), Getenv: noEnv, Concurrency: 1})
	if ctx.Err() != nil {
		t.Fatalf("unbounded re-reads: %d GETs and still going", gets.Load())
	}
	if len(errs) != 0 {
		t.Fatalf("errors = %+v", errs)
	}
	for _, l := range layout {
		f := fileByPath(st, l.path)
		if f == nil {
			t.Fatalf("%s not listed", l.path)
		}
		if f.ReadErrorKind != ReadErrorIO || !strings.Contains(f.ReadError, "cut short") {
			t.Errorf("%s: kind %q (%s), want %q naming the cut body", l.path, f.ReadErrorKind, f.ReadError, ReadErrorIO)
		}
		if n := perBlob(l.path); n > 1+MaxBodyRetries {
			t.Errorf("%s: %d GETs, want at most %d", l.path, n, 1+MaxBodyRetries)
		}
	}
	t.Logf("cut bodies: %d ranged GETs for %d blobs (%s, %s)", gets.Load(), len(layout), perBlobStr(perBlob, layout), time.Since(start))
	if n := gets.Load(); n > int64(len(layout)*(1+MaxBodyRetries)) {
		t.Errorf("%d ranged GETs for %d blobs", n, len(layout))
	}
}

// The report says which credential was tried and why; an explicit auth
// never falls back to Microsoft Entra.
func TestCredentialReason(t *testing.T) {
	cred := &tokenCred{err: errors.New("DefaultAzureCredential: failed to acquire a token")}
	st, errs := Collect(context.Background(), Config{Location: "https://acct.blob.core.windows.net/c", Credential: cred, Getenv: noEnv, Retry: fastRetry()})
	if st == nil || st.Auth != "entra" || !strings.Contains(st.AuthReason, "DefaultAzureCredential") || !strings.Contains(st.AuthReason, "storage.auth") {
		t.Fatalf("storage = %+v", st)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "credential entra: no SAS, connection string or account key") {
		t.Errorf("errors = %+v, want the reason for trying Entra", errs)
	}
	if cred.scopes == nil {
		t.Error("the credential was not asked")
	}

	addr := faultproxytest.BlackHole(t)
	never := &tokenCred{}
	st, _ = Collect(context.Background(), Config{Location: "http://" + addr + "/devstoreaccount1/c", Auth: "none", Credential: never, Getenv: noEnv,
		RequestTimeout: 50 * time.Millisecond, Retry: fastRetry()})
	if st.Auth != "none" || never.scopes != nil || !strings.Contains(st.AuthReason, "storage.auth is none") {
		t.Errorf("auth none: %+v, token asked for %v", st, never.scopes)
	}
}

// With AZURE_STORAGE_CONNECTION_STRING set a bare name is a container,
// unless a local folder of that name exists; the facts say which.
func TestBareNameWithConnectionString(t *testing.T) {
	addr := faultproxytest.BlackHole(t)
	env := func(k string) string {
		if k == "AZURE_STORAGE_CONNECTION_STRING" {
			return "DefaultEndpointsProtocol=http;AccountName=" + azuritetest.Account + ";AccountKey=" + azuritetest.Key + ";BlobEndpoint=http://" + addr + "/" + azuritetest.Account
		}
		return ""
	}
	st, errs := Collect(context.Background(), Config{Location: "no-such-folder-migration", Getenv: env, RequestTimeout: 50 * time.Millisecond, Retry: fastRetry()})
	if st.Kind != facts.StorageBlob || st.Container != "no-such-folder-migration" || !strings.Contains(st.LocationNote, "as a container") {
		t.Errorf("storage = %+v", st)
	}
	if len(errs) != 1 || errs[0].Kind != "timeout" {
		t.Errorf("errors = %+v", errs)
	}
	dir := t.TempDir()
	st, errs = Collect(context.Background(), Config{Location: dir, Getenv: env})
	if st.Kind != facts.StorageShare || !strings.Contains(st.LocationNote, "local folder") || len(errs) != 0 {
		t.Errorf("storage = %+v, %v", st, errs)
	}
}

// A test binary never builds DefaultAzureCredential: a test that falls to
// Microsoft Entra without its own credential gets a named error, instead of
// signing in as whoever runs it or probing the instance metadata endpoint.
func TestNoAmbientCredentialInTests(t *testing.T) {
	_, errs := Collect(context.Background(), Config{Location: "https://acct.blob.core.windows.net/c", Getenv: noEnv, Retry: fastRetry()})
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "must give Config.Credential") {
		t.Fatalf("errors = %+v", errs)
	}
	_, errs = Collect(context.Background(), Config{Location: "https://acct.blob.core.windows.net/c", Auth: "entra", Getenv: noEnv, Retry: fastRetry()})
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "must give Config.Credential") {
		t.Fatalf("auth entra: errors = %+v", errs)
	}
}
