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
// symbolic link's target. The result is written to out (the walk's one
// statInfo, reused entry after entry).
func statAt(dir *os.File, dirPath, name string, follow bool, out *statInfo) (fs.FileInfo, error) {
	flags := unix.AT_SYMLINK_NOFOLLOW
	op := "lstat"
	if follow {
		flags, op = 0, "stat"
	}
	var st unix.Stat_t
	var err error
	// The name, NUL-terminated, in out's buffer: not a copy per entry.
	nb := append(append(out.nb[:0], name...), 0)
	out.nb = nb
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
	*out = statInfo{name: name, size: st.Size, mode: fileMode(st.Mode),
		mtime: time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)), nb: nb}
	return out, nil
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
