package checks

import (
	"fmt"
	"strings"
	"time"
)

// Wording shared by the checks' messages: counts, plurals and lists.

// plural is the plural suffix "s" for a count other than one.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// pluralY ends a "-y" noun for a count: "entry" or "entries".
func pluralY(n int) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}

// joinInts lists numbers separated by commas.
func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// firstN keeps the first n items and says how many more there are.
func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("and %d more", len(s)-n))
}

// orDash prints an empty value as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// count says "1 table" or "3 tables".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// mib rounds bytes up to whole MiB.
func mib(b int64) int64 { return (b + 1<<20 - 1) >> 20 }

// human prints a size in GiB, MiB or KiB.
func human(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (b+1023)/1024)
}

// list joins up to n names and says how many more there are.
func list(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

// roundDur prints a duration in days or hours, the way expiry is planned.
func roundDur(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if d >= time.Hour {
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()))
}

// hasHave and holdHolds put the verb after a folder name in agreement with
// the count before it.
func hasHave(n int, where string) string { return where + verb(n, " has", " have") }

func holdHolds(n int, where string) string { return where + verb(n, " holds", " hold") }

// verb picks the word for a count: one when n is 1, else many.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// itThem is the pronoun for n things.
func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
