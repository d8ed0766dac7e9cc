//go:build !linux

package storage

import (
	"io/fs"
	"os"
	"path/filepath"
)

// statAt stats the entry name of the folder dirPath.
func statAt(_ *os.File, dirPath, name string, follow bool, _ *walkState) (fs.FileInfo, error) {
	if follow {
		return os.Stat(filepath.Join(dirPath, name))
	}
	return os.Lstat(filepath.Join(dirPath, name))
}

// sameDir reports whether fi (statAt's) is the open folder dir.
func sameDir(fi fs.FileInfo, dir *os.File) bool {
	d, err := dir.Stat()
	return err == nil && os.SameFile(fi, d)
}
