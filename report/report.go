// Package report turns findings into the formats people and CI read: text,
// JSON, JUnit XML, SARIF 2.1.0 and Markdown. One printer per format, each
// tested against golden files.
package report

import (
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/checks/facts"
)

// SchemaVersion of the JSON report (docs/report-schema.md).
const SchemaVersion = 1

// Report is one run's outcome: what every reporter prints.
type Report struct {
	SchemaVersion int               `json:"schemaVersion"`
	Tool          string            `json:"tool"`
	Version       string            `json:"version"`
	PlanDigest    string            `json:"planDigest,omitempty"`
	Target        facts.PlanTarget  `json:"target"`
	Mode          string            `json:"mode,omitempty"`
	Started       time.Time         `json:"started"`
	Finished      time.Time         `json:"finished"`
	Timings       []Timing          `json:"timings,omitempty"`
	FailOn        check.Severity    `json:"failOn"`
	Summary       Summary           `json:"summary"`
	Findings      []check.Finding   `json:"findings"`
	Waivers       []check.WaiverUse `json:"waivers,omitempty"`
	// SourceErrors are the collector failures behind any "error" findings.
	SourceErrors []facts.SourceError `json:"sourceErrors,omitempty"`
}

// Timing is how long one phase took.
type Timing struct {
	Phase  string `json:"phase"` // collect.server, collect.storage, checks ...
	Millis int64  `json:"millis"`
}

// Summary counts findings by status.
type Summary struct {
	Pass     int  `json:"pass"`
	Warn     int  `json:"warn"`
	Fail     int  `json:"fail"`
	Skip     int  `json:"skip"`
	Error    int  `json:"error"`
	Waived   int  `json:"waived"`
	Blocking int  `json:"blocking"`
	Ready    bool `json:"ready"`
}

// Summarize counts fs; blocking is judged at failOn.
func Summarize(fs []check.Finding, failOn check.Severity) Summary {
	var s Summary
	for _, f := range fs {
		switch f.Status {
		case check.StatusPass:
			s.Pass++
		case check.StatusWarn:
			s.Warn++
		case check.StatusFail:
			s.Fail++
		case check.StatusSkip:
			s.Skip++
		case check.StatusError:
			s.Error++
		}
		if f.Waiver != nil {
			s.Waived++
		}
		if f.Blocking(failOn) {
			s.Blocking++
		}
	}
	s.Ready = s.Blocking == 0 && s.Error == 0
	return s
}
