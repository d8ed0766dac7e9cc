package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/dmsready/dmsready/checks/check"
)

const (
	sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	infoURI     = "https://github.com/dmsready/dmsready"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  *sarifRunProps    `json:"properties,omitempty"`
}

type sarifRunProps struct {
	Name       string       `json:"name,omitempty"`
	PlanPath   string       `json:"planPath,omitempty"`
	PlanDigest string       `json:"planDigest,omitempty"`
	Source     *SourceInfo  `json:"source,omitempty"`
	Storage    *StorageInfo `json:"storage,omitempty"`
	Target     string       `json:"target,omitempty"`
	FailOn     string       `json:"failOn"`
	Summary    Summary      `json:"summary"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     *sarifText      `json:"shortDescription,omitempty"`
	FullDescription      *sarifText      `json:"fullDescription,omitempty"`
	Help                 *sarifText      `json:"help,omitempty"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifConfig    `json:"defaultConfiguration,omitempty"`
	Properties           *sarifRuleProps `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Prevents string   `json:"prevents,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSuppression struct {
	Kind          string            `json:"kind"`
	Status        string            `json:"status"`
	Justification string            `json:"justification"`
	Properties    map[string]string `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Status   string            `json:"status"`
	Severity string            `json:"severity,omitempty"`
	Database string            `json:"database,omitempty"`
	Object   string            `json:"object"`
	Evidence map[string]string `json:"evidence,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	StartTimeUTC        string              `json:"startTimeUtc,omitempty"`
	EndTimeUTC          string              `json:"endTimeUtc,omitempty"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string            `json:"level"`
	Message        sarifText         `json:"message"`
	AssociatedRule *sarifRuleRef     `json:"associatedRule,omitempty"`
	Properties     map[string]string `json:"properties,omitempty"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// SARIF writes a SARIF 2.1.0 log: rules from the check catalogue, a result
// for every fail and warn finding (waived ones suppressed), source errors
// and checks that could not run as tool execution notifications.
func SARIF(w io.Writer, r *Report, o Options) error {
	return writeSARIF(w, []sarifRun{prepare(r, o).sarifRun()})
}

// estateSARIF writes one run per report of the estate.
func estateSARIF(w io.Writer, e *Estate, o Options) error {
	runs := []sarifRun{}
	for _, v := range e.views(o) {
		runs = append(runs, v.sarifRun())
	}
	return writeSARIF(w, runs)
}

func writeSARIF(w io.Writer, runs []sarifRun) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: runs})
}

func (v *view) sarifRun() sarifRun {
	r := v.Report
	rules, index := v.sarifRules()
	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: "dmsready", Version: r.Version, InformationURI: infoURI, Rules: rules}},
		Results: []sarifResult{},
		Properties: &sarifRunProps{Name: r.Name, PlanPath: r.PlanPath, PlanDigest: r.PlanDigest, Source: r.Source, Storage: r.Storage,
			Target: strings.TrimSpace(r.Target.Kind + " " + r.Target.Version), FailOn: string(v.fo), Summary: v.sum},
	}
	inv := sarifInvocation{ExecutionSuccessful: v.sum.Error == 0 && len(v.errs) == 0}
	if !r.Started.IsZero() {
		inv.StartTimeUTC = r.Started.UTC().Format(time.RFC3339Nano)
	}
	if !r.Finished.IsZero() {
		inv.EndTimeUTC = r.Finished.UTC().Format(time.RFC3339Nano)
	}
	for _, e := range v.errs {
		n := sarifNotification{Level: "error", Message: sarifText{Text: e.Error()},
			Properties: map[string]string{"source": string(e.Source), "kind": string(e.Kind)}}
		if e.Permission != "" {
			n.Properties["permission"] = e.Permission
		}
		inv.Notifications = append(inv.Notifications, n)
	}
	for _, f := range v.findings {
		switch f.Status {
		case check.StatusError:
			inv.Notifications = append(inv.Notifications, sarifNotification{
				Level: "error", Message: sarifText{Text: f.CheckID + " could not run: " + f.Message},
				AssociatedRule: &sarifRuleRef{ID: f.CheckID, Index: index[f.CheckID]},
			})
			continue
		case check.StatusFail, check.StatusWarn:
		default:
			continue
		}
		res := sarifResult{
			RuleID: f.CheckID, RuleIndex: index[f.CheckID], Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: sentence(f)},
			PartialFingerprints: map[string]string{"dmsready/v1": f.CheckID + "|" + f.Object},
			Properties: sarifResultProps{Status: string(f.Status), Severity: string(f.Severity),
				Database: f.Database, Object: f.Object, Evidence: f.Evidence},
		}
		var loc sarifLocation
		if l := v.locate(f); l != nil {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(l.File)}, Region: &sarifRegion{StartLine: l.Line}}
		}
		if f.Object != "" && f.Object != "-" {
			loc.LogicalLocations = []sarifLogical{{Name: f.Object, FullyQualifiedName: f.Object, Kind: "resource"}}
		}
		if loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
			res.Locations = []sarifLocation{loc}
		}
		if f.Waiver != nil {
			s := sarifSuppression{Kind: "external", Status: "accepted", Justification: f.Waiver.Reason}
			if f.Waiver.Expires != "" || f.Waiver.Where != "" {
				s.Properties = map[string]string{}
				if f.Waiver.Expires != "" {
					s.Properties["expires"] = f.Waiver.Expires
				}
				if f.Waiver.Where != "" {
					s.Properties["where"] = f.Waiver.Where
				}
			}
			res.Suppressions = []sarifSuppression{s}
		}
		run.Results = append(run.Results, res)
	}
	run.Invocations = []sarifInvocation{inv}
	return run
}

// sarifRules lists every catalogue check, plus a bare rule for any finding
// whose check the catalogue lacks, so every result's ruleId resolves.
func (v *view) sarifRules() ([]sarifRule, map[string]int) {
	ids := make([]string, 0, len(v.cat))
	for id := range v.cat {
		ids = append(ids, id)
	}
	for _, f := range v.findings {
		if _, ok := v.cat[f.CheckID]; !ok && !contains(ids, f.CheckID) {
			ids = append(ids, f.CheckID)
		}
	}
	sort.Strings(ids)
	titles := map[string]string{}
	for _, f := range v.findings {
		if f.Title != "" {
			titles[f.CheckID] = f.Title
		}
	}
	rules := make([]sarifRule, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
		c := v.cat[id]
		if c == nil {
			rules[i] = sarifRule{ID: id, Name: ruleName(titles[id], id)}
			if t := titles[id]; t != "" {
				rules[i].ShortDescription = &sarifText{Text: t}
			}
			continue
		}
		help := sarifText{
			Text:     c.Doc + "\n\nFix: " + c.Fix + "\n\nPrevents: " + c.Prevents,
			Markdown: c.Doc + "\n\n**Fix:** " + c.Fix + "\n\n**Prevents:** " + c.Prevents,
		}
		if c.Link != "" {
			help.Text += "\n\nSource: " + c.Link
			help.Markdown += "\n\n[Source](" + c.Link + ")"
		}
		rules[i] = sarifRule{
			ID: id, Name: ruleName(c.Title, id),
			ShortDescription:     &sarifText{Text: c.Title},
			FullDescription:      &sarifText{Text: c.Doc, Markdown: c.Doc},
			Help:                 &help,
			HelpURI:              c.Link,
			DefaultConfiguration: &sarifConfig{Level: sarifLevel(c.Severity)},
			Properties:           &sarifRuleProps{Prevents: c.Prevents, Tags: c.Targets},
		}
	}
	return rules, index
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func sarifLevel(s check.Severity) string {
	switch s {
	case check.Error:
		return "error"
	case check.Info:
		return "note"
	}
	return "warning"
}

// ruleName turns a title into the PascalCase identifier SARIF expects for
// rule names: "Log chain is unbroken" -> "LogChainIsUnbroken".
func ruleName(title, id string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(w)
		b.WriteRune(unicode.ToUpper(rs[0]))
		b.WriteString(string(rs[1:]))
	}
	if b.Len() == 0 {
		return id
	}
	return b.String()
}

// sentence makes the finding a SARIF message: "object: message."
func sentence(f check.Finding) string {
	s := f.Message
	if f.Object != "" && f.Object != "-" {
		s = f.Object + ": " + s
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// locate finds the plan line a finding points at: the line naming its
// database, else the storage, source or target section its object belongs
// to, else the plan's first line; nil without a plan file.
func (v *view) locate(f check.Finding) *Location {
	if len(v.Locations) == 0 {
		return nil
	}
	by := make(map[string]*Location, len(v.Locations))
	for i := range v.Locations {
		by[v.Locations[i].Object] = &v.Locations[i]
	}
	if l := by["database:"+f.Database]; f.Database != "" && l != nil {
		return l
	}
	if l := by[f.Object]; l != nil {
		return l
	}
	section := ""
	obj, _, _ := strings.Cut(f.Object, ":")
	switch obj {
	case "storage", "folder", "file", "sas":
		section = "storage"
	case "server":
		section = "source"
	case "target":
		section = "target"
	default:
		switch Area(f.CheckID) {
		case "layout", "backups", "restore chain":
			section = "storage"
		case "source":
			section = "source"
		default:
			section = "target"
		}
	}
	if l := by[section]; l != nil {
		return l
	}
	return &Location{Object: "plan", File: v.Locations[0].File, Line: 1}
}

// fileURI is a SARIF artifact URI: relative paths (to the repository root,
// where code scanning resolves them) with forward slashes; absolute paths
// as file:// URIs.
func fileURI(p string) string { return fileURIOn(p, filepath.Separator == '\\') }

// fileURIOn is fileURI on Windows or not. A Windows UNC path
// (\\server\share\plan.yaml) names its server as the URI's host
// (file://server/share/plan.yaml, RFC 8089), not as a path that starts
// with two slashes (file:////server/...).
func fileURIOn(p string, windows bool) string {
	if windows {
		p = strings.ReplaceAll(p, `\`, "/")
		if rest, ok := strings.CutPrefix(p, "//"); ok && rest != "" && rest[0] != '/' {
			host, tail, _ := strings.Cut(rest, "/")
			return (&url.URL{Scheme: "file", Host: host, Path: "/" + tail}).String()
		}
	}
	p = filepath.ToSlash(p)
	if path.IsAbs(p) || filepath.IsAbs(p) || windows && len(p) > 2 && p[1] == ':' && p[2] == '/' {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: strings.TrimPrefix(p, "./")}).String()
}
