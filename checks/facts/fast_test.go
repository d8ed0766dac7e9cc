package facts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// stdFile decodes one files element as encoding/json does (the reference).
func stdFile(b []byte) (File, error) {
	var f File
	err := strict(b, &f, "array element")
	return f, err
}

// TestFileDecKeys: the decoder's key lists are the JSON names of the
// fields, in order. A field added to File, BackupMedia, BackupSet or
// BackupFile fails here until the decoder reads it (until then every file
// would go the slow way).
func TestFileDecKeys(t *testing.T) {
	for _, c := range []struct {
		t    reflect.Type
		keys []string
	}{
		{reflect.TypeFor[File](), fileKeys},
		{reflect.TypeFor[BackupMedia](), mediaKeys},
		{reflect.TypeFor[BackupSet](), setKeys},
		{reflect.TypeFor[BackupFile](), backupFileKeys},
	} {
		var names []string
		for i := range c.t.NumField() {
			name, _, _ := strings.Cut(c.t.Field(i).Tag.Get("json"), ",")
			names = append(names, name)
		}
		if !reflect.DeepEqual(names, c.keys) {
			t.Errorf("%s: JSON names %v, the decoder reads %v", c.t.Name(), names, c.keys)
		}
	}
}

// fill sets every field of v to a non-zero value (slices of two, strings
// with escapes and non-ASCII), seeded by n so fields differ.
func fill(v reflect.Value, n int) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		switch v.Addr().Interface().(type) {
		case *time.Time:
			v.Set(reflect.ValueOf(time.Date(2025, 1, 2, 3, 4, 5, n*1000, time.UTC)))
			return
		case *LSN:
			v.Set(reflect.ValueOf(LSN{VLF: uint32(n), Block: 7, Slot: 3}))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n+i)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0), n)
		fill(v.Index(1), n+1)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n+1)
		v.SetMapIndex(k, e)
	case reflect.String:
		v.SetString(fmt.Sprintf(`s%d "q" \ é <&> /`, n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n) + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n) + 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.5)
	}
}

// TestFileDecEveryField: a file with every field set, and files with one
// field set at a time, decode on the fast path (no fallback) exactly as
// encoding/json decodes them.
func TestFileDecEveryField(t *testing.T) {
	var full File
	fill(reflect.ValueOf(&full).Elem(), 1)
	cases := []File{full, {}}
	// One field set at a time, at every level.
	var walk func(path []int, typ reflect.Type)
	walk = func(path []int, typ reflect.Type) {
		for i := range typ.NumField() {
			p := append(append([]int(nil), path...), i)
			var f File
			v := reflect.ValueOf(&f).Elem()
			for k, idx := range p {
				fv := v.Field(idx)
				if k == len(p)-1 {
					fill(fv, 3)
					break
				}
				switch fv.Kind() {
				case reflect.Pointer:
					fv.Set(reflect.New(fv.Type().Elem()))
					v = fv.Elem()
				case reflect.Slice:
					fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
					v = fv.Index(0)
				}
			}
			cases = append(cases, f)
			ft := typ.Field(i).Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft == reflect.TypeFor[BackupMedia]() || ft == reflect.TypeFor[BackupSet]() || ft == reflect.TypeFor[BackupFile]() {
				walk(p, ft)
			}
		}
	}
	walk(nil, reflect.TypeFor[File]())
	d := newFileDec()
	for i, f := range cases {
		for _, b := range [][]byte{mustJSON(t, f, false), mustJSON(t, f, true)} {
			var got File
			if !d.file(b, &got) {
				t.Errorf("case %d: the fast path gave up on %s", i, b)
				continue
			}
			want, err := stdFile(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("case %d: %s\nfast %+v\nstd  %+v", i, b, got, want)
			}
		}
	}
}

func mustJSON(t testing.TB, v any, indent bool) []byte {
	t.Helper()
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(v, "      ", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileSeeds are elements the fast path takes, gives up on, or that are
// not JSON at all.
var fileSeeds = []string{
	`{"path":"a/b.bak","size":10,"lastModified":"2025-01-01T00:01:00Z","backup":{"compressed":false,"sets":[{"position":1,"databaseName":"db","backupType":"full","backupTypeCode":1,"firstLSN":"40000000100300001","lastLSN":null,"checkpointLSN":"0","databaseBackupLSN":"","differentialBaseLSN":null,"hasBackupChecksums":true,"flags":0,"softwareVersion":"15.0.4153","softwareMajor":15,"softwareMinor":0,"softwareBuild":4153,"databaseVersion":904,"compatibilityLevel":150,"backupStartDate":"2025-01-01T00:00:00.123456789Z","backupSize":1048576,"forkPointLSN":null,"previousForkLSN":null,"logChainLSN":null,"databaseStatus":0,"files":[{"logicalName":"db","physicalName":"D:\\Data\\db.mdf","type":"D","typeCode":0,"fileId":1,"size":1073741824}]}],"reads":2,"bytesRead":65536}}`,
	`{"path":"x","size":-9223372036854775808,"reads":9223372036854775807}`,
	`{"path":"x","size":9223372036854775808}`,
	`{"path":"x","size":1.5}`,
	`{"path":"x","size":1e3}`,
	`{"path":"x","size":01}`,
	`{"path":"x","size":-}`,
	`{"path":"x","size":null}`,
	`{"Path":"x"}`,
	`{"path":"x","path":"y"}`,
	`{"path":"x","novel":1}`,
	`{"path":"\u00e9\ud800"}`,
	`{"path":"é\t"}`,
	"{\"path\":\"\xff\"}",
	`{"lastModified":"2025-02-30T00:00:00Z"}`,
	`{"lastModified":"2025-01-01T00:00:00+01:00"}`,
	`{"lastModified":"2025-01-01T24:00:00Z"}`,
	`{"lastModified":"2025-01-01T00:00:00.Z"}`,
	`{"lastModified":"2025-01-01T00:00:00.1234567891Z"}`,
	`{"lastModified":"2025-01-01t00:00:00Z"}`,
	`{"lastModified":20250101}`,
	`{"backup":{"sets":[{"firstLSN":"+1"}]}}`,
	`{"backup":{"sets":[{"firstLSN":"99999999999999999999999999"}]}}`,
	`{"backup":{"sets":[{"firstLSN":"4294967295429496729565535"}]}}`,
	`{"backup":{"sets":[{"firstLSN":"4294967296000000000000000"}]}}`,
	`{"backup":{"sets":[{"firstLSN":1}]}}`,
	`{"backup":{"sets":[{"firstLSN":"1\u0032"}]}}`,
	`{"backup":{"sets":[null]}}`,
	`{"backup":{"sets":[]},"readErrorKind":"io"}`,
	`{"backup":{"sets":null,"unknown":["sets",null]}}`,
	`{"backup":{"sets":[{},{}],"passwordProtected":false}}`,
	`{"backup":{"sets":[{"files":[],"isCopyOnly":null,"encrypted":true}]}}`,
	`{"backup":null}`,
	`{"backup":{"setsIncomplete":true,"unknown":[]}}`,
	`{}`,
	` { "path" : "a" , "size" : 0 } `,
	`{"path":"a",}`,
	`{"path":"a"`,
	`{"path":"a"}}`,
	`null`,
	`[]`,
	`"x"`,
	`{"path":"\"\\\/\b\f\n\r\t"}`,
	`{"path":"a\x"}`,
}

// FuzzFileDec: whatever the element, the fast path either gives up or
// gives exactly what encoding/json gives (and only when it accepts).
func FuzzFileDec(f *testing.F) {
	for _, s := range fileSeeds {
		f.Add([]byte(s))
	}
	d := newFileDec()
	f.Fuzz(func(t *testing.T, b []byte) {
		var got File
		if !d.file(b, &got) {
			return
		}
		want, err := stdFile(b)
		if err != nil {
			t.Fatalf("fast path accepted %q, encoding/json: %v", b, err)
		}
		// encoding/json ignores what follows the value; the files array
		// cut at the value's end, so nothing follows there.
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nfast %+v\nstd  %+v", b, got, want)
		}
	})
}

func TestFileDecSeeds(t *testing.T) {
	d := newFileDec()
	took := 0
	for _, s := range fileSeeds {
		var got File
		if !d.file([]byte(s), &got) {
			continue
		}
		took++
		want, err := stdFile([]byte(s))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fast %+v, std %+v %v", s, got, want, err)
		}
	}
	if took < 10 {
		t.Errorf("the fast path took only %d seeds", took)
	}
}

// readBoth reads b with Read (streaming, files in parallel) and readWhole
// (one encoding/json decode): both fail, or both give the same facts.
func readBoth(t testing.TB, b []byte) {
	t.Helper()
	got, err := Read(bytes.NewReader(b))
	want, werr := readWhole(bytes.NewReader(b))
	if (err == nil) != (werr == nil) {
		t.Fatalf("%.300q:\nRead: %v\nwhole: %v", b, err, werr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%.300q: Read and the whole decode differ", b)
	}
}

// trailingLiterals end a value with bytes a json.Decoder leaves unread:
// FuzzRead found the first, which the streaming read once took for true.
var trailingLiterals = []string{
	`{"schemaVersion":1,"storage":{"kind":"","files":[{"path":""},{"path":""}],"headersRead":trueG}}`,
	`{"schemaVersion":1,"storage":{"files":[{"path":"a"}],"totalBytes":12x}}`,
	`{"schemaVersion":1,"storage":{"files":[{"path":"a"},{"path":"b"}],"files":[{"path":"c"}]x}}`,
	`{"schemaVersion":1,"plan":nullx}`,
	`{"schemaVersion":1,"storage":{"files":[{"path":"a"},{"path":"b","size":3G}]}}`,
	`{"schemaVersion":1,"storage":{"files":[{"path":"a"},{"path":"b","size":3e}]}}`,
}

// TestTrailingLiteral: a value followed by bytes that are not JSON is the
// whole decode's error, word for word (Read adds its "facts: ").
func TestTrailingLiteral(t *testing.T) {
	for _, s := range append(trailingLiterals, `{"schemaVersion":1,"storage":{"files":[{"path":"a"},1G]}}`) {
		_, err := Read(strings.NewReader(s))
		_, werr := readWhole(strings.NewReader(s))
		if strings.Contains(s, "1G") {
			// A number where a file belongs: the type error comes first.
			if err == nil || werr == nil {
				t.Errorf("%s:\nRead:  %v\nwhole: %v", s, err, werr)
			}
			continue
		}
		if err == nil || werr == nil || err.Error() != "facts: "+werr.Error() {
			t.Errorf("%s:\nRead:  %v\nwhole: %v", s, err, werr)
		}
	}
}

// FuzzRead compares the streaming read with one strict decode, small
// windows making the array cross them.
func FuzzRead(f *testing.F) {
	defer setChunk(setChunk(64))
	for _, s := range fileSeeds {
		f.Add(`{"schemaVersion":1,"storage":{"kind":"share","files":[` + s + `,` + s + `],"headersRead":true}}`)
	}
	for _, s := range []string{
		`{"schemaVersion":1,"storage":{"files":[]}}`,
		`{"schemaVersion":1,"storage":{"files":null},"storage":{"kind":"x"}}`,
		`{"schemaVersion":1,"storage":{"kind":"a"},"STORAGE":{"files":[{"path":"b"}]}}`,
		`{"schemaVersion":1,"storage":{"files":[{"path":"a"},{"path":"b"}],"files":[{"size":1}]}}`,
		`{"schemaVersion":1,"storage":{"files":[1,]}}`,
		`{"schemaVersion":1,"storage":{"files":[{"path":"a"} {"path":"b"}]}}`,
		`{"schemaVersion":1,"storage":{"files":[{"path":"a"}]]}}`,
		`{"schemaVersion":1,"plan":{"mode":"online"},"plan":{"method":"lrs"},"errors":[]}`,
		`{"schemaVersion":1, "storage": null} `,
		`{"schemaVersion":1,"storage":{"files":"x"}}`,
		`{"schemaVersion":1,"storage":tru}`,
	} {
		f.Add(s)
	}
	for _, s := range trailingLiterals {
		f.Add(s)
	}
	// Indented as Write indents (cut by indentation), and not quite.
	w := &Facts{SchemaVersion: 1, Storage: &Storage{Files: []File{{Path: "a"}, {Path: "b", Backup: &BackupMedia{Sets: []BackupSet{{}}}}}}}
	var buf bytes.Buffer
	if err := Write(&buf, w); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("{\"schemaVersion\":1,\"storage\":{\"files\":[\n  {\"path\":\"a\",\"backup\":{\n  }\n  },\n  {\"path\":\"b\"\n  }]}}")
	f.Fuzz(func(t *testing.T, s string) {
		readBoth(t, []byte(s))
	})
}

// TestReadWindows: fixtures and a synthetic estate read the same through
// windows of every small size, one byte at a time from the reader, and
// with elements larger than a window.
func TestReadWindows(t *testing.T) {
	inputs := map[string][]byte{}
	for _, p := range []string{"demo/facts.json", "restore/scenario.facts.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", p))
		if err != nil {
			t.Fatal(err)
		}
		inputs[p] = b
	}
	var big Facts
	fill(reflect.ValueOf(&big).Elem(), 1)
	big.SchemaVersion = SchemaVersion
	var buf bytes.Buffer
	if err := Write(&buf, &big); err != nil {
		t.Fatal(err)
	}
	inputs["every field"] = buf.Bytes()
	for name, b := range inputs {
		want, err := readWhole(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, n := range []int{1, 7, 64, 1000, 1 << 20} {
			old := setChunk(n)
			got, err := Read(iotest.OneByteReader(bytes.NewReader(b)))
			got2, err2 := Read(iotest.HalfReader(bytes.NewReader(b)))
			setChunk(old)
			if err != nil || err2 != nil {
				t.Fatalf("%s, window %d: %v %v", name, n, err, err2)
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got2, want) {
				t.Errorf("%s, window %d: differs from the whole decode", name, n)
			}
		}
	}
}

// TestReadFirstErrorInOrder: of two bad files far apart (in different
// batches, decoded by different workers), the first is reported.
func TestReadFirstErrorInOrder(t *testing.T) {
	defer setChunk(setChunk(256))
	var sb strings.Builder
	sb.WriteString(`{"schemaVersion":1,"storage":{"files":[`)
	for i := range 5000 {
		if i > 0 {
			sb.WriteString(",")
		}
		switch i {
		case 1200:
			sb.WriteString(`{"path":"a","first":1}`)
		case 4000:
			sb.WriteString(`{"path":"a","second":1}`)
		default:
			fmt.Fprintf(&sb, `{"path":"f%d","size":%d}`, i, i)
		}
	}
	sb.WriteString(`]}}`)
	for range 20 {
		_, err := Read(strings.NewReader(sb.String()))
		if err == nil || !strings.Contains(err.Error(), `unknown field "first"`) {
			t.Fatalf("got %v, want the first bad file's error", err)
		}
	}
}

// encoderJSON is what Write wrote before it streamed: the whole facts
// through one json.Encoder.
func encoderJSON(t testing.TB, f *Facts) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWriteMatchesEncoder: the streamed output is byte for byte the
// encoder's, on the fixtures, facts with every field set, and the edge
// cases of the streamed members (nil, empty, one element).
func TestWriteMatchesEncoder(t *testing.T) {
	var full Facts
	fill(reflect.ValueOf(&full).Elem(), 1)
	cases := map[string]*Facts{
		"zero":          {},
		"every field":   &full,
		"storage nil":   {SchemaVersion: 1, Server: &Server{}},
		"files nil":     {SchemaVersion: 1, Storage: &Storage{}},
		"files empty":   {SchemaVersion: 1, Storage: &Storage{Files: []File{}}, Server: &Server{Databases: []Database{}}},
		"one file":      {SchemaVersion: 1, Storage: &Storage{Files: []File{{Path: "a<b>&c"}}}},
		"empty element": {SchemaVersion: 1, Storage: &Storage{Files: []File{{}, {}}}, Errors: []SourceError{{}}},
	}
	for _, p := range []string{"demo/facts.json", "restore/scenario.facts.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", p))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		cases[p] = f
	}
	for name, f := range cases {
		var got bytes.Buffer
		if err := Write(&got, f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := encoderJSON(t, f); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: Write differs from json.Encoder:\n%s\nwant\n%s", name, got.Bytes(), want)
		}
	}
}

// TestWriteError: a failing writer's error comes back.
func TestWriteError(t *testing.T) {
	f := &Facts{SchemaVersion: 1, Storage: &Storage{Files: make([]File, 5000)}}
	if err := Write(failWriter{}, f); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

// TestReadMisindented: files arrays indented otherwise than Write does,
// which mislead the cut by indentation, read as one strict decode reads
// them (Read notices the wrong cut and reads the file again exactly).
func TestReadMisindented(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	for name, files := range map[string]string{
		"nested brace at the element's indentation": "[\n  {\"path\":\"a\",\"backup\":{\"sets\":[],\"reads\":1\n  },\"size\":1\n  },\n  {\"path\":\"b\"}]",
		"first indented, the rest on one line":      "[\n  {\"path\":\"a\"\n  }, {\"path\":\"b\"}, {\"path\":\"c\"}\n]",
		"the rest without the closing line":         "[\n    {\"path\":\"a\"}, {\"path\":\"b\"},\n    {\"path\":\"c\"\n    }]",
		"an element longer than is looked through":  "[\n  {\"path\":\"" + long + "\"}, {\"path\":\"b\"\n  }]",
		"misindented, then a bad file":              "[\n  {\"path\":\"a\",\"backup\":{\n  },\"size\":1\n  },\n  {\"novel\":1\n  }]",
		"a bad file in a misindented array":         "[\n  {\"novel\":1,\"backup\":{\n  }\n  }]",
		"written by Write, then a bad file":         "[\n      {\n        \"path\": \"a\"\n      },\n      {\n        \"novel\": 1\n      }\n    ]",
		"an escaped quote before the closing line":  "[\n  {\"path\":\"a\\\"\"\n  },\n  {\"path\":\"\\\\\"\n  }]",
	} {
		in := []byte(`{"schemaVersion": 1, "storage": {"kind": "share", "files": ` + files + `, "headersRead": true}}`)
		for _, n := range []int{64, 1 << 20} {
			old := setChunk(n)
			readBoth(t, in)
			// Read from the middle of a file: it reads again from there.
			r := bytes.NewReader(append([]byte("prefix"), in...))
			r.Seek(6, 0)
			got, err := Read(r)
			setChunk(old)
			want, werr := readWhole(bytes.NewReader(in))
			if (err == nil) != (werr == nil) || (err == nil && !reflect.DeepEqual(got, want)) {
				t.Errorf("%s, window %d, from offset 6: %v, whole %v", name, n, err, werr)
			}
			if err != nil && errors.Is(err, errMisaligned) {
				t.Errorf("%s: %v leaked", name, err)
			}
		}
	}
}

// TestReadByIndent: Write's output is cut by its indentation, and never
// found misaligned.
func TestReadByIndent(t *testing.T) {
	var f Facts
	fill(reflect.ValueOf(&f).Elem(), 1)
	f.SchemaVersion = SchemaVersion
	f.Storage.Files = append(f.Storage.Files, f.Storage.Files...)
	var buf bytes.Buffer
	if err := Write(&buf, &f); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{64, 1000, 1 << 20} {
		old := setChunk(n)
		got, err := readStream(bytes.NewReader(buf.Bytes()), true)
		setChunk(old)
		if err != nil {
			t.Fatalf("window %d: %v", n, err)
		}
		want, _ := readWhole(bytes.NewReader(buf.Bytes()))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("window %d: differs", n)
		}
	}
}
