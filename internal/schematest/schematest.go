// Package schematest validates JSON documents against the small subset of
// JSON Schema (draft 2020-12) that docs/report.schema.json uses, so tests can
// hold the JSON report to its documented schema without a dependency.
//
// Supported: $ref (local "#/..." pointers), type, const, enum, required,
// properties, additionalProperties (bool or schema), items, pattern, minimum,
// maximum, minLength, minItems, uniqueItems, anyOf, oneOf and the formats
// "date-time", "uri" and "uri-reference" (enough for the SARIF 2.1.0 schema
// too). Any other keyword is an error rather
// than silently ignored, so a schema never promises more than is checked.
package schematest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// annotations carry no validation meaning.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "id": true, "$defs": true, "definitions": true, "$comment": true,
	"title": true, "description": true, "examples": true, "default": true,
}

// Validator holds a parsed schema.
type Validator struct {
	root    any
	regexps map[string]*regexp.Regexp
}

// New parses a schema document.
func New(schema []byte) (*Validator, error) {
	var root any
	if err := decode(schema, &root); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if _, ok := root.(map[string]any); !ok {
		return nil, errors.New("schema: not a JSON object")
	}
	return &Validator{root: root, regexps: map[string]*regexp.Regexp{}}, nil
}

// ValidateJSON decodes doc and validates it; the error lists every violation
// with its JSON pointer.
func (v *Validator) ValidateJSON(doc []byte) error {
	var d any
	if err := decode(doc, &d); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	return v.Validate(d)
}

// Validate checks a decoded document (numbers as json.Number or float64).
func (v *Validator) Validate(doc any) error {
	var errs []string
	v.check(v.root, doc, "", &errs, 0)
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "\n"))
}

func decode(b []byte, out *any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func (v *Validator) check(schema, doc any, at string, errs *[]string, depth int) {
	fail := func(format string, a ...any) {
		p := at
		if p == "" {
			p = "/"
		}
		*errs = append(*errs, p+": "+fmt.Sprintf(format, a...))
	}
	if depth > 64 {
		fail("schema $ref nesting too deep")
		return
	}
	switch s := schema.(type) {
	case bool:
		if !s {
			fail("not allowed")
		}
		return
	case map[string]any:
		v.checkObject(s, doc, at, errs, depth, fail)
	default:
		fail("schema is neither an object nor a boolean")
	}
}

func (v *Validator) checkObject(s map[string]any, doc any, at string, errs *[]string, depth int, fail func(string, ...any)) {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if annotations[k] {
			continue
		}
		val := s[k]
		switch k {
		case "$ref":
			ref, _ := val.(string)
			target, err := v.resolve(ref)
			if err != nil {
				fail("%v", err)
				continue
			}
			v.check(target, doc, at, errs, depth+1)
		case "type":
			if !typeMatches(val, doc) {
				fail("type %s, want %v", typeName(doc), val)
				return // the other keywords would only repeat the mismatch
			}
		case "const":
			if !equal(val, doc) {
				fail("must be %v", val)
			}
		case "enum":
			list, _ := val.([]any)
			ok := false
			for _, e := range list {
				if equal(e, doc) {
					ok = true
					break
				}
			}
			if !ok {
				fail("%v is not one of %v", doc, list)
			}
		case "required":
			obj, isObj := doc.(map[string]any)
			if !isObj {
				continue
			}
			for _, r := range val.([]any) {
				name, _ := r.(string)
				if _, ok := obj[name]; !ok {
					fail("missing required property %q", name)
				}
			}
		case "properties", "additionalProperties":
			if k == "additionalProperties" {
				continue // handled with properties, which knows the declared names
			}
			v.checkProperties(s, doc, at, errs, depth)
		case "items":
			arr, isArr := doc.([]any)
			if !isArr {
				continue
			}
			for i, e := range arr {
				v.check(val, e, at+"/"+strconv.Itoa(i), errs, depth)
			}
		case "pattern":
			str, isStr := doc.(string)
			if !isStr {
				continue
			}
			re, err := v.regexp(val)
			if err != nil {
				fail("%v", err)
				continue
			}
			if !re.MatchString(str) {
				fail("%q does not match %s", str, re)
			}
		case "anyOf", "oneOf":
			list, _ := val.([]any)
			ok := 0
			for _, sub := range list {
				var sub2 []string
				v.check(sub, doc, at, &sub2, depth+1)
				if len(sub2) == 0 {
					ok++
				}
			}
			if ok == 0 || (k == "oneOf" && ok > 1) {
				fail("%s: %d of %d subschemas match", k, ok, len(list))
			}
		case "maximum":
			n, isNum := number(doc)
			if !isNum {
				continue
			}
			m, ok := number(val)
			if !ok {
				fail("maximum is not a number")
				continue
			}
			if n.Cmp(m) > 0 {
				fail("%s is above the maximum %s", n.RatString(), m.RatString())
			}
		case "minItems":
			arr, isArr := doc.([]any)
			if !isArr {
				continue
			}
			m, ok := number(val)
			if !ok || !m.IsInt() {
				fail("minItems is not an integer")
				continue
			}
			if int64(len(arr)) < m.Num().Int64() {
				fail("%d items, fewer than %s", len(arr), m.RatString())
			}
		case "uniqueItems":
			arr, isArr := doc.([]any)
			if !isArr || val != true {
				continue
			}
			for i := range arr {
				for j := i + 1; j < len(arr); j++ {
					if equal(arr[i], arr[j]) {
						fail("items %d and %d are equal", i, j)
					}
				}
			}
		case "minimum":
			n, isNum := number(doc)
			if !isNum {
				continue
			}
			m, ok := number(val)
			if !ok {
				fail("minimum is not a number")
				continue
			}
			if n.Cmp(m) < 0 {
				fail("%s is below the minimum %s", n.RatString(), m.RatString())
			}
		case "minLength":
			str, isStr := doc.(string)
			if !isStr {
				continue
			}
			m, ok := number(val)
			if !ok || !m.IsInt() {
				fail("minLength is not an integer")
				continue
			}
			if int64(len([]rune(str))) < m.Num().Int64() {
				fail("%q is shorter than %s characters", str, m.RatString())
			}
		case "format":
			str, isStr := doc.(string)
			if !isStr {
				continue
			}
			switch val {
			case "date-time":
				if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
					fail("%q is not an RFC 3339 date-time", str)
				}
			case "uri", "uri-reference":
				u, err := url.Parse(str)
				if err != nil || (val == "uri" && !u.IsAbs()) || strings.ContainsAny(str, " \\") {
					fail("%q is not a %s", str, val)
				}
			default:
				fail("unsupported format %v", val)
			}
		default:
			fail("schema keyword %q is not supported by schematest", k)
		}
	}
	// additionalProperties without properties still constrains every member.
	if _, hasProps := s["properties"]; !hasProps {
		if _, hasAdd := s["additionalProperties"]; hasAdd {
			v.checkProperties(s, doc, at, errs, depth)
		}
	}
}

func (v *Validator) checkProperties(s map[string]any, doc any, at string, errs *[]string, depth int) {
	obj, isObj := doc.(map[string]any)
	if !isObj {
		return
	}
	props, _ := s["properties"].(map[string]any)
	add, hasAdd := s["additionalProperties"]
	names := make([]string, 0, len(obj))
	for n := range obj {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := at + "/" + escape(n)
		if ps, ok := props[n]; ok {
			v.check(ps, obj[n], p, errs, depth)
			continue
		}
		if hasAdd {
			v.check(add, obj[n], p, errs, depth)
		}
	}
}

func escape(n string) string {
	return strings.ReplaceAll(strings.ReplaceAll(n, "~", "~0"), "/", "~1")
}

func (v *Validator) resolve(ref string) (any, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("$ref %q: only local references are supported", ref)
	}
	cur := v.root
	ptr := strings.TrimPrefix(ref, "#")
	if ptr == "" {
		return cur, nil
	}
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	return cur, nil
}

func (v *Validator) regexp(p any) (*regexp.Regexp, error) {
	s, ok := p.(string)
	if !ok {
		return nil, errors.New("pattern is not a string")
	}
	if re, ok := v.regexps[s]; ok {
		return re, nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", s, err)
	}
	v.regexps[s] = re
	return re, nil
}

func typeMatches(want, doc any) bool {
	switch w := want.(type) {
	case string:
		return isType(w, doc)
	case []any:
		for _, t := range w {
			if s, ok := t.(string); ok && isType(s, doc) {
				return true
			}
		}
	}
	return false
}

func isType(t string, doc any) bool {
	switch t {
	case "null":
		return doc == nil
	case "boolean":
		_, ok := doc.(bool)
		return ok
	case "string":
		_, ok := doc.(string)
		return ok
	case "object":
		_, ok := doc.(map[string]any)
		return ok
	case "array":
		_, ok := doc.([]any)
		return ok
	case "number":
		_, ok := number(doc)
		return ok
	case "integer":
		n, ok := number(doc)
		return ok && n.IsInt()
	}
	return false
}

func typeName(doc any) string {
	switch doc.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	if n, ok := number(doc); ok {
		if n.IsInt() {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", doc)
}

// number reads JSON numbers exactly, so 1.0 counts as an integer as the
// JSON Schema spec says, and large values lose nothing.
func number(v any) (*big.Rat, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case float64:
		s = strconv.FormatFloat(n, 'g', -1, 64)
	case int:
		s = strconv.Itoa(n)
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

func equal(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x.Cmp(y) == 0
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
