package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dmsready/dmsready/checks/check"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr,omitempty"`
	Stamp    string       `xml:"timestamp,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr,omitempty"`
	Properties *junitProps     `xml:"properties,omitempty"`
	Cases      []junitTestCase `xml:"testcase"`
}

type junitProps struct {
	List []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestCase struct {
	Name       string        `xml:"name,attr"`
	Classname  string        `xml:"classname,attr"`
	Time       string        `xml:"time,attr,omitempty"`
	Properties *junitProps   `xml:"properties,omitempty"`
	Failure    *junitOutcome `xml:"failure,omitempty"`
	Error      *junitOutcome `xml:"error,omitempty"`
	Skipped    *junitOutcome `xml:"skipped,omitempty"`
	SystemOut  string        `xml:"system-out,omitempty"`
}

type junitOutcome struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// JUnit writes JUnit XML: one testsuite per check, one testcase per check ×
// object. fail, and warn at or above --fail-on, are failures; warn below it
// passes with a note; skip is skipped; error is an error; a waived finding
// passes with the waiver as a property (docs/report-schema.md).
func JUnit(w io.Writer, r *Report, o Options) error {
	v := prepare(r, o)
	out := junitSuites{Name: "dmsready"}
	if !v.Started.IsZero() {
		out.Stamp = v.Started.UTC().Format("2006-01-02T15:04:05Z")
		if !v.Finished.IsZero() {
			out.Time = fmt.Sprintf("%.3f", v.Finished.Sub(v.Started).Seconds())
		}
	}
	if ps := v.junitRunProps(); ps != nil {
		// The run itself: what was checked, as properties of an empty suite
		// (testsuites has no properties in the JUnit schema).
		out.Suites = append(out.Suites, junitSuite{Name: "dmsready run", Properties: ps, Cases: []junitTestCase{}})
	}
	v.junitSuites(&out, "")
	return writeJUnit(w, out)
}

// estateJUnit writes every report's suites, named after their report.
func estateJUnit(w io.Writer, e *Estate, o Options) error {
	out := junitSuites{Name: "dmsready estate"}
	if !e.Started.IsZero() {
		out.Stamp = e.Started.UTC().Format("2006-01-02T15:04:05Z")
		out.Time = fmt.Sprintf("%.3f", e.Finished.Sub(e.Started).Seconds())
	}
	for _, v := range e.views(o) {
		v.junitSuites(&out, reportName(v.Report)+": ")
	}
	return writeJUnit(w, out)
}

func writeJUnit(w io.Writer, out junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitSuites adds one suite per check to out, names prefixed.
func (v *view) junitSuites(out *junitSuites, prefix string) {
	byCheck := map[string][]check.Finding{}
	var ids []string
	for _, f := range v.findings {
		if _, ok := byCheck[f.CheckID]; !ok {
			ids = append(ids, f.CheckID)
		}
		byCheck[f.CheckID] = append(byCheck[f.CheckID], f)
	}
	sort.Strings(ids)
	// A collector that failed where no check reported an error (none
	// needed its facts) still leaves the run not ready (exit 3): without a
	// case of its own a CI test view would show a clean run.
	var collect junitSuite
	for _, e := range v.errs {
		covered := false
		for _, f := range v.findings {
			covered = covered || f.Status == check.StatusError && f.Evidence["source"] == string(e.Source)
		}
		if covered {
			continue
		}
		collect.Cases = append(collect.Cases, junitTestCase{Name: string(e.Source), Classname: "dmsready.collect",
			Error:      &junitOutcome{Message: e.Error(), Type: "source-error", Body: e.Error()},
			Properties: props(junitProp{"status", string(check.StatusError)}, junitProp{"source", string(e.Source)}, junitProp{"kind", string(e.Kind)}, junitProp{"permission", e.Permission})})
	}
	if n := len(collect.Cases); n > 0 {
		collect.Name, collect.Tests, collect.Errors = prefix+"dmsready collect", n, n
		out.Tests += n
		out.Errors += n
		out.Suites = append(out.Suites, collect)
	}
	took := map[string]int64{}
	for _, ct := range v.CheckTimings {
		took[ct.Check] += ct.Micros
	}
	for _, id := range ids {
		fs := byCheck[id]
		s := junitSuite{Name: prefix + strings.TrimSpace(id+" "+v.title(fs[0]))}
		c := v.cat[id]
		if c != nil {
			s.Properties = props(
				junitProp{"severity", string(c.Severity)},
				junitProp{"prevents", c.Prevents},
				junitProp{"link", c.Link},
			)
		}
		for _, f := range fs {
			tc := v.junitCase(f, c)
			s.Tests++
			switch {
			case tc.Failure != nil:
				s.Failures++
			case tc.Error != nil:
				s.Errors++
			case tc.Skipped != nil:
				s.Skipped++
			}
			s.Cases = append(s.Cases, tc)
		}
		// A check runs once over all its objects: the suite has the measured
		// time, each case an equal share of it.
		if us, ok := took[id]; ok {
			s.Time = seconds(us)
			for i := range s.Cases {
				s.Cases[i].Time = seconds(us / int64(len(s.Cases)))
			}
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, s)
	}
}

func props(ps ...junitProp) *junitProps {
	var out junitProps
	for _, p := range ps {
		if p.Value != "" {
			out.List = append(out.List, p)
		}
	}
	if len(out.List) == 0 {
		return nil
	}
	return &out
}

func (v *view) junitCase(f check.Finding, c *check.Check) junitTestCase {
	tc := junitTestCase{Name: caseName(f), Classname: "dmsready." + f.CheckID}
	ps := []junitProp{{"status", string(f.Status)}, {"database", f.Database}, {"severity", string(f.Severity)}}
	keys := make([]string, 0, len(f.Evidence))
	for k := range f.Evidence {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ps = append(ps, junitProp{"evidence." + k, f.Evidence[k]})
	}
	// Body: the message, its evidence, and how to fix it, so a CI page alone
	// says what to do.
	var body strings.Builder
	body.WriteString(f.Message)
	if len(f.Evidence) > 0 {
		body.WriteString("\nevidence: " + evidence(f.Evidence))
	}
	if c != nil && (f.Status == check.StatusFail || f.Status == check.StatusWarn) {
		body.WriteString("\nfix: " + c.Fix)
		if c.Link != "" {
			body.WriteString("\nsee: " + c.Link)
		}
	}
	switch {
	case f.Waiver != nil:
		ps = append(ps, junitProp{"waived", f.Waiver.Reason}, junitProp{"waiver.expires", f.Waiver.Expires}, junitProp{"waiver.where", f.Waiver.Where})
		tc.SystemOut = strings.ToUpper(string(f.Status)) + " (" + waiverNote(f.Waiver) + "): " + body.String()
	case f.Status == check.StatusFail || f.Blocking(v.fo):
		tc.Failure = &junitOutcome{Message: f.Message, Type: string(f.Severity), Body: body.String()}
	case f.Status == check.StatusWarn:
		tc.SystemOut = fmt.Sprintf("WARN (%s, below --fail-on %s): %s", f.Severity, v.fo, body.String())
	case f.Status == check.StatusError:
		tc.Error = &junitOutcome{Message: f.Message, Type: "source-error", Body: body.String()}
	case f.Status == check.StatusSkip:
		tc.Skipped = &junitOutcome{Message: f.Message}
	}
	tc.Properties = props(ps...)
	return tc
}

// caseName is the object, with the database in front when the object does
// not already say which one it is.
func caseName(f check.Finding) string {
	obj := f.Object
	if obj == "" || obj == "-" {
		obj = "all objects"
	}
	if f.Database != "" && !strings.Contains(obj, f.Database) {
		return f.Database + ": " + obj
	}
	return obj
}

func seconds(micros int64) string { return fmt.Sprintf("%.6f", float64(micros)/1e6) }

// junitRunProps names what was checked.
func (v *view) junitRunProps() *junitProps {
	var ps []junitProp
	for _, kv := range v.meta() {
		ps = append(ps, junitProp{strings.ToLower(strings.ReplaceAll(kv[0], " ", "-")), kv[1]})
	}
	return props(ps...)
}
