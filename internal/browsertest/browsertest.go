// Package browsertest loads a page in a real headless Chromium (Debian's
// chromium package), so tests can check that an HTML report renders without
// errors. Tests skip, saying why, when no Chromium is installed; CI installs
// it (.ci/run).
package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Binary finds Chromium: $CHROMIUM, else chromium or chromium-browser on PATH.
func Binary() string {
	if b := os.Getenv("CHROMIUM"); b != "" {
		return b
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Result is what loading a page gave.
type Result struct {
	DOM        string      // the DOM after load (--dump-dom)
	Screenshot image.Image // the rendered page
	PNG        []byte      // the screenshot as Chromium wrote it
	Log        string      // Chromium's log (stderr)
}

// Keep writes the screenshot to $DMSREADY_SCREENSHOTS/name when that is set
// (how docs/*.png are made); otherwise it does nothing.
func (r Result) Keep(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("DMSREADY_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), r.PNG, 0o644); err != nil {
		t.Fatal(err)
	}
}

// consoleError matches console output and failed loads in the log: a
// report page has no script, so any console line is an error.
var consoleError = regexp.MustCompile(`:CONSOLE[:(]|Failed to load resource|net::ERR_`)

// Load renders the HTML file at path: it dumps the DOM and takes a
// screenshot of width×height, with networking to anything but the file
// refused, and fails t on a console error or a failed load. It skips t when
// there is no Chromium.
func Load(t *testing.T, path string, width, height int) Result {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("no Chromium (apt-get install chromium, or set CHROMIUM): the browser test is skipped")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	shot := filepath.Join(dir, "page.png")
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + filepath.Join(dir, "profile"),
		// Nothing but the file: a page that needs the network fails here.
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--enable-logging=stderr", "--v=0",
		"--hide-scrollbars",
	}
	run := func(extra ...string) (string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		args := append(append(append([]string(nil), base...), extra...), "file://"+abs)
		cmd := exec.CommandContext(ctx, bin, args...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, errb.String())
		}
		return out.String(), errb.String()
	}
	dom, log1 := run("--dump-dom")
	// Self-contained: nothing to load, nothing to run.
	for _, bad := range []string{"<script", "<link", " src=", "<iframe", "<object", "@import", "url(http"} {
		if strings.Contains(strings.ToLower(dom), bad) {
			t.Errorf("page is not self-contained: it has %q", bad)
		}
	}
	_, log2 := run("--screenshot="+shot, "--window-size="+itoa(width)+","+itoa(height))
	log := log1 + log2
	for _, l := range strings.Split(log, "\n") {
		if consoleError.MatchString(l) {
			t.Errorf("page error: %s", l)
		}
	}
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, log)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return Result{DOM: dom, Screenshot: img, PNG: b, Log: log}
}

func itoa(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// Count counts the pixels for which match is true.
func Count(img image.Image, match func(r, g, b uint8) bool) int {
	n := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if match(uint8(r>>8), uint8(g>>8), uint8(b>>8)) {
				n++
			}
		}
	}
	return n
}
