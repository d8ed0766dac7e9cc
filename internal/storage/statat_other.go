//go:build !linux

package storage

import (
	"io/fs"
	"os"
	"path/filepath"
)

// statAt stats the entry name of the folder dirPath (out is not used).
func statAt(_ *os.File, dirPath, name string, follow bool, _ *statInfo) (fs.FileInfo, error) {
	if follow {
		return os.Stat(filepath.Join(dirPath, name))
	}
	return os.Lstat(filepath.Join(dirPath, name))
}
