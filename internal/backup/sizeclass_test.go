package backup

import (
	"runtime"
	"testing"

	"github.com/dmsready/dmsready/checks/facts"
)

// TestMediaSizeClass: a decoded header's media and first set take at
// most 784 bytes. In one box (776 bytes and Go's 8-byte header for objects
// over 512 bytes with pointers) they took the 896-byte size class: 10 MiB
// more live at 100,000 files. A field added to BackupMedia or BackupSet
// that passes a size class fails here: it costs that much per file.
func TestMediaSizeClass(t *testing.T) {
	const n = 20000
	keep := make([]*facts.BackupMedia, n)
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for i := range keep {
		m := newMedia()
		m.Sets = append(m.Sets, facts.BackupSet{}) // as Read adds the first set
		keep[i] = m
	}
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(keep)
	if per := (m1.TotalAlloc - m0.TotalAlloc) / n; per > 784 {
		t.Errorf("a media header and its first set allocate %d bytes, want at most 784", per)
	}
}
