package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/redact"
	"github.com/dmsready/dmsready/internal/winpath"
)

// opens counts the share files opened (for tests: one open per file).
var opens atomic.Int64

// localSource is a local folder or a mounted network share.
type localSource struct {
	root string
	// wt, when set, is told the walk's and the reads' progress (Collect
	// watches it: a hung mount never returns from a system call).
	wt *watch
	// outside, when set, is told each link that leads outside the root.
	outside func(rel, target string)
}

func openLocal(cfg Config, st *facts.Storage) (*localSource, error) {
	root := cfg.Location
	if p, ok := winpath.FromFileURL(root); ok {
		root = p // file:///C:/backups is C:/backups, not /C:/backups
	}
	st.Location = redact.Location(root)
	st.Kind = facts.StorageShare
	return &localSource{root: filepath.Clean(root)}, nil
}

func (s *localSource) list(ctx context.Context, fn func(facts.File)) error {
	fi, err := os.Stat(s.root)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", s.root)
	}
	// The files' modification times, in blocks: one allocation per 1,024
	// files, not one per file (every file keeps its time).
	var times []time.Time
	return walk(ctx, s.root, func(rel string, info fs.FileInfo, err error) {
		if s.wt != nil {
			s.wt.n.Add(1)
		}
		if err != nil {
			// One bad entry is an error on that entry; the scan goes on.
			// A folder that could not be listed is named with a trailing
			// '/': what is unknown lies inside it, not beside it (a
			// locked "System Volume Information" at a share's root says
			// nothing about the backups in the root).
			var ee *entryError
			if errors.As(err, &ee) && ee.dir {
				rel += "/"
			}
			fn(facts.File{Path: rel, ReadErrorKind: ReadErrorIO, ReadError: redact.Text(err.Error())})
			return
		}
		if len(times) == cap(times) {
			times = make([]time.Time, 0, 1024)
		}
		times = append(times, info.ModTime().UTC())
		fn(facts.File{Path: rel, Size: info.Size(), LastModified: &times[len(times)-1]})
	}, s.wt, s.outside)
}

func (s *localSource) get(ctx context.Context, path string, off int64, p []byte) (int, error) {
	var h fileHandle
	defer h.close()
	return s.read(ctx, &h, path, off, p)
}

// read is get through h, which it opens on the first read: the reads of
// one file (head, tail) share one open.
func (s *localSource) read(ctx context.Context, h *fileHandle, path string, off int64, p []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if s.wt != nil && s.wt.block != nil {
		op := "read"
		if !h.opened() {
			op = "open"
		}
		s.wt.block(op, path)
	}
	if !h.opened() {
		opens.Add(1)
		if err := h.openRel(s.root, path); err != nil {
			return 0, err
		}
	}
	return h.readAt(p, off)
}

// changed says how the file at path differs from its listing (size,
// modification time), or "" when it does not or cannot be told.
func (s *localSource) changed(_ context.Context, path string, size int64, mod *time.Time) string {
	fi, err := os.Stat(joinRel(s.root, path))
	if err != nil {
		return ""
	}
	if fi.Size() == size && (mod == nil || fi.ModTime().Equal(*mod)) {
		return ""
	}
	return fmt.Sprintf("the file changed while it was read (%d bytes, modified %s when listed; %d bytes, modified %s now): it may still be being written; check again once it is complete",
		size, fmtTime(mod), fi.Size(), fi.ModTime().UTC().Format(time.RFC3339))
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "at an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}

// localError names the failure of a share listing.
func localError(err error, loc string) facts.SourceError {
	e := facts.SourceError{Source: facts.SrcStorage, Kind: "other", Message: redact.Text(err.Error())}
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind, e.Message = "canceled", "canceled"
	case errors.Is(err, fs.ErrNotExist):
		e.Kind = "not-found"
		switch {
		case runtime.GOOS == "windows":
		case winpath.IsUNC(loc):
			e.Message += " (a UNC path is read as a local path: mount the share first, or run dmsready on Windows)"
		case winpath.HasDrive(loc):
			e.Message += " (a Windows drive path: give the folder where it is mounted here, or run dmsready on Windows)"
		}
	case errors.Is(err, fs.ErrPermission):
		e.Kind, e.Permission = "forbidden", "read and list access to the share folder"
	}
	return e
}

// ShareFile is one file of a share, as Walk lists it, opened for reading
// its headers as Collect reads them: one open for all its reads, through
// the same system calls.
type ShareFile struct{ h fileHandle }

// OpenShareFile opens path for reading. A file replaced by a named pipe
// since it was listed fails its first read instead of blocking.
func OpenShareFile(path string) (*ShareFile, error) {
	f := &ShareFile{}
	if err := f.h.openFile(path); err != nil {
		return nil, err
	}
	return f, nil
}

// ReadAt implements io.ReaderAt.
func (f *ShareFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.h.readAt(p, off)
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}

// Close closes the file.
func (f *ShareFile) Close() error {
	f.h.close()
	return nil
}
