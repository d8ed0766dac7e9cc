//go:build unix && !linux

package storage

import "syscall"

// openPath opens the NUL-terminated path p read-only (see openRel).
func openPath(p []byte) (int, error) {
	return syscall.Open(string(p[:len(p)-1]), syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
}
