package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/backup"
	"github.com/dmsready/dmsready/internal/backup/backuptest"
	"github.com/dmsready/dmsready/internal/restore/restoretest"
)

// wantElement is what json.MarshalIndent writes for f as an element of
// the report's "files" after the first (",\n    " then the value
// indented one level in), or its error.
func wantElement(f *File) ([]byte, error) {
	b, err := json.MarshalIndent(f, "    ", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(",\n    "), b...), nil
}

// element is what JSON.File writes for f after a first element.
func element(f *File) ([]byte, error) {
	var out bytes.Buffer
	j := &JSON{w: &out, n: 1}
	err := j.File(f)
	j.flush()
	return out.Bytes(), err
}

// same fails t unless the encoder writes for f exactly what encoding/json
// writes, or fails with its error and writes nothing.
func same(t *testing.T, name string, f *File) {
	t.Helper()
	want, werr := wantElement(f)
	got, gerr := element(f)
	if werr != nil || gerr != nil {
		if werr == nil || gerr == nil || werr.Error() != gerr.Error() || len(got) != 0 {
			t.Fatalf("%s: error %v, encoding/json's %v (wrote %q)", name, gerr, werr, got)
		}
		return
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: differs from encoding/json at byte %d:\n got …%q\nwant …%q", name, i, got[max(i-80, 0):min(i+80, len(got))], want[max(i-80, 0):min(i+80, len(want))])
	}
}

// tricky are the pieces random strings are made of: every class of byte
// and rune encoding/json treats apart.
var tricky = func() []string {
	p := []string{"", "a", "Sales", " ", "<", ">", "&", `"`, `\`, "/", "'", "\x7f", "é", "日本", "\U0001F600",
		"\u2028", "\u2029", "\u2027", "\u202a", "\ufffd", "\ufeff", "\xff", "\xfe", "\x80", "\xc0\xaf", "\xe2\x80",
		"\xe2\x80\xa8", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98", "C:\\data\\db.mdf", "<script>", "a&b"}
	for c := range 0x20 {
		p = append(p, string(rune(c)))
	}
	return p
}()

// filler fills values from a byte stream (the fuzzer's) or a generator;
// full sets every field (each pointer and slice non-empty, each number
// and bool non-zero).
type filler struct {
	data []byte
	rng  *rand.Rand
	full bool
	t    testing.TB
}

func (f *filler) next() int {
	if f.rng != nil {
		return int(f.rng.Uint32() & 0xff)
	}
	if len(f.data) == 0 {
		return 0
	}
	c := f.data[0]
	f.data = f.data[1:]
	return int(c)
}

var (
	timeType = reflect.TypeFor[time.Time]()
	zones    = []*time.Location{time.UTC, time.FixedZone("", 0), time.FixedZone("A", 5*3600+1800), time.FixedZone("B", -8*3600),
		time.FixedZone("C", 23*3600+59*60), time.FixedZone("D", 24*3600), time.FixedZone("E", -25*3600), time.FixedZone("F", 3600+30),
		time.FixedZone("G", -45)}
)

func (f *filler) time() time.Time {
	if f.full {
		return time.Date(2024, 2, 29, 23, 59, 58, 123456789, zones[2])
	}
	years := []int{2025, 1753, 1900, 9999, 0, 1, 10000, -1, 12345, 2026}
	y := years[f.next()%len(years)]
	return time.Date(y, time.Month(1+f.next()%12), 1+f.next()%28, f.next()%24, f.next()%60, f.next()%60,
		[]int{0, 1, 500, 120000000, 999999999}[f.next()%5], zones[f.next()%len(zones)])
}

func (f *filler) str() string {
	if f.full {
		return "x<&\u2028"
	}
	var b strings.Builder
	for range f.next() % 6 {
		b.WriteString(tricky[f.next()%len(tricky)])
	}
	return b.String()
}

func (f *filler) int() int64 {
	if f.full {
		return 7
	}
	v := []int64{0, 0, 1, -1, 9, 10, 42, 99, 100, -10, -99, 512, 65536, 1 << 31, -1 << 31, math.MaxInt64, math.MinInt64, 150000000000001}
	return v[f.next()%len(v)]
}

func (f *filler) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.str())
	case reflect.Bool:
		v.SetBool(f.full || f.next()&1 == 1)
	case reflect.Int, reflect.Int64:
		v.SetInt(f.int())
	case reflect.Uint32, reflect.Uint16:
		u := uint64(f.int())
		if f.next()%3 == 0 {
			u = 0
		}
		v.SetUint(u & (1<<(8*v.Type().Size()) - 1))
	case reflect.Pointer:
		if !f.full && f.next()%3 == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem())
	case reflect.Slice:
		n := 2
		if !f.full {
			n = f.next()%5 - 1
		}
		if n < 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			f.fill(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(f.time()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i))
			}
		}
	default:
		f.t.Fatalf("filler: %s is a new kind in the report's types: teach the encoder and this test", v.Type())
	}
}

// jsonFields lists t's struct types reachable from it (File, BackupMedia,
// BackupSet, BackupFile) with their fields' JSON names.
func jsonFields(t reflect.Type, seen map[reflect.Type][]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || t == reflect.TypeFor[facts.LSN]() || seen[t] != nil {
		return
	}
	seen[t] = []string{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		seen[t] = append(seen[t], sf.Name+":"+name)
		jsonFields(sf.Type, seen)
	}
}

// TestEncoderKnowsEveryField: with every field of every type in the
// report set, the encoder writes each field's key, in encoding/json's
// order and bytes. A field added to File or the facts types without the
// encoder fails here.
func TestEncoderKnowsEveryField(t *testing.T) {
	types := map[reflect.Type][]string{}
	jsonFields(reflect.TypeFor[File](), types)
	if len(types) != 4 {
		t.Fatalf("the report's types are %v: teach the encoder any new one", types)
	}
	var f File
	(&filler{full: true, t: t}).fill(reflect.ValueOf(&f).Elem())
	got, err := element(&f)
	if err != nil {
		t.Fatal(err)
	}
	for typ, fields := range types {
		for _, fl := range fields {
			name, key, _ := strings.Cut(fl, ":")
			if !bytes.Contains(got, []byte(`"`+key+`": `)) {
				t.Errorf("%s.%s (%q) is not written by the encoder (encode.go)", typ, name, key)
			}
		}
	}
	same(t, "every field set", &f)
}

// TestEncoderEmpty: zero values, nil and empty slices (null, [] or
// omitted as encoding/json decides), nil and false pointers.
func TestEncoderEmpty(t *testing.T) {
	no := false
	for i, f := range []*File{
		{},
		{Media: &facts.BackupMedia{}},
		{Media: &facts.BackupMedia{Sets: []facts.BackupSet{}, Unknown: []string{}}},
		{Media: &facts.BackupMedia{PasswordProtected: &no, Sets: []facts.BackupSet{{Files: []facts.BackupFile{}, Unknown: []string{}, IsCopyOnly: &no, Encrypted: &no}}}},
		{Media: &facts.BackupMedia{Sets: []facts.BackupSet{{}, {Files: []facts.BackupFile{{}}, Unknown: []string{""}}}}},
		{Path: "x", Error: "e", ErrorKind: "k"},
	} {
		same(t, "case "+string(rune('0'+i)), f)
	}
}

// TestEncoderStrings: every tricky piece alone and next to another, in a
// key the encoder writes through each of its string paths.
func TestEncoderStrings(t *testing.T) {
	for _, a := range tricky {
		for _, b := range tricky {
			s := a + b
			same(t, s, &File{Path: s, Error: "x" + s, Media: &facts.BackupMedia{Sets: []facts.BackupSet{{DatabaseName: s,
				Files: []facts.BackupFile{{LogicalName: s}}}}, Unknown: []string{s, a}}})
		}
	}
	for c := range 0x800 {
		s := "a" + string(rune(c)) + "b"
		same(t, s, &File{Path: s})
	}
	for c := range 256 {
		s := string([]byte{'a', byte(c)})
		same(t, s, &File{Path: s})
	}
}

// TestEncoderTimes: times json refuses (years outside 0-9999, zone hours
// past 23) fail File with encoding/json's error, writing nothing; every
// other zone and precision is written as json writes it.
func TestEncoderTimes(t *testing.T) {
	bad := 0
	for _, y := range []int{-1, 0, 1, 999, 2025, 9999, 10000} {
		for _, z := range zones {
			for _, ns := range []int{0, 1, 10, 100000, 999999999} {
				tm := time.Date(y, 12, 31, 23, 59, 59, ns, z)
				f := &File{Media: &facts.BackupMedia{Sets: []facts.BackupSet{{BackupFinishDate: &tm}}}}
				if _, err := wantElement(f); err != nil {
					bad++
				}
				same(t, tm.String(), f)
			}
		}
	}
	if bad == 0 {
		t.Error("no time was refused: the error path is not tested")
	}
}

// TestEncoderRandom compares the encoder with encoding/json on randomly
// filled files (FuzzEncoder does the same from the fuzzer's bytes).
func TestEncoderRandom(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		var f File
		(&filler{rng: rng, t: t}).fill(reflect.ValueOf(&f).Elem())
		same(t, "random file "+string(rune('0'+i%10)), &f)
	}
}

func FuzzEncoder(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 200, 33}, 40))
	f.Add(bytes.Repeat([]byte{255, 4, 17, 6}, 100))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fl File
		(&filler{data: data, t: t}).fill(reflect.ValueOf(&fl).Elem())
		same(t, "fuzzed", &fl)
	})
}

// TestEncoderSynthetic: headers of backuptest files (plain, compressed,
// several sets, stripes, odd names) read back as inspect reads them.
func TestEncoderSynthetic(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	specs := []backuptest.Spec{
		{},
		{Compressed: true, EndRecords: true},
		{BlockSize: 4096, MediaName: "<media & \"name\">", MediaPassword: true, FamilyCount: 3, FamilySequence: 2, MediaSetID: "9C958316-0313-703F-777B-D616E45316A8"},
		{Sets: []backuptest.Set{
			{DatabaseName: "Sales\u2028<&>", BackupName: "nightly", BackupDescription: "desc\t\"q\"", UserName: `CORP\svc`, Checksums: true, RecoveryModel: "SIMPLE", Created: tm, Start: tm, Finish: tm.Add(time.Hour), TimeZone: -20, SetPassword: true,
				Files: []facts.BackupFile{{LogicalName: "d", PhysicalName: `C:\x\d.mdf`, Type: "D", FileGroupName: "FG<1>"}, {LogicalName: "l", PhysicalName: "/var/l.ldf", Type: "L"}}},
			{Type: facts.TypeDifferential, Version: "15.0.2000"},
			{Type: facts.TypeLog, Version: "16.0.1000", ProvisionalLastLSN: facts.LSN{VLF: 3, Block: 4, Slot: 5}},
		}},
	}
	for i, sp := range specs {
		b := backuptest.Bytes(sp)
		for _, n := range []int{len(b), len(b) / 2, 4096, 512, 100} {
			read(t, "spec "+string(rune('0'+i)), bytes.NewReader(b[:min(n, len(b))]), int64(min(n, len(b))))
		}
	}
}

// read reads a backup (the head, and with --deep every set) as inspect
// does and compares the encoder with encoding/json on the result.
func read(t *testing.T, name string, r *bytes.Reader, size int64) {
	t.Helper()
	for _, deep := range []bool{false, true} {
		var m *facts.BackupMedia
		var err error
		if deep {
			m, err = backup.ReadDeep(r, size, nil)
		} else {
			m, err = backup.Read(r, size)
		}
		f := &File{Path: name, Size: size, Media: m}
		if err != nil {
			f.Error = err.Error()
			var be *backup.Error
			if errors.As(err, &be) {
				f.ErrorKind = be.Kind
			}
		}
		same(t, name, f)
	}
}

// TestEncoderSamples: every file of ../shared/samples (all folders, 4 KiB
// media, compressed, foreign files) whole, truncated and with its end
// cut, through the encoder and through encoding/json.
func TestEncoderSamples(t *testing.T) {
	dir := restoretest.Samples(t)
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(dir, p)
		read(t, rel, bytes.NewReader(b), int64(len(b)))
		for _, n := range []int{len(b) / 2, 64 << 10, 16 << 10, 4096} {
			if n < len(b) {
				read(t, rel+" truncated", bytes.NewReader(b[:n]), int64(n))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Errorf("only %d sample files under %s", files, dir)
	}
}

// TestPlainWords: appendString's word test agrees with the byte table for
// every byte in every position of a word, next to plain and non-plain
// neighbours, with a plain or an escaped byte after the word.
func TestPlainWords(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			for _, fill := range []byte{'a', ' ', '~', 0x7f, 0x1f, 0x80, 0xff} {
				w := bytes.Repeat([]byte{fill}, 8)
				w[pos] = byte(c)
				for _, tail := range []string{"", "b", "<"} {
					s := string(w) + tail
					same(t, s, &File{Path: s})
				}
			}
		}
	}
}

// TestEncoderLSNs: LSNs at the edges of each part, as LSN.MarshalJSON
// writes them.
func TestEncoderLSNs(t *testing.T) {
	for _, vlf := range []uint32{0, 1, 9, 10, 99, 100, 12345, math.MaxUint32} {
		for _, block := range []uint32{0, 1, 9, 10, 99999, 100000, 9999999999 % (1 << 32), math.MaxUint32} {
			for _, slot := range []uint16{0, 1, 10, 99999 % (1 << 16), math.MaxUint16} {
				l := facts.LSN{VLF: vlf, Block: block, Slot: slot}
				same(t, l.String(), &File{Media: &facts.BackupMedia{Sets: []facts.BackupSet{{FirstLSN: l, LastLSN: l, LogChainLSN: l}}}})
			}
		}
	}
}
