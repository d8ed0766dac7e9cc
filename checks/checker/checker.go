// Package checker builds a dmsready with a team's own checks, the way
// golang.org/x/tools/go/analysis/multichecker builds a vet-like tool from
// analyzers: a main package calls Main with its checks and gets the whole
// dmsready command line (check, collect, restore-plan, inspect, checks,
// explain, completion, version) with those checks registered beside the
// built-in ones.
//
//	package main
//
//	import "github.com/dmsready/dmsready/checks/checker"
//
//	func main() { checker.Main(CompressedBackups) }
//
// An extra check follows the rules of the built-in ones (see package
// check): a valid definition, an ID of "DMS" and three digits that no
// built-in or other extra check has, and a pure Run over the facts.
// dmsready's own checks never take IDs from DMS900 to DMS999: in-house
// checks should, so a dmsready upgrade cannot take their IDs. An invalid
// extra check is a usage error (exit 2) naming it, before anything runs.
//
// The example in examples/customcheck is a complete in-house build.
package checker

import (
	"io"
	"os"

	"github.com/dmsready/dmsready/checks/check"
	"github.com/dmsready/dmsready/internal/cli"
)

// Main runs the dmsready command line on os.Args with the built-in checks
// and extra, and exits with dmsready's exit code (0 ready, 1 blocking
// findings, 2 usage or plan error, 3 a source could not be collected).
func Main(extra ...*check.Check) {
	os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr, extra...))
}

// Run is Main without the exit: it runs one command line (args without the
// program name) and returns the exit code. Tests use it.
func Run(args []string, stdout, stderr io.Writer, extra ...*check.Check) int {
	return cli.Main(args, stdout, stderr, extra...)
}
