package report

// Temporary stand-ins until the printers land (deleted on merge).

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/dmsready/dmsready/internal/check"
)

type Options struct {
	Color     bool
	Catalogue []*check.Check
}

func Lookup(format string) (func(io.Writer, *Report, Options) error, bool) {
	switch format {
	case "json":
		return func(w io.Writer, r *Report, o Options) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		}, true
	case "text":
		return func(w io.Writer, r *Report, o Options) error {
			for _, f := range r.Findings {
				fmt.Fprintf(w, "%-5s %s %s %s\n", f.Status, f.CheckID, f.Object, f.Message)
			}
			return nil
		}, true
	}
	return nil, false
}

func ParseFormatSpec(s string) (string, string, error) {
	f, p, _ := strings.Cut(s, "=")
	if _, ok := Lookup(f); !ok {
		return "", "", fmt.Errorf("unknown format %q", f)
	}
	return f, p, nil
}
