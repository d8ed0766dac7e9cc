package main

import (
	"context"
	"fmt"
)

// cmdInspect is owned by the backup reader work (issue 3).
func cmdInspect(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.stderr, "dmsready inspect: not built yet")
	return exitUsage
}
