// Package backup reads SQL Server backup headers (what RESTORE HEADERONLY and
// RESTORE FILELISTONLY return) straight from the file, without SQL Server.
// It walks the Microsoft Tape Format (MTF) descriptor blocks at the head of
// the file, verifies their checksums, and decodes the SQL Server
// configuration stream (MQCI) of each backup set. Reads are ranged and few:
// the head, and the tail where the final copy of the last set's header lives.
package backup

import "fmt"

// Error kinds.
const (
	KindEmpty      = "empty"
	KindNotBackup  = "not-backup"
	KindTruncated  = "truncated"
	KindEncrypted  = "encrypted"
	KindCorrupt    = "corrupt"
	KindUnreadable = "unreadable"
)

// Error is every error Read returns. Offset is where in the file (or, for
// compressed backups, in the decompressed stream) the problem was found.
type Error struct {
	Kind   string
	Offset int64
	Msg    string
}

func (e *Error) Error() string {
	switch e.Kind {
	case KindEmpty:
		return "empty file: not a SQL Server backup"
	case KindNotBackup:
		return "not a SQL Server backup: " + e.Msg
	case KindTruncated:
		return fmt.Sprintf("truncated at offset %d: %s", e.Offset, e.Msg)
	case KindEncrypted:
		return "encrypted: header unreadable: " + e.Msg
	case KindUnreadable:
		return fmt.Sprintf("read failed at offset %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("corrupt backup at offset %d: %s", e.Offset, e.Msg)
}

func errf(kind string, off int64, format string, a ...any) *Error {
	return &Error{Kind: kind, Offset: off, Msg: fmt.Sprintf(format, a...)}
}
