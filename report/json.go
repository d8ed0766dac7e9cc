package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/dmsready/dmsready/checks/check"
)

// JSON writes the report as documented in docs/report-schema.md (schema
// docs/report.schema.json): findings sorted by database, check ID and
// object, the summary recounted from them, times in UTC, map keys sorted.
func JSON(w io.Writer, r *Report, o Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages quote SQL and paths with < > &: keep them readable.
	enc.SetEscapeHTML(false)
	return enc.Encode(normalized(r, o))
}

// normalized is r as the JSON report has it: sorted, recounted, in UTC.
func normalized(r *Report, o Options) *Report {
	v := prepare(r, o)
	out := *r
	if out.SchemaVersion == 0 {
		out.SchemaVersion = SchemaVersion
	}
	if out.Tool == "" {
		out.Tool = "dmsready"
	}
	out.FailOn = v.fo
	out.Started = r.Started.UTC()
	out.Finished = r.Finished.UTC()
	out.DurationMillis = duration(r).Milliseconds()
	out.Summary = v.sum
	out.Findings = v.findings
	if out.Findings == nil {
		out.Findings = []check.Finding{}
	}
	out.SourceErrors = v.errs
	return &out
}

// duration is the run's wall time; zero when either end is unknown.
func duration(r *Report) time.Duration {
	if r.Started.IsZero() || r.Finished.IsZero() || r.Finished.Before(r.Started) {
		return 0
	}
	return r.Finished.Sub(r.Started)
}
