// Package demo serves the source SQL Server of `make demo`: the project's
// own TDS test server on loopback, answering as a canned SQL Server 2016
// (sqlscenario.Demo2016), so the demo exercises the server checks with no
// external server.
package demo

import (
	"fmt"

	"github.com/dmsready/dmsready/internal/sqlsource/sqlscenario"
	"github.com/dmsready/dmsready/internal/tdstest"
)

// PasswordEnv is the variable fixtures/demo/plan.yaml reads the demo
// login's password from; the password is a fixture, not a secret.
const PasswordEnv = "DMSREADY_DEMO_SQL_PASSWORD"

// Password is the canned server's password for the demo login.
const Password = sqlscenario.Password

// Server is the running canned source.
type Server struct{ s *tdstest.Server }

// Start listens on 127.0.0.1 on a free port.
func Start() (*Server, error) {
	s, err := tdstest.Listen(sqlscenario.Demo2016().Scenario())
	if err != nil {
		return nil, err
	}
	return &Server{s: s}, nil
}

// Source is the --source value naming it: "127.0.0.1,PORT".
func (s *Server) Source() string { return fmt.Sprintf("127.0.0.1,%d", s.s.Port()) }

// Port is its port.
func (s *Server) Port() int { return s.s.Port() }

// Close stops it.
func (s *Server) Close() { s.s.Close() }
