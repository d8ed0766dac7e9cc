// Package tdstest is a small TDS (SQL Server wire protocol) server for tests:
// it accepts the real go-mssqldb driver over loopback, answers each query from
// canned result sets chosen by the query's marker comment, and records what
// it was asked. It is a normal package so tests in other packages can use it;
// nothing outside tests imports it.
package tdstest

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"sync"
	"testing"
	"time"
)

// Type is a column type the server can send.
type Type int

const (
	NVarChar Type = iota // nvarchar(4000): string
	Int                  // int: int64 on the client
	BigInt               // bigint: int64
	Bit                  // bit: bool
	DateTime             // datetime: time.Time (UTC, 1/300 s precision)
)

// Col is one result column; every column is nullable.
type Col struct {
	Name string
	Type Type
}

// Result is one result set. Row values are string, int, int64, bool,
// time.Time or nil (NULL).
type Result struct {
	Cols []Col
	Rows [][]any
}

// Error is a SQL Server error as an ERROR token carries it.
type Error struct {
	Number  int32
	State   uint8
	Class   uint8
	Message string
}

// Reply answers one query: result sets, or an error (after the sets' rows
// when both are given). Delay holds the answer
// back (to test query timeouts and attention); an attention during the delay
// cancels it.
type Reply struct {
	Sets  []Result
	Err   *Error
	Delay time.Duration
	// Cut sends the first half of the reply in a packet that is not the
	// last, then drops the connection: a network failure mid-result.
	Cut bool
}

// Responder builds the reply to one request.
type Responder func(Request) Reply

// Fixed answers every request with r.
func Fixed(r Reply) Responder { return func(Request) Reply { return r } }

// Sets answers with the given result sets.
func Sets(rs ...Result) Responder { return Fixed(Reply{Sets: rs}) }

// Fail answers with a SQL Server error.
func Fail(number int32, class uint8, msg string) Responder {
	return Fixed(Reply{Err: &Error{Number: number, State: 1, Class: class, Message: msg}})
}

// Scenario is what the server knows.
type Scenario struct {
	// Login decides a login; nil accepts every login. A non-nil error is sent
	// as the login failure (e.g. 18456).
	Login func(Login) *Error
	// Answers maps a marker ("dmsready:databases") to its responder.
	Answers map[string]Responder
	// Strict makes any query without a known marker fail the test.
	Strict bool
	// Version is the server version sent in LOGINACK (major, minor, build).
	Version [3]int
}

// Login is what a LOGIN7 record carried (the password is not kept).
type Login struct {
	User           string
	Database       string
	AppName        string
	ServerName     string
	ReadOnlyIntent bool
	PacketSize     int
	password       string
}

// Password returns the password sent in the login, for the Login callback only.
func (l Login) Password() string { return l.password }

// Param is one RPC parameter.
type Param struct {
	Name  string
	Type  byte // TDS type id
	Value any  // string, int64, bool or nil
}

// Request is one query as the server received it.
type Request struct {
	Kind   string // "batch" or "rpc"
	Proc   string // "sp_executesql" for RPCs by id 10, else the name
	SQL    string
	Marker string // "dmsready:databases", or "" when none
	Params []Param
	// Canceled is true when the client sent attention before the reply.
	Canceled bool
}

// Server is a running test server.
type Server struct {
	sc *Scenario
	ln net.Listener
	tb testing.TB

	mu         sync.Mutex
	reqs       []Request
	logins     []Login
	unexpected []string
	wg         sync.WaitGroup
	conns      map[net.Conn]bool
	closed     bool
}

var markerRE = regexp.MustCompile(`/\*\s*(dmsready:[A-Za-z0-9:_.-]+)\s*\*/`)

// Marker returns the first marker comment in sql, or "".
func Marker(sql string) string {
	m := markerRE.FindStringSubmatch(sql)
	if m == nil {
		return ""
	}
	return m[1]
}

// Start listens on 127.0.0.1 and serves sc until the test ends. In strict
// mode, unexpected queries fail tb at cleanup.
func Start(tb testing.TB, sc *Scenario) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("tdstest: listen: %v", err)
	}
	s := &Server{sc: sc, ln: ln, tb: tb, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	tb.Cleanup(s.Close)
	return s
}

// Listen is Start outside a test (the demo's canned server): it serves sc
// on 127.0.0.1 until Close, and unexpected queries are only recorded.
func Listen(sc *Scenario) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("tdstest: listen: %w", err)
	}
	s := &Server{sc: sc, ln: ln, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is "127.0.0.1:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Port is the listening port.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Requests returns every query received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Logins returns every login received so far.
func (s *Server) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Login(nil), s.logins...)
}

// Unexpected returns the queries that matched no marker.
func (s *Server) Unexpected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.unexpected...)
}

// Close stops the server and, in strict mode, reports unexpected queries.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
	if s.sc.Strict && s.tb != nil {
		for _, q := range s.Unexpected() {
			s.tb.Errorf("tdstest: unexpected query: %s", q)
		}
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			cn := &conn{s: s, c: c, size: 4096, in: make(chan message, 4)}
			go cn.readLoop()
			if err := cn.serve(); err != nil && !errors.Is(err, errClosed) {
				s.record(func() { s.unexpected = append(s.unexpected, "protocol: "+err.Error()) })
			}
		}()
	}
}

func (s *Server) record(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

func (s *Server) respond(r Request) Reply {
	if f, ok := s.sc.Answers[r.Marker]; ok && r.Marker != "" {
		return f(r)
	}
	s.record(func() { s.unexpected = append(s.unexpected, r.SQL) })
	return Reply{Err: &Error{Number: 50000, State: 1, Class: 16, Message: fmt.Sprintf("tdstest: no answer for %q", r.Marker)}}
}
