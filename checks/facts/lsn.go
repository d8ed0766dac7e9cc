package facts

import (
	"bytes"
	"fmt"
	"math/big"
	"strconv"
)

// LSN is a SQL Server log sequence number: numeric(25,0) =
// VLF*10^15 + Block*10^5 + Slot. It exceeds 2^64, so it is kept as its three
// parts and compared as a tuple; the zero LSN stands for NULL.
type LSN struct {
	VLF   uint32
	Block uint32
	Slot  uint16
}

var (
	e15 = new(big.Int).Exp(big.NewInt(10), big.NewInt(15), nil)
	e5  = big.NewInt(100000)
)

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
func (l LSN) String() string {
	if l.IsZero() {
		return ""
	}
	n := new(big.Int).Mul(big.NewInt(int64(l.VLF)), e15)
	n.Add(n, new(big.Int).Mul(big.NewInt(int64(l.Block)), e5))
	n.Add(n, big.NewInt(int64(l.Slot)))
	return n.String()
}

// ParseLSN reads the decimal form. Block and slot must fit their fields.
func ParseLSN(s string) (LSN, error) {
	if s == "" || s == "0" {
		return LSN{}, nil
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() < 0 {
		return LSN{}, fmt.Errorf("lsn %q: not a non-negative decimal", s)
	}
	vlf, rest := new(big.Int).QuoRem(n, e15, new(big.Int))
	block, slot := new(big.Int).QuoRem(rest, e5, new(big.Int))
	if !vlf.IsUint64() || vlf.Uint64() > 0xFFFFFFFF || block.Uint64() > 0xFFFFFFFF || slot.Uint64() > 0xFFFF {
		return LSN{}, fmt.Errorf("lsn %q: out of range", s)
	}
	return LSN{VLF: uint32(vlf.Uint64()), Block: uint32(block.Uint64()), Slot: uint16(slot.Uint64())}, nil
}

// MarshalJSON writes the decimal string (LSNs exceed 2^53), null for NULL.
func (l LSN) MarshalJSON() ([]byte, error) {
	if l.IsZero() {
		return []byte("null"), nil
	}
	return []byte(strconv.Quote(l.String())), nil
}

func (l *LSN) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*l = LSN{}
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fmt.Errorf("lsn: want a decimal string, got %s", b)
	}
	v, err := ParseLSN(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
