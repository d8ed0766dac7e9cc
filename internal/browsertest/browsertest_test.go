package browsertest

import "testing"

// The log lines a broken page produces are caught; Chromium's own chatter
// is not.
func TestConsoleError(t *testing.T) {
	for line, want := range map[string]bool{
		`[1:1:1128/021543.030787:INFO:CONSOLE:1] "boom", source: file:///tmp/x.html (1)`:          true,
		`[1:1:1128/021543.030787:INFO:CONSOLE(3)] "Uncaught ReferenceError", source: x.html (3)`:  true,
		`Failed to load resource: net::ERR_NAME_NOT_RESOLVED`:                                     true,
		`[1:1:1128/021542.024536:WARNING:ui/base/idle/idle_linux.cc:111] None of the known D-Bus`: false,
	} {
		if got := consoleError.MatchString(line); got != want {
			t.Errorf("%q: match %v, want %v", line, got, want)
		}
	}
}
