package fakemistral

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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

// Tier is the rate limits of a workspace's models. La Plateforme sets limits
// per model: every model (aliases share their model's row) has its own
// counters, with the limits of its entry in Models or else of this Tier.
type Tier struct {
	// RequestsPerSecond is enforced with a token bucket holding
	// max(1, RequestsPerSecond) requests; the request headers announce
	// RequestsPerSecond times the length of RequestWindow.
	RequestsPerSecond float64 `json:"requests_per_second"`
	// TokensPerMinute is the token limit of TokenWindow (fixed window).
	TokensPerMinute int64 `json:"tokens_per_minute"`
	// TokensPerMonth is enforced per calendar month (UTC).
	TokensPerMonth int64 `json:"tokens_per_month"`
	// RequestWindow names the request window as the headers spell it:
	// "minute" (free tiers, 2026; the default), "60-second" (paid tiers from
	// 2025-12), "10-second" (2025).
	RequestWindow string `json:"request_window,omitempty"`
	// TokenWindow names the short token window: "minute" (the default) or
	// "5-minute".
	TokenWindow string `json:"token_window,omitempty"`
	// Models overrides the limits of some models, by concrete model id.
	Models map[string]Tier `json:"models,omitempty"`
}

// DefaultTier is La Plateforme's free tier.
var DefaultTier = Tier{RequestsPerSecond: 1, TokensPerMinute: 500000, TokensPerMonth: 1_000_000_000,
	RequestWindow: "minute", TokenWindow: "minute"}

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
	if t.RequestWindow == "" {
		t.RequestWindow = DefaultTier.RequestWindow
	}
	if t.TokenWindow == "" {
		t.TokenWindow = DefaultTier.TokenWindow
	}
	return t
}

// validWindow reports whether w is a window the fake can announce:
// "second", "minute", or "N-second" / "N-minute" with N >= 1.
func validWindow(w string) bool {
	n, unit, ok := strings.Cut(w, "-")
	if !ok {
		unit = w
	} else if c, err := strconv.Atoi(n); err != nil || c < 1 || n[0] == '+' {
		return false
	}
	return unit == "second" || unit == "minute"
}

// Validate checks the windows of the tier and its models.
func (t Tier) Validate() error {
	for _, w := range []struct{ name, v string }{{"request_window", t.RequestWindow}, {"token_window", t.TokenWindow}} {
		if w.v != "" && !validWindow(w.v) {
			return fmt.Errorf("tier: %s %q is not a window such as \"minute\", \"60-second\" or \"5-minute\"", w.name, w.v)
		}
	}
	for m, mt := range t.Models {
		if len(mt.Models) > 0 {
			return fmt.Errorf("tier: models[%q]: models cannot nest", m)
		}
		if err := mt.Validate(); err != nil {
			return fmt.Errorf("models[%q]: %w", m, err)
		}
	}
	return nil
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
