package sqlsource_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/sqlsource"
)

// A server that accepts and never answers: the connect timeout must end it.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	c := sqlsource.Config{Server: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, User: "u", Password: "p",
		Encrypt: "disable", ConnectTimeout: 500 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv, errs := sqlsource.Collect(ctx, c)
	if srv != nil || len(errs) != 1 || errs[0].Source != facts.SrcServer || errs[0].Kind != "timeout" {
		t.Fatalf("got %v %+v", srv != nil, errs)
	}
	if ctx.Err() != nil {
		t.Error("connect timeout not honoured: the outer deadline fired")
	}
}
