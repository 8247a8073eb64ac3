package fakemistral

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTLSSelfSigned(t *testing.T) {
	s := startFake(t, Options{TLS: TLSSelfSigned, Tier: unlimited})
	require.True(t, strings.HasPrefix(s.URL(), "https://127.0.0.1:"), s.URL())
	require.True(t, strings.HasPrefix(s.StatusURL(), "http://127.0.0.1:"), "status pages are plain HTTP")

	block, _ := pem.Decode(s.CACertPEM())
	require.NotNil(t, block)
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, ca.IsCA)

	r := call(t, newClient(t, s), "GET", s.URL()+"/v1/models", "test-key", "")
	assert.Equal(t, http.StatusOK, r.status)

	// Without the CA the certificate is not trusted.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	_, err = (&http.Client{Transport: tr}).Get(s.URL() + "/v1/models")
	var unknown x509.UnknownAuthorityError
	require.ErrorAs(t, err, &unknown)

	// localhost is in the certificate too.
	cfg := &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "localhost", NextProtos: []string{"h2", "http/1.1"}}
	cfg.RootCAs.AppendCertsFromPEM(s.CACertPEM())
	conn, err := tls.Dial("tcp", strings.TrimPrefix(s.URL(), "https://"), cfg)
	require.NoError(t, err)
	assert.Equal(t, "http/1.1", conn.ConnectionState().NegotiatedProtocol)
	conn.Close()
}

func TestTLSExpired(t *testing.T) {
	s := startFake(t, Options{TLS: TLSExpired, Tier: unlimited})
	_, err := newClient(t, s).Get(s.URL() + "/v1/models")
	require.Error(t, err)
	var inv x509.CertificateInvalidError
	require.True(t, errors.As(err, &inv), "%v", err)
	assert.Equal(t, x509.Expired, inv.Reason)
	assert.Contains(t, err.Error(), "expired")
}

func TestTLSWrongHost(t *testing.T) {
	s := startFake(t, Options{TLS: TLSWrongHost, Tier: unlimited})
	_, err := newClient(t, s).Get(s.URL() + "/v1/models")
	var host x509.HostnameError
	require.ErrorAs(t, err, &host)
	assert.Contains(t, host.Certificate.DNSNames, "wrong.example")
}

func TestTLSNone(t *testing.T) {
	s := startFake(t, Options{})
	assert.Nil(t, s.CACertPEM())
	assert.Nil(t, s.TLSConfig())
	assert.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"))
}

func TestParseTLSMode(t *testing.T) {
	for _, m := range []TLSMode{TLSNone, TLSSelfSigned, TLSExpired, TLSWrongHost} {
		got, err := ParseTLSMode(m.String())
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
	_, err := ParseTLSMode("bogus")
	assert.ErrorContains(t, err, `"bogus"`)
	assert.Equal(t, "TLSMode(9)", TLSMode(9).String())
}
