// Package azuritetest starts Azurite, Microsoft's Azure Storage emulator, for
// tests: the blob service only, in memory, on a free loopback port. Install
// it with `npm ci` at the module root (package.json pins the version).
package azuritetest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// The well-known development account Azurite serves (public values).
const (
	Account = "devstoreaccount1"
	Key     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// Server is one running Azurite blob service.
type Server struct {
	// Endpoint is the account's blob endpoint: scheme://127.0.0.1:PORT/devstoreaccount1.
	Endpoint string
	Port     string
	cmd      *exec.Cmd
}

// Options adjust the start; the zero value is plain HTTP.
type Options struct {
	// Cert and Key are PEM files: serve HTTPS (needed for OAuth).
	Cert, Key string
	// OAuth enables bearer-token checks ("--oauth basic"; needs HTTPS).
	OAuth bool
}

var listening = regexp.MustCompile(`listens on (https?)://127\.0\.0\.1:(\d+)`)

// Binary finds node_modules/.bin/azurite-blob at the module root, walking up
// from the current directory; "" when it is not installed.
func Binary() string {
	root := ModuleRoot()
	if root == "" {
		return ""
	}
	p := filepath.Join(root, "node_modules", ".bin", "azurite-blob")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// ModuleRoot is the nearest folder above the working directory with a go.mod.
func ModuleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// Start runs Azurite until the test ends. Without Azurite installed the test
// fails under CI=true and is skipped elsewhere.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		msg := "azurite is not installed: run `npm ci` at the module root"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	args := []string{"--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
		"--extentMemoryLimit", "512", "--disableTelemetry", "--skipApiVersionCheck", "--silent"}
	if o.Cert != "" {
		args = append(args, "--cert", o.Cert, "--key", o.Key)
	}
	if o.OAuth {
		args = append(args, "--oauth", "basic")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir() // Azurite may write debug or lock files in its working folder
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start azurite: %v", err)
	}
	s := &Server{cmd: cmd}
	t.Cleanup(s.stop)
	found := make(chan []string, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if !sent {
				log.WriteString(sc.Text() + "\n")
				if m := listening.FindStringSubmatch(sc.Text()); m != nil {
					found <- m
					sent = true
				}
			}
		}
		if !sent {
			close(found)
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case m, ok := <-found:
		if !ok {
			t.Fatalf("azurite exited before listening:\n%s", log.String())
		}
		s.Port = m[2]
		s.Endpoint = fmt.Sprintf("%s://127.0.0.1:%s/%s", m[1], m[2], Account)
	case <-time.After(60 * time.Second):
		t.Fatalf("azurite did not start within 60s")
	}
	return s
}

func (s *Server) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// ConnString is a connection string for the development account.
func (s *Server) ConnString() string {
	proto := "http"
	if strings.HasPrefix(s.Endpoint, "https") {
		proto = "https"
	}
	return fmt.Sprintf("DefaultEndpointsProtocol=%s;AccountName=%s;AccountKey=%s;BlobEndpoint=%s;", proto, Account, Key, s.Endpoint)
}

// Client is an account-key client for setting up test data.
func (s *Server) Client(t testing.TB, tr policy.Transporter) *azblob.Client {
	t.Helper()
	cred, err := azblob.NewSharedKeyCredential(Account, Key)
	if err != nil {
		t.Fatal(err)
	}
	opts := &azblob.ClientOptions{}
	if tr != nil {
		opts.Transport = tr
	}
	c, err := azblob.NewClientWithSharedKeyCredential(s.Endpoint+"/", cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// CreateContainer makes a container and returns its URL.
func (s *Server) CreateContainer(t testing.TB, c *azblob.Client, name string) string {
	t.Helper()
	if _, err := c.CreateContainer(context.Background(), name, nil); err != nil {
		t.Fatalf("create container %s: %v", name, err)
	}
	return s.Endpoint + "/" + name
}
