// Package check is the framework every dmsready check plugs into: a check is
// a documented value with one pure Run over the collected facts; the runner
// stamps IDs and severities, turns missing facts into skips and collector
// failures into errors, and applies waivers.
//
// # Stable surface
//
// A team that builds its own dmsready with in-house checks relies on these,
// and they change only with a note in the changelog:
//
//   - [Check]: ID ("DMS" and three digits for dmsready's own checks; IDs are
//     a public contract, never renumbered or reused), Title, Severity,
//     Needs (the fact sources Run reads), Targets (target kinds it applies
//     to; empty means all), Prevents, Doc, Fix, Link, Basis ([Documented]
//     or [Own]: a cited source, or dmsready's own rule), and Run.
//   - [Pass]: what Run is given. Facts is read-only; Run reports through
//     [Pass.Pass], [Pass.Fail], [Pass.Warn], [Pass.Note] (a warn at info
//     severity), [Pass.Skip] and [Pass.Error] (undecided: what it needs
//     could not be read), one call per object it decides, and may share
//     work between checks with
//     [Pass.Derived].
//   - [Run] evaluates checks over facts; [Validate] and [Lookup] work on a
//     registry (a sorted slice of checks); [ApplyWaivers] marks waived
//     findings.
//   - [Finding], [Status], [Severity], [Ev] are what reporters print.
//
// # Rules for a check
//
// Run is a pure function of the facts: no I/O, no clock, no environment,
// and it never modifies the facts (dmsready's tests run every registered
// check twice over the same facts to hold it to that). Run reports every
// object it looked at, passes included; a check that reports nothing is
// recorded as a skip. A value the collectors could not decide is reported as
// unknown (skip), never guessed. A Run that panics becomes an error finding
// and the other checks still run.
package check
