//go:build !unix

package estate

import "time"

func usage() (time.Duration, float64) { return 0, 0 }
