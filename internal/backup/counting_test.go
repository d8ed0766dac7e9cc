package backup

import (
	"bytes"
	"sync"
	"testing"
)

func TestCountingReaderAtConcurrent(t *testing.T) {
	data := bytes.Repeat([]byte{1, 2, 3, 4}, 1024)
	c := NewCountingReaderAt(bytes.NewReader(data))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 100)
			for i := range 50 {
				if _, err := c.ReadAt(buf, int64((g*50+i)%40)*100); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if c.Reads() != 400 || c.BytesRead() != 40000 {
		t.Errorf("reads %d bytes %d, want 400 and 40000", c.Reads(), c.BytesRead())
	}
	// A short read at the end counts the bytes returned, not asked.
	if n, _ := c.ReadAt(make([]byte, 10), int64(len(data)-4)); n != 4 || c.BytesRead() != 40004 {
		t.Errorf("short read: n %d, bytes %d", n, c.BytesRead())
	}
}
