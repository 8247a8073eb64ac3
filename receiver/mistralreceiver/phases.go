package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"crypto/tls"
	"crypto/x509"
	"net/http/httptrace"
	"sync"
	"time"
)

// phase indexes the phases of an HTTP exchange, as blackbox_exporter splits it.
type phase int

const (
	phaseDNS phase = iota
	phaseConnect
	phaseTLS
	phaseFirstByte
	phaseTransfer
	numPhases
)

// phaseDurations holds the duration of each phase.
type phaseDurations [numPhases]time.Duration

// phaseTracker records the moments of an exchange through httptrace. The
// transport may call the hooks from its dialing goroutines, even after the
// request returned, hence the lock.
type phaseTracker struct {
	mu sync.Mutex

	start, end                time.Time
	dnsStart, dnsDone         time.Time
	connectStart, connectDone time.Time
	tlsStart, tlsDone         time.Time
	wroteRequest, firstByte   time.Time
	tlsErr                    error
	peerCert                  *x509.Certificate
	now                       func() time.Time
}

func newPhaseTracker() *phaseTracker {
	return &phaseTracker{now: time.Now}
}

// trace returns the hooks to attach to the request's context.
func (p *phaseTracker) trace() *httptrace.ClientTrace {
	at := func(dst *time.Time, overwrite bool) {
		t := p.now()
		p.mu.Lock()
		if overwrite || dst.IsZero() {
			*dst = t
		}
		p.mu.Unlock()
	}
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { at(&p.dnsStart, true) },
		DNSDone:  func(httptrace.DNSDoneInfo) { at(&p.dnsDone, true) },
		// Happy eyeballs may dial several addresses: the phase runs from the
		// first start to the last end.
		ConnectStart:      func(string, string) { at(&p.connectStart, false) },
		ConnectDone:       func(string, string, error) { at(&p.connectDone, true) },
		TLSHandshakeStart: func() { at(&p.tlsStart, true) },
		TLSHandshakeDone: func(st tls.ConnectionState, err error) {
			t := p.now()
			p.mu.Lock()
			p.tlsDone = t
			p.tlsErr = err
			if len(st.PeerCertificates) > 0 {
				p.peerCert = st.PeerCertificates[0]
			}
			p.mu.Unlock()
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { at(&p.wroteRequest, true) },
		GotFirstResponseByte: func() { at(&p.firstByte, true) },
	}
}

// begin and finish mark the start of the request and the end of the body.
func (p *phaseTracker) begin() {
	t := p.now()
	p.mu.Lock()
	p.start = t
	p.mu.Unlock()
}

func (p *phaseTracker) finish() {
	t := p.now()
	p.mu.Lock()
	if p.end.IsZero() {
		p.end = t
	}
	p.mu.Unlock()
}

// startTime is when the request began.
func (p *phaseTracker) startTime() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.start
}

// total is the duration from begin to finish.
func (p *phaseTracker) total() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return nonNegative(p.end.Sub(p.start))
}

// tlsFailed reports whether a TLS handshake was started and did not succeed.
func (p *phaseTracker) tlsFailed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.tlsStart.IsZero() && (p.tlsErr != nil || p.tlsDone.IsZero())
}

// certificate returns the leaf certificate the handshake saw, if any.
func (p *phaseTracker) certificate() *x509.Certificate {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peerCert
}

// durations splits the exchange into phases. A phase that started and never
// ended (the one in progress when the exchange failed or timed out) lasts
// until the end, so that the slow phase shows where a probe hung. Phases
// that did not happen are 0.
func (p *phaseTracker) durations() phaseDurations {
	p.mu.Lock()
	defer p.mu.Unlock()
	end := p.end
	span := func(from, to time.Time) time.Duration {
		if from.IsZero() {
			return 0
		}
		if to.IsZero() || to.Before(from) {
			to = end
		}
		return nonNegative(to.Sub(from))
	}
	var d phaseDurations
	d[phaseDNS] = span(p.dnsStart, p.dnsDone)
	d[phaseConnect] = span(p.connectStart, p.connectDone)
	d[phaseTLS] = span(p.tlsStart, p.tlsDone)
	d[phaseFirstByte] = span(p.wroteRequest, p.firstByte)
	if !p.firstByte.IsZero() {
		d[phaseTransfer] = span(p.firstByte, end)
	}
	return d
}

func nonNegative(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}
