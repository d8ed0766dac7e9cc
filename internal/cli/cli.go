// Package cli is the dmsready command line: the command tree (on
// spf13/cobra), its flags and exit codes. cmd/dmsready calls Main; so does
// checks/checker, which adds a team's own checks to the built-in ones.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"golang.org/x/term"

	"github.com/dmsready/dmsready/checks/check"
)

// Exit codes, the same for every format.
const (
	exitReady    = 0 // no blocking findings
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage or plan error
	exitSource   = 3 // a source could not be collected
	// exitIncomplete: nothing blocks, but nothing was verified about a
	// planned database (or nothing at all): no source or storage given,
	// or a facts file without the sections the checks read.
	exitIncomplete = 4
)

// env is the world a command sees; tests hand in their own.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
	// tty reports whether stdout / stderr are terminals (colour, progress).
	stdoutTTY, stderrTTY bool
	// prompt reads a secret from the terminal; nil when stdin is not one.
	prompt func(label string) (string, error)
	// registry is every check this binary runs: the built-in ones plus
	// those handed to Main, sorted by ID.
	registry []*check.Check
	// block, when set (tests), is called before inspect hands on each
	// entry of a folder and opens each of its files (shareWatch.block).
	block func(op, path string)
}

// Main runs dmsready with args (without the program name) and returns its
// exit code. extra adds checks to the built-in registry; an extra check
// that is invalid or reuses a built-in ID is a usage error (exit 2).
func Main(args []string, stdout, stderr io.Writer, extra ...*check.Check) int {
	reg, err := registry(extra)
	if err != nil {
		fmt.Fprintf(stderr, "dmsready: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// After the first Ctrl-C the run winds down and prints what it has; a
	// second one ends the process at once, as usual.
	go func() { <-ctx.Done(); stop() }()
	e := &env{stdout: stdout, stderr: stderr, stdin: os.Stdin, getenv: os.Getenv,
		stdoutTTY: isTerminal(stdout), stderrTTY: isTerminal(stderr), registry: reg}
	if f, ok := stderr.(*os.File); ok && e.stderrTTY && term.IsTerminal(int(os.Stdin.Fd())) {
		e.prompt = func(label string) (string, error) {
			fmt.Fprint(f, label)
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			fmt.Fprintln(f)
			return string(b), err
		}
	}
	return run(ctx, e, args)
}

// run executes one command line. Flags may come anywhere on it.
func run(ctx context.Context, e *env, args []string) int {
	if e.registry == nil {
		e.registry = builtin()
	}
	st := &state{code: exitReady}
	root := newRoot(e, st)
	root.SetArgs(normalizeArgs(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		return usageFail(e, cmd, err)
	}
	return st.code
}
