package tdstest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
	"unicode/utf16"
)

// Packet types (TDS 7.4, MS-TDS 2.2.3.1.1).
const (
	pktBatch     = 0x01
	pktRPC       = 0x03
	pktReply     = 0x04
	pktAttention = 0x06
	pktLogin7    = 0x10
	pktPrelogin  = 0x12
)

// Tokens (MS-TDS 2.2.7).
const (
	tokReturnStatus = 0x79
	tokColMetadata  = 0x81
	tokError        = 0xAA
	tokLoginAck     = 0xAD
	tokRow          = 0xD1
	tokEnvChange    = 0xE3
	tokDone         = 0xFD
	tokDoneProc     = 0xFE
	tokDoneInProc   = 0xFF
)

// DONE status bits.
const (
	doneMore  = 0x01
	doneError = 0x02
	doneCount = 0x10
	doneAttn  = 0x20
)

// Type ids used in column metadata and parameters.
const (
	typInt1      = 0x30
	typBit       = 0x32
	typInt2      = 0x34
	typInt4      = 0x38
	typDateTime  = 0x3D
	typFlt8      = 0x3E
	typInt8      = 0x7F
	typIntN      = 0x26
	typBitN      = 0x68
	typFltN      = 0x6D
	typDateTimeN = 0x6F
	typBigVarChr = 0xA7
	typNVarChar  = 0xE7
	typNChar     = 0xEF
)

var errClosed = errors.New("connection closed")

type message struct {
	typ  byte
	data []byte
	err  error
}

type conn struct {
	s    *Server
	c    net.Conn
	size int
	id   byte
	in   chan message
}

// readLoop turns packets into whole messages, so that an attention can be
// seen while a delayed reply is pending.
func (c *conn) readLoop() {
	defer close(c.in)
	var buf []byte
	hdr := make([]byte, 8)
	for {
		if _, err := io.ReadFull(c.c, hdr); err != nil {
			c.in <- message{err: errClosed}
			return
		}
		n := int(binary.BigEndian.Uint16(hdr[2:4]))
		if n < 8 {
			c.in <- message{err: fmt.Errorf("packet length %d", n)}
			return
		}
		body := make([]byte, n-8)
		if _, err := io.ReadFull(c.c, body); err != nil {
			c.in <- message{err: errClosed}
			return
		}
		buf = append(buf, body...)
		// Status bit 0x01 ends a message; 0x08 (reset connection) is ignored.
		if hdr[1]&0x01 != 0 {
			c.in <- message{typ: hdr[0], data: buf}
			buf = nil
		}
	}
}

func (c *conn) next() (message, error) {
	m, ok := <-c.in
	if !ok {
		return message{}, errClosed
	}
	return m, m.err
}

// send splits a reply into packets of the negotiated size.
func (c *conn) send(typ byte, data []byte) error {
	room := c.size - 8
	for {
		n := len(data)
		status := byte(0x01)
		if n > room {
			n, status = room, 0
		}
		hdr := []byte{typ, status, 0, 0, 0, 0, c.id, 0}
		binary.BigEndian.PutUint16(hdr[2:], uint16(n+8))
		c.id++
		if _, err := c.c.Write(append(hdr, data[:n]...)); err != nil {
			return errClosed
		}
		data = data[n:]
		if len(data) == 0 {
			return nil
		}
	}
}

func (c *conn) serve() error {
	m, err := c.next()
	if err != nil {
		return err
	}
	if m.typ != pktPrelogin {
		return fmt.Errorf("want PRELOGIN, got packet type %#x", m.typ)
	}
	if err := c.send(pktReply, preloginReply(c.s.sc.Version)); err != nil {
		return err
	}
	if m, err = c.next(); err != nil {
		return err
	}
	if m.typ != pktLogin7 {
		return fmt.Errorf("want LOGIN7, got packet type %#x (TLS is not supported: use encrypt=disable)", m.typ)
	}
	lg, err := parseLogin(m.data)
	if err != nil {
		return err
	}
	c.s.record(func() { c.s.logins = append(c.s.logins, lg) })
	if f := c.s.sc.Login; f != nil {
		if e := f(lg); e != nil {
			var w tokens
			w.error(e)
			w.done(tokDone, doneError, 0)
			return c.send(pktReply, w.Bytes())
		}
	}
	if lg.PacketSize >= 512 && lg.PacketSize <= 32767 {
		c.size = lg.PacketSize
	}
	var w tokens
	w.envDatabase(lg.Database)
	w.loginAck(c.s.sc.Version)
	w.done(tokDone, 0, 0)
	if err := c.send(pktReply, w.Bytes()); err != nil {
		return err
	}
	for {
		m, err := c.next()
		if err != nil {
			return err
		}
		var req Request
		switch m.typ {
		case pktAttention:
			var w tokens
			w.done(tokDone, doneAttn, 0)
			if err := c.send(pktReply, w.Bytes()); err != nil {
				return err
			}
			continue
		case pktBatch:
			req, err = parseBatch(m.data)
		case pktRPC:
			req, err = parseRPC(m.data)
		default:
			return fmt.Errorf("unexpected packet type %#x", m.typ)
		}
		if err != nil {
			return err
		}
		req.Marker = Marker(req.SQL)
		rep := c.s.respond(req)
		if rep.Delay > 0 {
			select {
			case m, ok := <-c.in:
				if !ok || m.err != nil {
					return errClosed
				}
				if m.typ != pktAttention {
					return fmt.Errorf("packet type %#x during a pending reply", m.typ)
				}
				req.Canceled = true
				c.s.record(func() { c.s.reqs = append(c.s.reqs, req) })
				var w tokens
				w.done(tokDone, doneAttn, 0)
				if err := c.send(pktReply, w.Bytes()); err != nil {
					return err
				}
				continue
			case <-time.After(rep.Delay):
			}
		}
		c.s.record(func() { c.s.reqs = append(c.s.reqs, req) })
		body, err := reply(rep, req.Kind == "rpc")
		if err != nil {
			return err
		}
		if rep.Cut {
			half := body[:len(body)/2]
			hdr := []byte{pktReply, 0, 0, 0, 0, 0, c.id, 0}
			binary.BigEndian.PutUint16(hdr[2:], uint16(len(half)+8))
			c.c.Write(append(hdr, half...))
			return errClosed
		}
		if err := c.send(pktReply, body); err != nil {
			return err
		}
	}
}

func preloginReply(v [3]int) []byte {
	type opt struct {
		tok byte
		val []byte
	}
	opts := []opt{
		{0x00, []byte{byte(v[0]), byte(v[1]), byte(v[2] >> 8), byte(v[2]), 0, 0}}, // VERSION
		{0x01, []byte{0x02}}, // ENCRYPTION: ENCRYPT_NOT_SUP
		{0x02, []byte{0}},    // INSTOPT
		{0x04, []byte{0}},    // MARS off
	}
	off := 5*len(opts) + 1
	var hdr, vals bytes.Buffer
	for _, o := range opts {
		hdr.WriteByte(o.tok)
		binary.Write(&hdr, binary.BigEndian, uint16(off+vals.Len()))
		binary.Write(&hdr, binary.BigEndian, uint16(len(o.val)))
		vals.Write(o.val)
	}
	hdr.WriteByte(0xFF)
	hdr.Write(vals.Bytes())
	return hdr.Bytes()
}

func ucs2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func toUCS2(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// parseLogin reads the LOGIN7 fields the tests care about (MS-TDS 2.2.6.4).
func parseLogin(d []byte) (Login, error) {
	if len(d) < 94 {
		return Login{}, fmt.Errorf("LOGIN7 too short: %d bytes", len(d))
	}
	field := func(at int) (string, []byte, error) {
		off := int(binary.LittleEndian.Uint16(d[at:]))
		n := 2 * int(binary.LittleEndian.Uint16(d[at+2:]))
		if off+n > len(d) {
			return "", nil, fmt.Errorf("LOGIN7 field at %d out of range", at)
		}
		return ucs2(d[off : off+n]), d[off : off+n], nil
	}
	var lg Login
	var err error
	lg.PacketSize = int(binary.LittleEndian.Uint32(d[8:]))
	lg.ReadOnlyIntent = d[26]&0x20 != 0
	if lg.User, _, err = field(40); err != nil {
		return lg, err
	}
	_, pw, err := field(44)
	if err != nil {
		return lg, err
	}
	// The client swaps nibbles then XORs 0xA5; undo both.
	raw := make([]byte, len(pw))
	for i, b := range pw {
		b ^= 0xA5
		raw[i] = b<<4 | b>>4
	}
	lg.password = ucs2(raw)
	if lg.AppName, _, err = field(48); err != nil {
		return lg, err
	}
	if lg.ServerName, _, err = field(52); err != nil {
		return lg, err
	}
	if lg.Database, _, err = field(68); err != nil {
		return lg, err
	}
	return lg, nil
}

// skipHeaders drops the ALL_HEADERS block that starts batches and RPCs.
func skipHeaders(d []byte) ([]byte, error) {
	if len(d) < 4 {
		return nil, fmt.Errorf("ALL_HEADERS truncated")
	}
	n := int(binary.LittleEndian.Uint32(d))
	if n < 4 || n > len(d) {
		return nil, fmt.Errorf("ALL_HEADERS length %d", n)
	}
	return d[n:], nil
}

func parseBatch(d []byte) (Request, error) {
	d, err := skipHeaders(d)
	if err != nil {
		return Request{}, err
	}
	return Request{Kind: "batch", SQL: ucs2(d)}, nil
}

type reader struct {
	d   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.d) {
		r.err = fmt.Errorf("RPC truncated")
		return nil
	}
	b := r.d[:n]
	r.d = r.d[n:]
	return b
}

func (r *reader) u8() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.take(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func parseRPC(d []byte) (Request, error) {
	d, err := skipHeaders(d)
	if err != nil {
		return Request{}, err
	}
	r := &reader{d: d}
	req := Request{Kind: "rpc"}
	if n := r.u16(); n == 0xFFFF {
		id := r.u16()
		req.Proc = fmt.Sprintf("proc#%d", id)
		if id == 10 {
			req.Proc = "sp_executesql"
		}
	} else {
		req.Proc = ucs2(r.take(2 * int(n)))
	}
	r.u16() // option flags
	var ps []Param
	for r.err == nil && len(r.d) > 0 {
		p := Param{Name: ucs2(r.take(2 * int(r.u8())))}
		r.u8() // status flags
		p.Type = r.u8()
		p.Value = paramValue(r, p.Type)
		ps = append(ps, p)
	}
	if r.err != nil {
		return req, r.err
	}
	if req.Proc == "sp_executesql" {
		if len(ps) < 1 {
			return req, fmt.Errorf("sp_executesql without a statement")
		}
		s, ok := ps[0].Value.(string)
		if !ok {
			return req, fmt.Errorf("sp_executesql statement is %T", ps[0].Value)
		}
		req.SQL = s
		if len(ps) > 2 {
			req.Params = ps[2:]
		}
		return req, nil
	}
	req.Params = ps
	return req, nil
}

func paramValue(r *reader, typ byte) any {
	le := func(b []byte) int64 {
		var v int64
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | int64(b[i])
		}
		// sign-extend
		if n := len(b); n > 0 && n < 8 && b[n-1]&0x80 != 0 {
			v -= 1 << (8 * n)
		}
		return v
	}
	switch typ {
	case typInt1:
		return int64(r.u8())
	case typBit:
		return r.u8() != 0
	case typInt2:
		return le(r.take(2))
	case typInt4:
		return le(r.take(4))
	case typInt8:
		return le(r.take(8))
	case typIntN, typBitN, typFltN, typDateTimeN:
		r.u8() // max size
		n := int(r.u8())
		if n == 0 {
			return nil
		}
		b := r.take(n)
		switch typ {
		case typIntN:
			return le(b)
		case typBitN:
			return len(b) > 0 && b[0] != 0
		}
		return b
	case typNVarChar, typNChar, typBigVarChr:
		maxLen := r.u16()
		r.take(5) // collation
		var b []byte
		if maxLen == 0xFFFF {
			total := r.u64()
			if total == ^uint64(0) {
				return nil
			}
			for r.err == nil {
				n := r.u32()
				if n == 0 {
					break
				}
				b = append(b, r.take(int(n))...)
			}
		} else {
			n := r.u16()
			if n == 0xFFFF {
				return nil
			}
			b = r.take(int(n))
		}
		if typ == typBigVarChr {
			return string(b)
		}
		return ucs2(b)
	}
	r.err = fmt.Errorf("tdstest: parameter type %#x not supported", typ)
	return nil
}
