package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// Failures the receiver itself detects.
var (
	// errBodyTooLarge: a body exceeded max_body_size.
	errBodyTooLarge = errors.New("response body exceeds max_body_size")
	// errRedirect: a redirect the API client refuses to follow (see checkAPIRedirect).
	errRedirect = errors.New("refused to follow a redirect")
	// errInvalidBody: a success status with a body that is not what the API returns.
	errInvalidBody = errors.New("response body is not the expected JSON")
	// errBackingOff: a probe skipped while the API's rate limit holds.
	errBackingOff = errors.New("not calling the API: backing off after a 429")
)

// maxRedirects is the number of redirects the API client follows.
const maxRedirects = 10

// checkAPIRedirect follows a redirect only within the endpoint's origin and
// never twice to the same URL. La Plateforme does not redirect, so a loop
// costs one request per probe, not ten; and the API key, which Go's client
// keeps on a redirect to the same host name whatever the port or scheme,
// never leaves `endpoint`.
func checkAPIRedirect(req *http.Request, via []*http.Request) error {
	origin := via[0].URL
	if req.URL.Scheme != origin.Scheme || req.URL.Host != origin.Host {
		return fmt.Errorf("%w to another origin (%s://%s)", errRedirect, req.URL.Scheme, req.URL.Host)
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", errRedirect, maxRedirects)
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("%w: redirect loop at %s", errRedirect, req.URL.Path)
		}
	}
	return nil
}

// probeFailure is a failed probe: its error.type and the error to log.
type probeFailure struct {
	Type metadata.AttributeErrorType
	Err  error
}

// classOf maps a class of the shared vocabulary to the error.type value.
func classOf(c mistralapi.Class) metadata.AttributeErrorType {
	if t, ok := metadata.MapAttributeErrorType[string(c)]; ok {
		return t
	}
	return metadata.AttributeErrorTypeOther
}

// classifyStatus classifies a non-success HTTP answer of La Plateforme with
// the shared classifier: status, error body and rate-limit headers.
func classifyStatus(status int, body []byte, rl mistralapi.RateLimit) metadata.AttributeErrorType {
	eb, ok := mistralapi.ParseErrorBody(body)
	c := mistralapi.Classify(mistralapi.Evidence{StatusCode: status, Body: eb, HasBody: ok, RateLimit: rl})
	return classOf(c.Class)
}

// classifyError classifies an error of the exchange (sending the request or
// reading the body). ctx is the probe's context, tr the exchange's trace.
func classifyError(ctx context.Context, err error, tr *phaseTracker) metadata.AttributeErrorType {
	var streamErr *streamError
	switch {
	case errors.As(err, &streamErr):
		return streamErr.class
	case errors.Is(err, errBodyTooLarge):
		return metadata.AttributeErrorTypeBodyTooLarge
	case errors.Is(err, errInvalidBody):
		return metadata.AttributeErrorTypeInvalidBody
	case errors.Is(err, errRedirect):
		return metadata.AttributeErrorTypeRedirect
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return metadata.AttributeErrorTypeTimeout
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return metadata.AttributeErrorTypeDNS
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return metadata.AttributeErrorTypeTimeout
	}
	if isTLSError(err) || (tr != nil && tr.tlsFailed()) {
		return metadata.AttributeErrorTypeTLS
	}
	var opErr *net.OpError
	if errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &opErr) && opErr.Op == "dial" {
		return metadata.AttributeErrorTypeConnect
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.EPIPE) || errors.As(err, &opErr) {
		return metadata.AttributeErrorTypeTransport
	}
	if errors.Is(err, context.Canceled) {
		return metadata.AttributeErrorTypeOther
	}
	// Whatever else net/http returns (a malformed response, a protocol
	// error) broke the exchange at the transport level.
	return metadata.AttributeErrorTypeTransport
}

// isTLSError reports whether err comes from the TLS handshake or from
// certificate verification.
func isTLSError(err error) bool {
	var (
		verifyErr    *tls.CertificateVerificationError
		invalidErr   x509.CertificateInvalidError
		hostErr      x509.HostnameError
		authorityErr x509.UnknownAuthorityError
		recordErr    tls.RecordHeaderError
		alertErr     tls.AlertError
		echErr       *tls.ECHRejectionError
	)
	return errors.As(err, &verifyErr) || errors.As(err, &invalidErr) || errors.As(err, &hostErr) ||
		errors.As(err, &authorityErr) || errors.As(err, &recordErr) || errors.As(err, &alertErr) ||
		errors.As(err, &echErr)
}

// certFromError returns the leaf certificate a failed verification saw: an
// expired, self-signed or wrong-host certificate still tells its expiry.
func certFromError(err error) *x509.Certificate {
	var verifyErr *tls.CertificateVerificationError
	if errors.As(err, &verifyErr) && len(verifyErr.UnverifiedCertificates) > 0 {
		return verifyErr.UnverifiedCertificates[0]
	}
	var invalidErr x509.CertificateInvalidError
	if errors.As(err, &invalidErr) && invalidErr.Cert != nil {
		return invalidErr.Cert
	}
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) && hostErr.Certificate != nil {
		return hostErr.Certificate
	}
	var authorityErr x509.UnknownAuthorityError
	if errors.As(err, &authorityErr) && authorityErr.Cert != nil {
		return authorityErr.Cert
	}
	return nil
}

// leafCert returns the server's leaf certificate of a TLS connection.
func leafCert(st *tls.ConnectionState) *x509.Certificate {
	if st == nil || len(st.PeerCertificates) == 0 {
		return nil
	}
	return st.PeerCertificates[0]
}
