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

// PasswordEnv is the variable the demo login's password is read from
// (--password-env); the password is a fixture, not a secret.
const PasswordEnv = "DMSREADY_DEMO_SQL_PASSWORD"

// User is the demo login.
const User = sqlscenario.User

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

// Args are the flags that point dmsready at it: a DSN with the login and
// no TLS (the test server speaks none), the password from PasswordEnv.
func (s *Server) Args() []string {
	return []string{"--source", fmt.Sprintf("sqlserver://%s@127.0.0.1:%d?encrypt=disable", User, s.s.Port()), "--password-env", PasswordEnv}
}

// Port is its port.
func (s *Server) Port() int { return s.s.Port() }

// Close stops it.
func (s *Server) Close() { s.s.Close() }
