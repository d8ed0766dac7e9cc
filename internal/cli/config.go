package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Configuration precedence, highest first:
//
//  1. a flag on the command line;
//  2. its environment variable: DMSREADY_ and the flag's name in upper case
//     with _ for - (DMSREADY_TARGET_KIND for --target-kind);
//  3. the plan file: --plan, DMSREADY_PLAN, or dmsready.yaml in the current
//     directory when neither names one (and no --facts is given).
//
// Only flags that describe the migration or the gate have a variable: not
// --facts, -o or --format, whose meaning differs between commands.
var envFlags = []string{
	"plan", "source", "user", "password-env", "storage", "target-kind", "target-version",
	"database", "mode", "method", "fail-on", "no-color",
	"azure-subscription", "azure-resource-group", "azure-target", "azure-storage-account", "azure-dms", "azure-auth",
}

// defaultPlan is the plan file used when --plan is omitted.
const defaultPlan = "dmsready.yaml"

// envAnnotation marks a flag whose value came from the environment.
const envAnnotation = "dmsready/env"

// envName is the variable for a flag.
func envName(flag string) string {
	return "DMSREADY_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// resolveConfig fills the flags not given on the command line from the
// environment, then finds dmsready.yaml when no plan is named.
func resolveConfig(e *env, c *cobra.Command) error {
	fs := c.Flags()
	for _, name := range envFlags {
		f := fs.Lookup(name)
		if f == nil || f.Changed {
			continue
		}
		v := e.getenv(envName(name))
		if v == "" {
			continue
		}
		if err := setFromEnv(f, v); err != nil {
			return fmt.Errorf("%s=%q: %w", envName(name), v, err)
		}
		if f.Annotations == nil {
			f.Annotations = map[string][]string{}
		}
		f.Annotations[envAnnotation] = []string{envName(name)}
	}
	p := fs.Lookup("plan")
	if p == nil || !unset(p) {
		return nil
	}
	if fa := fs.Lookup("facts"); fa != nil && !unset(fa) {
		return nil // a facts file carries its plan
	}
	if st, err := os.Stat(defaultPlan); err == nil && st.Mode().IsRegular() {
		fmt.Fprintf(e.stderr, "dmsready: using %s in the current directory (--plan not given)\n", defaultPlan)
		return p.Value.Set(defaultPlan)
	}
	return nil
}

// unset: a string flag left empty, or a repeatable one given no value.
func unset(f *pflag.Flag) bool {
	v := f.Value.String()
	return v == "" || (f.Value.Type() == "stringArray" && v == "[]")
}

// setFromEnv sets a flag from its variable. A repeatable flag takes a
// comma-separated list (DMSREADY_DATABASE=Sales,HR).
func setFromEnv(f *pflag.Flag, v string) error {
	if f.Value.Type() != "stringArray" {
		return f.Value.Set(v)
	}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if err := f.Value.Set(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// origin names where a flag's value came from, for error messages:
// "--mode" or "DMSREADY_MODE".
func origin(c *cobra.Command, name string) string {
	if c != nil {
		if f := c.Flags().Lookup(name); f != nil {
			if v := f.Annotations[envAnnotation]; len(v) > 0 {
				return v[0]
			}
		}
	}
	return "--" + name
}
