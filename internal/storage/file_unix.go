//go:build unix

package storage

import (
	"io/fs"
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
	name string
}

// openFile opens name read-only. O_NONBLOCK: a file replaced by a named
// pipe since the listing fails its read instead of blocking the scan.
func (h *fileHandle) openFile(name string) error {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "open", Path: name, Err: err}
		}
		h.fd, h.open, h.name = fd, true, name
		return nil
	}
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
			return n, &fs.PathError{Op: "read", Path: h.name, Err: err}
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
