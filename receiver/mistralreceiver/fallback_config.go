package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
)

// Fallback provider kinds.
const (
	fallbackOpenAI    = "openai"
	fallbackAnthropic = "anthropic"
	fallbackMistral   = "mistral"
)

// fallbackDefaultEndpoints are the base URLs used when `endpoint` is empty.
var fallbackDefaultEndpoints = map[string]string{
	fallbackOpenAI:    "https://api.openai.com",
	fallbackAnthropic: "https://api.anthropic.com",
	fallbackMistral:   defaultEndpoint,
}

// FallbackConfig is a provider to fail over to. The receiver lists its
// models every scrape (GET {endpoint}/v1/models, free of tokens) to tell
// whether the failover would work now.
type FallbackConfig struct {
	// Name identifies the fallback in the metrics (mistral.fallback.name).
	Name string `mapstructure:"name"`
	// Kind is openai, anthropic or mistral: the API dialect of the endpoint
	// (OpenAI-compatible servers are openai).
	Kind string `mapstructure:"kind"`
	// ClientConfig is the HTTP client: endpoint is the provider's base URL
	// without /v1 (default by kind), plus tls, headers, proxy_url, auth and
	// timeout (0: the receiver's timeout).
	confighttp.ClientConfig `mapstructure:",squash"`
	// APIKey is sent only to this fallback's endpoint: as a bearer token for
	// openai and mistral, as x-api-key for anthropic.
	APIKey configopaque.String `mapstructure:"api_key"`
}

// endpoint is the configured base URL or the kind's default.
func (f *FallbackConfig) endpoint() string {
	if f.Endpoint != "" {
		return f.Endpoint
	}
	return fallbackDefaultEndpoints[f.Kind]
}

// keyHeader is the request header that carries the kind's API key.
func (f *FallbackConfig) keyHeader() string {
	if f.Kind == fallbackAnthropic {
		return "x-api-key"
	}
	return "Authorization"
}

// hasCredentials reports whether api_key, the kind's key header or an auth
// extension gives the fallback's credentials.
func (f *FallbackConfig) hasCredentials() bool {
	if f.APIKey != "" || f.Auth.HasValue() {
		return true
	}
	for name := range f.Headers.Iter {
		if strings.EqualFold(name, f.keyHeader()) {
			return true
		}
	}
	return false
}

// fallbackNameRE keeps names usable as metric attribute values and in logs.
var fallbackNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// validateFallbacks checks every fallback. Messages name the field as
// fallbacks[i].field and never contain a key.
func validateFallbacks(fbs []FallbackConfig, interval time.Duration) []error {
	var errs []error
	add := func(i int, field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("fallbacks[%d].%s: %s", i, field, fmt.Sprintf(format, args...)))
	}
	names := make(map[string]int, len(fbs))
	for i := range fbs {
		f := &fbs[i]
		switch prev, dup := names[f.Name]; {
		case !fallbackNameRE.MatchString(f.Name):
			add(i, "name", "%q must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit", f.Name)
		case dup:
			add(i, "name", "duplicate name %q (also fallbacks[%d])", f.Name, prev)
		default:
			names[f.Name] = i
		}
		if _, ok := fallbackDefaultEndpoints[f.Kind]; !ok {
			add(i, "kind", "unknown kind %q (want openai, anthropic or mistral)", f.Kind)
		} else if u, err := parseHTTPURL(f.endpoint()); err != nil {
			add(i, "endpoint", "%v", err)
		} else if strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/v1") {
			add(i, "endpoint", "%q ends with /v1; give the base URL without it (the receiver adds /v1/models)", outbound.RedactURL(f.Endpoint))
		}
		switch {
		case f.Timeout < 0:
			add(i, "timeout", "must not be negative, got %s", f.Timeout)
		case interval > 0 && f.Timeout > interval:
			add(i, "timeout", "%s must not exceed collection_interval %s", f.Timeout, interval)
		}
		if strings.ContainsFunc(string(f.APIKey), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			add(i, "api_key", "contains whitespace or control characters (check the environment variable for a trailing newline)")
		}
		if !f.hasCredentials() {
			add(i, "api_key", "required (or a %s header in headers, or auth): without credentials the probe only ever sees a 401", f.keyHeader())
		}
		if f.APIKey != "" {
			for name := range f.Headers.Iter {
				if strings.EqualFold(name, f.keyHeader()) {
					add(i, "headers", "%q must not be set together with api_key", name)
				}
			}
			if f.Auth.HasValue() {
				add(i, "auth", "an authenticator (%s) must not be set together with api_key: give the credentials one way", f.Auth.Get().AuthenticatorID)
			}
		}
		if err := f.ClientConfig.Validate(); err != nil {
			add(i, "client", "%v", err)
		}
	}
	return errs
}
