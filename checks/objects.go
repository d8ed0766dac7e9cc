package checks

import (
	"github.com/dmsready/dmsready/internal/restore"
)

// Finding objects: what a finding is about, and what waivers match on.

// dbObj names the database of a restore sequence.
func dbObj(p restore.Plan) string { return "database:" + p.Database }

// fileObj names a backup file.
func fileObj(f string) string { return "file:" + f }

// folderObj names a folder as a finding object; "folder:/" is the root.
func folderObj(dir string) string {
	if dir == "" {
		return "folder:/"
	}
	return "folder:" + dir
}
