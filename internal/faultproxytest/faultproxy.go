// Package faultproxytest is a loopback HTTP proxy for tests: it forwards to one
// upstream, records every request, and injects the faults a test asks for
// (503 responses, connection resets, bodies cut short).
package faultproxytest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Fault is what the proxy does with one request.
type Fault int

const (
	Pass    Fault = iota // forward unchanged
	Busy                 // answer 503 ServerBusy without forwarding
	Reset                // reset the connection without answering
	CutBody              // forward, but abort after half the body
	// CutEarly forwards the first CutEarlyBytes of the body, then aborts: a
	// reader that resumes a cut body from where it stopped gains almost
	// nothing per request, so only a bound on retries ends it.
	CutEarly
)

// CutEarlyBytes is how much of a body CutEarly lets through.
const CutEarlyBytes = 16

// Request is one recorded request.
type Request struct {
	Method, Path, Query string
	Fault               Fault
}

// Proxy is a running proxy.
type Proxy struct {
	URL string // http://127.0.0.1:PORT

	srv      *httptest.Server
	upstream string
	decide   func(n int, r *http.Request) Fault
	mu       sync.Mutex
	log      []Request
}

// Start forwards to upstream (scheme://host:port) until Close. decide is
// called with the request's sequence number (0-based); nil forwards all.
func Start(upstream string, decide func(n int, r *http.Request) Fault) *Proxy {
	p := &Proxy{upstream: strings.TrimSuffix(upstream, "/"), decide: decide}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	return p
}

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }

// Requests returns what was received so far.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.log...)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	n := len(p.log)
	f := Pass
	if p.decide != nil {
		f = p.decide(n, r)
	}
	p.log = append(p.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Fault: f})
	p.mu.Unlock()

	switch f {
	case Busy:
		w.Header().Set("x-ms-error-code", "ServerBusy")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case Reset:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST, not FIN
		}
		_ = conn.Close()
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.upstream+r.URL.RequestURI(), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	req.ContentLength = r.ContentLength
	req.Host = r.Host
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	if (f == CutBody || f == CutEarly) && resp.ContentLength > 1 {
		n := resp.ContentLength / 2
		if f == CutEarly {
			n = min(n, CutEarlyBytes)
		}
		_, _ = io.CopyN(w, resp.Body, n)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	_, _ = io.Copy(w, resp.Body)
}
