package tdstest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// tokens builds a reply's token stream (little-endian, MS-TDS 2.2.7).
type tokens struct{ bytes.Buffer }

func (w *tokens) u8(v byte)    { w.WriteByte(v) }
func (w *tokens) u16(v uint16) { binary.Write(w, binary.LittleEndian, v) }
func (w *tokens) u32(v uint32) { binary.Write(w, binary.LittleEndian, v) }
func (w *tokens) u64(v uint64) { binary.Write(w, binary.LittleEndian, v) }

// bvar writes a B_VARCHAR: a length in characters, then UCS-2.
func (w *tokens) bvar(s string) {
	b := toUCS2(s)
	w.u8(byte(len(b) / 2))
	w.Write(b)
}

func (w *tokens) usvar(s string) {
	b := toUCS2(s)
	w.u16(uint16(len(b) / 2))
	w.Write(b)
}

func (w *tokens) done(tok byte, status uint16, rows uint64) {
	w.u8(tok)
	w.u16(status)
	w.u16(0xC1) // current command: SELECT
	w.u64(rows)
}

func (w *tokens) error(e *Error) {
	var b tokens
	b.u32(uint32(e.Number))
	b.u8(e.State)
	b.u8(e.Class)
	b.usvar(e.Message)
	b.bvar("tdstest")
	b.bvar("")
	b.u32(1)
	w.u8(tokError)
	w.u16(uint16(b.Len()))
	w.Write(b.Bytes())
}

func (w *tokens) envDatabase(db string) {
	if db == "" {
		db = "master"
	}
	var b tokens
	b.u8(1) // database
	b.bvar(db)
	b.bvar("master")
	w.u8(tokEnvChange)
	w.u16(uint16(b.Len()))
	w.Write(b.Bytes())
}

func (w *tokens) loginAck(v [3]int) {
	var b tokens
	b.u8(1) // interface: SQL
	binary.Write(&b, binary.BigEndian, uint32(0x74000004))
	b.bvar("Microsoft SQL Server")
	b.u8(byte(v[0]))
	b.u8(byte(v[1]))
	b.u8(byte(v[2] >> 8))
	b.u8(byte(v[2]))
	w.u8(tokLoginAck)
	w.u16(uint16(b.Len()))
	w.Write(b.Bytes())
}

func (w *tokens) colMetadata(cols []Col) error {
	w.u8(tokColMetadata)
	w.u16(uint16(len(cols)))
	for _, c := range cols {
		w.u32(0)      // user type
		w.u16(0x0001) // nullable
		switch c.Type {
		case NVarChar:
			w.u8(typNVarChar)
			w.u16(8000)
			w.Write([]byte{0x09, 0x04, 0xD0, 0x00, 0x34}) // Latin1_General_CI_AS
		case Int:
			w.u8(typIntN)
			w.u8(4)
		case BigInt:
			w.u8(typIntN)
			w.u8(8)
		case Bit:
			w.u8(typBitN)
			w.u8(1)
		case DateTime:
			w.u8(typDateTimeN)
			w.u8(8)
		default:
			return fmt.Errorf("column %s: unknown type %d", c.Name, c.Type)
		}
		w.bvar(c.Name)
	}
	return nil
}

var epoch1900 = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func (w *tokens) value(c Col, v any) error {
	if v == nil {
		switch c.Type {
		case NVarChar:
			w.u16(0xFFFF)
		default:
			w.u8(0)
		}
		return nil
	}
	bad := func() error { return fmt.Errorf("column %s: %T value for type %d", c.Name, v, c.Type) }
	switch c.Type {
	case NVarChar:
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		b := toUCS2(s)
		if len(b) > 8000 {
			return fmt.Errorf("column %s: value longer than 4000 characters", c.Name)
		}
		w.u16(uint16(len(b)))
		w.Write(b)
	case Int, BigInt:
		var n int64
		switch x := v.(type) {
		case int:
			n = int64(x)
		case int64:
			n = x
		default:
			return bad()
		}
		if c.Type == Int {
			if n != int64(int32(n)) {
				return fmt.Errorf("column %s: %d overflows int", c.Name, n)
			}
			w.u8(4)
			w.u32(uint32(int32(n)))
		} else {
			w.u8(8)
			w.u64(uint64(n))
		}
	case Bit:
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		w.u8(1)
		if b {
			w.u8(1)
		} else {
			w.u8(0)
		}
	case DateTime:
		t, ok := v.(time.Time)
		if !ok {
			return bad()
		}
		t = t.UTC()
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		days := int32(day.Sub(epoch1900).Hours() / 24)
		ticks := uint32(t.Sub(day) * 300 / time.Second)
		w.u8(8)
		w.u32(uint32(days))
		w.u32(ticks)
	}
	return nil
}

// reply encodes r. Result sets end in DONE with "more" between them; an RPC
// reply ends DONEINPROC, RETURNSTATUS, DONEPROC.
func reply(r Reply, rpc bool) ([]byte, error) {
	var w tokens
	if r.Err != nil {
		// With sets, the error comes after their rows: a statement that
		// fails mid-result (deadlock victim, I/O error) as SQL Server sends it.
		for _, set := range r.Sets {
			if err := w.colMetadata(set.Cols); err != nil {
				return nil, err
			}
			for _, row := range set.Rows {
				if len(row) != len(set.Cols) {
					return nil, fmt.Errorf("row has %d values for %d columns", len(row), len(set.Cols))
				}
				w.u8(tokRow)
				for j, v := range row {
					if err := w.value(set.Cols[j], v); err != nil {
						return nil, err
					}
				}
			}
		}
		w.error(r.Err)
		if rpc {
			w.done(tokDoneProc, doneError, 0)
		} else {
			w.done(tokDone, doneError, 0)
		}
		return w.Bytes(), nil
	}
	tok := byte(tokDone)
	if rpc {
		tok = tokDoneInProc
	}
	for i, set := range r.Sets {
		if err := w.colMetadata(set.Cols); err != nil {
			return nil, err
		}
		for _, row := range set.Rows {
			if len(row) != len(set.Cols) {
				return nil, fmt.Errorf("row has %d values for %d columns", len(row), len(set.Cols))
			}
			w.u8(tokRow)
			for j, v := range row {
				if err := w.value(set.Cols[j], v); err != nil {
					return nil, err
				}
			}
		}
		status := uint16(doneCount)
		if rpc || i < len(r.Sets)-1 {
			status |= doneMore
		}
		w.done(tok, status, uint64(len(set.Rows)))
	}
	if rpc {
		w.u8(tokReturnStatus)
		w.u32(0)
		w.done(tokDoneProc, 0, 0)
	} else if len(r.Sets) == 0 {
		w.done(tokDone, 0, 0)
	}
	return w.Bytes(), nil
}
