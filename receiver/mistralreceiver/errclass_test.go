package mistralreceiver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

func urlErr(err error) error {
	return &url.Error{Op: "Get", URL: "https://api.mistral.ai/v1/models", Err: err}
}

func TestClassifyError(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	cert := &x509.Certificate{NotAfter: time.Now().Add(-time.Hour)}
	tlsTracker := newPhaseTracker()
	tlsTracker.tlsStart = time.Now()
	tlsTracker.tlsErr = errors.New("remote error: tls: handshake failure")

	tests := []struct {
		name string
		ctx  context.Context
		err  error
		tr   *phaseTracker
		want metadata.AttributeErrorType
	}{
		{"dns", nil, urlErr(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "api.mistral.invalid", IsNotFound: true}}), nil, metadata.AttributeErrorTypeDNS},
		{"refused", nil, urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), nil, metadata.AttributeErrorTypeConnect},
		{"reset", nil, urlErr(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), nil, metadata.AttributeErrorTypeTransport},
		{"eof", nil, urlErr(io.EOF), nil, metadata.AttributeErrorTypeTransport},
		{"unexpected eof", nil, fmt.Errorf("reading body: %w", io.ErrUnexpectedEOF), nil, metadata.AttributeErrorTypeTransport},
		{"deadline", expired, urlErr(context.DeadlineExceeded), nil, metadata.AttributeErrorTypeTimeout},
		{"client timeout", nil, urlErr(timeoutErr{}), nil, metadata.AttributeErrorTypeTimeout},
		{"expired cert", nil, urlErr(&tls.CertificateVerificationError{UnverifiedCertificates: []*x509.Certificate{cert},
			Err: x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}}), nil, metadata.AttributeErrorTypeTLS},
		{"unknown authority", nil, urlErr(x509.UnknownAuthorityError{Cert: cert}), nil, metadata.AttributeErrorTypeTLS},
		{"wrong host", nil, urlErr(x509.HostnameError{Certificate: cert, Host: "api.mistral.ai"}), nil, metadata.AttributeErrorTypeTLS},
		{"tls alert", nil, urlErr(errors.New("remote error: tls: handshake failure")), tlsTracker, metadata.AttributeErrorTypeTLS},
		{"body too large", nil, fmt.Errorf("%w (4 bytes)", outbound.ErrBodyTooLarge), nil, metadata.AttributeErrorTypeBodyTooLarge},
		{"invalid body", nil, fmt.Errorf("%w: x", errInvalidBody), nil, metadata.AttributeErrorTypeInvalidBody},
		{"redirects", nil, urlErr(outbound.ErrRedirect), nil, metadata.AttributeErrorTypeRedirect},
		{"stream error", nil, fmt.Errorf("chat: %w", &streamError{class: metadata.AttributeErrorTypeServerError}), nil, metadata.AttributeErrorTypeServerError},
		{"cancelled", nil, urlErr(context.Canceled), nil, metadata.AttributeErrorTypeOther},
		{"malformed", nil, urlErr(errors.New(`net/http: HTTP/1.x transport connection broken: malformed HTTP response "\x00"`)), nil, metadata.AttributeErrorTypeTransport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			assert.Equal(t, tt.want.String(), classifyError(ctx, tt.err, tt.tr).String())
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "Client.Timeout exceeded while awaiting headers" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestCertFromError(t *testing.T) {
	cert := &x509.Certificate{NotAfter: time.Now().Add(-time.Hour)}
	for _, err := range []error{
		urlErr(&tls.CertificateVerificationError{UnverifiedCertificates: []*x509.Certificate{cert}, Err: errors.New("x")}),
		urlErr(x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}),
		urlErr(x509.HostnameError{Certificate: cert, Host: "h"}),
		urlErr(x509.UnknownAuthorityError{Cert: cert}),
	} {
		assert.Same(t, cert, certFromError(err), err.Error())
	}
	assert.Nil(t, certFromError(io.EOF))
}

func TestClassOfCoversSharedClasses(t *testing.T) {
	for _, c := range mistralapi.Classes {
		v := classOf(c)
		assert.Equal(t, string(c), v.String(), "class %q has no error.type value", c)
	}
}

func TestClassifyStatus(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{429, `{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`, "rate_limit"},
		{503, `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error"}`, "provider_capacity"},
		{401, `{"detail":"Unauthorized"}`, "authentication"},
		{404, `<html>not found</html>`, "endpoint_not_found"},
		{404, `{"message":"no Route matched with those values"}`, "endpoint_not_found"},
		{400, `{"object":"error","message":"Invalid model: mistral-tiny","type":"invalid_model","param":null,"code":"1500","raw_status_code":400}`, "model_not_found"},
		{429, `{"object":"error","message":"Service tier capacity exceeded for this model.","type":"service_tier_capacity_exceeded","param":null,"code":"3505"}`, "provider_capacity"},
		{402, `{"object":"error","message":"x","type":"billing_api_budget_exhausted","param":null,"code":"2303"}`, "quota_exhausted"},
		{502, ``, "server_error"},
		{418, `{}`, "other"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classifyStatus(tt.status, []byte(tt.body), mistralapi.RateLimit{}).String(), "%d %s", tt.status, tt.body)
	}
}

func TestRedact(t *testing.T) {
	r := redactor{secret: "sk-secret"}
	err := urlErr(errors.New("dial failed for sk-secret"))
	err = &url.Error{Op: "Get", URL: "https://user:pass@api.example.test/v1/models", Err: err}
	msg := r.message(err)
	assert.NotContains(t, msg, "sk-secret")
	assert.NotContains(t, msg, "user:pass")
	assert.Contains(t, msg, "[REDACTED]")
	assert.Empty(t, r.message(nil))

	assert.Equal(t, "https://api.example.test/x", outbound.RedactURL("https://user:pass@api.example.test/x"))
	assert.Equal(t, "gopher://host:bad port", outbound.RedactURL("gopher://u:p@host:bad port"))
	assert.Equal(t, "https://api.mistral.ai", outbound.RedactURL("https://api.mistral.ai"))
}
