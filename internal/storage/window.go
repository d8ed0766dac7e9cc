package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Default read windows. Backup headers sit in the first few KiB of a file and
// the final copy of the set's configuration in its last few KiB (see
// shared notes/backup-format.md): one GET for each end covers both in the
// common case, and the sum stays under the 64 KiB budget per backup.
const (
	DefaultHead = 16 << 10
	DefaultTail = 16 << 10
	defaultPage = 4 << 10
	maxPages    = 4
)

// ranger reads len(p) bytes at off of one file into p (fewer only at its
// end, without error), in one request.
type ranger interface {
	get(ctx context.Context, path string, off int64, p []byte) (int, error)
}

// windowReader is the io.ReaderAt handed to the backup reader: it turns the
// reader's many small reads into a few ranged GETs (head, tail, and 4 KiB
// pages in between), and counts what went over the wire. Memory is bounded
// by head + tail + maxPages pages, whatever the file size.
type windowReader struct {
	ctx        context.Context
	src        ranger
	path       string
	size       int64
	head, tail int
	hw, tw     *window
	pages      []*window
	reads      int
	bytes      int64
	// describe shortens a fetch error for the reader's message; nil keeps it.
	describe func(error) string
	// ioErr is the first failed fetch. It sticks: once the storage failed
	// (after its bounded retries), later reads fail at once, so a reader
	// that tries other offsets cannot multiply the requests.
	ioErr error
	// fh is the share file, open from the first read to release.
	fh fileHandle
	// hwv and twv are what hw and tw point to: the reader is reused file
	// after file, its head and tail windows with it.
	hwv, twv window
}

type window struct {
	off int64
	b   []byte
	// bp is the pooled buffer b is in (nil: not pooled), put back as it
	// came: a new pointer per Put would be an allocation per window.
	bp *[]byte
}

func (w *window) has(off int64) bool { return off >= w.off && off < w.off+int64(len(w.b)) }

func newWindowReader(ctx context.Context, src ranger, path string, size int64, head, tail int) *windowReader {
	r := &windowReader{}
	r.reset(ctx, src, path, size, head, tail)
	return r
}

// reset makes r a new reader of path, keeping its page list's and its
// file handle's path buffer's memory: a worker reads file after file
// through one reader, not one allocated per file. r must have been
// released.
func (r *windowReader) reset(ctx context.Context, src ranger, path string, size int64, head, tail int) {
	if head <= 0 {
		head = DefaultHead
	}
	if tail <= 0 {
		tail = DefaultTail
	}
	*r = windowReader{ctx: ctx, src: src, path: path, size: size, head: head, tail: tail, pages: r.pages[:0],
		fh: fileHandle{path: r.fh.path[:0]}}
}

var errNegativeOffset = errors.New("negative offset")

// ReadAt implements io.ReaderAt over the listed size.
func (r *windowReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	n := 0
	if want := min(int64(len(p)), r.size-off); want >= 2*defaultPage && !r.cached(off, want) {
		// A reader that asks for large ranges (the backup reader caches on
		// its own) gets exactly one GET for each, so nothing is read twice.
		var err error
		n, err = r.fetch(off, p[:want])
		if err != nil {
			return n, err
		}
		if n < len(p) {
			return n, io.EOF
		}
		return n, nil
	}
	for n < len(p) && off < r.size {
		w, err := r.window(off)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], w.b[off-w.off:])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// cached reports whether [off, off+n) lies in one cached window.
func (r *windowReader) cached(off, n int64) bool {
	w := r.find(off)
	return w != nil && off+n <= w.off+int64(len(w.b))
}

// find is the cached window holding off, or nil (no allocation: ReadAt
// runs for every field the backup reader decodes).
func (r *windowReader) find(off int64) *window {
	if r.hw != nil && r.hw.has(off) {
		return r.hw
	}
	if r.tw != nil && r.tw.has(off) {
		return r.tw
	}
	for _, w := range r.pages {
		if w.has(off) {
			return w
		}
	}
	return nil
}

// bufs recycles window buffers across files: a scan of 100,000 files
// would otherwise allocate 3 GB of 16 KiB windows for the GC to sweep.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, DefaultHead); return &b }}

func (r *windowReader) buf(n int64) ([]byte, *[]byte) {
	if n > DefaultHead {
		return make([]byte, n), nil
	}
	bp := bufs.Get().(*[]byte)
	return (*bp)[:n], bp
}

// release returns the window buffers; r must not be read after.
func (r *windowReader) release() {
	put := func(w *window) {
		if w != nil && w.bp != nil {
			*w.bp = w.b[:0]
			bufs.Put(w.bp)
			w.bp = nil
		}
	}
	put(r.hw)
	put(r.tw)
	for _, w := range r.pages {
		put(w)
	}
	clear(r.pages)
	r.hw, r.tw, r.pages = nil, nil, r.pages[:0]
	r.fh.close()
}

// fetch is one ranged GET into p, counted.
func (r *windowReader) fetch(off int64, p []byte) (int, error) {
	if r.ioErr != nil {
		return 0, r.ioErr
	}
	var n int
	var err error
	if ls, ok := r.src.(*localSource); ok {
		n, err = ls.read(r.ctx, &r.fh, r.path, off, p)
	} else {
		n, err = r.src.get(r.ctx, r.path, off, p)
	}
	r.reads++
	r.bytes += int64(n)
	if err != nil {
		if r.describe != nil && r.ctx.Err() == nil {
			err = fmt.Errorf("%s", r.describe(err))
		}
		r.ioErr = err
		return n, err
	}
	if n == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	return n, nil
}

func (r *windowReader) window(off int64) (*window, error) {
	if w := r.find(off); w != nil {
		return w, nil
	}
	var start int64
	var n int64
	slot := &r.hw
	switch {
	case r.size <= int64(r.head+r.tail) || off < int64(r.head):
		// A small file is fetched whole: one GET instead of two.
		start, n = 0, int64(r.head)
		if r.size <= int64(r.head+r.tail) {
			n = r.size
		}
	case off >= r.size-int64(r.tail):
		start, n, slot = r.size-int64(r.tail), int64(r.tail), &r.tw
	default:
		start = off / defaultPage * defaultPage
		n = defaultPage
		if lim := r.size - int64(r.tail); start+n > lim {
			n = lim - start
		}
		slot = nil
	}
	if start+n > r.size {
		n = r.size - start
	}
	b, bp := r.buf(n)
	m, err := r.fetch(start, b)
	if err != nil {
		if bp != nil {
			bufs.Put(bp)
		}
		return nil, err
	}
	b = b[:m]
	if int64(len(b)) <= off-start {
		// The file is shorter than listed: it changed while we read it.
		if bp != nil {
			bufs.Put(bp)
		}
		return nil, io.ErrUnexpectedEOF
	}
	var w *window
	switch slot {
	case &r.hw:
		w = &r.hwv
	case &r.tw:
		w = &r.twv
	default:
		w = new(window)
	}
	*w = window{off: start, b: b, bp: bp}
	if slot != nil {
		*slot = w
		return w, nil
	}
	if len(r.pages) >= maxPages {
		r.pages = r.pages[1:]
	}
	r.pages = append(r.pages, w)
	return w, nil
}
