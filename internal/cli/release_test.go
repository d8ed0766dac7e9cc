package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// stampRE finds the linker stamps: -X <this package>.<var>=<value>.
var stampRE = regexp.MustCompile(`-X github\.com/dmsready/dmsready/internal/cli\.(\w+)=(\S+)`)

func repoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The Makefile, GoReleaser and the Dockerfile stamp version, commit and
// build date into variables that exist: a renamed variable or package would
// make -X a silent no-op.
func TestVersionStampsNameRealVariables(t *testing.T) {
	_ = []*string{&version, &commit, &buildDate} // the names below, checked by the compiler
	want := []string{"buildDate", "commit", "version"}
	for _, f := range []string{"Makefile", ".goreleaser.yaml", "Dockerfile"} {
		var got []string
		for _, m := range stampRE.FindAllStringSubmatch(repoFile(t, f), -1) {
			got = append(got, m[1])
		}
		if f == "Makefile" {
			got = nil // the Makefile names the package once: $(CLI).version ...
			for _, m := range regexp.MustCompile(`\$\(CLI\)\.(\w+)=`).FindAllStringSubmatch(repoFile(t, f), -1) {
				got = append(got, m[1])
			}
			if !strings.Contains(repoFile(t, f), "CLI      := github.com/dmsready/dmsready/internal/cli\n") {
				t.Errorf("Makefile: CLI is not this package")
			}
		}
		slices.Sort(got)
		if !slices.Equal(slices.Compact(got), want) {
			t.Errorf("%s stamps %v, want %v", f, got, want)
		}
	}
	// And -X really reaches `dmsready version` in a linked binary.
	exe := filepath.Join(t.TempDir(), "dmsready")
	ld := "-X github.com/dmsready/dmsready/internal/cli.version=v1.2.3 -X github.com/dmsready/dmsready/internal/cli.commit=abc1234 -X github.com/dmsready/dmsready/internal/cli.buildDate=2026-01-02T03:04:05Z"
	if out, err := exec.Command("go", "build", "-ldflags", ld, "-o", exe, "../../cmd/dmsready").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "dmsready v1.2.3\ncommit:  abc1234\nbuilt:   2026-01-02T03:04:05Z\n") {
		t.Errorf("stamped binary: %v\n%s", err, out)
	}
}

// The Dockerfile builds dmsready statically and runs it as a non-root user
// on a pinned, minimal base image.
func TestDockerfile(t *testing.T) {
	var froms []string
	var user, entry string
	copied := map[string]bool{}
	for _, l := range strings.Split(repoFile(t, "Dockerfile"), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "FROM":
			froms = append(froms, f[1])
			user = "" // USER applies per stage
		case "USER":
			user = f[1]
		case "ENTRYPOINT":
			entry = strings.Trim(f[1], `["],`)
		case "COPY":
			copied[f[len(f)-1]] = true
		}
	}
	if len(froms) < 2 {
		t.Fatalf("want a build stage and a runtime stage, got FROM %v", froms)
	}
	for _, img := range froms {
		if _, tag, ok := strings.Cut(img, ":"); !ok || tag == "latest" {
			t.Errorf("base image %s is not pinned to a tag", img)
		}
	}
	final := froms[len(froms)-1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") && final != "scratch" {
		t.Errorf("runtime image %s is not minimal", final)
	}
	if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "0" || uid == "root" || strings.Trim(uid, "0123456789") != "" {
		t.Errorf("runtime stage runs as %q: want a numeric non-root user", user)
	}
	if !copied[entry] {
		t.Errorf("ENTRYPOINT %s is not the copied binary (%v)", entry, copied)
	}
	d := repoFile(t, "Dockerfile")
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/dmsready", "go mod download"} {
		if !strings.Contains(d, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
}

// GoReleaser cross-builds dmsready for Windows, macOS and Linux on amd64 and
// arm64, zips Windows archives and writes checksums. (`make snapshot`, run
// by .ci/run, is what proves the file works.)
func TestGoReleaserConfig(t *testing.T) {
	var c struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main   string   `yaml:"main"`
			Env    []string `yaml:"env"`
			Goos   []string `yaml:"goos"`
			Goarch []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			Formats         []string `yaml:"formats"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal([]byte(repoFile(t, ".goreleaser.yaml")), &c); err != nil {
		t.Fatal(err)
	}
	if c.Version != 2 || len(c.Builds) != 1 || len(c.Archives) != 1 {
		t.Fatalf("%+v", c)
	}
	b := c.Builds[0]
	if b.Main != "./cmd/dmsready" || !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build: %+v", b)
	}
	for _, g := range []string{"windows", "darwin", "linux"} {
		if !slices.Contains(b.Goos, g) {
			t.Errorf("no %s build", g)
		}
	}
	for _, a := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, a) {
			t.Errorf("no %s build", a)
		}
	}
	a := c.Archives[0]
	if len(a.FormatOverrides) != 1 || a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("Windows archives are not zip: %+v", a.FormatOverrides)
	}
	if c.Checksum.NameTemplate == "" || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksums: %+v", c.Checksum)
	}
}
