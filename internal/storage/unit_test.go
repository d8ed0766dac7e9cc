package storage

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/redact"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://acct.blob.core.windows.net/ctr/sales?sv=2022-11-02&sp=rl&se=2030-01-01&sr=c&sig=abc%2Bdef", "https://acct.blob.core.windows.net/ctr/sales"},
		{"https://user:pw@acct.blob.core.windows.net/ctr#frag", "https://acct.blob.core.windows.net/ctr"},
		{"/mnt/backups/sales", "/mnt/backups/sales"},
		{`\\fileserver\backups`, `\\fileserver\backups`},
		{"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0==;", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=REDACTED;"},
	} {
		if got := redact.Location(tc.in); got != tc.want {
			t.Errorf("redact.Location(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScrub(t *testing.T) {
	in := `GET http://x/c?comp=list&sig=SECRET%3D&sp=rl failed; AccountKey=KEY==;SharedAccessSignature=sv=1&sig=S2; Authorization: Bearer eyJ0eXAi.x.y`
	got := redact.Text(in)
	for _, bad := range []string{"SECRET", "KEY==", "S2", "eyJ0eXAi"} {
		if strings.Contains(got, bad) {
			t.Errorf("Scrub left %q in %q", bad, got)
		}
	}
	if !strings.Contains(got, "sp=rl") || !strings.Contains(got, "comp=list") {
		t.Errorf("Scrub removed too much: %q", got)
	}
}

func TestParseSAS(t *testing.T) {
	s := ParseSAS("?sv=2022-11-02&st=2026-11-01T10:00:00Z&se=2026-12-01T10:00Z&sr=c&sp=racwdl&spr=https&sip=1.2.3.4&si=pol&sig=x")
	if s == nil {
		t.Fatal("no SAS parsed")
	}
	if s.Permissions != "racwdl" || s.Resource != "c" || s.PolicyID != "pol" || s.Protocol != "https" || s.IPRange != "1.2.3.4" || s.Version != "2022-11-02" {
		t.Errorf("SAS = %+v", s)
	}
	if s.Expiry == nil || !s.Expiry.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("expiry = %v", s.Expiry)
	}
	if s.Start == nil || s.Start.Hour() != 10 {
		t.Errorf("start = %v", s.Start)
	}
	if ParseSAS("sv=2022&sp=rl") != nil {
		t.Error("a query without sig= is not a SAS")
	}
	a := ParseSAS("sv=2022&ss=b&srt=co&sp=rl&se=2026-12-01&sig=x&skoid=abc")
	if a.Services != "b" || a.ResourceTypes != "co" || !a.UserDelegation || a.Expiry == nil {
		t.Errorf("account SAS = %+v", a)
	}
	// A user delegation SAS stops working when its key expires (ske), which
	// may be before its own expiry (se).
	u := ParseSAS("sv=2022-11-02&sr=c&sp=rl&se=2026-12-01T10:00:00Z&skoid=o&sktid=t&skt=2026-11-25T09:00:00Z&ske=2026-11-26T09:00:00Z&sks=b&skv=2022-11-02&sig=x")
	if u == nil || !u.UserDelegation || u.KeyExpiry == nil || !u.KeyExpiry.Equal(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("user delegation SAS = %+v", u)
	}
	if b := ParseSAS("sp=rl&se=not-a-time&sig=x"); b.Expiry != nil {
		t.Errorf("unparseable expiry became %v, want nil", b.Expiry)
	}
}

func TestParseConnString(t *testing.T) {
	c, err := parseConnString("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn")
	if err != nil || c.endpoint != "https://acct.blob.core.chinacloudapi.cn" || c.key != "a2V5" {
		t.Errorf("got %+v, %v", c, err)
	}
	c, err = parseConnString("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022&sp=rl&sig=x")
	if err != nil || c.sas != "sv=2022&sp=rl&sig=x" || c.endpoint != "https://acct.blob.core.windows.net" {
		t.Errorf("got %+v, %v", c, err)
	}
	c, err = parseConnString("UseDevelopmentStorage=true")
	if err != nil || c.account != devAccount {
		t.Errorf("got %+v, %v", c, err)
	}
	for _, bad := range []string{"AccountName=a", "garbage", "AccountKey=k"} {
		if _, err := parseConnString(bad); err == nil {
			t.Errorf("parseConnString(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "=k") {
			t.Errorf("error leaks the key: %v", err)
		}
	}
}

func TestParseBlobURL(t *testing.T) {
	for _, tc := range []struct {
		in                                   string
		endpoint, account, container, prefix string
	}{
		{"https://acct.blob.core.windows.net/ctr", "https://acct.blob.core.windows.net", "acct", "ctr", ""},
		{"https://acct.blob.core.windows.net/ctr/a/b/?sig=x", "https://acct.blob.core.windows.net", "acct", "ctr", "a/b"},
		{"http://127.0.0.1:10000/devstoreaccount1/ctr/sales", "http://127.0.0.1:10000/devstoreaccount1", "devstoreaccount1", "ctr", "sales"},
		{"http://localhost:10000/devstoreaccount1/ctr", "http://localhost:10000/devstoreaccount1", "devstoreaccount1", "ctr", ""},
	} {
		b, err := parseBlobURL(tc.in)
		if err != nil || b.endpoint != tc.endpoint || b.account != tc.account || b.container != tc.container || b.prefix != tc.prefix {
			t.Errorf("parseBlobURL(%q) = %+v, %v", tc.in, b, err)
		}
	}
	for _, bad := range []string{"https://acct.blob.core.windows.net", "https://acct.blob.core.windows.net/", "http://127.0.0.1:10000/acct"} {
		if _, err := parseBlobURL(bad); err == nil {
			t.Errorf("parseBlobURL(%q) accepted a URL without a container", bad)
		}
	}
}

func TestCollectInvalidConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no location", Config{}, "no storage location"},
		{"sas without token", Config{Location: "https://a.blob.core.windows.net/c", Auth: "sas"}, "carries a SAS token"},
		{"unknown auth", Config{Location: "https://a.blob.core.windows.net/c", Auth: "magic"}, "want sas"},
		{"key without key", Config{Location: "https://a.blob.core.windows.net/c", Auth: "account-key"}, "no account key"},
		{"conn string without one", Config{Location: "c", Auth: "connection-string"}, "AZURE_STORAGE_CONNECTION_STRING"},
		{"account mismatch", Config{Location: "https://other.blob.core.windows.net/c", ConnectionString: "AccountName=acct;AccountKey=a2V5"}, "account acct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Getenv = noEnv
			_, errs := Collect(context.Background(), tc.cfg)
			if len(errs) != 1 || errs[0].Kind != "invalid" || !strings.Contains(errs[0].Message, tc.want) {
				t.Errorf("errors = %+v, want invalid mentioning %q", errs, tc.want)
			}
		})
	}
}

// memRanger serves ranges of one in-memory file and logs them.
type memRanger struct {
	data []byte
	log  []string
}

func (m *memRanger) get(_ context.Context, _ string, off int64, p []byte) (int, error) {
	m.log = append(m.log, fmt.Sprintf("%d+%d", off, len(p)))
	if int(off) >= len(m.data) {
		return 0, nil
	}
	return copy(p, m.data[off:]), nil
}

func TestWindowReader(t *testing.T) {
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i % 251)
	}
	m := &memRanger{data: data}
	r := newWindowReader(context.Background(), m, "f", int64(len(data)), 0, 0)
	check := func(off int64, n int) {
		t.Helper()
		p := make([]byte, n)
		got, err := r.ReadAt(p, off)
		wantN := min(n, len(data)-int(off))
		if got != wantN || (wantN < n && err != io.EOF) || (wantN == n && err != nil) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v", off, n, got, err)
		}
		if string(p[:got]) != string(data[off:off+int64(got)]) {
			t.Fatalf("ReadAt(%d, %d): wrong bytes", off, n)
		}
	}
	check(0, 52)
	check(0x600, 512)
	check(8000, 200)
	check(int64(len(data))-8192, 512)
	check(int64(len(data))-10, 100) // short read at the end
	if got := strings.Join(m.log, " "); got != "0+16384 1032192+16384" {
		t.Errorf("GETs = %s, want one head and one tail window", got)
	}
	check(16384-10, 20) // straddles the head window and a middle page
	check(500000, 10)
	if r.reads != 4 || r.bytes != 16384*2+4096*2 {
		t.Errorf("reads %d bytes %d", r.reads, r.bytes)
	}
	for i := range 10 {
		check(int64(100000+i*5000), 10) // pages beyond maxPages are evicted, memory stays bounded
	}
	if len(r.pages) > maxPages {
		t.Errorf("%d pages cached, want at most %d", len(r.pages), maxPages)
	}
	if _, err := r.ReadAt(make([]byte, 1), -1); err == nil {
		t.Error("negative offset accepted")
	}
	if n, err := r.ReadAt(make([]byte, 1), int64(len(data))); n != 0 || err != io.EOF {
		t.Errorf("read at end = %d, %v", n, err)
	}

	// Large reads (the backup reader's own 32 KiB windows) go through as
	// one GET each, straight into the caller's buffer.
	big := &memRanger{data: data}
	br := newWindowReader(context.Background(), big, "b", int64(len(data)), 0, 0)
	p32 := make([]byte, 32<<10)
	if n, err := br.ReadAt(p32, 0); n != len(p32) || err != nil || string(p32) != string(data[:len(p32)]) {
		t.Fatalf("large read = %d, %v", n, err)
	}
	if n, err := br.ReadAt(p32, int64(len(data))-int64(len(p32))); n != len(p32) || err != nil {
		t.Fatalf("large tail read = %d, %v", n, err)
	}
	if got := strings.Join(big.log, " "); got != "0+32768 1015808+32768" || br.bytes != 64<<10 {
		t.Errorf("large reads: GETs = %s, %d bytes", got, br.bytes)
	}

	small := &memRanger{data: data[:20000]}
	sr := newWindowReader(context.Background(), small, "s", 20000, 0, 0)
	p := make([]byte, 100)
	_, _ = sr.ReadAt(p, 0)
	_, _ = sr.ReadAt(p, 19900)
	if got := strings.Join(small.log, " "); got != "0+20000" {
		t.Errorf("small file GETs = %s, want the whole file once", got)
	}

	// A file shorter than listed is an error, not a hang or a guess.
	short := &memRanger{data: data[:40000]}
	shr := newWindowReader(context.Background(), short, "x", 100000, 0, 0)
	if _, err := shr.ReadAt(p, 99000); err == nil {
		t.Error("read past the real end succeeded")
	}
}

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	layout := testLayout()
	writeLocal(t, dir, layout)
	st := mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader})
	if st.Kind != facts.StorageShare || st.Location != dir || st.Auth != "" {
		t.Errorf("storage = %+v", st)
	}
	checkInventory(t, st, layout, false)
	want := map[string]facts.Folder{
		"":         {Path: "", Files: 1, Bytes: 0, Folders: 3},
		"db1":      {Path: "db1", Folders: 2},
		"db1/FULL": {Path: "db1/FULL", Files: 1, Bytes: 200 << 10},
		"db2":      {Path: "db2", Files: 4, Bytes: 64<<10 + 3000 + 12 + 30<<10},
	}
	for _, f := range st.Folders {
		if w, ok := want[f.Path]; ok && f != w {
			t.Errorf("folder %q = %+v, want %+v", f.Path, f, w)
		}
	}
	if len(st.Folders) != 6 {
		t.Errorf("%d folders, want 6: %+v", len(st.Folders), st.Folders)
	}

	_, errs := Collect(context.Background(), Config{Location: dir + "/nosuch", Getenv: noEnv})
	if len(errs) != 1 || errs[0].Kind != "not-found" {
		t.Errorf("missing folder: %+v", errs)
	}
	_, errs = Collect(context.Background(), Config{Location: `\\fileserver\backups`, Getenv: noEnv})
	if len(errs) != 1 || errs[0].Kind != "not-found" || !strings.Contains(errs[0].Message, "mount the share") {
		t.Errorf("UNC path: %+v", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs = Collect(ctx, Config{Location: dir, Getenv: noEnv})
	if len(errs) != 1 || errs[0].Kind != "canceled" {
		t.Errorf("canceled: %+v", errs)
	}
}

func TestHeaderReaderPanicIsContained(t *testing.T) {
	dir := t.TempDir()
	writeLocal(t, dir, []layoutFile{{path: "a.bak", data: fakeFile("a", 100)}})
	st := mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: func(io.ReaderAt, int64) (*facts.BackupMedia, error) {
		panic("bad input")
	}})
	if f := st.Files[0]; f.ReadErrorKind != "unreadable" || !strings.Contains(f.ReadError, "bad input") {
		t.Errorf("file = %+v", f)
	}
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	writeLocal(t, dir, testLayout())
	var buf strings.Builder
	mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader, Progress: &buf})
	out := buf.String()
	if !strings.Contains(out, "storage: 8 files listed, 7/7 headers read") || !strings.HasSuffix(out, "\n") {
		t.Errorf("progress = %q", out)
	}
	buf.Reset()
	mustCollect(t, Config{Location: dir, ReadHeaders: true, HeaderReader: fakeReader})
	if buf.Len() != 0 {
		t.Errorf("silent collection wrote %q", buf.String())
	}
}

// TestCollectAllocatesLittlePerFile: listing and reading a share costs
// about one allocation per file besides what the header reader makes (the
// file's path): no per-file window reader, joined path, directory entry,
// FileInfo, stat name, modification time or hand-off. It was 9.
func TestCollectAllocatesLittlePerFile(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector say nothing")
	}
	dir := t.TempDir()
	var files []layoutFile
	for d := range 4 {
		for i := range 500 {
			files = append(files, layoutFile{path: fmt.Sprintf("db%d/db%d_%04d.trn", d, d, i), data: []byte("FAKE....")})
		}
	}
	writeLocal(t, dir, files)
	media := &facts.BackupMedia{Sets: []facts.BackupSet{{DatabaseName: "db"}}}
	// The reader's buffers are lent from a channel: the reader itself
	// allocates nothing, so what is counted is Collect's.
	bufs := make(chan []byte, DefaultConcurrency)
	for range DefaultConcurrency {
		bufs <- make([]byte, 4)
	}
	hr := func(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
		h := <-bufs
		defer func() { bufs <- h }()
		if _, err := r.ReadAt(h, 0); err != nil {
			return nil, err
		}
		return media, nil
	}
	cfg := Config{Location: dir, ReadHeaders: true, HeaderReader: hr, Getenv: noEnv}
	n := testing.AllocsPerRun(3, func() {
		if st, errs := Collect(context.Background(), cfg); len(errs) > 0 || len(st.Files) != len(files) {
			t.Fatalf("errors %v, %d files", errs, len(st.Files))
		}
	}) / float64(len(files))
	t.Logf("%.2f allocations per file", n)
	if n > 1.5 {
		t.Errorf("Collect allocates %.2f times per file, want at most 1.5", n)
	}
}

// A 403 with a user delegation SAS whose key has expired is an expired
// SAS, not a signature that does not match.
func TestClassifyUserDelegationKeyExpired(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	sas := ParseSAS("sv=2022-11-02&sr=c&sp=rl&se=2026-12-20T00:00:00Z&skoid=o&sktid=t&skt=2026-11-20T00:00:00Z&ske=2026-11-27T00:00:00Z&sks=b&skv=2022-11-02&sig=x")
	c := classifier{auth: "sas", sas: sas, now: now, what: "container backups"}
	e := c.classify(&azcore.ResponseError{StatusCode: 403, ErrorCode: "AuthenticationFailed"}, facts.SrcStorage)
	if e.Kind != facts.ErrExpired || !strings.Contains(e.Message, "user delegation key has expired") {
		t.Errorf("error = %+v, want expired naming the user delegation key", e)
	}
}

// A 403 whose code names the cause is reported as that cause, with the
// credential that would work, not as a SAS lacking read and list.
func TestClassifyNamedRefusals(t *testing.T) {
	sas := ParseSAS("sv=2022-11-02&sr=c&sp=rl&se=2026-12-20T00:00:00Z&sip=10.0.0.1-10.0.0.9&sig=x")
	c := classifier{auth: "sas", sas: sas, now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), what: "container backups"}
	for code, want := range map[string]string{
		"KeyBasedAuthenticationNotPermitted": "does not allow Shared Key authorization",
		"AuthorizationSourceIPMismatch":      "admits only some client addresses (sip=10.0.0.1-10.0.0.9)",
	} {
		e := c.classify(&azcore.ResponseError{StatusCode: 403, ErrorCode: code}, facts.SrcStorage)
		if e.Kind != facts.ErrForbidden || !strings.Contains(e.Message, want) || strings.Contains(e.Permission, "read (r) and list (l)") {
			t.Errorf("%s: error = %+v, want forbidden saying %q", code, e, want)
		}
	}
}

// listTransport answers every request with one List Blobs page.
type listTransport string

func (b listTransport) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Request: r, Header: http.Header{"Content-Type": {"application/xml"}},
		Body: io.NopCloser(strings.NewReader(string(b)))}, nil
}

// Metadata names are case-insensitive and keep the case they were written
// in ("Metadata names preserve the case with which they were created, but
// are case-insensitive when set or read", Set Blob Metadata): a folder
// marker written as Hdi_IsFolder is a folder marker too.
func TestFolderMarkerMetadataCase(t *testing.T) {
	const page = `<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/" ContainerName="backups"><Blobs>
<Blob><Name>sales</Name><Properties><Content-Length>0</Content-Length><BlobType>BlockBlob</BlobType></Properties><Metadata><Hdi_IsFolder>true</Hdi_IsFolder></Metadata></Blob>
<Blob><Name>sales/full.bak</Name><Properties><Content-Length>4096</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
</Blobs><NextMarker /></EnumerationResults>`
	st := mustCollect(t, Config{Location: "https://acct.blob.core.windows.net/backups", Auth: "none", Transport: listTransport(page)})
	if len(st.Files) != 1 || st.Files[0].Path != "sales/full.bak" {
		t.Errorf("files = %+v, want sales/full.bak alone", st.Files)
	}
}

// hostTransport records the hosts asked and answers with an empty listing.
type hostTransport struct{ hosts []string }

func (h *hostTransport) Do(r *http.Request) (*http.Response, error) {
	h.hosts = append(h.hosts, r.URL.Host)
	if r.Method == http.MethodHead {
		return &http.Response{StatusCode: 404, Request: r, Header: http.Header{"X-Ms-Error-Code": {"BlobNotFound"}}, Body: http.NoBody}, nil
	}
	return listTransport(`<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs></Blobs><NextMarker /></EnumerationResults>`).Do(r)
}

// A Data Lake Storage URL (acct.dfs.core.windows.net) names the same
// container as the blob endpoint, which the Blob API serves: it is read
// there, and the facts say so.
func TestDFSLocation(t *testing.T) {
	tr := &hostTransport{}
	st := mustCollect(t, Config{Location: "https://acct.dfs.core.windows.net/backups/sales?sv=2022-11-02&sr=c&sp=rl&sig=x", Transport: tr})
	if len(tr.hosts) == 0 || tr.hosts[0] != "acct.blob.core.windows.net" {
		t.Errorf("hosts asked = %v, want acct.blob.core.windows.net", tr.hosts)
	}
	if st.Location != "https://acct.blob.core.windows.net/backups/sales" || st.Account != "acct" || !strings.Contains(st.LocationNote, "dfs") {
		t.Errorf("storage = %+v", st)
	}
	noSecret(t, "note", st.LocationNote)
}
