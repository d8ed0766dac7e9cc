package storage

import (
	"errors"

	"github.com/dmsready/dmsready/internal/backup"
)

// backupErrKind returns the backup reader's error kind, "" for other errors.
func backupErrKind(err error) string {
	var be *backup.Error
	if errors.As(err, &be) {
		return be.Kind
	}
	return ""
}
