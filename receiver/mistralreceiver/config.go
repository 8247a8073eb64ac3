package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configtls"
	"go.opentelemetry.io/collector/scraper/scraperhelper"

	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// Defaults of the receiver's settings.
const (
	defaultEndpoint           = "https://api.mistral.ai"
	defaultCollectionInterval = 60 * time.Second
	defaultTimeout            = 15 * time.Second
	defaultMaxBodySize        = 4 << 20
	defaultChatModel          = "ministral-8b-latest"
	defaultChatEvery          = 5
	defaultChatDelay          = time.Second
	defaultStatusPageName     = "mistral"
	defaultStatusPageEndpoint = "https://status.mistral.ai"
	defaultStatusPageFormat   = "auto"
)

// Config is the configuration of the mistral receiver.
//
// `timeout` is read by both squashed structs: the scraper controller's
// scrape deadline is not used (the receiver bounds each probe itself) and
// ClientConfig.Timeout is the per-probe timeout.
type Config struct {
	scraperhelper.ControllerConfig `mapstructure:",squash"`
	// ClientConfig is the HTTP client of the API probes: endpoint is
	// La Plateforme's base URL (without /v1).
	confighttp.ClientConfig       `mapstructure:",squash"`
	metadata.MetricsBuilderConfig `mapstructure:",squash"`

	// APIKey is the La Plateforme API key, sent as a bearer token to
	// `endpoint` only. The API probes run when it, an Authorization header
	// in `headers` or an `auth` extension gives credentials.
	APIKey configopaque.String `mapstructure:"api_key"`
	// Workspace names the workspace the key belongs to; it becomes the
	// mistral.workspace resource attribute.
	Workspace string `mapstructure:"workspace"`
	// Models are the model names (ids or aliases) the user depends on.
	Models []string `mapstructure:"models"`
	// ChatProbe configures the opt-in one-token chat probe.
	ChatProbe ChatProbeConfig `mapstructure:"chat_probe"`
	// StatusPages are the status pages to read. When the key is absent the
	// default is Mistral's page; an explicit empty list disables them.
	StatusPages []StatusPageConfig `mapstructure:"status_pages"`
	// MaxBodySize bounds, in bytes, every response body the receiver reads.
	MaxBodySize int64 `mapstructure:"max_body_size"`
	// State names a mistral_state extension shared with an llm_enrich
	// processor (join.go); unset, the receiver works alone.
	State *component.ID `mapstructure:"state"`
	// Fallbacks are the providers to fail over to, probed for readiness.
	Fallbacks []FallbackConfig `mapstructure:"fallbacks"`
}

// ChatProbeConfig configures the chat probe.
type ChatProbeConfig struct {
	// Enabled turns the probe on. It spends tokens: off by default.
	Enabled bool `mapstructure:"enabled"`
	// Model is the model the probe asks (an id or an alias).
	Model string `mapstructure:"model"`
	// Every runs the probe on every Every-th scrape (1 = every scrape).
	Every int `mapstructure:"every"`
	// Delay separates the chat request from the models probe's request, so
	// that the two do not exceed a requests-per-second limit.
	Delay time.Duration `mapstructure:"delay"`
}

// StatusPageConfig is one status page to read.
type StatusPageConfig struct {
	// Name identifies the page in the metrics (mistral.status_page.name).
	Name string `mapstructure:"name"`
	// Endpoint is the page's base URL, or the URL of a feed.
	Endpoint string `mapstructure:"endpoint"`
	// Format is auto, statuspage, incidentio, rootly, rss or atom.
	Format string `mapstructure:"format"`
	// TLS configures the TLS client of this page (a private CA for an
	// internal mirror, for instance). The API's tls settings do not apply.
	TLS configtls.ClientConfig `mapstructure:"tls,omitempty"`
}

// probeTimeout is the bound of each probe.
func (cfg *Config) probeTimeout() time.Duration { return cfg.ClientConfig.Timeout }

// Validate checks the configuration. Every error names the field and the
// offending value; the API key is never part of a message.
func (cfg *Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if u, err := parseHTTPURL(cfg.Endpoint); err != nil {
		add("endpoint: %w", err)
	} else if strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/v1") {
		// The usual SDK base URL: every probe would get a 404 on /v1/v1/...
		add("endpoint: %q ends with /v1; give the base URL without it (the receiver adds /v1/models)", outbound.RedactURL(cfg.Endpoint))
	}
	if cfg.CollectionInterval <= 0 {
		add("collection_interval: must be positive, got %s", cfg.CollectionInterval)
	}
	timeout := cfg.probeTimeout()
	switch {
	case timeout <= 0:
		add("timeout: must be positive, got %s", timeout)
	case cfg.CollectionInterval > 0 && timeout > cfg.CollectionInterval:
		add("timeout: %s must not exceed collection_interval %s", timeout, cfg.CollectionInterval)
	}
	if cfg.MaxBodySize <= 0 {
		add("max_body_size: must be positive, got %d", cfg.MaxBodySize)
	}
	if strings.ContainsFunc(string(cfg.APIKey), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		// Never print the key, not even part of it.
		add("api_key: contains whitespace or control characters (check the environment variable for a trailing newline)")
	}
	if cfg.APIKey != "" {
		for name := range cfg.Headers.Iter {
			if strings.EqualFold(name, "Authorization") {
				add("headers: %q must not be set together with api_key", name)
			}
		}
		if cfg.Auth.HasValue() {
			add("auth: an authenticator (%s) must not be set together with api_key: give the credentials one way", cfg.Auth.Get().AuthenticatorID)
		}
	}

	seen := make(map[string]int, len(cfg.Models))
	for i, m := range cfg.Models {
		switch prev, dup := seen[m]; {
		case strings.TrimSpace(m) == "":
			add("models[%d]: must not be empty, got %q", i, m)
		case dup:
			add("models[%d]: duplicate model %q (also models[%d])", i, m, prev)
		default:
			seen[m] = i
		}
	}

	cp := cfg.ChatProbe
	if cp.Every < 1 {
		add("chat_probe.every: must be at least 1, got %d", cp.Every)
	}
	if cp.Delay < 0 {
		add("chat_probe.delay: must not be negative, got %s", cp.Delay)
	}
	// Like the API probe, an enabled chat probe runs only when credentials are given, so one
	// configuration serves with and without a key (MISTRAL_API_KEY unset: status pages only).
	if cp.Enabled && strings.TrimSpace(cp.Model) == "" {
		add("chat_probe.model: required when chat_probe.enabled is true, got %q", cp.Model)
	}

	names := make(map[string]int, len(cfg.StatusPages))
	for i, sp := range cfg.StatusPages {
		switch prev, dup := names[sp.Name]; {
		case strings.TrimSpace(sp.Name) == "":
			add("status_pages[%d].name: must not be empty, got %q", i, sp.Name)
		case dup:
			add("status_pages[%d].name: duplicate name %q (also status_pages[%d])", i, sp.Name, prev)
		default:
			names[sp.Name] = i
		}
		if _, err := parseHTTPURL(sp.Endpoint); err != nil {
			add("status_pages[%d].endpoint: %w", i, err)
		}
		if err := validateStatusPageFormat(sp.Format); err != nil {
			add("status_pages[%d].format: %w", i, err)
		}
	}
	errs = append(errs, validateFallbacks(cfg.Fallbacks, cfg.CollectionInterval)...)
	return errors.Join(errs...)
}

// hasCredentials reports whether La Plateforme's key is configured, by
// api_key, by an Authorization header in headers or by an auth extension:
// then the API probes run.
func (cfg *Config) hasCredentials() bool {
	if cfg.APIKey != "" || cfg.Auth.HasValue() {
		return true
	}
	for name := range cfg.Headers.Iter {
		if strings.EqualFold(name, "Authorization") {
			return true
		}
	}
	return false
}

// parseHTTPURL accepts absolute http and https URLs with a host.
func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid URL", outbound.RedactURL(s))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q must be an http or https URL", outbound.RedactURL(s))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", outbound.RedactURL(s))
	}
	return u, nil
}
