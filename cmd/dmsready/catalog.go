package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/dmsready/dmsready/checks"
	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/plan"
)

// version is set by the linker (-X main.version=...) for releases.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func cmdVersion(ctx context.Context, e *env, args []string) int {
	fmt.Fprintf(e.stdout, "dmsready %s\n", toolVersion())
	return exitReady
}

func cmdChecks(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("checks", e)
	format := fs.String("format", "table", "table, json or markdown")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		return usageError(e, "checks", fmt.Errorf("unexpected argument %q (did you mean 'dmsready explain %s'?)", pos[0], pos[0]))
	}
	switch *format {
	case "table":
		checks.Table(e.stdout, checks.All)
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(checks.Entries(checks.All)); err != nil {
			return usageError(e, "checks", err)
		}
	case "markdown", "md":
		checks.Markdown(e.stdout, checks.All)
	default:
		return usageError(e, "checks", fmt.Errorf("--format %q: want table, json or markdown", *format))
	}
	return exitReady
}

var codePattern = regexp.MustCompile(`^[0-9]{4}$`)

func cmdExplain(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("explain", e)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: dmsready explain DMS101 | 2009 | limitation-key ...")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) == 0 {
		fs.Usage()
		fmt.Fprintln(e.stderr, "\nDMS error codes and limitations:")
		for _, k := range checks.KnownIssues {
			label := k.Code
			if label == "" || k.Key != k.Code {
				label = k.Key
			}
			fmt.Fprintf(e.stderr, "  %-24s %s\n", label, firstSentence(k.Message))
		}
		return exitUsage
	}
	code := exitReady
	for i, a := range pos {
		if i > 0 {
			fmt.Fprintln(e.stdout, "\n---")
		}
		if c := check.Lookup(checks.All, a); c != nil {
			checks.Explain(e.stdout, c)
			continue
		}
		if checks.ExplainKnown(e.stdout, strings.ToLower(a)) || checks.ExplainKnown(e.stdout, a) {
			continue
		}
		switch {
		case codePattern.MatchString(a):
			fmt.Fprintf(e.stderr, "dmsready explain: %s is not a DMS error code on the known-issues page\n", a)
		default:
			fmt.Fprintf(e.stderr, "dmsready explain: no check or error code %q (see 'dmsready checks')\n", a)
		}
		code = exitUsage
	}
	return code
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 && i < 100 {
		return s[:i+1]
	}
	if len(s) > 100 {
		return s[:97] + "..."
	}
	return s
}

func cmdPlan(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "validate" {
		fmt.Fprintln(e.stderr, "Usage: dmsready plan validate FILE")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return exitReady
		}
		return exitUsage
	}
	fs := newFlagSet("plan validate", e)
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "Usage: dmsready plan validate FILE")
		return exitUsage
	}
	p, err := plan.Load(pos[0])
	if err != nil {
		return planError(e, err)
	}
	f := p.Facts()
	fmt.Fprintf(e.stdout, "%s: valid plan: target %s, %d database(s), %d waiver(s), %s\n", pos[0], f.Target.Kind, len(f.Databases), len(p.Waivers), f.Digest)
	return exitReady
}

// planError prints plan errors one per line (file:line:column: message).
func planError(e *env, err error) int {
	var es plan.Errors
	if errors.As(err, &es) {
		for _, pe := range es {
			fmt.Fprintln(e.stderr, pe.Error())
		}
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "dmsready: %v\n", err)
	return exitUsage
}

var _ = flag.ErrHelp
