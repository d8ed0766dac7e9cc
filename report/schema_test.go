package report

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/schematest"
)

const (
	schemaPath = "../docs/report.schema.json"
	docPath    = "../docs/report-schema.md"
)

func validator(t *testing.T) *schematest.Validator {
	t.Helper()
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	v, err := schematest.New(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestJSONMatchesSchema(t *testing.T) {
	v := validator(t)
	for name, r := range map[string]*Report{"fixture": fixture(), "empty": {}} {
		if err := v.ValidateJSON(render(t, "json", r, Options{})); err != nil {
			t.Errorf("%s: JSON report does not match %s:\n%v", name, schemaPath, err)
		}
	}
}

// The schema must reject what it promises to reject, or the test above
// proves nothing.
func TestSchemaRejects(t *testing.T) {
	v := validator(t)
	for name, mutate := range map[string]func(r *Report){
		"bad check id":   func(r *Report) { r.Findings[0].CheckID = "X1" },
		"bad status":     func(r *Report) { r.Findings[0].Status = "ok" },
		"bad severity":   func(r *Report) { r.Findings[0].Severity = "fatal" },
		"empty object":   func(r *Report) { r.Findings[0].Object = "" },
		"bad expiry":     func(r *Report) { r.Findings[5].Waiver.Expires = "31/12/2026" },
		"no reason":      func(r *Report) { r.Findings[5].Waiver.Reason = "" },
		"bad mode":       func(r *Report) { r.Mode = "hybrid" },
		"bad target":     func(r *Report) { r.Target.Kind = "postgres" },
		"negative time":  func(r *Report) { r.Timings[0].Millis = -1 },
		"bad source":     func(r *Report) { r.SourceErrors[0].Source = "Server MSDB" },
		"bad waiver id":  func(r *Report) { r.Waivers[0].Check = "dms310" },
		"schema version": func(r *Report) { r.SchemaVersion = 1 },
		"bad location":   func(r *Report) { r.Locations[0].Line = 0 },
		"bad storage":    func(r *Report) { r.Storage.Kind = "ftp" },
	} {
		r := fixture()
		mutate(r)
		if err := v.ValidateJSON(render(t, "json", r, Options{})); err == nil {
			t.Errorf("%s: accepted by the schema", name)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(render(t, "json", fixture(), Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	doc["extra"] = true
	if err := v.Validate(doc); err == nil {
		t.Error("unknown top-level field accepted")
	}
}

// jsonFields walks a Go type's JSON form: struct name -> JSON field names.
func jsonFields(t reflect.Type, out map[string][]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeOf(time.Time{}) {
		return
	}
	if _, done := out[t.Name()]; done {
		return
	}
	out[t.Name()] = nil
	var walk func(t reflect.Type)
	walk = func(st reflect.Type) {
		for i := 0; i < st.NumField(); i++ {
			f := st.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if f.Anonymous && name == "" {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[t.Name()] = append(out[t.Name()], name)
			jsonFields(f.Type, out)
		}
	}
	walk(t)
	sort.Strings(out[t.Name()])
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The schema and the prose document must list exactly the fields the Go
// types marshal: adding a field without documenting it fails here.
func TestSchemaAndDocsCoverEveryField(t *testing.T) {
	types := map[string][]string{}
	jsonFields(reflect.TypeOf(Report{}), types)
	for _, want := range []string{"Report", "Finding", "AppliedWaiver", "WaiverUse", "Timing", "Summary", "SourceError", "PlanTarget"} {
		if _, ok := types[want]; !ok {
			t.Fatalf("type walk missed %s: %v", want, keys(anyMap(types)))
		}
	}
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	defs, _ := schema["$defs"].(map[string]any)
	for name, fields := range types {
		s := schema
		if name != "Report" {
			s, _ = defs[name].(map[string]any)
			if s == nil {
				t.Errorf("schema has no $defs/%s", name)
				continue
			}
		}
		props, _ := s["properties"].(map[string]any)
		if got := keys(props); !reflect.DeepEqual(got, fields) {
			t.Errorf("schema %s properties %v, Go type has %v", name, got, fields)
		}
		if got := docFields(string(doc), name); !reflect.DeepEqual(got, fields) {
			t.Errorf("%s section %q lists %v, Go type has %v", docPath, "### "+name, got, fields)
		}
	}
}

func anyMap(m map[string][]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

var docRow = regexp.MustCompile("(?m)^\\| `([A-Za-z0-9]+)` \\|")

// docFields returns the field names in the table under "### name".
func docFields(doc, name string) []string {
	_, sec, ok := strings.Cut(doc, "\n### "+name+"\n")
	if !ok {
		return nil
	}
	if i := strings.Index(sec, "\n#"); i >= 0 {
		sec = sec[:i]
	}
	var out []string
	for _, m := range docRow.FindAllStringSubmatch(sec, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

// Enums in the schema follow the Go constants.
func TestSchemaEnums(t *testing.T) {
	b, _ := os.ReadFile(schemaPath)
	var schema struct {
		Defs struct {
			Severity struct{ Enum []string } `json:"severity"`
			Finding  struct {
				Properties struct {
					Status struct{ Enum []string } `json:"status"`
				} `json:"properties"`
			}
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	sev := []string{string(check.Info), string(check.Warning), string(check.Error)}
	if !reflect.DeepEqual(schema.Defs.Severity.Enum, sev) {
		t.Errorf("severity enum %v, want %v", schema.Defs.Severity.Enum, sev)
	}
	st := []string{string(check.StatusPass), string(check.StatusWarn), string(check.StatusFail), string(check.StatusSkip), string(check.StatusError)}
	if !reflect.DeepEqual(schema.Defs.Finding.Properties.Status.Enum, st) {
		t.Errorf("status enum %v, want %v", schema.Defs.Finding.Properties.Status.Enum, st)
	}
}

// The example in the prose document is valid too.
func TestDocExampleMatchesSchema(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "### Example\n\n```json\n")
	if !ok {
		t.Fatalf("%s has no ### Example json block", docPath)
	}
	example, _, _ := strings.Cut(rest, "```")
	if err := validator(t).ValidateJSON([]byte(example)); err != nil {
		t.Errorf("example in %s does not match the schema:\n%v", docPath, err)
	}
}
