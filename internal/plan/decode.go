package plan

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// PosError is a plan error at a file position, or at the flag that gave
// the value.
type PosError struct {
	File         string
	Line, Column int
	Flag         string
	Msg          string
}

func (e *PosError) Error() string {
	switch {
	case e.Flag != "":
		return fmt.Sprintf("%s: %s", e.Flag, e.Msg)
	case e.File == "":
		return e.Msg // flags only, no plan file
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Errors is every problem found in one plan, in file order.
type Errors []*PosError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// decoder maps YAML nodes onto structs by their `yaml` tags, strictly:
// unknown keys, wrong types and duplicates are errors with their position.
// yaml.v3's own decoder reports lines but no columns and stops at the first
// error; a plan author wants all of them.
type decoder struct {
	file string
	errs Errors
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, &PosError{File: d.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

var durationType = reflect.TypeOf(time.Duration(0))

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "null"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind == yaml.AliasNode {
		d.errorf(n, "%s: aliases are not supported in plans", what)
		setPos(n, v)
		return
	}
	if v.Type() == durationType {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "%s: want a duration like 30s, got %s", what, kindName(n))
			return
		}
		dur, err := time.ParseDuration(n.Value)
		if err != nil || dur < 0 {
			d.errorf(n, "%s: want a duration like 30s, got %q", what, n.Value)
			return
		}
		v.SetInt(int64(dur))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, what)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "%s: want a list, got %s", what, kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", what, i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "%s: want a mapping, got %s", what, kindName(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
				d.errorf(k, "%s: duplicate key %q", what, k.Value)
				continue
			}
			ev := reflect.New(v.Type().Elem()).Elem()
			d.decode(val, ev, what+"."+k.Value)
			m.SetMapIndex(reflect.ValueOf(k.Value), ev)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.errorf(n, "%s: want a string, got %s", what, kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.errorf(n, "%s: want true or false, got %s", what, kindName(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.errorf(n, "%s: want a whole number, got %s", what, kindName(n))
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err != nil {
			d.errorf(n, "%s: want a whole number, got %q", what, n.Value)
			return
		}
		v.SetInt(i)
	default:
		d.errorf(n, "%s: unsupported field type %s", what, v.Type())
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, what string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping, got %s", what, kindName(n))
		// The item's line, so that validation's "name is required" lands
		// on the line already reported, not at no position at all.
		setPos(n, v)
		return
	}
	t := v.Type()
	fields := map[string]int{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = i
		names = append(names, tag)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		path := k.Value
		if what != "" {
			path = what + "." + k.Value
		}
		idx, ok := fields[k.Value]
		if !ok {
			d.errorf(k, "unknown key %q (known: %s)", path, strings.Join(names, ", "))
			continue
		}
		if seen[k.Value] {
			d.errorf(k, "duplicate key %q", path)
			continue
		}
		seen[k.Value] = true
		d.decode(val, v.Field(idx), path)
	}
	setPos(n, v)
	if kp := v.FieldByName("KeyPos"); kp.IsValid() && kp.Type() == reflect.TypeOf(map[string]Pos{}) {
		m := map[string]Pos{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = Pos{Line: n.Content[i+1].Line, Column: n.Content[i+1].Column}
		}
		kp.Set(reflect.ValueOf(m))
	}
}

// setPos records n's position in v's Pos field, if v is a struct with one.
func setPos(n *yaml.Node, v reflect.Value) {
	if v.Kind() != reflect.Struct {
		return
	}
	if pos := v.FieldByName("Pos"); pos.IsValid() && pos.Type() == reflect.TypeOf(Pos{}) {
		pos.Set(reflect.ValueOf(Pos{Line: n.Line, Column: n.Column}))
	}
}
