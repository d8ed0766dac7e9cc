package facts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// src is the input seen through a window: buf[pos:] is read and not yet
// consumed. Values other than the storage's files are small and are
// handed to encoding/json whole; the files go by chunks to decoders on
// every core (filesParallel).
type src struct {
	r   io.Reader
	buf []byte
	pos int
	err error // the read error that ended the input (io.EOF at its end)
	// byIndent cuts the files array by its indentation (see split).
	byIndent bool
}

// errMisaligned: the files array cut by its indentation proved wrong; Read
// reads the file again, cutting it exactly.
var errMisaligned = errors.New("the files array is not indented as Write indents it")

// chunk is the size of the windows the files array is read and decoded
// in; tests lower it.
var chunk = 1 << 20

// more reads more input after buf[pos:], moving it to the front and
// growing the window when full; false when the input has ended.
func (s *src) more() bool {
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:])
		s.buf, s.pos = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		nb := make([]byte, len(s.buf), max(2*cap(s.buf), 64<<10))
		copy(nb, s.buf)
		s.buf = nb
	}
	for s.err == nil {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		s.err = err
		if n > 0 {
			return true
		}
	}
	return false
}

// eof is the error for input that ended inside the facts.
func (s *src) eof() error {
	if s.err == io.EOF || s.err == nil {
		return io.ErrUnexpectedEOF
	}
	return s.err
}

// peek skips white space and returns the next byte, unconsumed.
func (s *src) peek() (byte, error) {
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r', '\n':
				s.pos++
			default:
				return c, nil
			}
		}
		if !s.more() {
			return 0, s.eof()
		}
	}
}

// expect consumes the byte c, next after white space.
func (s *src) expect(c byte, context string) error {
	got, err := s.peek()
	if err != nil {
		return err
	}
	if got != c {
		return syntaxError(got, context)
	}
	s.pos++
	return nil
}

// syntaxError words a syntax error as encoding/json does.
func syntaxError(c byte, context string) error {
	q := strconv.Quote(string(rune(c)))
	switch c {
	case '\'':
		q = `'\''`
	case '"':
		q = `'"'`
	default:
		q = "'" + q[1:len(q)-1] + "'"
	}
	return fmt.Errorf("invalid character %s %s", q, context)
}

// trailing words the data after the top-level object as encoding/json's
// Decoder does for its next token, as Read did before this decoder: the
// offending character named ("invalid character 'x' looking for beginning
// of value"), an unfinished value as "unexpected EOF"; a well-formed value
// is "invalid data after the top-level object". An error path only.
func (s *src) trailing() error {
	var r io.Reader = bytes.NewReader(s.buf[s.pos:])
	if s.err == nil {
		r = io.MultiReader(r, s.r)
	}
	if _, err := json.NewDecoder(r).Token(); err != nil && err != io.EOF {
		return err
	}
	return errors.New("invalid data after the top-level object")
}

// value returns the raw bytes of the next value and consumes them; they
// are valid until the next read.
func (s *src) value() ([]byte, error) {
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	for {
		end, ok := valueEnd(s.buf, s.pos)
		if !ok && s.err == nil {
			s.more() // moves the window: look again
			continue
		}
		if !ok && end <= s.pos { // only a literal ends with the input
			return nil, s.eof()
		}
		if end == s.pos {
			return nil, syntaxError(c, "looking for beginning of value")
		}
		v := s.buf[s.pos:end]
		s.pos = end
		return v, nil
	}
}

// delim marks the bytes that end a literal.
var delim = func() (t [256]bool) {
	for _, c := range " \t\r\n,:]}[{\"" {
		t[c] = true
	}
	return t
}()

// valueEnd finds the end of the value starting at b[i] by its brackets
// and quotes alone (the decoder that gets it checks the rest); false when
// b ends first. A literal's end is the first delimiter (i itself when b[i]
// cannot begin a value).
func valueEnd(b []byte, i int) (int, bool) {
	switch b[i] {
	case '"':
		j := stringEnd(b, i+1)
		if j < 0 {
			return 0, false
		}
		return j + 1, true
	case '{', '[':
		depth := 0
		for j := i; ; j++ {
			j = structStop(b, j)
			if j == len(b) {
				return 0, false
			}
			switch b[j] {
			case '"':
				k := stringEnd(b, j+1)
				if k < 0 {
					return 0, false
				}
				j = k
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
	}
	for j := i; j < len(b); j++ {
		if delim[b[j]] {
			return j, true
		}
	}
	return len(b), false
}

// structStop returns the index of the first byte from j on that may be
// '"', '{', '}', '[' or ']' (also 'Y', '_', 'y' and DEL: the caller looks
// again), or len(b). Brackets are the bytes c with c&0xD9 == 0x59.
func structStop(b []byte, j int) int {
	for ; j+8 <= len(b); j += 8 {
		x := binary.LittleEndian.Uint64(b[j:])
		if m := zeroBytes(x^quotes8) | zeroBytes(x&(0xD9*ones)^(0x59*ones)); m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
	}
	for ; j < len(b); j++ {
		if c := b[j]; c == '"' || c&0xD9 == 0x59 {
			return j
		}
	}
	return j
}

// stringEnd returns the index of the quote closing a string whose content
// starts at b[i], or -1 when b ends first.
func stringEnd(b []byte, i int) int {
	for j := i; ; j++ {
		j = quoteAt(b, j)
		if j == len(b) {
			return -1
		}
		n := 0
		for p := j - 1; p >= i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
	}
}

// quoteAt returns the index of the first '"' from j on, or len(b).
func quoteAt(b []byte, j int) int {
	for ; j+8 <= len(b); j += 8 {
		if m := zeroBytes(binary.LittleEndian.Uint64(b[j:]) ^ quotes8); m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
	}
	for ; j < len(b) && b[j] != '"'; j++ {
	}
	return j
}

// strict decodes one value as encoding/json's Decoder does, refusing
// unknown fields.
func strict(raw []byte, v any, after string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	// A Decoder stops after the first value: "trueG" would pass as true.
	// The whole document's decode names the first byte left over.
	if rest := bytes.TrimLeft(raw[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return syntaxError(rest[0], "after "+after)
	}
	return nil
}

// readStream is the fast path for a file that starts with its
// schemaVersion: the version checked first, then each member decoded as it
// comes, the storage's files on every core.
func readStream(r io.Reader, byIndent bool) (*Facts, error) {
	s := &src{r: r, buf: make([]byte, 0, 64<<10), byIndent: byIndent}
	if err := s.expect('{', "looking for beginning of value"); err != nil {
		return nil, err
	}
	if _, err := s.value(); err != nil { // "schemaVersion", as versionFirst saw
		return nil, err
	}
	if err := s.expect(':', "after object key"); err != nil {
		return nil, err
	}
	raw, err := s.value()
	if err != nil {
		return nil, err
	}
	if err := checkVersion(raw); err != nil {
		return nil, err
	}
	f := &Facts{SchemaVersion: SchemaVersion}
	if err := s.fields(reflect.ValueOf(f).Elem(), true, map[string]func(*src) error{
		"storage": func(s *src) error { return s.storage(&f.Storage) },
	}); err != nil {
		return nil, err
	}
	if _, err := s.peek(); err == nil {
		return nil, s.trailing()
	} else if s.err != io.EOF {
		return nil, s.err
	}
	if f.SchemaVersion != SchemaVersion { // given twice
		return nil, checkVersion(json.RawMessage(strconv.Itoa(f.SchemaVersion)))
	}
	return f, nil
}

// fields decodes the members of an object whose '{' was read, and its
// '}', into the struct v, matching keys to json tags as encoding/json does
// (exact, else case-insensitive) and refusing unknown keys; special keys
// decode themselves. after is true when a member was read already.
func (s *src) fields(v reflect.Value, after bool, special map[string]func(*src) error) error {
	fields := jsonFields(v.Type())
	for {
		c, err := s.peek()
		if err != nil {
			return err
		}
		switch {
		case c == '}':
			s.pos++
			return nil
		case after && c != ',':
			return syntaxError(c, "after object key:value pair")
		case after:
			s.pos++
			if c, err = s.peek(); err != nil {
				return err
			}
		}
		if c != '"' {
			return syntaxError(c, "looking for beginning of object key string")
		}
		raw, err := s.value()
		if err != nil {
			return err
		}
		var key string
		if err := json.Unmarshal(raw, &key); err != nil {
			return err
		}
		name := ""
		if _, ok := fields[key]; ok {
			name = key
		} else {
			for n := range fields {
				if strings.EqualFold(n, key) {
					name = n
					break
				}
			}
		}
		if name == "" {
			return fmt.Errorf("json: unknown field %q", key)
		}
		if err := s.expect(':', "after object key"); err != nil {
			return err
		}
		after = true
		if fn := special[name]; fn != nil {
			if err := fn(s); err != nil {
				return err
			}
			continue
		}
		raw, err = s.value()
		if err != nil {
			return err
		}
		if err := strict(raw, v.Field(fields[name]).Addr().Interface(), "object key:value pair"); err != nil {
			return err
		}
	}
}

// kindOf names the kind of JSON value starting with c, for errors that
// must not echo the value.
func kindOf(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// notA is the error for a value of the wrong kind: encoding/json's syntax
// error if it is not JSON, else "want ...".
func notA(raw []byte, what, want string) error {
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		return err
	}
	return fmt.Errorf("%s: want %s, got %s", what, want, kindOf(raw[0]))
}

// storage decodes the storage object key by key, its files in parallel.
func (s *src) storage(dst **Storage) error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		raw, err := s.value()
		if err != nil {
			return err
		}
		if string(raw) == "null" {
			*dst = nil
			return nil
		}
		return notA(raw, "storage", "an object")
	}
	s.pos++
	if *dst == nil {
		*dst = &Storage{}
	}
	st := *dst // a repeated key decodes into the first, as encoding/json does
	return s.fields(reflect.ValueOf(st).Elem(), false, map[string]func(*src) error{
		"files": func(s *src) error {
			c, err := s.peek()
			if err != nil {
				return err
			}
			if c != '[' {
				raw, err := s.value()
				if err != nil {
					return err
				}
				if string(raw) == "null" {
					st.Files = nil // not collected
					return nil
				}
				return notA(raw, "storage.files", "an array")
			}
			if st.Files != nil { // repeated: encoding/json decodes into the first
				raw, err := s.value()
				if err != nil {
					return err
				}
				return strict(raw, &st.Files, "object key:value pair")
			}
			s.pos++
			st.Files, err = s.files()
			return err
		},
	})
}

// batch is a run of whole elements of the files array, decoded by one
// worker.
type batch struct {
	seq   int64 // its place in the array
	buf   []byte
	spans []int // start, end of each element in buf
	out   []File
	err   error
}

// files decodes the elements of the files array, whose '[' was read, and
// its ']'. The reader cuts the input into windows of whole elements (by
// brackets and quotes alone); one worker per core decodes them (fileDec, or
// encoding/json for what it gives up on). The result and the first error
// are those of decoding the elements in order.
func (s *src) files() ([]File, error) {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *batch, workers)
	// free holds the windows workers are done with: no more than fit are
	// ever made (split), so reading allocates a few MiB, not the file.
	free := make(chan []byte, workers+2)
	// failed is the lowest number of a batch that failed: later ones
	// need no decoding, earlier ones do (their error would come first).
	var failed atomic.Int64
	failed.Store(math.MaxInt64)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			fd := newFileDec()
			for b := range jobs {
				if b.seq < failed.Load() {
					b.decode(fd)
					if b.err != nil {
						lower(&failed, b.seq)
					}
				}
				if cap(b.buf) == chunk {
					select {
					case free <- b.buf[:0]:
					default:
					}
				}
				b.buf = nil
			}
		})
	}
	batches, err := s.split(jobs, free, &failed)
	close(jobs)
	wg.Wait()
	n := 0
	for _, b := range batches {
		if b.err != nil {
			return nil, b.err
		}
		n += len(b.out)
	}
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, n)
	for _, b := range batches {
		out = append(out, b.out...)
		b.out = nil
	}
	return out, nil
}

// split reads the files array window by window and sends each window's
// whole elements to jobs as a batch, the window with it; the part of an
// element cut by the window's end moves to a new window. It stops after
// the array's ']', at a syntax error between elements, at the end of the
// input, or when a batch failed.
//
// An element is cut by its brackets and quotes (valueEnd), or, with
// byIndent, where its indentation says it ends: Write puts the first
// element after a newline and n spaces, and each element's closing brace
// after a newline and the same n spaces, deeper members further in. That
// costs a search for the newline, not a look at every byte. The cut is
// right when the element decodes whole to exactly that end (the worker
// checks: an element is a complete value from its first byte, which is
// right when the one before was, and the separators between are checked
// here); else the batch fails with errMisaligned.
func (s *src) split(jobs chan<- *batch, free chan []byte, failed *atomic.Int64) ([]*batch, error) {
	var batches []*batch
	elem, first := true, true // an element is next; none was seen
	// closing is "\n", n spaces and "}": where an element ends, by its
	// indentation; nil to cut exactly.
	var closing []byte
	start := s.pos // after the '[' (-1 once the window moved)
	made := 0      // windows of chunk bytes made
	for {
		for len(s.buf) < cap(s.buf) && s.err == nil { // a full window
			n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
			s.buf, s.err = s.buf[:len(s.buf)+n], err
		}
		b := &batch{seq: int64(len(batches))}
		i, done := s.pos, false
		var perr error
	scan:
		for perr == nil && !done {
			for i < len(s.buf) && (s.buf[i] == ' ' || s.buf[i] == '\n' || s.buf[i] == '\t' || s.buf[i] == '\r') {
				i++
			}
			if i == len(s.buf) {
				break
			}
			c := s.buf[i]
			switch {
			case !elem && c == ',':
				i++
				elem = true
			case c == ']' && (!elem || first):
				i++
				done = true
			case !elem:
				perr = syntaxError(c, "after array element")
			default:
				if first && s.byIndent && c == '{' && start >= 0 {
					closing = indentOf(s.buf[start:i])
				}
				var end int
				var ok bool
				if closing != nil && c == '{' {
					k := indentEnd(s.buf[i:], closing)
					switch {
					case k >= 0:
						end, ok = i+k, true
					case len(s.buf)-i < maxIndented && s.err == nil:
						break scan // cut by the window's end: read on
					default:
						closing = nil // not Write's indentation: cut exactly
					}
				}
				if !ok {
					end, ok = valueEnd(s.buf, i)
				}
				if !ok {
					break scan // cut by the window's end: read on
				}
				if end == i {
					perr = syntaxError(c, "looking for beginning of value")
					break
				}
				b.spans = append(b.spans, i, end)
				i, elem, first = end, false, false
			}
		}
		start = -1
		if len(b.spans) > 0 {
			// The window goes with the batch: the rest to a new one,
			// copied before a worker can hand the window back.
			var nb []byte
			switch {
			case 2*(len(s.buf)-i) > chunk:
				nb = make([]byte, 0, 2*(len(s.buf)-i)) // a long element
			case made < cap(free):
				select {
				case nb = <-free:
				default:
					nb = make([]byte, 0, chunk)
					made++
				}
			default:
				nb = <-free
			}
			b.buf = s.buf
			s.buf, s.pos = append(nb[:0], s.buf[i:]...), 0
			batches = append(batches, b)
			jobs <- b
		} else {
			s.pos = i
		}
		switch {
		case perr != nil:
			return batches, perr
		case done || failed.Load() != math.MaxInt64:
			return batches, nil
		case !s.more():
			return batches, s.eof()
		}
	}
}

// lower sets a to v if v is lower.
func lower(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v >= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// maxIndented is the longest element looked for by its indentation: one
// whose end is not found that far is not indented as Write indents.
const maxIndented = 1 << 16

// indentEnd returns the index after the first "}" in b preceded by the
// rest of closing (a newline and spaces), or -1. Braces are few, newlines
// many: it looks for the brace.
func indentEnd(b, closing []byte) int {
	n := len(closing) - 1
	for j := n; j < len(b); j++ {
		k := bytes.IndexByte(b[j:], '}')
		if k < 0 {
			return -1
		}
		j += k
		if string(b[j-n:j]) == string(closing[:n]) {
			return j + 1
		}
	}
	return -1
}

// indentOf returns "\n", the spaces and "}" when ws, the white space
// before the first element, is a newline and spaces; else nil.
func indentOf(ws []byte) []byte {
	if len(ws) == 0 || ws[0] != '\n' || len(bytes.Trim(ws[1:], " ")) > 0 {
		return nil
	}
	return append(bytes.Clone(ws), '}')
}

func (b *batch) decode(fd *fileDec) {
	b.out = make([]File, len(b.spans)/2)
	for k := range b.out {
		e := b.buf[b.spans[2*k]:b.spans[2*k+1]]
		if fd.file(e, &b.out[k]) {
			continue
		}
		// An object cut by its indentation is a whole value, or the cut
		// was wrong (see split). Other cuts are exact.
		if end, ok := valueEnd(e, 0); e[0] == '{' && (!ok || end != len(e)) {
			b.err = errMisaligned
			b.out = b.out[:k]
			return
		}
		b.out[k] = File{}
		if err := strict(e, &b.out[k], "array element"); err != nil {
			b.err = err
			b.out = b.out[:k]
			return
		}
	}
}
