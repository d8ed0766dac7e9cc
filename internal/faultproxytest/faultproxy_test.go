package faultproxytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFaults(t *testing.T) {
	body := strings.Repeat("x", 10000)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10000")
		_, _ = io.WriteString(w, body)
	}))
	defer up.Close()
	faults := []Fault{Busy, Reset, CutBody, Pass}
	p := Start(up.URL, func(n int, _ *http.Request) Fault { return faults[n%len(faults)] })
	defer p.Close()
	get := func() (int, string, error) {
		// A fresh connection each time: a reset must not poison the next request.
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get(p.URL + "/c/b?x=1")
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	if code, _, err := get(); err != nil || code != http.StatusServiceUnavailable {
		t.Errorf("busy: %d, %v", code, err)
	}
	if _, _, err := get(); err == nil {
		t.Error("reset: no error")
	}
	if _, b, err := get(); err == nil || len(b) >= len(body) {
		t.Errorf("cut body: %d bytes, %v", len(b), err)
	}
	if code, b, err := get(); err != nil || code != 200 || b != body {
		t.Errorf("pass: %d, %d bytes, %v", code, len(b), err)
	}
	reqs := p.Requests()
	if len(reqs) != 4 || reqs[3].Method != "GET" || reqs[3].Path != "/c/b" || reqs[3].Query != "x=1" || reqs[0].Fault != Busy {
		t.Errorf("recorded %+v", reqs)
	}
}
