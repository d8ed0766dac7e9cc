//go:build !unix

package storage

import (
	"errors"
	"io"
	"os"
)

// fileHandle is one share file, opened once for all the reads of it.
type fileHandle struct {
	f    *os.File
	path []byte // not used here: the unix handle's path buffer
}

// openRel opens rel ('/'-separated, relative) below root.
func (h *fileHandle) openRel(root, rel string) error { return h.openFile(joinRel(root, rel)) }

func (h *fileHandle) openFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	h.f = f
	return nil
}

func (h *fileHandle) readAt(p []byte, off int64) (int, error) {
	n, err := h.f.ReadAt(p, off)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}

func (h *fileHandle) close() {
	if h.f != nil {
		h.f.Close()
		h.f = nil
	}
}

func (h *fileHandle) opened() bool { return h.f != nil }
