package checks

import (
	"fmt"
	"strings"
)

// miFileProblems names what a Managed Instance restore refuses in a
// database's file list: DMS311 reads it from the backup, DMS417 from the
// source catalog.
func miFileProblems(logs, filestream []string) []string {
	var out []string
	if len(logs) > 1 {
		out = append(out, fmt.Sprintf("%d log files (%s): Managed Instance restores one", len(logs), strings.Join(logs, ", ")))
	}
	if len(filestream) > 0 {
		out = append(out, fmt.Sprintf("FILESTREAM, FileTable or memory-optimized files (%s): Managed Instance supports no FILESTREAM, and memory-optimized data only on Business Critical", strings.Join(filestream, ", ")))
	}
	return out
}
