package storage

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dmsready/dmsready/checks/facts"
	"github.com/dmsready/dmsready/internal/azuritetest"
)

// selfSigned writes a certificate for 127.0.0.1 and returns the files and a
// client that trusts it (azcore sends bearer tokens over HTTPS only).
func selfSigned(t *testing.T) (certFile, keyFile string, client *http.Client) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// tokenCred hands out an unsigned JWT with the issuer, audience and times
// Azurite's basic OAuth mode checks (it does not check signatures).
type tokenCred struct {
	aud    string
	scopes []string
	err    error
}

func (c *tokenCred) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.scopes = o.Scopes
	if c.err != nil {
		return azcore.AccessToken{}, c.err
	}
	now := time.Now()
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	claims := map[string]any{"aud": c.aud, "iss": "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
		"iat": now.Add(-time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
		"oid": "00000000-0000-0000-0000-000000000002", "tid": "00000000-0000-0000-0000-000000000001"}
	tok := enc(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + enc(claims) + "." + base64.RawURLEncoding.EncodeToString([]byte("unsigned"))
	return azcore.AccessToken{Token: tok, ExpiresOn: now.Add(time.Hour)}, nil
}

func TestAzuriteEntra(t *testing.T) {
	certFile, keyFile, client := selfSigned(t)
	srv := azuritetest.Start(t, azuritetest.Options{Cert: certFile, Key: keyFile, OAuth: true})
	c := srv.Client(t, client)
	ctrURL := srv.CreateContainer(t, c, "backups")
	layout := testLayout()[:3]
	upload(t, c, "backups", layout)

	cred := &tokenCred{aud: "https://storage.azure.com"}
	st := mustCollect(t, Config{Location: ctrURL, Auth: "entra", Credential: cred, Transport: client, ReadHeaders: true, HeaderReader: fakeReader})
	if st.Auth != "entra" || len(st.Files) != 3 || fileByPath(st, "db2/db2_full.bak").Backup == nil {
		t.Errorf("storage = %+v", st)
	}
	if len(cred.scopes) != 1 || cred.scopes[0] != "https://storage.azure.com/.default" {
		t.Errorf("token scopes = %v", cred.scopes)
	}
	// Auto-detection picks Entra when nothing else is given.
	if st := mustCollect(t, Config{Location: ctrURL, Credential: cred, Transport: client}); st.Auth != "entra" {
		t.Errorf("auto auth = %q, want entra", st.Auth)
	}

	for _, tc := range []struct {
		name, kind string
		cred       *tokenCred
	}{
		{"no token", "login-failed", &tokenCred{err: errors.New("DefaultAzureCredential: failed to acquire a token")}},
		{"wrong audience", "forbidden", &tokenCred{aud: "https://management.azure.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Collect(context.Background(), Config{Location: ctrURL, Auth: "entra", Credential: tc.cred, Transport: client, Getenv: noEnv, Retry: fastRetry()})
			if len(errs) != 1 || string(errs[0].Kind) != tc.kind || errs[0].Source != facts.SrcStorage {
				t.Fatalf("errors = %+v, want %s", errs, tc.kind)
			}
			if tc.kind == "forbidden" && errs[0].Permission == "" {
				t.Error("a refused identity must name the role it needs")
			}
		})
	}

	// Plain HTTP: azcore refuses to send a token; the error says so.
	_, errs := Collect(context.Background(), Config{Location: "http://127.0.0.1:" + srv.Port + "/" + azuritetest.Account + "/backups", Auth: "entra", Credential: cred, Getenv: noEnv, Retry: fastRetry()})
	if len(errs) != 1 || errs[0].Kind != "invalid" {
		t.Errorf("entra over http: %+v", errs)
	}
}
