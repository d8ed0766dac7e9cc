package restore

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dmsready/dmsready/internal/textsafe"
)

// Document is the JSON form of `dmsready restore-plan`.
type Document struct {
	Plans []Sequence `json:"plans"`
}

// WriteJSON writes the plans as one indented JSON document, LSNs as decimal
// strings.
func WriteJSON(w io.Writer, plans []Sequence) error {
	if plans == nil {
		plans = []Sequence{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Document{Plans: plans})
}

// WriteTable prints each database's restore sequence, then its issues and
// the files it does not use.
func WriteTable(w io.Writer, plans []Sequence) error {
	ew := &errWriter{w: w}
	if len(plans) == 0 {
		fmt.Fprintln(ew, "no databases to plan")
		return ew.err
	}
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(ew)
		}
		writePlan(ew, p)
	}
	return ew.err
}

func writePlan(w io.Writer, p Sequence) {
	head := "database " + textsafe.Escape(p.Database)
	if p.Folder != "" {
		head += " (folder " + textsafe.Escape(p.Folder) + ")"
	}
	fmt.Fprintf(w, "%s: %s\n", head, p.Status)
	if p.FamilyGUID != "" || p.RecoveryForkID != "" {
		fmt.Fprintf(w, "  family %s, recovery fork %s\n", textsafe.Escape(orDash(p.FamilyGUID)), textsafe.Escape(orDash(p.RecoveryForkID)))
	}
	if len(p.Steps) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  #\tTYPE\tFIRST LSN\tLAST LSN\tFINISHED (UTC)\tFILES")
		for i, s := range p.Steps {
			t := s.Type
			if isTrue(s.CopyOnly) {
				t += " (copy-only)"
			}
			if s.Empty {
				t += " (empty)"
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", i+1, t, s.FirstLSN, s.LastLSN, when(s.Finish), files(s))
		}
		tw.Flush()
	}
	if p.Reaches != nil {
		fmt.Fprintf(w, "  reaches LSN %s", p.Reaches.LSN)
		if p.Reaches.Time != nil {
			// Unlike inspect (the server's local time, as HEADERONLY
			// shows it), the plan compares backups across servers in UTC.
			fmt.Fprintf(w, " (%s UTC)", when(p.Reaches.Time))
		}
		fmt.Fprintf(w, " with %s\n", textsafe.Escape(p.Reaches.File))
	}
	for _, is := range p.Issues {
		fmt.Fprintf(w, "  %s: %s\n", is.Kind, textsafe.Line(is.Message))
	}
	if len(p.Nested) > 0 {
		fmt.Fprintf(w, "  not read (in subfolders of folder %s; DMS reads only the folder's own files):\n", textsafe.Escape(p.Folder))
		for _, f := range p.Nested {
			fmt.Fprintf(w, "    %s\n", textsafe.Escape(f))
		}
	}
	if len(p.Unused) > 0 {
		fmt.Fprintln(w, "  not restored:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, u := range p.Unused {
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", files(u.Backup()), u.Reason, textsafe.Line(u.Detail()))
		}
		tw.Flush()
	}
}

func files(b Backup) string {
	names := make([]string, len(b.Files))
	for i, f := range b.Files {
		names[i] = textsafe.Escape(f)
	}
	s := strings.Join(names, ", ")
	if b.Position > 1 {
		s += fmt.Sprintf(" (backup set %d)", b.Position)
	}
	return s
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

// Write prints plans in format "table" (also "") or "json".
func Write(w io.Writer, format string, plans []Sequence) error {
	switch format {
	case "", "table", "text":
		return WriteTable(w, plans)
	case "json":
		return WriteJSON(w, plans)
	}
	return fmt.Errorf("restore-plan: format %q: want table or json", format)
}

// Broken reports whether any plan is not ready: broken, without a full
// backup, or without backups (an exit code for `dmsready restore-plan`).
func Broken(plans []Sequence) bool {
	for _, p := range plans {
		if p.Status != StatusReady {
			return true
		}
	}
	return false
}
