// Package facts is the inventory dmsready collects before it decides anything:
// plain data that round-trips through JSON, so that `dmsready collect` on one
// machine and `dmsready check --facts` on another give the same findings.
//
// Convention: a nil pointer or nil slice means "not collected"; an empty,
// non-nil slice means "collected, none found". Collectors record their own
// failures in Errors; they never decide pass or fail.
//
// # Stable surface
//
// [Facts] and the types it holds are the input of every check, dmsready's
// own and in-house ones. Fields are only added; a field is never removed or
// given a new meaning without bumping [SchemaVersion]. The sources a check can
// need are the [Source] constants; [Facts.Has] and [Facts.ErrorFor] say
// whether one was collected or why not. [Read] and [Write] are the JSON form
// (docs/facts.md maps every field). Fields the backup reader could not
// decide are named in [BackupMedia].Unknown and [BackupSet].Unknown; a check
// treats them as unknown, never as zero.
package facts
