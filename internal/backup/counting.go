package backup

import (
	"io"
	"sync/atomic"
)

// CountingReaderAt wraps an io.ReaderAt and counts the reads made through it
// and the bytes they returned. It is safe for concurrent use.
type CountingReaderAt struct {
	R     io.ReaderAt
	reads atomic.Int64
	bytes atomic.Int64
}

// NewCountingReaderAt wraps r.
func NewCountingReaderAt(r io.ReaderAt) *CountingReaderAt { return &CountingReaderAt{R: r} }

func (c *CountingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.R.ReadAt(p, off)
	c.reads.Add(1)
	c.bytes.Add(int64(n))
	return n, err
}

// Reads is the number of ReadAt calls so far.
func (c *CountingReaderAt) Reads() int64 { return c.reads.Load() }

// BytesRead is the number of bytes returned so far.
func (c *CountingReaderAt) BytesRead() int64 { return c.bytes.Load() }
