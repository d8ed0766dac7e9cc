package storage

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/internal/redact"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
)

// A synthetic file format for testing the pipeline without the backup
// reader: "FAKE" + u16 name length + database name at the start, "END!" in
// the last 4 bytes. fakeReader reads both ends, as the real reader does.
func fakeFile(db string, size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i * 7)
	}
	copy(b, "FAKE")
	binary.LittleEndian.PutUint16(b[4:], uint16(len(db)))
	copy(b[6:], db)
	copy(b[size-4:], "END!")
	return b
}

type kindErr string

func (k kindErr) Error() string     { return "fake: " + string(k) }
func (k kindErr) ErrorKind() string { return string(k) }

func fakeReader(r io.ReaderAt, size int64) (*facts.BackupMedia, error) {
	var h [6]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, err
	}
	if string(h[:4]) != "FAKE" {
		return nil, kindErr("not-backup")
	}
	name := make([]byte, binary.LittleEndian.Uint16(h[4:]))
	if _, err := r.ReadAt(name, 6); err != nil {
		return nil, err
	}
	var t [4]byte
	if _, err := r.ReadAt(t[:], size-4); err != nil {
		return nil, err
	}
	if string(t[:]) != "END!" {
		return nil, kindErr("truncated")
	}
	return &facts.BackupMedia{Sets: []facts.BackupSet{{Position: 1, DatabaseName: string(name), BackupType: facts.TypeFull}}}, nil
}

// layoutFile is one file of a test layout.
type layoutFile struct {
	path, blobType, tier string
	data                 []byte
}

// testLayout covers the blob types, nesting, an empty file, a non-backup
// file, an archived blob and a file larger than head+tail.
func testLayout() []layoutFile {
	return []layoutFile{
		{path: "db1/FULL/db1_full.bak", blobType: facts.BlockBlob, data: fakeFile("db1", 200<<10)},
		{path: "db1/LOG/db1_log.trn", blobType: facts.BlockBlob, data: fakeFile("db1", 20<<10)},
		{path: "db2/db2_full.bak", blobType: facts.PageBlob, data: fakeFile("db2", 64<<10)},
		{path: "db2/db2_log.trn", blobType: facts.AppendBlob, data: fakeFile("db2", 3000)},
		{path: "db2/readme.txt", blobType: facts.BlockBlob, data: []byte("not a backup")},
		{path: "db2/cut.bak", blobType: facts.BlockBlob, data: fakeFile("db2", 40<<10)[:30<<10]},
		{path: "empty.bak", blobType: facts.BlockBlob, data: nil},
		{path: "cold/old.bak", blobType: facts.BlockBlob, tier: "Archive", data: fakeFile("db3", 1000)},
	}
}

func upload(t testing.TB, c *azblob.Client, ctr string, files []layoutFile) {
	t.Helper()
	ctx := context.Background()
	cc := c.ServiceClient().NewContainerClient(ctr)
	for _, f := range files {
		var err error
		switch f.blobType {
		case facts.PageBlob:
			pb := cc.NewPageBlobClient(f.path)
			if _, err = pb.Create(ctx, int64(len(f.data)), nil); err == nil {
				for off := 0; off < len(f.data) && err == nil; off += 4 << 20 {
					end := min(off+4<<20, len(f.data))
					_, err = pb.UploadPages(ctx, streaming.NopCloser(bytes.NewReader(f.data[off:end])),
						blob.HTTPRange{Offset: int64(off), Count: int64(end - off)}, nil)
				}
			}
		case facts.AppendBlob:
			ab := cc.NewAppendBlobClient(f.path)
			if _, err = ab.Create(ctx, nil); err == nil {
				_, err = ab.AppendBlock(ctx, streaming.NopCloser(bytes.NewReader(f.data)), nil)
			}
		default:
			_, err = cc.NewBlockBlobClient(f.path).UploadBuffer(ctx, f.data, nil)
			if err == nil && f.tier != "" {
				_, err = cc.NewBlobClient(f.path).SetTier(ctx, blob.AccessTier(f.tier), nil)
			}
		}
		if err != nil {
			t.Fatalf("upload %s: %v", f.path, err)
		}
	}
}

// writeLocal lays the same files out in a folder.
func writeLocal(t testing.TB, dir string, files []layoutFile) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func containerSAS(t testing.TB, c *azblob.Client, ctr string, perm sas.ContainerPermissions, expiry time.Time) string {
	t.Helper()
	start := expiry.Add(-2 * time.Hour) // before now for both valid and expired tokens
	u, err := c.ServiceClient().NewContainerClient(ctr).GetSASURL(perm, expiry, &container.GetSASURLOptions{StartTime: &start})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func fastRetry() *policy.RetryOptions {
	return &policy.RetryOptions{MaxRetries: 4, RetryDelay: 5 * time.Millisecond, MaxRetryDelay: 20 * time.Millisecond}
}

func noEnv(string) string { return "" }

// mustCollect runs Collect and fails on any error.
func mustCollect(t testing.TB, cfg Config) *facts.Storage {
	t.Helper()
	if cfg.Getenv == nil {
		cfg.Getenv = noEnv
	}
	st, errs := Collect(context.Background(), cfg)
	if len(errs) > 0 {
		t.Fatalf("Collect(%s): %v", redact.Location(cfg.Location), errs)
	}
	return st
}

func fileByPath(st *facts.Storage, p string) *facts.File {
	for i := range st.Files {
		if st.Files[i].Path == p {
			return &st.Files[i]
		}
	}
	return nil
}

func noSecret(t testing.TB, what string, s string) {
	t.Helper()
	l := strings.ToLower(s)
	for _, bad := range []string{"sig=", strings.ToLower(azuritetest.Key[:20])} {
		if strings.Contains(l, bad) && !strings.Contains(l, bad+"redacted") {
			t.Errorf("%s leaks a secret (%q): %s", what, bad, s)
		}
	}
}
