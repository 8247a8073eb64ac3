package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

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
