package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/restore"
)

//go:embed html.tmpl
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	"md":    mdInline,
}).Parse(htmlSource))

// mdInline renders the little Markdown a check's fix uses — `code` spans
// and **bold** — as HTML; everything else is escaped text.
func mdInline(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
			continue
		}
		for j, t := range strings.Split(part, "**") {
			if j%2 == 1 {
				b.WriteString("<b>" + template.HTMLEscapeString(t) + "</b>")
			} else {
				b.WriteString(template.HTMLEscapeString(t))
			}
		}
	}
	return template.HTML(b.String())
}

// HTML writes one self-contained page: no scripts, no external assets (the
// style sheet is inline), readable as it loads. It leads with the verdict
// and what was checked, then a readiness matrix (database × area, coloured
// by verdict) whose cells open their findings with fix and evidence in
// <details>, the blocking findings, and each database's restore plan as a
// timeline with its gaps marked.
func HTML(w io.Writer, r *Report, o Options) error {
	return writeHTML(w, pageOf(nil, []*view{prepare(r, o).sanitized()}))
}

// page is what the template renders: one report, or an estate of them.
type page struct {
	Title   string
	Verdict string
	Ready   bool
	Counts  string
	Meta    [][2]string
	Estate  *estatePart
	Servers []htmlServer
}

type estatePart struct {
	Counts   []checkRow
	Blockers []blockerRow
	Failures []InputFailure
}

type htmlServer struct {
	// Areas are the server's whole row in the estate's server matrix.
	Areas    []htmlCell
	DBs      int
	Name     string
	Anchor   string
	Verdict  string
	Word     string // READY, NOT READY or INCOMPLETE
	Ready    bool
	Counts   string
	Meta     [][2]string
	Rows     []htmlRow
	Blocking []htmlFinding
	Errors   []errGroup
	Waivers  []string
	Restore  []htmlTimeline
}

type htmlRow struct {
	Database string
	Cells    []htmlCell
}

type htmlCell struct {
	Class    string // pass, warn, fail, error, waived, skip, none
	Label    string
	Findings []htmlFinding
}

type htmlFinding struct {
	Status, Class, Check, Title, Object, Message, Fix, Link, Explain, Waiver string
	Evidence                                                                 [][2]string
	Count                                                                    int
}

type htmlTimeline struct {
	Database string
	Status   string
	Class    string
	Reaches  string
	Steps    []htmlStep
	Notes    []string
}

type htmlStep struct {
	Kind   string // full, differential, log, gap, unused
	Label  string
	File   string
	LSNs   string
	When   string
	Detail string
}

func writeHTML(w io.Writer, p page) error {
	var b bytes.Buffer
	if err := htmlTmpl.Execute(&b, p); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// pageOf builds the page for one report (e == nil) or an estate.
func pageOf(e *Estate, vs []*view) page {
	var p page
	seen := map[string]int{}
	for _, v := range vs {
		s := v.htmlServer(len(vs) > 1)
		// Names that differ only outside a-z0-9 (東京, 大阪; SQL01, sql01)
		// make the same anchor: number the repeats, or their links would
		// lead to the first.
		if seen[s.Anchor]++; seen[s.Anchor] > 1 {
			a := s.Anchor
			for n := seen[a]; seen[s.Anchor] > 0; n++ {
				s.Anchor = fmt.Sprintf("%s-%d", a, n)
			}
			seen[s.Anchor]++
		}
		p.Servers = append(p.Servers, s)
	}
	if e == nil && len(vs) == 1 {
		v := vs[0]
		counts, verdict := v.summaryLine()
		p.Title, p.Verdict, p.Ready, p.Counts = "Migration readiness: "+word(verdict), verdict, v.sum.Ready, counts
		p.Meta = p.Servers[0].Meta
		p.Servers[0].Meta = nil
		return p
	}
	if e != nil {
		p.Title = "Estate readiness: " + word(e.verdict())
		p.Verdict, p.Ready, p.Counts = e.verdict(), e.Summary.Ready, e.counts()
		p.Meta = [][2]string{{"Tool", strings.TrimSpace("dmsready " + clean(e.Version))}}
		if !e.Started.IsZero() {
			p.Meta = append(p.Meta, [2]string{"Started", e.Started.UTC().Format(time.RFC3339) + ", took " + e.took().String()})
		}
		p.Meta = append(p.Meta, [2]string{"Fail on", string(e.FailOn)})
		p.Estate = &estatePart{Counts: e.ByCheck, Blockers: e.TopBlockers, Failures: e.Failures}
	}
	return p
}

func (v *view) meta() [][2]string {
	var m [][2]string
	add := func(k, val string) {
		if val != "" {
			m = append(m, [2]string{k, val})
		}
	}
	if s := v.Source; s != nil {
		src := s.Server
		if s.Instance != "" {
			src += `\` + s.Instance
		}
		var about []string
		for _, x := range []string{s.Name, s.Version, s.Edition} {
			if x != "" {
				about = append(about, x)
			}
		}
		if len(about) > 0 {
			src += " (" + strings.Join(about, ", ") + ")"
		}
		add("Source", src)
	}
	if s := v.Storage; s != nil {
		add("Storage", strings.TrimSpace(s.Kind+" "+s.Location))
	}
	if v.Target.Kind != "" {
		t := v.Target.Kind
		if v.Target.Version != "" {
			t += " " + v.Target.Version
		}
		if v.Target.Server != "" {
			t += " (" + v.Target.Server + ")"
		}
		add("Target", t)
	}
	add("Mode", v.Mode)
	plan := v.PlanPath
	if v.PlanDigest != "" {
		plan = strings.TrimSpace(plan + " " + v.PlanDigest)
	}
	add("Plan", plan)
	add("Tool", strings.TrimSpace("dmsready "+v.Version))
	if !v.Started.IsZero() {
		add("Started", v.Started.UTC().Format(time.RFC3339)+", took "+duration(v.Report).Round(time.Millisecond).String())
	}
	add("Fail on", v.failOn())
	return m
}

func (v *view) htmlServer(estate bool) htmlServer {
	counts, verdict := v.summaryLine()
	s := htmlServer{Name: v.Name, Verdict: verdict, Word: v.sum.VerdictWord(), Ready: v.sum.Ready, Counts: counts, Meta: v.meta(), Errors: v.errorGroups()}
	if s.Name == "" {
		s.Name = v.PlanPath
	}
	if s.Name == "" && v.Source != nil {
		s.Name = v.Source.Server
	}
	s.Anchor = anchor(s.Name)
	if !estate {
		s.Name = ""
	}
	// Rows: server-wide first, then each database.
	cells := map[string]map[string][]check.Finding{}
	var dbs []string
	for _, f := range v.findings {
		if cells[f.Database] == nil {
			cells[f.Database] = map[string][]check.Finding{}
			dbs = append(dbs, f.Database)
		}
		a := Area(f.CheckID)
		cells[f.Database][a] = append(cells[f.Database][a], f)
	}
	if estate {
		all := map[string][]check.Finding{}
		for _, f := range v.findings {
			all[Area(f.CheckID)] = append(all[Area(f.CheckID)], f)
		}
		for _, a := range Areas {
			c := v.htmlCell(all[a], true)
			c.Findings = nil
			s.Areas = append(s.Areas, c)
		}
	}
	for _, db := range dbs {
		if db != "" {
			s.DBs++
		}
		row := htmlRow{Database: db}
		if db == "" {
			row.Database = "Server, storage and plan"
		}
		for _, a := range Areas {
			row.Cells = append(row.Cells, v.htmlCell(cells[db][a], estate))
		}
		s.Rows = append(s.Rows, row)
	}
	for _, g := range v.repeats(v.blocking(), false) {
		s.Blocking = append(s.Blocking, v.htmlFinding(g.f, g.n))
	}
	for _, w := range v.waiverProblems() {
		if w.Expired {
			s.Waivers = append(s.Waivers, fmt.Sprintf("EXPIRED %s: expired %s, no longer applied (matched %s)", waiverLabel(w), w.Expires, plural(w.Matched, "finding", "findings")))
		} else {
			s.Waivers = append(s.Waivers, fmt.Sprintf("UNUSED %s: %s", waiverLabel(w), v.unusedNote(w)))
		}
	}
	for _, pl := range v.Restore {
		// An estate draws only the plans that do not restore.
		if !estate || pl.Status != restore.StatusReady {
			s.Restore = append(s.Restore, timeline(pl))
		}
	}
	return s
}

// cellRank orders what a cell shows: the worst finding wins.
func (v *view) cellClass(f check.Finding) (string, int) {
	switch {
	case f.Waiver != nil:
		return "waived", 2
	case f.Blocking(v.fo) && f.Status == check.StatusFail:
		return "fail", 6
	case f.Blocking(v.fo):
		return "fail", 6
	case f.Status == check.StatusError:
		return "error", 5
	case f.Status == check.StatusFail || f.Status == check.StatusWarn:
		return "warn", 4
	case f.Status == check.StatusPass:
		return "pass", 1
	}
	return "skip", 0
}

// htmlCell is one matrix cell; in an estate (thousands of databases) it
// opens only what is not a pass or a skip, and counts those.
func (v *view) htmlCell(fs []check.Finding, estate bool) htmlCell {
	if len(fs) == 0 {
		return htmlCell{Class: "none", Label: "—"}
	}
	best, rank := "skip", -1
	n := map[string]int{}
	for _, f := range fs {
		c, r := v.cellClass(f)
		n[c]++
		if r > rank {
			best, rank = c, r
		}
	}
	label := strings.ToUpper(best)
	if best != "pass" && best != "skip" {
		label += fmt.Sprintf(" %d", n[best])
	}
	var extra []string
	if n["pass"] > 0 && best != "pass" {
		extra = append(extra, fmt.Sprintf("%d pass", n["pass"]))
	}
	if best == "pass" {
		extra = append(extra, fmt.Sprintf("%d", n["pass"]))
	}
	if n["skip"] > 0 && best != "skip" {
		extra = append(extra, fmt.Sprintf("%d skip", n["skip"]))
	}
	if len(extra) > 0 {
		label += " · " + strings.Join(extra, " · ")
	}
	c := htmlCell{Class: best, Label: label}
	// Worst first inside the cell too.
	sorted := append([]check.Finding(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		_, a := v.cellClass(sorted[i])
		_, b := v.cellClass(sorted[j])
		return a > b
	})
	for _, g := range v.repeats(sorted, false) {
		if estate && g.f.Waiver == nil && (g.f.Status == check.StatusPass || g.f.Status == check.StatusSkip) {
			continue
		}
		c.Findings = append(c.Findings, v.htmlFinding(g.f, g.n))
	}
	return c
}

func (v *view) htmlFinding(f check.Finding, n int) htmlFinding {
	cls, _ := v.cellClass(f)
	h := htmlFinding{Status: statusWord(f.Status), Class: cls, Check: f.CheckID, Title: v.title(f),
		Message: f.Message, Count: n, Explain: "dmsready explain " + f.CheckID}
	if f.Object != "-" {
		h.Object = f.Object
	}
	if n > 1 {
		folder, _ := fileFolder(f.Object)
		h.Object = fmt.Sprintf("%s in folder %s (e.g. %s)", plural(n, "file", "files"), folderName(folder), f.Object)
	}
	if f.Waiver != nil {
		h.Status = "WAIVED"
		h.Waiver = waiverNote(f.Waiver)
	}
	if c := v.cat[f.CheckID]; c != nil {
		if f.Status == check.StatusFail || f.Status == check.StatusWarn {
			h.Fix = oneLine(c.Fix)
		}
		h.Link = c.Link
	}
	keys := make([]string, 0, len(f.Evidence))
	for k := range f.Evidence {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.Evidence = append(h.Evidence, [2]string{k, f.Evidence[k]})
	}
	return h
}

// timeline lays a restore plan out left to right: the steps, each break
// marked where it falls, then what the restore cannot use past it.
func timeline(p restore.Sequence) htmlTimeline {
	t := htmlTimeline{Database: clean(p.Database), Status: p.Status, Class: "pass"}
	if p.Status != restore.StatusReady {
		t.Class = "fail"
	}
	if p.Reaches != nil {
		t.Reaches = "reaches LSN " + p.Reaches.LSN.String()
		if p.Reaches.Time != nil {
			t.Reaches += " (" + p.Reaches.Time.UTC().Format("2006-01-02 15:04:05") + " UTC)"
		}
		t.Reaches += " with " + clean(p.Reaches.File)
	}
	breaks := map[string][]restore.Issue{} // file before the break -> breaks
	for _, is := range p.Issues {
		switch is.Kind {
		case restore.KindBreak, restore.KindGap:
			breaks[is.Before] = append(breaks[is.Before], is)
		default:
			t.Notes = append(t.Notes, clean(is.Kind+": "+is.Message))
		}
	}
	step := func(kind string, b restore.Backup) htmlStep {
		s := htmlStep{Kind: kind, Label: strings.ToUpper(b.Type), File: clean(strings.Join(b.Files, ", ")),
			LSNs: b.FirstLSN.String() + " – " + b.LastLSN.String()}
		if b.Finish != nil {
			s.When = b.Finish.UTC().Format("2006-01-02 15:04")
		}
		return s
	}
	gap := func(is restore.Issue) htmlStep {
		s := htmlStep{Kind: "gap", Label: "GAP", LSNs: is.From.String() + " – " + is.To.String(), Detail: clean(is.Message)}
		if is.Kind == restore.KindGap {
			s.Label = "GAP (bridged)"
			s.Kind = "bridged"
		}
		return s
	}
	for _, b := range p.Steps {
		t.Steps = append(t.Steps, step(kindOf(b.Type), b))
		for _, is := range breaks[b.File()] {
			t.Steps = append(t.Steps, gap(is))
		}
		delete(breaks, b.File())
	}
	// Breaks not after a step (a chain that never started) still show.
	var rest []string
	for k := range breaks {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		for _, is := range breaks[k] {
			t.Steps = append(t.Steps, gap(is))
		}
	}
	for _, u := range p.Unused {
		if u.Reason != restore.ReasonAfterBreak {
			t.Notes = append(t.Notes, clean("not restored: "+strings.Join(u.Files(), ", ")+" ("+u.Reason+")"))
			continue
		}
		s := step("unused", u.Backup())
		s.Detail = clean(u.Detail())
		t.Steps = append(t.Steps, s)
	}
	return t
}

func kindOf(t string) string {
	switch t {
	case "full", "differential", "log":
		return t
	}
	return "other"
}

// anchor makes an id attribute from a name.
func anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "report"
	}
	return "r-" + strings.Trim(b.String(), "-")
}
