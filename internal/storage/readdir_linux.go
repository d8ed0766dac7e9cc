package storage

import (
	"encoding/binary"
	"io/fs"
	"os"
	"syscall"
)

// readDir lists the open folder f (at path dirPath) as f.ReadDir(-1)
// does, names and types from getdents64, without allocating per entry:
// the names are cut from one string per folder and the entries are one
// slice. buf is the walk's read buffer, reused folder after folder.
func readDir(f *os.File, dirPath string, w *walkState) ([]dirent, error) {
	if w.buf == nil {
		w.buf = make([]byte, 8<<10)
	}
	b := w.buf
	c, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	// The names and where each is, in buffers the walk reuses: what the
	// folder keeps is one string of its names and the entries.
	names, ats := w.names[:0], w.ats[:0]
	defer func() { w.names, w.ats = names[:0], ats[:0] }()
	var unknown []int // entries of type DT_UNKNOWN: lstat'ed below, as os does
	for {
		var n int
		var rerr error
		if cerr := c.Read(func(fd uintptr) bool {
			for {
				n, rerr = syscall.Getdents(int(fd), b)
				if rerr != syscall.EINTR {
					return true
				}
			}
		}); cerr != nil {
			return nil, cerr
		}
		if rerr != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dirPath, Err: rerr}
		}
		if n <= 0 {
			break
		}
		for rec := b[:n]; len(rec) >= 19; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name.
			rl := int(binary.NativeEndian.Uint16(rec[16:18]))
			if rl < 19 || rl > len(rec) {
				break
			}
			typ, name := rec[18], rec[19:rl]
			rec = rec[rl:]
			for i, ch := range name {
				if ch == 0 {
					name = name[:i]
					break
				}
			}
			if len(name) == 0 || string(name) == "." || string(name) == ".." {
				continue
			}
			t := direntType(typ)
			if typ == syscall.DT_UNKNOWN {
				unknown = append(unknown, len(ats))
			}
			ats = append(ats, direntAt{len(names), len(name), t})
			names = append(names, name...)
		}
	}
	all := string(names)
	out := make([]dirent, 0, len(ats))
	for _, a := range ats {
		out = append(out, dirent{name: all[a.off : a.off+a.n], typ: a.typ})
	}
	if len(unknown) > 0 {
		keep := out[:0]
		u := 0
		for i, d := range out {
			if u < len(unknown) && unknown[u] == i {
				u++
				fi, err := statAt(f, dirPath, d.name, false, w)
				if os.IsNotExist(err) {
					continue // gone since it was listed, as os skips it
				}
				if err != nil {
					return nil, err
				}
				d.typ = fi.Mode().Type()
			}
			keep = append(keep, d)
		}
		out = keep
	}
	return out, nil
}

// walkState is what a walk reuses from entry to entry and folder to
// folder: the FileInfo handed to fn (statAt's, with its name buffer), and
// readDir's buffers.
type walkState struct {
	wt *watch // nil: not watched (Walk)
	// path is the folders open from the root to the one being listed:
	// a link to one of them is a loop.
	path  []dirOnPath
	out   *outside // nil: links leading outside the root are not told
	info  statInfo
	nb    []byte
	buf   []byte
	names []byte
	ats   []direntAt
}

// direntAt is where readDir found an entry: its name in the names
// buffer, its type.
type direntAt struct {
	off, n int
	typ    fs.FileMode
}

// direntType is the fs.FileMode type of a dirent's d_type.
func direntType(t uint8) fs.FileMode {
	switch t {
	case syscall.DT_DIR:
		return fs.ModeDir
	case syscall.DT_LNK:
		return fs.ModeSymlink
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe
	case syscall.DT_SOCK:
		return fs.ModeSocket
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.DT_BLK:
		return fs.ModeDevice
	}
	return 0 // DT_REG, and DT_UNKNOWN until lstat'ed
}
