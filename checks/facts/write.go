package facts

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Write encodes f as indented JSON, exactly as a json.Encoder with
// SetIndent("", "  ") does, but streamed: the facts, the storage and the
// server member by member, their lists element by element, so memory holds
// one element's JSON and never the file's (a facts file can be 1 GiB).
func Write(w io.Writer, f *Facts) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	sw := &streamWriter{w: bw}
	sw.value(reflect.ValueOf(f).Elem(), 0)
	sw.raw("\n")
	if sw.err != nil {
		return sw.err
	}
	return bw.Flush()
}

// streamed are the structs written member by member; any other value is
// marshalled whole.
var streamed = map[reflect.Type]bool{
	reflect.TypeFor[Facts]():   true,
	reflect.TypeFor[Storage](): true,
	reflect.TypeFor[Server]():  true,
}

type streamWriter struct {
	w   *bufio.Writer
	err error
}

func (s *streamWriter) raw(str string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(str)
	}
}

// value writes v at the given depth (its first line unindented).
func (s *streamWriter) value(v reflect.Value, depth int) {
	if s.err != nil {
		return
	}
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer && !v.IsNil() && streamed[t.Elem()]:
		s.value(v.Elem(), depth)
	case t.Kind() == reflect.Struct && streamed[t]:
		s.object(v, depth)
	case t.Kind() == reflect.Slice && v.Len() > 0 && t.Elem().Kind() == reflect.Struct:
		s.raw("[")
		for i := range v.Len() {
			if i > 0 {
				s.raw(",")
			}
			s.raw("\n" + indent(depth+1))
			s.marshal(v.Index(i), depth+1)
		}
		s.raw("\n" + indent(depth) + "]")
	default:
		s.marshal(v, depth)
	}
}

// object writes a struct's members as encoding/json does: in field order,
// omitempty members left out when empty.
func (s *streamWriter) object(v reflect.Value, depth int) {
	s.raw("{")
	n := 0
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if !sf.IsExported() || name == "-" || sf.Anonymous || (opts != "" && opts != "omitempty") {
			s.err = fmt.Errorf("facts: Write cannot stream field %s.%s (tag %q)", t.Name(), sf.Name, tag)
			return
		}
		if name == "" {
			name = sf.Name
		}
		fv := v.Field(i)
		if opts == "omitempty" && isEmpty(fv) {
			continue
		}
		if n > 0 {
			s.raw(",")
		}
		n++
		key, _ := json.Marshal(name)
		s.raw("\n" + indent(depth+1) + string(key) + ": ")
		s.value(fv, depth+1)
	}
	if n > 0 {
		s.raw("\n" + indent(depth))
	}
	s.raw("}")
}

// marshal writes v as json.MarshalIndent does at this depth.
func (s *streamWriter) marshal(v reflect.Value, depth int) {
	if s.err != nil {
		return
	}
	x := v.Interface()
	if v.CanAddr() { // methods on pointers apply, as in the whole encoding
		x = v.Addr().Interface()
	}
	b, err := json.MarshalIndent(x, indent(depth), "  ")
	if err != nil {
		s.err = err
		return
	}
	_, s.err = s.w.Write(b)
}

func indent(depth int) string { return strings.Repeat("  ", depth) }

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
