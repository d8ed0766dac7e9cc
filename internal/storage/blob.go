package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/redact"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/dmsready/dmsready/checks/facts"
)

// blobSource lists and reads one container (below an optional prefix).
type blobSource struct {
	c      *container.Client
	prefix string // "" or "folder/"
}

// openBlob resolves the credential and builds the container client. st is
// filled with what is safe to record (location, account, auth, SAS grants).
func openBlob(cfg Config, st *facts.Storage) (*blobSource, error) {
	getenv := cfg.Getenv
	auth := cfg.Auth
	cs, key := cfg.ConnectionString, cfg.AccountKey
	var loc blobLocation
	var err error
	if redact.IsURL(cfg.Location) {
		loc, err = parseBlobURL(cfg.Location)
		if err != nil {
			return nil, err
		}
	} else {
		// "container[/folder]" with a connection string giving the endpoint.
		parts := strings.SplitN(strings.Trim(strings.ReplaceAll(cfg.Location, "\\", "/"), "/"), "/", 2)
		if parts[0] == "" {
			return nil, fmt.Errorf("location: no container name")
		}
		loc.container = parts[0]
		if len(parts) == 2 {
			loc.prefix = strings.Trim(parts[1], "/")
		}
	}
	sas := ParseSAS(loc.query)
	// What was given explicitly wins over the environment the Azure CLI
	// also reads (AZURE_STORAGE_CONNECTION_STRING, _KEY, _SAS_TOKEN).
	envSAS := func() {
		if t := strings.TrimPrefix(getenv("AZURE_STORAGE_SAS_TOKEN"), "?"); sas == nil && ParseSAS(t) != nil {
			loc.query, sas = t, ParseSAS(t)
		}
	}
	why := "storage.auth is " + auth
	if auth == "" {
		switch {
		case sas != nil:
			auth, why = "sas", "the location carries a SAS"
		case cs != "":
			auth, why = "connection-string", "a connection string was given"
		case key != "":
			auth, why = "account-key", "an account key was given"
		case getenv("AZURE_STORAGE_CONNECTION_STRING") != "":
			auth, why = "connection-string", "AZURE_STORAGE_CONNECTION_STRING is set"
		case getenv("AZURE_STORAGE_KEY") != "" && loc.endpoint != "":
			auth, why = "account-key", "AZURE_STORAGE_KEY is set"
		case ParseSAS(getenv("AZURE_STORAGE_SAS_TOKEN")) != nil && loc.endpoint != "":
			auth, why = "sas", "AZURE_STORAGE_SAS_TOKEN is set"
		default:
			// The fallback probes the environment, workload and managed
			// identity (the instance metadata endpoint) and the Azure CLI:
			// say so, and how to choose otherwise.
			auth, why = "entra", "no SAS, connection string or account key was given or set in AZURE_STORAGE_*, so Microsoft Entra sign-in "+
				"(DefaultAzureCredential: environment, workload identity, managed identity, Azure CLI) was tried; set storage.auth to choose (none for a public container)"
		}
	}
	st.AuthReason = why
	switch auth {
	case "connection-string":
		if cs == "" {
			cs = getenv("AZURE_STORAGE_CONNECTION_STRING")
		}
	case "account-key":
		if key == "" {
			key = getenv("AZURE_STORAGE_KEY")
		}
	case "sas":
		envSAS()
	}
	opts := &container.ClientOptions{ClientOptions: azcore.ClientOptions{
		Telemetry: policy.TelemetryOptions{ApplicationID: "dmsready"},
	}}
	if cfg.Transport != nil {
		opts.Transport = cfg.Transport
	}
	if cfg.Retry != nil {
		opts.Retry = *cfg.Retry
	}
	// Every try of every request has a deadline: without one an endpoint
	// that accepts and never answers hangs the run for ever.
	if opts.Retry.TryTimeout <= 0 {
		opts.Retry.TryTimeout = requestTimeout(cfg)
	}
	var c *container.Client
	switch auth {
	case "sas":
		if sas == nil {
			return nil, fmt.Errorf("auth sas: neither the location URL nor AZURE_STORAGE_SAS_TOKEN carries a SAS token")
		}
		c, err = container.NewClientWithNoCredential(loc.containerURL()+"?"+loc.query, opts)
	case "none":
		c, err = container.NewClientWithNoCredential(loc.containerURL(), opts)
	case "connection-string":
		if cs == "" {
			return nil, fmt.Errorf("auth connection-string: no connection string given and AZURE_STORAGE_CONNECTION_STRING is empty")
		}
		var p connString
		p, err = parseConnString(cs)
		if err != nil {
			return nil, err
		}
		if loc.account != "" && p.account != "" && !strings.EqualFold(loc.account, p.account) {
			return nil, fmt.Errorf("the connection string is for account %s, the location for account %s", p.account, loc.account)
		}
		l, _ := parseBlobURL(p.endpoint + "/" + loc.container)
		loc.endpoint, loc.account = l.endpoint, l.account
		if p.key != "" {
			var cred *container.SharedKeyCredential
			cred, err = container.NewSharedKeyCredential(loc.account, p.key)
			if err == nil {
				c, err = container.NewClientWithSharedKeyCredential(loc.containerURL(), cred, opts)
			}
		} else {
			sas = ParseSAS(p.sas)
			c, err = container.NewClientWithNoCredential(loc.containerURL()+"?"+strings.TrimPrefix(p.sas, "?"), opts)
		}
	case "account-key":
		if key == "" {
			return nil, fmt.Errorf("auth account-key: no account key given and AZURE_STORAGE_KEY is empty")
		}
		if loc.endpoint == "" {
			return nil, fmt.Errorf("auth account-key: the location must be a container URL")
		}
		var cred *container.SharedKeyCredential
		cred, err = container.NewSharedKeyCredential(loc.account, key)
		if err == nil {
			c, err = container.NewClientWithSharedKeyCredential(loc.containerURL(), cred, opts)
		}
	case "entra":
		if loc.endpoint == "" {
			return nil, fmt.Errorf("auth entra: the location must be a container URL")
		}
		if !strings.HasPrefix(loc.endpoint, "https://") {
			return nil, fmt.Errorf("auth entra: tokens are sent over https only; the location is http")
		}
		cred := cfg.Credential
		if cred == nil && underTest() {
			// A test that forgot its credential must not sign in as whoever
			// runs it, nor probe the instance metadata endpoint.
			return nil, fmt.Errorf("auth entra: a test binary must give Config.Credential; it never builds DefaultAzureCredential")
		}
		if cred == nil {
			cred, err = azidentity.NewDefaultAzureCredential(nil)
			if err != nil {
				return nil, fmt.Errorf("default Microsoft Entra credential: %w", err)
			}
		}
		c, err = container.NewClient(loc.containerURL(), cred, opts)
	default:
		return nil, fmt.Errorf("auth %q: want sas, connection-string, account-key, entra or none", auth)
	}
	if err != nil {
		return nil, fmt.Errorf("%s", redact.Text(err.Error()))
	}
	st.Location = loc.containerURL()
	if loc.prefix != "" {
		st.Location += "/" + loc.prefix
	}
	if loc.dfs {
		st.LocationNote = "the location is the account's Data Lake Storage (dfs) endpoint; it was read through its blob endpoint, " +
			st.Location + ", which is the URL DMS and Log Replay Service take"
	}
	st.Account, st.Container, st.Prefix, st.Auth, st.SAS = loc.account, loc.container, loc.prefix, facts.StorageAuth(auth), sas
	src := &blobSource{c: c}
	if loc.prefix != "" {
		src.prefix = loc.prefix + "/"
	}
	return src, nil
}

func (s *blobSource) list(ctx context.Context, fn func(facts.File)) error {
	opts := &container.ListBlobsFlatOptions{Include: container.ListBlobsInclude{Metadata: true}}
	if s.prefix != "" {
		opts.Prefix = &s.prefix
	}
	pager := s.c.NewListBlobsFlatPager(opts)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, it := range page.Segment.BlobItems {
			if it.Name == nil || it.Properties == nil {
				continue
			}
			// Folders of accounts with a hierarchical namespace are listed as
			// empty blobs marked hdi_isfolder; they are not files.
			if v, ok := it.Metadata["hdi_isfolder"]; ok && v != nil && strings.EqualFold(*v, "true") {
				continue
			}
			p := it.Properties
			f := facts.File{Path: strings.TrimPrefix(*it.Name, s.prefix), LastModified: p.LastModified}
			if p.ContentLength != nil {
				f.Size = *p.ContentLength
			}
			if p.BlobType != nil {
				f.BlobType = string(*p.BlobType)
			}
			if p.AccessTier != nil {
				f.AccessTier = string(*p.AccessTier)
			}
			if p.ArchiveStatus != nil {
				f.ArchiveStatus = string(*p.ArchiveStatus)
			}
			if f.LastModified != nil {
				t := f.LastModified.UTC()
				f.LastModified = &t
			}
			fn(f)
		}
	}
	return nil
}

// isBlob reports whether the prefix, without its trailing '/', names a
// blob that is not a folder marker (one read-only HEAD request).
func (s *blobSource) isBlob(ctx context.Context) bool {
	p, err := s.c.NewBlobClient(strings.TrimSuffix(s.prefix, "/")).GetProperties(ctx, nil)
	if err != nil {
		return false
	}
	for k, v := range p.Metadata {
		// Header names come back canonicalised (Hdi_isfolder).
		if strings.EqualFold(k, "hdi_isfolder") && v != nil && strings.EqualFold(*v, "true") {
			return false
		}
	}
	return true
}

// changed says how the blob at path differs from its listing (size, last
// modified), or "" when it does not or cannot be told (one HEAD request,
// asked only after a failed decode).
func (s *blobSource) changed(ctx context.Context, path string, size int64, mod *time.Time) string {
	p, err := s.c.NewBlobClient(s.prefix+path).GetProperties(ctx, nil)
	if err != nil || p.ContentLength == nil {
		return ""
	}
	now := *p.ContentLength
	sameTime := mod == nil || p.LastModified == nil || p.LastModified.Equal(*mod)
	if now == size && sameTime {
		return ""
	}
	at := "at an unknown time"
	if p.LastModified != nil {
		at = p.LastModified.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("the blob changed while it was read (%d bytes, modified %s when listed; %d bytes, modified %s now): it may still be being written; check again once it is complete",
		size, fmtTime(mod), now, at)
}

// get reads [off, off+len(p)) with one ranged GET, resuming a body cut
// short from where it stopped at most MaxBodyRetries times. The SDK's
// retry policy retries each request (busy, reset, timeout); it does not see
// bodies, and the SDK's retry reader restarts its count after every read
// that made progress, so a connection that always cuts the body after a few
// bytes would be re-requested without end.
func (s *blobSource) get(ctx context.Context, path string, off int64, p []byte) (int, error) {
	bc := s.c.NewBlobClient(s.prefix + path)
	n := 0
	for try := 0; ; try++ {
		resp, err := bc.DownloadStream(ctx, &blob.DownloadStreamOptions{
			Range: blob.HTTPRange{Offset: off + int64(n), Count: int64(len(p) - n)},
		})
		if err != nil {
			return n, err
		}
		m, err := readBody(resp.Body, p[n:])
		resp.Body.Close()
		n += m
		if err == nil {
			return n, nil
		}
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		if try >= MaxBodyRetries {
			return n, &cutError{tries: try + 1, err: err}
		}
	}
}

// readBody fills p from body. A clean end of the body before p is full is
// the end of the file (nil error); anything else, io.ErrUnexpectedEOF
// included, is a body cut short.
func readBody(body io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := body.Read(p[n:])
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// cutError is a ranged read whose body was cut short on every try.
type cutError struct {
	tries int
	err   error
}

func (e *cutError) Error() string {
	return fmt.Sprintf("response body cut short on %d tries (%v)", e.tries, e.err)
}

func (e *cutError) Unwrap() error { return e.err }

func requestTimeout(cfg Config) time.Duration {
	if cfg.RequestTimeout > 0 {
		return cfg.RequestTimeout
	}
	return DefaultRequestTimeout
}

// underTest reports whether this is a `go test` binary.
func underTest() bool { return strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test") }
