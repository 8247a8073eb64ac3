package fakemistral

import (
	"fmt"
	"log/slog"
	"time"
)

// Options configure a Server. The zero value is a usable fake: one key
// "test-key" in workspace "default", the free tier, current rate-limit header
// names, plain HTTP, the wall clock and no logging.
type Options struct {
	// APIKeys maps an accepted bearer key to its workspace name. Default
	// (nil): {"test-key": "default"}. Keys of one workspace share its limits.
	APIKeys map[string]string
	// Tier is the rate-limit tier of every workspace. A zero field takes the
	// value of DefaultTier; a negative field disables that limit (its headers
	// are then not sent).
	Tier Tier
	// LegacyHeaders makes the API send the 2024 rate-limit header names
	// (ratelimitbysize-*) instead of the current ones.
	LegacyHeaders bool
	// TLS selects the API listener's certificate. The status listener is
	// always plain HTTP.
	TLS TLSMode
	// Now is the clock (default time.Now). Deprecation dates, status page
	// timestamps and limiter windows use it; latencies and TLS certificate
	// validity use the wall clock.
	Now func() time.Time
	// Logger receives one line per request; nil is silent. Authorization
	// values are never logged.
	Logger *slog.Logger
}

// Tier is a workspace's rate limits.
type Tier struct {
	// RequestsPerSecond is enforced with a token bucket holding
	// max(1, RequestsPerSecond) requests; the per-minute request headers
	// announce RequestsPerSecond*60.
	RequestsPerSecond float64 `json:"requests_per_second"`
	// TokensPerMinute is enforced per clock minute (fixed window).
	TokensPerMinute int64 `json:"tokens_per_minute"`
	// TokensPerMonth is enforced per calendar month (UTC).
	TokensPerMonth int64 `json:"tokens_per_month"`
}

// DefaultTier is La Plateforme's free tier.
var DefaultTier = Tier{RequestsPerSecond: 1, TokensPerMinute: 500000, TokensPerMonth: 1_000_000_000}

// withDefaults fills zero fields from DefaultTier.
func (t Tier) withDefaults() Tier {
	if t.RequestsPerSecond == 0 {
		t.RequestsPerSecond = DefaultTier.RequestsPerSecond
	}
	if t.TokensPerMinute == 0 {
		t.TokensPerMinute = DefaultTier.TokensPerMinute
	}
	if t.TokensPerMonth == 0 {
		t.TokensPerMonth = DefaultTier.TokensPerMonth
	}
	return t
}

// TLSMode selects the certificate of the API listener.
type TLSMode int

// TLS modes. Certificates are generated in memory when the Server is created:
// a CA (see Server.CACertPEM) signs a leaf certificate for the API listener.
const (
	// TLSNone serves plain HTTP.
	TLSNone TLSMode = iota
	// TLSSelfSigned serves a currently valid certificate for 127.0.0.1, ::1
	// and localhost, signed by the fake's own CA.
	TLSSelfSigned
	// TLSExpired serves a certificate for the same names that expired a day ago.
	TLSExpired
	// TLSWrongHost serves a valid certificate for "wrong.example" only.
	TLSWrongHost
)

var tlsModeNames = map[TLSMode]string{
	TLSNone:       "none",
	TLSSelfSigned: "self-signed",
	TLSExpired:    "expired",
	TLSWrongHost:  "wrong-host",
}

// String returns the mode's flag name: none, self-signed, expired or wrong-host.
func (m TLSMode) String() string {
	if s, ok := tlsModeNames[m]; ok {
		return s
	}
	return fmt.Sprintf("TLSMode(%d)", int(m))
}

// ParseTLSMode reads a mode's flag name (see TLSMode.String).
func ParseTLSMode(s string) (TLSMode, error) {
	for m, name := range tlsModeNames {
		if name == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown TLS mode %q (want none, self-signed, expired or wrong-host)", s)
}
