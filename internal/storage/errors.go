package storage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/dmsready/dmsready/internal/redact"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/dmsready/dmsready/checks/facts"
)

// Remedy for a storage firewall, from the DMS known issues (error 2009).
const firewallRemedy = "allow this machine's address (and the target's virtual network) under the storage account's " +
	"Networking > Firewalls and virtual networks; see https://learn.microsoft.com/azure/storage/common/storage-network-security"

// classifier turns an SDK or OS error into a SourceError. It knows how we
// authenticated so that a 403 names the permission that is missing.
type classifier struct {
	auth string
	sas  *facts.SASInfo
	now  time.Time
	what string // "container x" or "folder y", for not-found
	// endpoint (host:port) and timeout name what did not answer in time.
	endpoint string
	timeout  time.Duration
}

var messagePattern = regexp.MustCompile(`(?s)<Message>(.*?)</Message>`)

// serviceMessage is the first line of the service's own explanation.
func serviceMessage(re *azcore.ResponseError) string {
	if re.RawResponse == nil {
		return ""
	}
	body, err := runtime.Payload(re.RawResponse)
	if err != nil {
		return ""
	}
	m := messagePattern.FindSubmatch(body)
	if m == nil {
		return ""
	}
	s := string(m[1])
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func (c classifier) classify(err error, src facts.Source) facts.SourceError {
	e := c.kind(err)
	e.Source = src
	e.Message = redact.Text(e.Message)
	return e
}

func (c classifier) kind(err error) facts.SourceError {
	switch {
	case errors.Is(err, context.Canceled):
		return facts.SourceError{Kind: "canceled", Message: "canceled"}
	case errors.Is(err, context.DeadlineExceeded):
		msg := "timed out"
		if c.endpoint != "" {
			msg = fmt.Sprintf("no answer from %s within %s (storage.requestTimeout), on every try", c.endpoint, c.timeout)
		}
		return facts.SourceError{Kind: "timeout", Message: msg}
	}
	var ce *cutError
	if errors.As(err, &ce) {
		return facts.SourceError{Kind: "unreachable", Message: c.endpoint + ": " + ce.Error()}
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return c.response(re)
	}
	var af *azidentity.AuthenticationFailedError
	if errors.As(err, &af) || strings.Contains(err.Error(), "DefaultAzureCredential") ||
		strings.Contains(err.Error(), "not permitted for non-TLS") {
		return facts.SourceError{Kind: "login-failed", Message: "Microsoft Entra sign-in failed: " + firstLine(err.Error())}
	}
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	if errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ne) || strings.Contains(err.Error(), "connection reset") ||
		strings.Contains(err.Error(), "EOF") {
		return facts.SourceError{Kind: "unreachable", Message: "cannot reach the storage endpoint: " + firstLine(err.Error())}
	}
	return facts.SourceError{Kind: "other", Message: firstLine(err.Error())}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func (c classifier) response(re *azcore.ResponseError) facts.SourceError {
	code := re.ErrorCode
	svc := serviceMessage(re)
	detail := fmt.Sprintf("%d %s", re.StatusCode, code)
	if svc != "" {
		detail += ": " + svc
	}
	expired := c.sas != nil && c.sas.Expiry != nil && !c.now.IsZero() && c.sas.Expiry.Before(c.now)
	// A user delegation SAS is refused once its key expires (ske).
	keyExpired := c.sas != nil && c.sas.UserDelegation && c.sas.KeyExpiry != nil && !c.now.IsZero() && c.sas.KeyExpiry.Before(c.now)
	switch {
	case code == "BlobNotFound":
		// Only a ranged read names a blob: one listed a moment before.
		return facts.SourceError{Kind: "not-found", Message: "the blob no longer exists: deleted or renamed since it was listed (" + detail + ")"}
	case code == "ContainerNotFound":
		return facts.SourceError{Kind: "not-found", Message: c.what + " does not exist (" + detail + ")"}
	case re.StatusCode == 404 && c.auth == "none":
		return facts.SourceError{Kind: "not-found", Message: c.what + " does not exist or does not allow anonymous access (" + detail + ")"}
	case re.StatusCode == 404:
		return facts.SourceError{Kind: "not-found", Message: c.what + " not found (" + detail + ")"}
	case re.StatusCode == 403 && keyExpired && !expired:
		return facts.SourceError{Kind: "expired", Message: "the SAS's user delegation key has expired (at " + c.sas.KeyExpiry.Format(time.RFC3339) +
			"), and the SAS with it; issue a new read+list SAS (" + detail + ")"}
	case re.StatusCode == 403 && (expired || strings.Contains(svc, "Signed expiry time")):
		msg := "the SAS has expired"
		if c.sas != nil && c.sas.Expiry != nil {
			msg += " (at " + c.sas.Expiry.Format(time.RFC3339) + ")"
		}
		return facts.SourceError{Kind: "expired", Message: msg + "; issue a new read+list SAS (" + detail + ")"}
	case (re.StatusCode == 401 || re.StatusCode == 403) && c.notYetValid():
		// The service answers a SAS whose start time is still ahead as
		// it answers a bad signature (403 AuthenticationFailed).
		return facts.SourceError{Kind: "forbidden", Message: "the SAS is not valid yet: it starts at " + c.sas.Start.Format(time.RFC3339) +
			", after this machine's clock (" + c.now.UTC().Format(time.RFC3339) + "); issue one whose start time has passed, or without a start time (" + detail + ")"}
	case (re.StatusCode == 401 || re.StatusCode == 403) && c.sas != nil && c.sas.ResourceTypes == "" && strings.HasPrefix(c.sas.Resource, "b"):
		// A blob SAS (sr=b, bs snapshot, bv version) signs one blob's
		// path: listing the container fails its signature check.
		return facts.SourceError{Kind: "forbidden", Message: "the SAS is for one blob (sr=" + c.sas.Resource + "), which cannot list the container (" + detail + ")",
			Permission: c.permission()}
	case (re.StatusCode == 401 || re.StatusCode == 403) && c.sas != nil && c.sas.ResourceTypes == "" && c.sas.Resource == "d":
		// A directory SAS is valid only on an account with a
		// hierarchical namespace; elsewhere its signature fails.
		return facts.SourceError{Kind: "forbidden", Message: "the SAS is for one directory (sr=d), which the service refused: a directory SAS is valid only on an account with a hierarchical namespace, and DMS needs a container SAS (" + detail + ")",
			Permission: c.permission()}
	case strings.HasPrefix(svc, "Server failed to authenticate"):
		// A wrong key or signature (Azure says AuthenticationFailed; Azurite
		// says AuthorizationFailure with this message).
		return facts.SourceError{Kind: "forbidden", Message: "authentication failed: the key or SAS signature does not match (" + detail + ")", Permission: c.permission()}
	case code == "AuthorizationFailure":
		return facts.SourceError{Kind: "firewall", Message: "the storage account refused the request (" + detail +
			"); this is what its firewall answers when network rules do not allow the caller: " + firewallRemedy}
	case code == "KeyBasedAuthenticationNotPermitted":
		// Shared Key access disabled on the account: an account key, and
		// every SAS signed with one, is refused (DMS's SAS too).
		return facts.SourceError{Kind: "forbidden", Message: "the storage account does not allow Shared Key authorization, which signs account keys and service or account SAS tokens (" + detail +
			"); use a user delegation SAS or Microsoft Entra", Permission: "a user delegation SAS (read and list) or Microsoft Entra with Storage Blob Data Reader"}
	case code == "AuthorizationSourceIPMismatch":
		msg := "the SAS admits only some client addresses"
		if c.sas != nil && c.sas.IPRange != "" {
			msg += " (sip=" + c.sas.IPRange + ")"
		}
		return facts.SourceError{Kind: "forbidden", Message: msg + " and this machine's address is not among them (" + detail + ")",
			Permission: "a SAS whose IP range includes this machine (and the target)"}
	case code == "AuthorizationPermissionMismatch":
		return facts.SourceError{Kind: "forbidden", Message: "the credential may not list or read blobs (" + detail + ")", Permission: c.permission()}
	case re.StatusCode == 401 || re.StatusCode == 403:
		return facts.SourceError{Kind: "forbidden", Message: "access denied (" + detail + ")", Permission: c.permission()}
	case re.StatusCode >= 500:
		return facts.SourceError{Kind: "unreachable", Message: "the storage service kept failing after retries (" + detail + ")"}
	}
	return facts.SourceError{Kind: "other", Message: detail}
}

// notYetValid reports a SAS whose start time is after the clock.
func (c classifier) notYetValid() bool {
	return c.sas != nil && c.sas.Start != nil && !c.now.IsZero() && c.sas.Start.After(c.now)
}

func (c classifier) permission() string {
	switch c.auth {
	case "sas":
		return "a SAS with read (r) and list (l) permissions on the container"
	case "entra":
		return "the Storage Blob Data Reader role on the container or account"
	case "none":
		return "a credential: the container is not public"
	}
	return "a valid account key"
}
