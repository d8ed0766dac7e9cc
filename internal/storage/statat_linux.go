package storage

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// statAt stats the entry name of the open folder dir (at path dirPath),
// relative to it: no walk of the full path per file. follow stats a
// symbolic link's target. The result is w's statInfo, reused entry after
// entry.
func statAt(dir *os.File, dirPath, name string, follow bool, w *walkState) (fs.FileInfo, error) {
	flags := unix.AT_SYMLINK_NOFOLLOW
	op := "lstat"
	if follow {
		flags, op = 0, "stat"
	}
	var st unix.Stat_t
	var err error
	// The name, NUL-terminated, in out's buffer: not a copy per entry.
	nb := append(append(w.nb[:0], name...), 0)
	w.nb = nb
	if strings.IndexByte(name, 0) >= 0 {
		err = unix.EINVAL // as unix.Fstatat says
	} else if c, cerr := dir.SyscallConn(); cerr != nil {
		err = cerr
	} else if cerr = c.Control(func(fd uintptr) {
		for {
			err = fstatat(int(fd), nb, &st, flags)
			if err != unix.EINTR {
				return
			}
		}
	}); cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: filepath.Join(dirPath, name), Err: err}
	}
	w.info = statInfo{name: name, size: st.Size, mode: fileMode(st.Mode),
		mtime: time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)), dev: uint64(st.Dev), ino: uint64(st.Ino)}
	return &w.info, nil
}

// fileMode is os's mapping of the stat mode bits that the walk looks at.
func fileMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & unix.S_IFMT {
	case unix.S_IFBLK:
		mode |= fs.ModeDevice
	case unix.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFDIR:
		mode |= fs.ModeDir
	case unix.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case unix.S_IFLNK:
		mode |= fs.ModeSymlink
	case unix.S_IFSOCK:
		mode |= fs.ModeSocket
	}
	if m&unix.S_ISGID != 0 {
		mode |= fs.ModeSetgid
	}
	if m&unix.S_ISUID != 0 {
		mode |= fs.ModeSetuid
	}
	if m&unix.S_ISVTX != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// statInfo is the fs.FileInfo of statAt.
type statInfo struct {
	name     string
	size     int64
	mode     fs.FileMode
	mtime    time.Time
	dev, ino uint64 // which file: a folder link's loop is told by them
}

// sameDir reports whether fi (statAt's) is the open folder dir.
func sameDir(fi fs.FileInfo, dir *os.File) bool {
	si, ok := fi.(*statInfo)
	if !ok {
		return false
	}
	c, err := dir.SyscallConn()
	if err != nil {
		return false
	}
	var st unix.Stat_t
	var serr error
	if err := c.Control(func(fd uintptr) { serr = unix.Fstat(int(fd), &st) }); err != nil || serr != nil {
		return false
	}
	return uint64(st.Dev) == si.dev && uint64(st.Ino) == si.ino
}

func (s *statInfo) Name() string       { return s.name }
func (s *statInfo) Size() int64        { return s.size }
func (s *statInfo) Mode() fs.FileMode  { return s.mode }
func (s *statInfo) ModTime() time.Time { return s.mtime }
func (s *statInfo) IsDir() bool        { return s.mode.IsDir() }
func (s *statInfo) Sys() any           { return nil }
