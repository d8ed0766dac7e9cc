//go:build race

package storage

// raceEnabled: the race detector is on (sync.Pool then drops items at
// random, so allocation counts say nothing).
const raceEnabled = true
