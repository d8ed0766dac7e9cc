// Package ci_test tests the CI templates: the GitHub Action (action.yml at
// the repository root) and the Azure DevOps steps template
// (ci/azure-pipelines/dmsready.yml), and the examples in docs/ci.md.
package ci_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const (
	actionFile   = "../action.yml"
	azureFile    = "azure-pipelines/dmsready.yml"
	docsFile     = "../docs/ci.md"
	demoPlan     = "fixtures/demo/plan.yaml" // relative to the repository root
	actionlintAt = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
)

// binDir holds a dmsready built from this checkout, as the templates build it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dmsready-ci")
	if err != nil {
		panic(err)
	}
	binDir = dir
	out, err := exec.Command("go", "build", "-o", dir+string(os.PathSeparator), "../cmd/dmsready").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type step struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	DisplayName      string            `yaml:"displayName"`
	If               string            `yaml:"if"`
	Condition        string            `yaml:"condition"`
	Uses             string            `yaml:"uses"`
	Task             string            `yaml:"task"`
	Run              string            `yaml:"run"`
	Bash             string            `yaml:"bash"`
	Shell            string            `yaml:"shell"`
	Env              map[string]string `yaml:"env"`
	With             map[string]string `yaml:"with"`
	Inputs           map[string]any    `yaml:"inputs"`
	WorkingDirectory string            `yaml:"working-directory"`
}

type action struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

func readYAML(t *testing.T, path string, v any) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func loadAction(t *testing.T) (*action, []byte) {
	t.Helper()
	var a action
	b := readYAML(t, actionFile, &a)
	return &a, b
}

func (a *action) step(t *testing.T, id string) step {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID == id || s.Name == id {
			return s
		}
	}
	t.Fatalf("action.yml: no step %q", id)
	return step{}
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// expand replaces ${{ inputs.x }} / ${{ parameters.x }} by values.
func expand(t *testing.T, s, prefix string, vals map[string]string) string {
	t.Helper()
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		e := exprRE.FindStringSubmatch(m)[1]
		name, ok := strings.CutPrefix(e, prefix)
		if !ok {
			t.Fatalf("unexpected expression %q", m)
		}
		v, ok := vals[name]
		if !ok {
			t.Fatalf("no value for %s%s", prefix, name)
		}
		return v
	})
}

// runScript runs a step's script as the CI system does (bash -eo pipefail),
// at the repository root with dmsready on PATH.
func runScript(t *testing.T, script string, env map[string]string) (stdout string, code int) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = ".."
	cmd.Env = []string{"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		if !strings.HasPrefix(k, "${{") {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if e.Len() > 0 {
		t.Logf("stderr: %s", e.String())
	}
	return o.String(), code
}

// checkReports asserts the SARIF, JUnit, JSON and Markdown reports exist and
// parse, and returns the JSON report's target kind.
func checkReports(t *testing.T, dir string) string {
	t.Helper()
	var sarif struct {
		Version string `json:"version"`
		Runs    []any  `json:"runs"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dmsready.sarif")); err != nil || json.Unmarshal(b, &sarif) != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Errorf("SARIF report: %v %+v", err, sarif)
	}
	var junit struct {
		XMLName xml.Name
	}
	if b, err := os.ReadFile(filepath.Join(dir, "junit.xml")); err != nil || xml.Unmarshal(b, &junit) != nil || !strings.HasPrefix(junit.XMLName.Local, "testsuite") {
		t.Errorf("JUnit report: %v %v", err, junit.XMLName)
	}
	var rep struct {
		Target struct{ Kind string } `json:"target"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "report.json")); err != nil || json.Unmarshal(b, &rep) != nil {
		t.Errorf("JSON report: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dmsready.md")); err != nil || !bytes.Contains(b, []byte("DMS")) {
		t.Errorf("Markdown report: %v", err)
	}
	return rep.Target.Kind
}

// outputs parses a $GITHUB_OUTPUT file (name=value lines).
func outputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		k, v, _ := strings.Cut(l, "=")
		m[k] = v
	}
	return m
}

// The action's check step, run as GitHub runs it on the demo plan: exit
// code and report paths in $GITHUB_OUTPUT, the Markdown report in the job
// summary, every report written; `args` are split, not evaluated.
func TestActionCheckStep(t *testing.T) {
	a, _ := loadAction(t)
	s := a.step(t, "check")
	if s.Shell != "bash" {
		t.Fatalf("check step shell %q", s.Shell)
	}
	for _, c := range []struct {
		args, kind string
		code       string
	}{
		{"", "sqlmi", "1"},
		// The demo's backups are not read for Azure SQL Database and it has
		// no source server: nothing verified, INCOMPLETE.
		{"--target-kind sqldb  --fail-on error", "sqldb", "4"},
		{"$(touch pwned) ;echo", "", "2"}, // neither evaluated nor run: a bad argument
	} {
		dir := t.TempDir()
		out := filepath.Join(dir, "reports")
		inputs := map[string]string{"inputs.plan": demoPlan, "inputs.fail-on": "error", "inputs.args": c.args, "inputs.output-dir": out}
		env := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "out"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary")}
		for k, v := range s.Env {
			env[k] = expand(t, v, "", inputs)
		}
		if _, code := runScript(t, s.Run, env); code != 0 {
			t.Fatalf("args %q: the check step itself failed (exit %d): it must record dmsready's exit code, not fail", c.args, code)
		}
		o := outputs(t, env["GITHUB_OUTPUT"])
		if o["exit-code"] != c.code {
			t.Errorf("args %q: exit-code output %q, want %s", c.args, o["exit-code"], c.code)
		}
		for name := range a.Outputs {
			if _, ok := o[name]; !ok {
				t.Errorf("output %s is declared but the check step does not write it", name)
			}
		}
		if c.code == "2" {
			if _, err := os.Stat(filepath.Join("..", "pwned")); err == nil {
				os.Remove(filepath.Join("..", "pwned"))
				t.Errorf("args %q were evaluated by the shell", c.args)
			}
			continue
		}
		if kind := checkReports(t, out); kind != c.kind {
			t.Errorf("args %q: report for target %q, want %q", c.args, kind, c.kind)
		}
		if o["sarif"] != filepath.Join(out, "dmsready.sarif") || o["junit"] != filepath.Join(out, "junit.xml") {
			t.Errorf("report paths: %v", o)
		}
		sum, err := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
		if md, _ := os.ReadFile(filepath.Join(out, "dmsready.md")); err != nil || len(md) == 0 || !bytes.Equal(sum, md) {
			t.Errorf("job summary is not the Markdown report (%v)", err)
		}
	}
}

// The verdict step exits as dmsready did; "fail: false" skips it.
func TestActionVerdictStep(t *testing.T) {
	a, _ := loadAction(t)
	s := a.step(t, "Verdict")
	if s.If != "inputs.fail == 'true'" {
		t.Errorf("Verdict runs if %q", s.If)
	}
	for _, code := range []int{0, 1, 2, 3, 4} {
		_, got := runScript(t, s.Run, map[string]string{"CODE": string(rune('0' + code))})
		if got != code {
			t.Errorf("dmsready exit %d: step exits %d", code, got)
		}
	}
}

// Every input the action reads is declared, every one declared is read;
// every run step names its shell; every action it uses is pinned.
func TestActionDefinition(t *testing.T) {
	a, b := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using %q", a.Runs.Using)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(b), -1) {
		used[m[1]] = true
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("action.yml reads undeclared input %q", m[1])
		}
	}
	for name, in := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q is declared but never used", name)
		}
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
	}
	ids := map[string]bool{}
	for _, s := range a.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = true
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q: a composite run step needs a shell", s.Name)
		}
		if s.Uses != "" && !regexp.MustCompile(`^[\w.-]+/[\w./-]+@v\d+$`).MatchString(s.Uses) {
			t.Errorf("step %q: uses %q is not pinned to a major version", s.Name, s.Uses)
		}
		// Inputs reach scripts through env, never spliced into the script.
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q: expression inside run (script injection); pass it through env", s.Name)
		}
	}
	for name, o := range a.Outputs {
		m := regexp.MustCompile(`^\$\{\{ steps\.([\w-]+)\.outputs\.` + regexp.QuoteMeta(name) + ` \}\}$`).FindStringSubmatch(o.Value)
		if m == nil || !ids[m[1]] {
			t.Errorf("output %s: value %q is not a step output of this action", name, o.Value)
		}
	}
}

type azureTemplate struct {
	Parameters []struct {
		Name    string   `yaml:"name"`
		Type    string   `yaml:"type"`
		Default any      `yaml:"default"`
		Values  []string `yaml:"values"`
	} `yaml:"parameters"`
	Steps []yaml.Node `yaml:"steps"`
}

// azureSteps decodes the template's steps, including those under a
// ${{ if }} block.
func azureSteps(t *testing.T, tpl *azureTemplate) []step {
	t.Helper()
	var out []step
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode && len(n.Content) == 2 && strings.HasPrefix(n.Content[0].Value, "${{ if") {
			for _, c := range n.Content[1].Content {
				walk(c)
			}
			return
		}
		var s step
		if err := n.Decode(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	for i := range tpl.Steps {
		walk(&tpl.Steps[i])
	}
	return out
}

func loadAzure(t *testing.T) (*azureTemplate, []step, []byte) {
	t.Helper()
	var tpl azureTemplate
	b := readYAML(t, azureFile, &tpl)
	return &tpl, azureSteps(t, &tpl), b
}

// The Azure template's check step on the demo plan: the exit code set as a
// pipeline variable, the Markdown report attached as a summary, the JUnit
// report where PublishTestResults looks for it.
func TestAzureCheckStep(t *testing.T) {
	tpl, steps, _ := loadAzure(t)
	var check, publish, verdict step
	for _, s := range steps {
		switch {
		case s.DisplayName == "dmsready check":
			check = s
		case s.Task == "PublishTestResults@2":
			publish = s
		case s.DisplayName == "dmsready verdict":
			verdict = s
		}
	}
	if check.Bash == "" || publish.Task == "" || verdict.Bash == "" {
		t.Fatalf("template lacks the check, publish or verdict step")
	}
	if publish.Inputs["testResultsFormat"] != "JUnit" || publish.Condition != "succeededOrFailed()" {
		t.Errorf("PublishTestResults: %+v, condition %q", publish.Inputs, publish.Condition)
	}
	if f := publish.Inputs["testResultsFiles"]; f != "${{ parameters.outputDir }}/junit.xml" || check.Env["OUT"] != "${{ parameters.outputDir }}" || !strings.Contains(check.Bash, `"junit=$OUT/junit.xml"`) {
		t.Errorf("JUnit published from %v, written to $OUT/junit.xml with OUT=%s", f, check.Env["OUT"])
	}
	defaults := map[string]string{}
	for _, p := range tpl.Parameters {
		if s, ok := p.Default.(string); ok {
			defaults["parameters."+p.Name] = s
		}
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "reports")
	vals := map[string]string{"parameters.plan": demoPlan, "parameters.failOn": "warning", "parameters.args": "", "parameters.outputDir": out}
	env := map[string]string{}
	for k, v := range check.Env {
		if k == "${{ insert }}" {
			continue // the caller's env parameter
		}
		env[k] = expand(t, v, "", vals)
	}
	stdout, code := runScript(t, check.Bash, env)
	if code != 0 {
		t.Fatalf("check step failed (exit %d)", code)
	}
	if !strings.Contains(stdout, "##vso[task.setvariable variable=DMSREADY_EXIT_CODE]1\n") {
		t.Errorf("exit code not set as a variable:\n%s", stdout)
	}
	if !strings.Contains(stdout, "##vso[task.uploadsummary]"+filepath.Join(out, "dmsready.md")+"\n") {
		t.Errorf("Markdown report not attached as a summary")
	}
	if kind := checkReports(t, out); kind != "sqlmi" {
		t.Errorf("report for target %q", kind)
	}
	var rep struct{ FailOn string }
	b, _ := os.ReadFile(filepath.Join(out, "report.json"))
	if json.Unmarshal(b, &rep); rep.FailOn != "warning" {
		t.Errorf("failOn parameter not applied: report fails on %q", rep.FailOn)
	}
	for _, c := range []int{0, 1, 2, 3, 4} {
		script := strings.ReplaceAll(verdict.Bash, "$(DMSREADY_EXIT_CODE)", string(rune('0'+c)))
		if _, got := runScript(t, script, nil); got != c {
			t.Errorf("verdict for exit %d: %d", c, got)
		}
	}
}

// Every parameter the template reads is declared, and every one declared
// is read.
func TestAzureParameters(t *testing.T) {
	tpl, _, b := loadAzure(t)
	declared := map[string]bool{}
	for _, p := range tpl.Parameters {
		declared[p.Name] = true
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`parameters\.([A-Za-z]+)`).FindAllStringSubmatch(string(b), -1) {
		used[m[1]] = true
		if !declared[m[1]] {
			t.Errorf("template reads undeclared parameter %q", m[1])
		}
	}
	for p := range declared {
		if !used[p] {
			t.Errorf("parameter %q is declared but never used", p)
		}
	}
}

// docsBlocks returns docs/ci.md's yaml blocks.
func docsBlocks(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, part := range strings.Split(string(b), "```yaml\n")[1:] {
		out = append(out, part[:strings.Index(part, "```")])
	}
	return out
}

// The examples in docs/ci.md use only inputs and parameters the templates
// declare.
func TestDocsExamples(t *testing.T) {
	a, _ := loadAction(t)
	tpl, _, _ := loadAzure(t)
	var gh, az int
	for _, blk := range docsBlocks(t) {
		var doc struct {
			Jobs map[string]struct {
				Steps []step `yaml:"steps"`
			} `yaml:"jobs"`
			Steps []struct {
				Template   string         `yaml:"template"`
				Parameters map[string]any `yaml:"parameters"`
			} `yaml:"steps"`
		}
		if err := yaml.Unmarshal([]byte(blk), &doc); err != nil {
			t.Fatalf("docs/ci.md example: %v\n%s", err, blk)
		}
		for _, j := range doc.Jobs {
			for _, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "dmsready/dmsready@") {
					continue
				}
				gh++
				for k := range s.With {
					if _, ok := a.Inputs[k]; !ok {
						t.Errorf("docs/ci.md: action input %q does not exist", k)
					}
				}
			}
		}
		for _, s := range doc.Steps {
			path, ok := strings.CutSuffix(s.Template, "@dmsready")
			if !ok {
				continue
			}
			az++
			if path != "ci/"+azureFile {
				t.Errorf("docs/ci.md: template %q, want ci/%s", path, azureFile)
			}
			for k := range s.Parameters {
				if !slices.ContainsFunc(tpl.Parameters, func(p struct {
					Name    string   `yaml:"name"`
					Type    string   `yaml:"type"`
					Default any      `yaml:"default"`
					Values  []string `yaml:"values"`
				}) bool {
					return p.Name == k
				}) {
					t.Errorf("docs/ci.md: template parameter %q does not exist", k)
				}
			}
		}
	}
	if gh < 2 || az < 1 {
		t.Errorf("docs/ci.md: %d GitHub and %d Azure DevOps examples, want 2 and 1", gh, az)
	}
}

// actionlint (pinned) checks the documented workflows against the action
// itself (uses: ./), as GitHub would run them.
func TestActionlint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds actionlint")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the examples are linted on Linux")
	}
	root := t.TempDir()
	// actionlint resolves `uses: ./` within a git repository only.
	if out, err := exec.Command("git", "init", "-q", root).CombinedOutput(); err != nil {
		t.Skipf("git init: %v %s", err, out)
	}
	wf := filepath.Join(root, ".github", "workflows")
	os.MkdirAll(wf, 0o755)
	act, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "action.yml"), act, 0o644)
	var files []string
	for i, blk := range docsBlocks(t) {
		if !strings.Contains(blk, "runs-on:") {
			continue
		}
		f := filepath.Join(wf, "example"+string(rune('1'+i))+".yml")
		os.WriteFile(f, []byte(strings.ReplaceAll(blk, "dmsready/dmsready@v1", "./")), 0o644)
		files = append(files, f)
	}
	cmd := exec.Command("go", append([]string{"run", actionlintAt, "-no-color"}, files...)...)
	cmd.Dir = root
	// The module cache and proxy settings come from the environment; the
	// temporary folder is no module, so no go.mod is consulted.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
	// A broken example must fail: the linter really runs.
	bad := filepath.Join(wf, "bad.yml")
	os.WriteFile(bad, []byte(strings.ReplaceAll(strings.ReplaceAll(docsBlocks(t)[0], "dmsready/dmsready@v1", "./"), "fail-on:", "fail-onn:")), 0o644)
	cmd = exec.Command("go", "run", actionlintAt, "-no-color", bad)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "fail-onn") {
		t.Errorf("actionlint accepted an unknown input: %v\n%s", err, out)
	}
}
