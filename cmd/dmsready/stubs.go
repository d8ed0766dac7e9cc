package main

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/term"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func notYet(e *env, name string) int {
	fmt.Fprintf(e.stderr, "dmsready %s: not built yet\n", name)
	return exitUsage
}

func cmdCheck(ctx context.Context, e *env, args []string) int       { return notYet(e, "check") }
func cmdCollect(ctx context.Context, e *env, args []string) int     { return notYet(e, "collect") }
func cmdRestorePlan(ctx context.Context, e *env, args []string) int { return notYet(e, "restore-plan") }
func cmdPlan(ctx context.Context, e *env, args []string) int        { return notYet(e, "plan") }
func cmdChecks(ctx context.Context, e *env, args []string) int      { return notYet(e, "checks") }
func cmdExplain(ctx context.Context, e *env, args []string) int     { return notYet(e, "explain") }
func cmdVersion(ctx context.Context, e *env, args []string) int     { return notYet(e, "version") }
