package facts

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// LSN is a SQL Server log sequence number: numeric(25,0) =
// VLF*10^15 + Block*10^5 + Slot. It exceeds 2^64, so it is kept as its three
// parts and compared as a tuple; the zero LSN stands for NULL.
type LSN struct {
	VLF   uint32
	Block uint32
	Slot  uint16
}

// IsZero reports the NULL LSN.
func (l LSN) IsZero() bool { return l == LSN{} }

// Compare returns -1, 0 or +1.
func (l LSN) Compare(o LSN) int {
	switch {
	case l.VLF != o.VLF:
		return cmp(l.VLF < o.VLF)
	case l.Block != o.Block:
		return cmp(l.Block < o.Block)
	case l.Slot != o.Slot:
		return cmp(l.Slot < o.Slot)
	}
	return 0
}

func cmp(less bool) int {
	if less {
		return -1
	}
	return 1
}

// Less reports l < o.
func (l LSN) Less(o LSN) bool { return l.Compare(o) < 0 }

// String is the decimal numeric(25,0) form SQL Server prints; "" for NULL.
// Block*10^5+Slot < 10^15 always, so the low part never carries into the
// VLF digits: the VLF, then the low part zero-padded to 15 digits.
func (l LSN) String() string {
	if l.IsZero() {
		return ""
	}
	return string(l.AppendDecimal(nil))
}

// AppendDecimal appends the decimal form to b without allocating beyond it.
func (l LSN) AppendDecimal(b []byte) []byte {
	if l.IsZero() {
		return b
	}
	low := uint64(l.Block)*100000 + uint64(l.Slot)
	if l.VLF == 0 {
		return strconv.AppendUint(b, low, 10)
	}
	b = strconv.AppendUint(b, uint64(l.VLF), 10)
	var pad [15]byte
	d := strconv.AppendUint(pad[:0], low, 10)
	for range 15 - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// ParseLSN reads the decimal form. Block and slot must fit their fields.
// It parses without math/big: facts files hold millions of LSNs.
func ParseLSN(s string) (LSN, error) {
	if s == "" || s == "0" {
		return LSN{}, nil
	}
	d, neg := s, false
	if d[0] == '+' || d[0] == '-' {
		d, neg = d[1:], d[0] == '-'
	}
	if d == "" {
		return LSN{}, fmt.Errorf("lsn %q: not a non-negative decimal", s)
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return LSN{}, fmt.Errorf("lsn %q: not a non-negative decimal", s)
		}
	}
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return LSN{}, nil
	}
	if neg {
		return LSN{}, fmt.Errorf("lsn %q: not a non-negative decimal", s)
	}
	// numeric(25,0): at most 10 VLF digits above the 15 low ones.
	if len(d) > 25 {
		return LSN{}, fmt.Errorf("lsn %q: out of range", s)
	}
	var vlf uint64
	if len(d) > 15 {
		vlf, _ = strconv.ParseUint(d[:len(d)-15], 10, 64)
		d = d[len(d)-15:]
	}
	low, _ := strconv.ParseUint(d, 10, 64)
	block, slot := low/100000, low%100000
	if vlf > 0xFFFFFFFF || block > 0xFFFFFFFF || slot > 0xFFFF {
		return LSN{}, fmt.Errorf("lsn %q: out of range", s)
	}
	return LSN{VLF: uint32(vlf), Block: uint32(block), Slot: uint16(slot)}, nil
}

// MarshalJSON writes the decimal string (LSNs exceed 2^53), null for NULL.
func (l LSN) MarshalJSON() ([]byte, error) {
	if l.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 27)
	b = append(b, '"')
	b = l.AppendDecimal(b)
	return append(b, '"'), nil
}

func (l *LSN) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*l = LSN{}
		return nil
	}
	var s string
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		s = string(b[1 : len(b)-1]) // the common case: no escapes to undo
	} else {
		var err error
		if s, err = strconv.Unquote(string(b)); err != nil {
			return fmt.Errorf("lsn: want a decimal string, got %s", b)
		}
	}
	v, err := ParseLSN(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
