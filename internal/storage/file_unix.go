//go:build unix

package storage

import (
	"io/fs"
	"strings"
	"syscall"
)

// fileHandle is one share file, opened once for all the reads of it. It
// uses the system calls directly: os.Open would add, per file, two fcntl
// calls (non-blocking mode, which a regular file ignores), a failed
// registration with the network poller and a finalizer — at 100,000
// files, more CPU than the reads themselves.
type fileHandle struct {
	fd   int
	open bool
	// root and rel name the file (joinRel), for error messages only.
	root, rel string
	// path is the joined, NUL-terminated path, reused file after file.
	path []byte
}

// openFile opens name read-only.
func (h *fileHandle) openFile(name string) error { return h.openRel(name, "") }

// openRel opens rel ('/'-separated, relative) below root read-only,
// without allocating the joined path for each file: it is built in h's
// buffer. O_NONBLOCK: a file replaced by a named pipe since the listing
// fails its read instead of blocking the scan.
func (h *fileHandle) openRel(root, rel string) error {
	h.root, h.rel = root, rel
	if strings.IndexByte(root, 0) >= 0 || strings.IndexByte(rel, 0) >= 0 {
		return &fs.PathError{Op: "open", Path: h.name(), Err: syscall.EINVAL} // as syscall.Open says
	}
	if rel == "" {
		h.path = append(append(h.path[:0], root...), 0) // as given
	} else {
		h.path = append(appendJoin(h.path[:0], root, rel), 0)
	}
	for {
		fd, err := openPath(h.path)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "open", Path: h.name(), Err: err}
		}
		h.fd, h.open = fd, true
		return nil
	}
}

// name is the file's path, as filepath.Join(root, rel) gives it.
func (h *fileHandle) name() string {
	if h.rel == "" {
		return h.root
	}
	return joinRel(h.root, h.rel)
}

// readAt fills p from off, short only at the end of the file (as
// os.File.ReadAt, without its io.EOF).
func (h *fileHandle) readAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		m, err := syscall.Pread(h.fd, p[n:], off+int64(n))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, &fs.PathError{Op: "read", Path: h.name(), Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	return n, nil
}

func (h *fileHandle) close() {
	if h.open {
		syscall.Close(h.fd)
		h.open = false
	}
}

func (h *fileHandle) opened() bool { return h.open }
