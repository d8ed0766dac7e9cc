// Command rundemo runs a dmsready command against the demo's canned SQL
// Server 2016: it starts the server on loopback, runs
//
//	BINARY ARGS... --source sqlserver://dmsready@127.0.0.1:PORT?encrypt=disable --password-env ...
//
// with the demo login's password in the environment, relays its output and
// exits with its exit code; the server stops with it. `make demo` uses it.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/dmsready/dmsready/internal/demo"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rundemo BINARY [ARGS...]")
		os.Exit(2)
	}
	srv, err := demo.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "rundemo: %v\n", err)
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], append(os.Args[2:], srv.Args()...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), demo.PasswordEnv+"="+demo.Password)
	err = cmd.Run()
	srv.Close()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		os.Exit(ee.ExitCode())
	case err != nil:
		fmt.Fprintf(os.Stderr, "rundemo: %v\n", err)
		os.Exit(2)
	}
}
