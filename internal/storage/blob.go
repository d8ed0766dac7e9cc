package storage

import (
	"context"
	"fmt"
	"io"
	"strings"

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
	if auth == "" {
		switch {
		case sas != nil:
			auth = "sas"
		case cs != "":
			auth = "connection-string"
		case key != "":
			auth = "account-key"
		case getenv("AZURE_STORAGE_CONNECTION_STRING") != "":
			auth = "connection-string"
		case getenv("AZURE_STORAGE_KEY") != "" && loc.endpoint != "":
			auth = "account-key"
		case ParseSAS(getenv("AZURE_STORAGE_SAS_TOKEN")) != nil && loc.endpoint != "":
			auth = "sas"
		default:
			auth = "entra"
		}
	}
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

func (s *blobSource) get(ctx context.Context, path string, off int64, p []byte) (int, error) {
	resp, err := s.c.NewBlobClient(s.prefix+path).DownloadStream(ctx, &blob.DownloadStreamOptions{
		Range: blob.HTTPRange{Offset: off, Count: int64(len(p))},
	})
	if err != nil {
		return 0, err
	}
	// The retry reader resumes a body cut short with a new ranged GET.
	body := resp.NewRetryReader(ctx, &blob.RetryReaderOptions{MaxRetries: 3})
	defer body.Close()
	n, err := io.ReadFull(body, p)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return n, err
}
