package schematest

import (
	"strings"
	"testing"
)

const schema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["id", "n"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "pattern": "^DMS[0-9]{3}$"},
    "n": {"type": "integer", "minimum": 0},
    "at": {"type": "string", "format": "date-time"},
    "kind": {"enum": ["a", "b"]},
    "v": {"const": 1},
    "name": {"type": "string", "minLength": 1},
    "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
    "ev": {"type": "object", "additionalProperties": {"type": "string"}},
    "opt": {"type": ["string", "null"]}
  },
  "$defs": {"tag": {"type": "object", "required": ["k"], "properties": {"k": {"type": "string"}}, "additionalProperties": false}}
}`

func TestValidate(t *testing.T) {
	v, err := New([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		doc  string
		want string // substring of the error; "" = valid
	}{
		{`{"id":"DMS101","n":0}`, ""},
		{`{"id":"DMS101","n":1.0,"at":"2026-11-25T17:00:00.5Z","kind":"b","v":1,"name":"x","tags":[{"k":"x"}],"ev":{"a":"b"},"opt":null}`, ""},
		{`{"id":"DMS101"}`, `missing required property "n"`},
		{`{"id":"DMS1011","n":0}`, `/id: "DMS1011" does not match`},
		{`{"id":"DMS101","n":-1}`, `/n: -1 is below the minimum 0`},
		{`{"id":"DMS101","n":1.5}`, `/n: type number, want integer`},
		{`{"id":"DMS101","n":0,"x":1}`, `/x: not allowed`},
		{`{"id":"DMS101","n":0,"at":"yesterday"}`, `not an RFC 3339 date-time`},
		{`{"id":"DMS101","n":0,"kind":"c"}`, `/kind: c is not one of`},
		{`{"id":"DMS101","n":0,"v":2}`, `/v: must be 1`},
		{`{"id":"DMS101","n":0,"name":""}`, `shorter than 1`},
		{`{"id":"DMS101","n":0,"tags":[{"k":"x"},{"k":1}]}`, `/tags/1/k: type integer, want string`},
		{`{"id":"DMS101","n":0,"tags":[{}]}`, `/tags/0: missing required property "k"`},
		{`{"id":"DMS101","n":0,"ev":{"a/b":3}}`, `/ev/a~1b: type integer, want string`},
		{`{"id":"DMS101","n":0,"opt":3}`, `/opt: type integer`},
		{`[]`, `/: type array, want object`},
		{`{"id":"DMS101","n":0} {}`, `trailing data`},
	}
	for _, tt := range tests {
		err := v.ValidateJSON([]byte(tt.doc))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.doc, err)
		case tt.want != "" && err == nil:
			t.Errorf("%s: valid, want error %q", tt.doc, tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), tt.want):
			t.Errorf("%s: error %q, want %q", tt.doc, err, tt.want)
		}
	}
}

func TestUnsupported(t *testing.T) {
	for _, s := range []string{
		`{"not": {"type":"number"}}`,
		`{"$ref": "other.json#/x"}`,
		`{"$ref": "#/$defs/missing"}`,
		`{"format": "email"}`,
		`{"pattern": "("}`,
	} {
		v, err := New([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.ValidateJSON([]byte(`"x"`)); err == nil {
			t.Errorf("%s: accepted, want an error", s)
		}
	}
	if _, err := New([]byte(`[1]`)); err == nil {
		t.Error("array schema accepted")
	}
}

func TestCombinators(t *testing.T) {
	for _, tt := range []struct {
		schema, doc string
		ok          bool
	}{
		{`{"oneOf": [{"type":"string"}, {"type":"integer"}]}`, `"x"`, true},
		{`{"oneOf": [{"type":"string"}, {"minLength": 1}]}`, `"x"`, false},
		{`{"anyOf": [{"type":"string"}, {"minLength": 1}]}`, `"x"`, true},
		{`{"anyOf": [{"type":"integer"}, {"type":"boolean"}]}`, `"x"`, false},
		{`{"minItems": 1}`, `[]`, false},
		{`{"uniqueItems": true}`, `[1, 2, 1]`, false},
		{`{"uniqueItems": true}`, `[1, 2]`, true},
		{`{"maximum": 3}`, `4`, false},
		{`{"format": "uri"}`, `"relative/path"`, false},
		{`{"format": "uri"}`, `"https://example.test/x"`, true},
		{`{"format": "uri-reference"}`, `"plans/sales.yaml"`, true},
	} {
		v, err := New([]byte(tt.schema))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.ValidateJSON([]byte(tt.doc)); (err == nil) != tt.ok {
			t.Errorf("%s on %s: error %v, want ok=%v", tt.schema, tt.doc, err, tt.ok)
		}
	}
}
