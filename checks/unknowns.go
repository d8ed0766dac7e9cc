package checks

import "slices"

// isUnknown reports whether a decoded field is listed as unknown (a value
// the collector or reader could not decide), so a check does not judge it.
func isUnknown(fields []string, name string) bool { return slices.Contains(fields, name) }
