package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/dmsready/dmsready/internal/plan"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// sourceFlags are shared by check, collect and restore-plan: a plan file and
// the flags that override it (or stand in for it on a one-off run).
type sourceFlags struct {
	plan      string
	facts     string
	o         plan.Overrides
	databases multi
}

func (s *sourceFlags) register(fs *flag.FlagSet, withFacts bool) {
	fs.StringVar(&s.plan, "plan", "", "migration plan `file` (YAML)")
	if withFacts {
		fs.StringVar(&s.facts, "facts", "", "evaluate a facts `file` written by 'dmsready collect' instead of collecting")
	}
	fs.StringVar(&s.o.Source, "source", "", "source SQL Server: host[\\instance][,port] or a sqlserver:// DSN (password via --password-env)")
	fs.StringVar(&s.o.User, "user", "", "SQL login for the source")
	fs.StringVar(&s.o.PasswordEnv, "password-env", "", "environment `variable` holding the source password (default DMSREADY_SQL_PASSWORD)")
	fs.StringVar(&s.o.Storage, "storage", "", "backup storage: a container URL (with or without a SAS) or a local/UNC path")
	fs.StringVar(&s.o.TargetKind, "target-kind", "", "target: sqlmi, sqlvm or sqldb")
	fs.StringVar(&s.o.TargetVersion, "target-version", "", "target version (sqlvm: 2014, 2019 ...; sqlmi: update policy 2022, 2025, always-up-to-date)")
	fs.Var(&s.databases, "database", "database to migrate (repeatable; replaces the plan's list)")
	fs.StringVar(&s.o.Mode, "mode", "", "online or offline")
	fs.StringVar(&s.o.Method, "method", "", "dms or lrs (Log Replay Service)")
}

// load reads the plan (if any) and applies the flags.
func (s *sourceFlags) load() (*plan.Document, error) {
	p := &plan.Document{}
	if s.plan != "" {
		var err error
		if p, err = plan.Load(s.plan); err != nil {
			return nil, err
		}
	}
	s.o.Databases = s.databases
	p.Apply(s.o)
	if s.facts != "" && s.plan == "" && p.Target.Kind == "" {
		return p, nil // the facts file carries its plan
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("dmsready "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseFlags parses, allowing flags after positional arguments too.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagExit: -h is a request, not a mistake.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitReady
	}
	return exitUsage
}

func usageError(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "dmsready %s: %v\n", cmd, err)
	return exitUsage
}
