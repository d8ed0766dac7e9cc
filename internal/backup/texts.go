package backup

import (
	"strconv"

	"github.com/dmsready/dmsready/internal/intern"
)

// texts decodes the strings of headers into a reused buffer and keeps one
// copy of each value seen recently: a database's names, server, version,
// file names and GUIDs repeat in every one of its backups, so reading an
// estate allocates them once, not once per backup. Only equal strings are
// shared, so nothing decoded changes. The zero value shares nothing.
type texts struct {
	buf    []byte
	seen   intern.Table
	groups []group
}

// maxSeen bounds the values kept: past it the memory is cleared.
const maxSeen = 4096

func newTexts() texts {
	return texts{buf: make([]byte, 0, 256), seen: intern.New(maxSeen)}
}

// intern returns b as a string, the kept copy when there is one.
func (t *texts) intern(b []byte) string { return t.seen.Bytes(b) }

// str is str(b, at), shared.
func (t *texts) str(b []byte, at int) string {
	t.buf = appendStr(t.buf[:0], b, at)
	return t.intern(t.buf)
}

// guid is guid(b), shared: for GUIDs that repeat across backups (a
// database's family and fork, a differential base).
func (t *texts) guid(b []byte) string {
	t.buf = appendGUID(t.buf[:0], b)
	return t.intern(t.buf)
}

// version is "major.minor.build", shared.
func (t *texts) version(major, minor, build int) string {
	b := strconv.AppendInt(t.buf[:0], int64(major), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(minor), 10)
	b = append(b, '.')
	t.buf = strconv.AppendInt(b, int64(build), 10)
	return t.intern(t.buf)
}

// uniqueGUID is guid(b), not shared: for GUIDs that name one backup.
func (t *texts) uniqueGUID(b []byte) string {
	t.buf = appendGUID(t.buf[:0], b)
	return string(t.buf)
}
