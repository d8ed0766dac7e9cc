package backup

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/backup/backuptest"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.blob.core.windows.net/c/x.bak?sv=2022&sig=abc%2Bdef&se=1": "https://a.blob.core.windows.net/c/x.bak?sv=2022&sig=REDACTED&se=1",
		"https://a/c/x.bak":       "https://a/c/x.bak",
		"https://u:pw@a/c?SIG=x":  "https://u:REDACTED@a/c?SIG=REDACTED",
		"http://a/%zz?sig=secret": "http://a/%zz?REDACTED",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTTPReaderAt(t *testing.T) {
	b := backuptest.Bytes(backuptest.Spec{Sets: []backuptest.Set{{DatabaseName: "web", DataBytes: 300000}}})
	requests := 0
	ranged := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		http.ServeContent(w, r, "x.bak", time.Time{}, bytes.NewReader(b))
	}))
	defer ranged.Close()
	ra, size, err := OpenHTTP(context.Background(), nil, ranged.URL+"/x.bak?sig=s3cr3t")
	if err != nil || size != int64(len(b)) {
		t.Fatalf("open: %v size %d", err, size)
	}
	m, err := Read(ra, size)
	if err != nil || m.Sets[0].DatabaseName != "web" {
		t.Fatalf("read: %v", err)
	}
	if requests != 1+m.Reads {
		t.Errorf("%d requests for %d reads", requests, m.Reads)
	}

	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(b) // ignores Range
	}))
	defer plain.Close()
	_, _, err = OpenHTTP(context.Background(), nil, plain.URL+"/x.bak?sig=s3cr3t")
	if err == nil || !strings.Contains(err.Error(), "ranged reads") || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("server without ranges: %v", err)
	}

	_, _, err = OpenHTTP(context.Background(), nil, "http://127.0.0.1:1/x.bak?sig=s3cr3t")
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("unreachable: %v", err)
	}
}
