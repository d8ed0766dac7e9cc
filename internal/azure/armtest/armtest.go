// Package armtest is a loopback Azure Resource Manager for tests: a TLS
// server answering with the official example responses kept in
// fixtures/arm, recording every request, and able to throttle (429 with
// Retry-After) or refuse (403 AuthorizationFailed) a path. It never reaches
// Azure, and its credential is a fixed fake token.
package armtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Token is the fake bearer token the server expects.
const Token = "armtest-token"

// Request is one request the server saw.
type Request struct {
	Method, Path, APIVersion string
	// Authorized is true when it carried the test credential's token.
	Authorized bool
}

type route struct {
	status int
	body   []byte
}

type throttle struct {
	left       int
	retryAfter string
}

// Server is the loopback Resource Manager.
type Server struct {
	srv      *httptest.Server
	mu       sync.Mutex
	routes   map[string]route
	throttle map[string]*throttle
	hang     map[string]bool
	reqs     []Request
}

// New starts a server; it stops when the test ends.
func New(t testing.TB) *Server {
	s := &Server{routes: map[string]route{}, throttle: map[string]*throttle{}, hang: map[string]bool{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the server's https endpoint, the Resource Manager endpoint to use.
func (s *Server) URL() string { return s.srv.URL }

// Transport is an HTTP client that trusts the server's certificate.
func (s *Server) Transport() policy.Transporter { return s.srv.Client() }

// Credential is the explicit test credential: a fixed token, no identity
// provider, no environment.
func (s *Server) Credential() azcore.TokenCredential { return fakeCredential{} }

type fakeCredential struct{}

func (fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: Token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func key(method, path string) string { return method + " " + strings.ToLower(path) }

// Fixture answers method path with the 200 body of an example file under
// fixtures/arm (e.g. "sql/ManagedInstanceGet.json"); edit, when not nil,
// changes the parsed body first (a scenario the example does not show).
func (s *Server) Fixture(t testing.TB, method, path, file string, edit func(body map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Root(t), "fixtures", "arm", file))
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Responses map[string]struct {
			Body map[string]any `json:"body"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	body := ex.Responses["200"].Body
	if body == nil {
		t.Fatalf("%s: no 200 body", file)
	}
	if edit != nil {
		edit(body)
	}
	s.JSON(method, path, http.StatusOK, body)
}

// JSON answers method path with status and body.
func (s *Server) JSON(method, path string, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[key(method, path)] = route{status: status, body: b}
}

// Page answers method path when its $skiptoken query is token (a later
// page of a list, reached through its nextLink) with status and body; the
// route without a token answers the first page.
func (s *Server) Page(method, path, token string, status int, body any) {
	s.JSON(method, path+"?$skiptoken="+token, status, body)
}

// Forbid answers method path with 403 AuthorizationFailed, as ARM does
// for a principal without the permission.
func (s *Server) Forbid(method, path, action string) {
	s.JSON(method, path, http.StatusForbidden, map[string]any{"error": map[string]any{
		"code": "AuthorizationFailed",
		"message": fmt.Sprintf("The client 'armtest' with object id '00000000-0000-0000-0000-000000000000' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid.",
			action, path)}})
}

// Throttle answers the next n requests for method path with 429 and
// Retry-After retryAfter (seconds) before serving the route.
func (s *Server) Throttle(method, path string, n int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle[key(method, path)] = &throttle{left: n, retryAfter: retryAfter}
}

// Hang never answers method path: the request waits until the client gives
// up (a Resource Manager call that stalls).
func (s *Server) Hang(method, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang[key(method, path)] = true
}

// Requests is every request so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	k := key(r.Method, r.URL.Path)
	if t := r.URL.Query().Get("$skiptoken"); t != "" {
		k = key(r.Method, r.URL.Path+"?$skiptoken="+t)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Method: r.Method, Path: r.URL.Path, APIVersion: r.URL.Query().Get("api-version"),
		Authorized: r.Header.Get("Authorization") == "Bearer "+Token})
	th := s.throttle[k]
	rt, ok := s.routes[k]
	throttled := th != nil && th.left > 0
	if throttled {
		th.left--
	}
	hang := s.hang[k]
	s.mu.Unlock()
	if hang {
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+Token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"code":"AuthenticationFailed","message":"no or wrong bearer token"}}`)
		return
	}
	if throttled {
		w.Header().Set("Retry-After", th.retryAfter)
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error":{"code":"TooManyRequests","message":"The request is being throttled."}}`)
		return
	}
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"error":{"code":"ResourceNotFound","message":"The Resource '%s' was not found."}}`, strings.ReplaceAll(r.URL.Path, `"`, ""))
		return
	}
	w.WriteHeader(rt.status)
	w.Write(rt.body)
}

// Root is the repository root (the directory holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = up
	}
}
