//go:build linux && (amd64 || arm64)

package storage

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// fstatat is unix.Fstatat for a NUL-terminated name, which it passes as
// it is (unix.Fstatat copies the name into a new buffer on every call).
func fstatat(dirfd int, name []byte, st *unix.Stat_t, flags int) error {
	_, _, e := unix.Syscall6(unix.SYS_NEWFSTATAT, uintptr(dirfd), uintptr(unsafe.Pointer(&name[0])), uintptr(unsafe.Pointer(st)), uintptr(flags), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}
