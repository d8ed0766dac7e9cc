//go:build !unix

package perf

import "time"

func cpu() time.Duration { return 0 }
