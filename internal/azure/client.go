package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	armruntime "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/dmsready/dmsready/checks/facts"
)

// Config is how to reach Resource Manager.
type Config struct {
	// Credential, when set, is used as is (tests give a fake one); else Auth
	// picks an azidentity credential.
	Credential azcore.TokenCredential
	Auth       string // default, cli, managed-identity, workload-identity, environment
	ClientID   string // user-assigned managed identity
	// Cloud is public, usgov or china; Endpoint and Audience override its
	// Resource Manager service.
	Cloud, Endpoint, Audience string
	// Transport replaces the HTTP client (tests: the loopback server's).
	Transport policy.Transporter
	// Retry bounds retries of throttled (429) and failed requests; zero
	// values take MaxRetries 3, RetryDelay 2s, MaxRetryDelay 60s: a
	// Retry-After beyond MaxRetryDelay is not waited for.
	Retry policy.RetryOptions
	// Timeout bounds the whole collection (default 2 minutes).
	Timeout time.Duration
}

// cloudConfig is the cloud the requests and tokens go to.
func (c Config) cloudConfig() cloud.Configuration {
	cc := cloud.AzurePublic
	switch c.Cloud {
	case "usgov":
		cc = cloud.AzureGovernment
	case "china":
		cc = cloud.AzureChina
	}
	rm := cc.Services[cloud.ResourceManager]
	if c.Endpoint != "" {
		rm.Endpoint = strings.TrimRight(c.Endpoint, "/")
	}
	if c.Audience != "" {
		rm.Audience = c.Audience
	}
	svcs := map[cloud.ServiceName]cloud.ServiceConfiguration{}
	for k, v := range cc.Services {
		svcs[k] = v
	}
	svcs[cloud.ResourceManager] = rm
	cc.Services = svcs
	return cc
}

// credential is the one the config names. DefaultAzureCredential tries
// environment, workload identity, managed identity, az and azd in turn;
// auth pins one of them so a machine with several never picks the wrong one.
func (c Config) credential() (azcore.TokenCredential, error) {
	if c.Credential != nil {
		return c.Credential, nil
	}
	if underTest() {
		// A test that forgot its fake credential must not sign in as
		// whoever runs it.
		return nil, errors.New("azure: a test binary must give Config.Credential; it never builds a real credential chain")
	}
	co := azcore.ClientOptions{Cloud: c.cloudConfig()}
	switch c.Auth {
	case "", "default":
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co})
	case "cli":
		return azidentity.NewAzureCLICredential(nil)
	case "managed-identity":
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if c.ClientID != "" {
			o.ID = azidentity.ClientID(c.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(o)
	case "workload-identity":
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{ClientOptions: co, ClientID: c.ClientID})
	case "environment":
		return azidentity.NewEnvironmentCredential(&azidentity.EnvironmentCredentialOptions{ClientOptions: co})
	}
	return nil, fmt.Errorf("azure.auth %q: want default, cli, managed-identity, workload-identity or environment", c.Auth)
}

// underTest reports whether this is a `go test` binary.
func underTest() bool { return strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test") }

// client sends the Calls and nothing else.
type client struct {
	pl       runtime.Pipeline
	endpoint string
}

func newClient(c Config) (*client, error) {
	cred, err := c.credential()
	if err != nil {
		return nil, err
	}
	cc := c.cloudConfig()
	r := c.Retry
	if r.MaxRetries == 0 {
		r.MaxRetries = 3
	}
	if r.RetryDelay == 0 {
		r.RetryDelay = 2 * time.Second
	}
	if r.MaxRetryDelay == 0 {
		r.MaxRetryDelay = 60 * time.Second
	}
	opts := &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{Cloud: cc, Transport: c.Transport, Retry: r,
			Telemetry: policy.TelemetryOptions{ApplicationID: "dmsready"}},
		// The registration policy would POST .../register on a 409: a write.
		DisableRPRegistration: true,
	}
	pl, err := armruntime.NewPipeline("dmsready", "v1", cred, runtime.PipelineOptions{PerCall: []policy.Policy{readOnly{}}}, opts)
	if err != nil {
		return nil, err
	}
	return &client{pl: pl, endpoint: cc.Services[cloud.ResourceManager].Endpoint}, nil
}

// readOnly refuses every request that is not one of Calls: the guarantee
// does not rest on the callers.
type readOnly struct{}

func (readOnly) Do(req *policy.Request) (*http.Response, error) {
	r := req.Raw()
	if callFor(r.Method, r.URL.Path) == nil {
		return nil, fmt.Errorf("azure: refused %s %s: not a read dmsready documents", r.Method, r.URL.Path)
	}
	return req.Next()
}

// apiError is a failed call, kept with the call it was so that a 403 names
// the permission.
type apiError struct {
	call   *Call
	status int
	code   string
	msg    string
	err    error
}

func (e *apiError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%s: %v", e.call.Name, e.err)
	}
	return fmt.Sprintf("%s: HTTP %d %s: %s", e.call.Name, e.status, e.code, e.msg)
}

func (e *apiError) Unwrap() error { return e.err }

// do sends call c to path and decodes a 200 answer into out.
func (cl *client) do(ctx context.Context, c *Call, path string, out any) error {
	u := cl.endpoint + path + "?api-version=" + c.APIVersion
	if c.Query != "" {
		u += "&" + c.Query
	}
	return cl.doURL(ctx, c, u, out)
}

func (cl *client) doURL(ctx context.Context, c *Call, u string, out any) error {
	req, err := runtime.NewRequest(ctx, c.Method, u)
	if err != nil {
		return &apiError{call: c, err: err}
	}
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := cl.pl.Do(req) //nolint:bodyclose // runtime.Payload and UnmarshalAsJSON read and close it
	if err != nil {
		return &apiError{call: c, err: err}
	}
	if resp.StatusCode != http.StatusOK {
		e := &apiError{call: c, status: resp.StatusCode, code: resp.Header.Get("x-ms-error-code")}
		body, _ := runtime.Payload(resp)
		var eb struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(body, &eb) == nil {
			if eb.Error.Code != "" {
				e.code = eb.Error.Code
			}
			e.msg = oneLine(eb.Error.Message)
		}
		if e.msg == "" {
			e.msg = http.StatusText(resp.StatusCode)
		}
		return e
	}
	if err := runtime.UnmarshalAsJSON(resp, out); err != nil {
		return &apiError{call: c, err: fmt.Errorf("decoding the answer: %w", err)}
	}
	return nil
}

// list follows nextLink pages of a GET list call, on the same host only so
// the token never goes elsewhere; each page's values are handed to add.
func (cl *client) list(ctx context.Context, c *Call, path string, add func(page *listPage) error) error {
	u := cl.endpoint + path + "?api-version=" + c.APIVersion
	base, _ := url.Parse(cl.endpoint)
	for pages := 0; u != ""; pages++ {
		if pages == 100 {
			return &apiError{call: c, err: errors.New("more than 100 pages")}
		}
		var page listPage
		if err := cl.doURL(ctx, c, u, &page); err != nil {
			return err
		}
		if err := add(&page); err != nil {
			return err
		}
		u = page.NextLink
		if u != "" {
			n, err := url.Parse(u)
			if err != nil {
				return &apiError{call: c, err: fmt.Errorf("nextLink refused: %w", err)}
			}
			if base == nil || !sameHost(n, base) || n.Scheme != "https" {
				return &apiError{call: c, err: fmt.Errorf("nextLink to another host refused: %s", n.Host)}
			}
		}
	}
	return nil
}

// sameHost reports whether two https URLs name the same host and port:
// Resource Manager's nextLinks may spell out the default port
// (https://management.azure.com:443/...), which is the endpoint itself.
func sameHost(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		return "443"
	}
	return strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// oneLine keeps a service message to one short line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// sourceError turns a failed call into the collector error the checks see.
func sourceError(src facts.Source, err error) facts.SourceError {
	var ae *apiError
	if !errors.As(err, &ae) {
		return facts.SourceError{Source: src, Kind: kindOf(err), Message: err.Error()}
	}
	se := facts.SourceError{Source: src, Message: ae.Error()}
	switch {
	case ae.err != nil:
		se.Kind = kindOf(ae.err)
	case ae.status == http.StatusForbidden || ae.status == http.StatusUnauthorized && ae.code == "AuthorizationFailed":
		se.Kind = "permission"
		se.Permission = ae.call.Permission + " (" + ae.call.Role + ")"
	case ae.status == http.StatusUnauthorized:
		se.Kind = "login-failed"
	case ae.status == http.StatusNotFound:
		se.Kind = "not-found"
	case ae.status == http.StatusTooManyRequests:
		se.Kind = "timeout"
		se.Message += " (Resource Manager throttled every retry; run again later)"
	default:
		se.Kind = "other"
	}
	return se
}

func kindOf(err error) facts.ErrorKind {
	var af *azidentity.AuthenticationFailedError
	switch {
	case errors.As(err, &af), strings.Contains(err.Error(), "Credential"):
		// azidentity's "credential unavailable" errors are unexported types.
		return "login-failed"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "unreachable"
}

// listPage is one page of an ARM list answer.
type listPage struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"nextLink"`
}
