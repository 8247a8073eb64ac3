package mistralreceiver

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name     string
		expected func(*Config)
	}{
		{name: "", expected: func(*Config) {}},
		{
			name: "full",
			expected: func(c *Config) {
				c.CollectionInterval = 30 * time.Second
				c.ControllerConfig.Timeout = 10 * time.Second
				c.ClientConfig.Timeout = 10 * time.Second
				c.Endpoint = "https://eu.example.test/mistral"
				c.APIKey = "sk-test-0123456789"
				c.Workspace = "prod"
				c.Models = []string{"mistral-small-latest", "mistral-large-latest"}
				c.MaxBodySize = 1 << 20
				c.ChatProbe = ChatProbeConfig{Enabled: true, Model: "ministral-8b-latest", Every: 3, Delay: 2 * time.Second}
				c.StatusPages = []StatusPageConfig{
					{Name: "mistral", Endpoint: "https://status.mistral.ai", Format: "auto"},
					{Name: "openai", Endpoint: "https://status.openai.com", Format: "incidentio"},
					{Name: "anthropic", Endpoint: "https://status.claude.com/history.atom", Format: "atom"},
				}
			},
		},
		{
			name: "no_status_pages",
			expected: func(c *Config) {
				c.APIKey = "sk-test-0123456789"
				c.StatusPages = []StatusPageConfig{}
			},
		},
		{
			name: "fallbacks",
			expected: func(c *Config) {
				c.APIKey = "sk-test-0123456789"
				c.Fallbacks = []FallbackConfig{
					{Name: "openai", Kind: "openai", APIKey: "sk-openai-0123456789"},
					{Name: "claude", Kind: "anthropic", APIKey: "sk-ant-0123456789",
						ClientConfig: confighttp.ClientConfig{Endpoint: "https://anthropic.example.test", Timeout: 5 * time.Second}},
					{Name: "mistral-eu", Kind: "mistral", ClientConfig: confighttp.ClientConfig{Endpoint: "https://eu.example.test/mistral",
						Headers: configopaque.MapList{{Name: "Authorization", Value: "Bearer from-a-header"}}}},
				}
			},
		},
		{
			name: "key_in_header",
			expected: func(c *Config) {
				c.Headers = configopaque.MapList{{Name: "Authorization", Value: "Bearer sk-test-0123456789"}}
			},
		},
		{
			name: "key_in_auth",
			expected: func(c *Config) {
				c.Auth = configoptional.Some(configauth.Config{AuthenticatorID: component.MustNewID("bearertokenauth")})
			},
		},
		{
			name: "status_only",
			expected: func(c *Config) {
				c.StatusPages = []StatusPageConfig{{Name: "anthropic", Endpoint: "https://status.claude.com", Format: "statuspage"}}
			},
		},
	}
	for _, tt := range tests {
		t.Run("mistral/"+tt.name, func(t *testing.T) {
			cfg := loadConfig(t, tt.name)
			require.NoError(t, cfg.Validate())
			want := NewFactory().CreateDefaultConfig().(*Config)
			tt.expected(want)
			assert.Equal(t, want, cfg)
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	assert.Equal(t, 60*time.Second, cfg.CollectionInterval)
	assert.Equal(t, 15*time.Second, cfg.probeTimeout())
	assert.Equal(t, "https://api.mistral.ai", cfg.Endpoint)
	assert.Equal(t, int64(4<<20), cfg.MaxBodySize)
	assert.False(t, cfg.ChatProbe.Enabled)
	assert.Equal(t, []StatusPageConfig{{Name: "mistral", Endpoint: "https://status.mistral.ai", Format: "auto"}}, cfg.StatusPages)
	assert.False(t, cfg.Keepalive.HasValue(), "probes measure a fresh connection each time")
	require.NoError(t, cfg.Validate())
}

// TestChatProbeWithoutCredentials: an enabled chat probe without a key is a
// valid configuration; the probe then stays off, like the API probe.
func TestChatProbeWithoutCredentials(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub("mistral/chat_without_key")
	require.NoError(t, err)
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	require.NoError(t, cfg.Validate())
	assert.True(t, cfg.ChatProbe.Enabled)
	assert.False(t, cfg.hasCredentials())
}

func TestValidateConfig(t *testing.T) {
	tests := []struct {
		name string
		err  string
	}{
		{"bad_endpoint", `endpoint: "ftp://api.mistral.ai" must be an http or https URL`},
		{"relative_endpoint", `endpoint: "api.mistral.ai" must be an http or https URL`},
		{"endpoint_with_v1", `endpoint: "https://api.mistral.ai/v1/" ends with /v1; give the base URL without it (the receiver adds /v1/models)`},
		{"zero_interval", "collection_interval: must be positive, got 0s"},
		{"zero_timeout", "timeout: must be positive, got 0s"},
		{"timeout_over_interval", "timeout: 45s must not exceed collection_interval 30s"},
		{"max_body_size", "max_body_size: must be positive, got 0"},
		{"bad_format", `status_pages[0].format: unknown format "statusio" (want auto, statuspage, incidentio, rootly, rss or atom)`},
		{"duplicate_pages", `status_pages[1].name: duplicate name "mistral" (also status_pages[0])`},
		{"empty_page_name", `status_pages[0].name: must not be empty, got ""`},
		{"bad_page_endpoint", `status_pages[0].endpoint: "status.example.test" must be an http or https URL`},
		{"chat_without_model", `chat_probe.model: required when chat_probe.enabled is true, got ""`},
		{"key_and_auth", "auth: an authenticator (bearertokenauth/mistral) must not be set together with api_key: give the credentials one way"},
		{"fallback_bad_kind", `fallbacks[0].kind: unknown kind "azure" (want openai, anthropic or mistral)`},
		{"fallback_no_kind", `fallbacks[0].kind: unknown kind "" (want openai, anthropic or mistral)`},
		{"fallback_bad_name", `fallbacks[0].name: "my backup" must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit`},
		{"fallback_empty_name", `fallbacks[0].name: "" must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit`},
		{"fallback_duplicate", `fallbacks[1].name: duplicate name "backup" (also fallbacks[0])`},
		{"fallback_bad_endpoint", `fallbacks[0].endpoint: "api.openai.com" must be an http or https URL`},
		{"fallback_endpoint_v1", `fallbacks[0].endpoint: "https://api.openai.com/v1" ends with /v1; give the base URL without it (the receiver adds /v1/models)`},
		{"fallback_timeout", "fallbacks[0].timeout: 45s must not exceed collection_interval 30s"},
		{"fallback_negative_timeout", "fallbacks[0].timeout: must not be negative, got -1s"},
		{"fallback_key_whitespace", "fallbacks[0].api_key: contains whitespace or control characters (check the environment variable for a trailing newline)"},
		{"fallback_no_key", "fallbacks[0].api_key: required (or a x-api-key header in headers, or auth): without credentials the probe only ever sees a 401"},
		{"fallback_key_and_header", `fallbacks[0].headers: "X-Api-Key" must not be set together with api_key`},
		{"fallback_key_and_auth", "fallbacks[0].auth: an authenticator (oauth2client) must not be set together with api_key: give the credentials one way"},
		{"chat_every", "chat_probe.every: must be at least 1, got 0"},
		{"chat_delay", "chat_probe.delay: must not be negative, got -1s"},
		{"empty_model", `models[1]: must not be empty, got ""`},
		{"duplicate_model", `models[1]: duplicate model "mistral-small-latest" (also models[0])`},
		{"key_whitespace", "api_key: contains whitespace or control characters (check the environment variable for a trailing newline)"},
		{"authorization_header", `headers: "Authorization" must not be set together with api_key`},
		{"many_errors", strings.Join([]string{
			`endpoint: "gopher://x" must be an http or https URL`,
			"collection_interval: must be positive, got -1s",
			"max_body_size: must be positive, got -5",
		}, "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := loadConfig(t, tt.name)
			err := cfg.Validate()
			require.EqualError(t, err, tt.err)
			assert.NotContains(t, err.Error(), "sk-test-0123456789", "the API key must never be in an error")
		})
	}
}

func TestValidateRedactsEndpointUserinfo(t *testing.T) {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.Endpoint = "ftp://user:secret@api.example.test"
	cfg.StatusPages[0].Endpoint = "gopher://user:secret@status.example.test"
	err := cfg.Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret")
}

// TestCredentialsTurnProbesOn: a key given only through headers or an auth
// extension is a key: the API probes run.
func TestCredentialsTurnProbesOn(t *testing.T) {
	for name, want := range map[string]bool{"": false, "status_only": false, "no_status_pages": true,
		"key_in_header": true, "key_in_auth": true} {
		assert.Equal(t, want, loadConfig(t, name).hasCredentials(), name)
	}
}
