package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dmsready/dmsready/internal/plan"
)

// isTerminal reports whether w is a terminal (colour, progress, prompts).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// sourceFlags are shared by check, collect and restore-plan: a plan file and
// the flags that override it (or stand in for it on a one-off run).
type sourceFlags struct {
	plan  string
	facts string
	// multi makes --plan and --facts repeatable (check: an estate); plans
	// and factsList hold them, plan and facts the one of a single run.
	multi            bool
	plans, factsList []string
	o                plan.Overrides
	databases        []string
	cmd              *cobra.Command // for where a value came from (flag or environment)
}

func (s *sourceFlags) register(c *cobra.Command, withFacts bool) {
	s.cmd = c
	fs := c.Flags()
	if s.multi {
		fs.StringArrayVar(&s.plans, "plan", nil, "migration plan `file` (YAML); repeatable, or a folder of plans: one estate report")
	} else {
		fs.StringVar(&s.plan, "plan", "", "migration plan `file` (YAML)")
	}
	if withFacts && s.multi {
		fs.StringArrayVar(&s.factsList, "facts", nil, "evaluate a facts `file` written by 'dmsready collect' instead of collecting; repeatable, or a folder")
		c.MarkFlagFilename("facts", "json")
	} else if withFacts {
		fs.StringVar(&s.facts, "facts", "", "evaluate a facts `file` written by 'dmsready collect' instead of collecting")
		c.MarkFlagFilename("facts", "json")
	}
	fs.StringVar(&s.o.Source, "source", "", "source SQL Server: host[\\instance][,port] or a sqlserver:// DSN (password via --password-env)")
	fs.StringVar(&s.o.User, "user", "", "SQL login for the source")
	fs.StringVar(&s.o.PasswordEnv, "password-env", "", "environment `variable` holding the source password (default DMSREADY_SQL_PASSWORD)")
	fs.StringVar(&s.o.Storage, "storage", "", "backup storage: a container URL (with or without a SAS) or a local/UNC path")
	fs.StringVar(&s.o.TargetKind, "target-kind", "", "target: sqlmi, sqlvm or sqldb")
	fs.StringVar(&s.o.TargetVersion, "target-version", "", "target version (sqlvm: 2014, 2019 ...; sqlmi: update policy 2022, 2025, always-up-to-date)")
	fs.StringArrayVar(&s.databases, "database", nil, "database to migrate (repeatable; replaces the plan's list)")
	fs.StringVar(&s.o.Mode, "mode", "", "online or offline")
	fs.StringVar(&s.o.Method, "method", "", "dms or lrs (Log Replay Service)")
	c.MarkFlagFilename("plan", "yaml", "yml")
	c.RegisterFlagCompletionFunc("target-kind", completeWords("sqlmi", "sqlvm", "sqldb"))
	c.RegisterFlagCompletionFunc("mode", completeWords("online", "offline"))
	c.RegisterFlagCompletionFunc("method", completeWords("dms", "lrs"))
	c.RegisterFlagCompletionFunc("target-version", completeWords("2012", "2014", "2016", "2017", "2019", "2022", "2025", "always-up-to-date"))
	for _, n := range []string{"source", "user", "password-env", "database"} {
		c.RegisterFlagCompletionFunc(n, cobra.NoFileCompletions)
	}
	registerAzure(c, &s.o)
}

// registerAzure adds the flags of the plan's azure section (Azure Resource
// Manager; Reader is enough, see docs/permissions.md).
func registerAzure(c *cobra.Command, o *plan.Overrides) {
	fs := c.Flags()
	fs.StringVar(&o.AzureSubscription, "azure-subscription", "", "Azure subscription `id` of the migration's resources")
	fs.StringVar(&o.AzureResourceGroup, "azure-resource-group", "", "resource `group` of the resources given by name")
	fs.StringVar(&o.AzureTarget, "azure-target", "", "target Managed Instance, SQL virtual machine or logical server: name or resource ID")
	fs.StringVar(&o.AzureStorageAccount, "azure-storage-account", "", "backup storage account: name or resource ID (default: the container URL's account)")
	fs.StringVar(&o.AzureDMS, "azure-dms", "", "Database Migration Service (sqlMigrationServices): name or resource ID")
	fs.StringVar(&o.AzureAuth, "azure-auth", "", "Azure credential: default, cli, managed-identity, workload-identity or environment")
	c.RegisterFlagCompletionFunc("azure-auth", completeWords("default", "cli", "managed-identity", "workload-identity", "environment"))
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
	s.o.Via = map[string]string{}
	for _, n := range envFlags {
		if o := origin(s.cmd, n); o != "--"+n {
			s.o.Via["--"+n] = o
		}
	}
	p.Apply(s.o)
	if s.facts != "" && s.plan == "" && p.Target.Kind == "" {
		return p, nil // the facts file carries its plan
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

func usageError(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "dmsready %s: %v\n", cmd, err)
	return exitUsage
}

// noArgs rejects positional arguments, naming the flag a user likely meant.
func noArgs(hint string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		if hint != "" {
			return fmt.Errorf("unexpected argument %q (did you mean '"+hint+"'?)", args[0], args[0])
		}
		return fmt.Errorf("unexpected argument %q", args[0])
	}
}
