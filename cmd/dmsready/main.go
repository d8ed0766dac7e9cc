// Command dmsready finds, before cutover, every documented reason the Azure
// Database Migration Service would fail to migrate a SQL Server database.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"golang.org/x/term"
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
}

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"check", "evaluate readiness: collect (or read --facts) and run every check", cmdCheck},
		{"collect", "collect facts only and write them as JSON (-o facts.json)", cmdCollect},
		{"restore-plan", "print the restore sequence DMS will attempt, per database", cmdRestorePlan},
		{"inspect", "read backup headers from files, folders or blob URLs, without SQL Server", cmdInspect},
		{"plan", "plan validate FILE: check a migration plan", cmdPlan},
		{"checks", "list every check (--format table|json|markdown)", cmdChecks},
		{"explain", "explain a check (DMS101) or a DMS error code (2009)", cmdExplain},
		{"version", "print the version", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, getenv: os.Getenv,
		stdoutTTY: isTerminal(os.Stdout), stderrTTY: isTerminal(os.Stderr)}
	if isTerminal(os.Stdin) && e.stderrTTY {
		e.prompt = func(label string) (string, error) {
			fmt.Fprint(os.Stderr, label)
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
	}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitReady
	}
	if args[0] == "--version" || args[0] == "-version" {
		return cmdVersion(ctx, e, nil)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "dmsready: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: dmsready <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'dmsready <command> -h' for a command's flags.")
}
