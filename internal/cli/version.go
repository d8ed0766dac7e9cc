package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the linker for releases (GoReleaser, make build):
//
//	-X github.com/dmsready/dmsready/internal/cli.version=v1.2.3
//	-X github.com/dmsready/dmsready/internal/cli.commit=abc1234
//	-X github.com/dmsready/dmsready/internal/cli.buildDate=2026-11-28T03:00:00Z
//
// Left empty, they come from the build information Go records
// (the module version of `go install ...@v1.2.3`, the VCS revision and time
// of a build from a clone).
var version, commit, buildDate string

// buildInfo is what `dmsready version` prints.
type buildInfo struct {
	version, commit, date, goVersion, platform string
	modified                                   bool
}

func readBuildInfo() buildInfo {
	b := buildInfo{version: version, commit: commit, date: buildDate,
		goVersion: runtime.Version(), platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if b.version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.commit == "" {
					b.commit = s.Value
				}
			case "vcs.time":
				if b.date == "" {
					b.date = s.Value
				}
			case "vcs.modified":
				b.modified = s.Value == "true"
			}
		}
		if bi.GoVersion != "" {
			b.goVersion = bi.GoVersion
		}
	}
	if b.version == "" {
		b.version = "devel"
	}
	return b
}

// toolVersion is the version reports carry.
func toolVersion() string { return readBuildInfo().version }

func printVersion(e *env) int {
	b := readBuildInfo()
	unknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	c := unknown(b.commit)
	if b.modified {
		c += " (modified)"
	}
	fmt.Fprintf(e.stdout, "dmsready %s\n", b.version)
	fmt.Fprintf(e.stdout, "commit:  %s\n", c)
	fmt.Fprintf(e.stdout, "built:   %s\n", unknown(b.date))
	fmt.Fprintf(e.stdout, "go:      %s %s\n", b.goVersion, b.platform)
	return exitReady
}

func newVersionCmd(e *env, st *state) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Long: `Prints the module version (a release tag, or the pseudo-version Go records
for a build from a clone), the commit, the build date and the Go toolchain.`,
		Example: `  dmsready version
  dmsready --version`,
		Args: noArgs(""),
		Run: func(*cobra.Command, []string) {
			st.code = printVersion(e)
		},
	}
}
