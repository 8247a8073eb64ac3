package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/statuspage"
)

// Failures the receiver itself detects.
var (
	// errInvalidBody: a success status with a body that is not what the API returns.
	errInvalidBody = errors.New("response body is not the expected JSON")
	// errBackingOff: a probe skipped while the API's rate limit holds.
	errBackingOff = errors.New("not calling the API: backing off after a 429")
)

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
	case errors.Is(err, outbound.ErrBodyTooLarge):
		return metadata.AttributeErrorTypeBodyTooLarge
	case errors.Is(err, errInvalidBody):
		return metadata.AttributeErrorTypeInvalidBody
	case errors.Is(err, outbound.ErrRedirect):
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

// statusPageFailure returns the error.type of a failed read.
func statusPageFailure(err error) metadata.AttributeStatusPageErrorType {
	var spErr *statuspage.Error
	if errors.As(err, &spErr) {
		if t, ok := metadata.MapAttributeStatusPageErrorType[string(spErr.Reason)]; ok {
			return t
		}
		return metadata.AttributeStatusPageErrorTypeHTTPStatus
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return metadata.AttributeStatusPageErrorTypeTimeout
	}
	return metadata.AttributeStatusPageErrorTypeConnection
}
