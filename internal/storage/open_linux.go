package storage

import (
	"syscall"
	"unsafe"
)

// openPath opens the NUL-terminated path p read-only (see openRel) with
// openat(2) straight from p: syscall.Open would copy the path into a new
// NUL-terminated buffer for every file.
func openPath(p []byte) (int, error) {
	fdcwd := atFDCWD
	fd, _, e := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(fdcwd), uintptr(unsafe.Pointer(&p[0])),
		uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK), 0, 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

const atFDCWD = -0x64 // AT_FDCWD
