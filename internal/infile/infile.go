// Package infile opens the files dmsready is told to read — a plan, a facts
// file, a path to inspect — safely: only regular files (a FIFO, a device or
// a socket is refused before it is opened, never read and waited on), and
// never more than a stated size (/dev/zero, or a file grown by mistake, must
// not exhaust memory).
package infile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// PlanLimit is the size limit of a plan file. A plan is kilobytes; 4 MiB
// leaves room for an estate plan with thousands of databases and file
// mappings.
const PlanLimit = 4 << 20

// NotRegularError is a path that is not a regular file.
type NotRegularError struct {
	Path string
	What string // "a named pipe (FIFO)", "a device", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file: give a file", e.Path, e.What)
}

// TooLargeError is input larger than its limit.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the limit for this input", e.Path, size(e.Limit))
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// describe names a file mode that is not a regular file, "" for a regular
// file or a directory.
func describe(m fs.FileMode) string {
	switch {
	case m.IsRegular(), m.IsDir():
		return ""
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a regular file"
}

// Check refuses a path (symbolic links followed) that exists and is neither
// a regular file nor a directory, without opening it. Stat errors are
// returned as they are.
func Check(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if d := describe(fi.Mode()); d != "" {
		return &NotRegularError{Path: path, What: d}
	}
	return nil
}

// Open opens a regular file for reading. Anything else is refused: checked
// before opening, and again on the opened file (opened non-blocking, so
// that a FIFO put in its place meanwhile does not block the open).
func Open(path string) (*os.File, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		what := describe(fi.Mode())
		if fi.IsDir() {
			what = "a folder"
		}
		return nil, &NotRegularError{Path: path, What: what}
	}
	return f, nil
}

// ReadFile reads a regular file of at most limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(LimitReader(f, path, limit))
}

// LimitReader reads r and fails with a *TooLargeError once it has given
// limit bytes and more remain: a decoder that streams r stops there.
func LimitReader(r io.Reader, path string, limit int64) io.Reader {
	return &limited{r: r, path: path, limit: limit, left: limit}
}

type limited struct {
	r           io.Reader
	path        string
	limit, left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells "exactly the limit" from "larger".
		var b [1]byte
		n, err := l.r.Read(b[:])
		if n > 0 {
			return 0, &TooLargeError{Path: l.path, Limit: l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// IsRefused reports an error of this package (not regular, too large).
func IsRefused(err error) bool {
	var nr *NotRegularError
	var tl *TooLargeError
	return errors.As(err, &nr) || errors.As(err, &tl)
}
