package fakemistral

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func startProvider(t *testing.T, kind ProviderKind) *Provider {
	t.Helper()
	p := NewProvider(ProviderOptions{Kind: kind, APIKeys: []string{"sk-good-0123456789abcdef"}})
	require.NoError(t, p.Start(""))
	t.Cleanup(p.Close)
	return p
}

func TestProviderOpenAI(t *testing.T) {
	p := startProvider(t, ProviderOpenAI)
	c := &http.Client{Timeout: 5 * time.Second}
	models := p.URL() + "/v1/models"

	r := call(t, c, "GET", models, "sk-good-0123456789abcdef", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, bodyOpenAIModels, r.body)
	assert.Empty(t, r.header.Get("x-ratelimit-limit-requests"), "a models listing carries no rate-limit headers")

	r = call(t, c, "GET", models, "", "")
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, bodyOpenAINoKey, r.body)
	r = call(t, c, "GET", models, "sk-wrong-key-ABCDEFGH1234", "")
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Contains(t, r.body, `Incorrect API key provided: sk-wrong****************1234.`)
	assert.Contains(t, r.body, `"code":"invalid_api_key"`)

	for mode, status := range map[ProviderMode]int{ProviderRevokedKey: 401, ProviderQuota: 429, ProviderRateLimit: 429, ProviderOverloaded: 503} {
		r = call(t, c, "POST", p.URL()+"/_fake/mode", "", `{"mode":"`+string(mode)+`"}`)
		require.Equal(t, http.StatusOK, r.status, r.body)
		r = call(t, c, "GET", models, "sk-good-0123456789abcdef", "")
		assert.Equal(t, status, r.status, mode)
		if mode == ProviderQuota {
			assert.Equal(t, BodyOpenAIQuota, r.body)
		}
		if mode == ProviderRateLimit {
			assert.Equal(t, "0", r.header.Get("x-ratelimit-remaining-requests"))
			assert.Equal(t, "500", r.header.Get("x-ratelimit-limit-requests"))
		}
	}
	assert.Equal(t, http.StatusBadRequest, call(t, c, "POST", p.URL()+"/_fake/mode", "", `{"mode":"broke"}`).status)
	assert.Len(t, p.Requests(), 7, "admin requests are not logged")
	assert.Equal(t, http.StatusOK, call(t, c, "POST", p.URL()+"/_fake/reset", "", "").status)
	assert.Equal(t, ProviderOK, p.Mode())
	assert.Empty(t, p.Requests())
	assert.Equal(t, http.StatusNotFound, call(t, c, "GET", p.URL()+"/v1/chat", "sk-good-0123456789abcdef", "").status)
}

func TestProviderAnthropic(t *testing.T) {
	p := startProvider(t, ProviderAnthropic)
	c := &http.Client{Timeout: 5 * time.Second}
	models := p.URL() + "/v1/models"
	key, version := "sk-good-0123456789abcdef", "2023-06-01"

	r := call(t, c, "GET", models, "", "", "x-api-key", key, "anthropic-version", version)
	assert.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, bodyAnthropicModels, r.body)
	assert.Empty(t, r.header.Get("anthropic-ratelimit-requests-limit"), "a models listing carries no rate-limit headers")

	r = call(t, c, "GET", models, key, "", "anthropic-version", version)
	assert.Equal(t, http.StatusUnauthorized, r.status, "a bearer token is not Anthropic's key header")
	assert.Equal(t, bodyAnthropicNoKey, r.body)
	r = call(t, c, "GET", models, "", "", "x-api-key", key)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, bodyAnthropicNoVersion, r.body)
	r = call(t, c, "GET", models, "", "", "x-api-key", "sk-other", "anthropic-version", version)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, BodyAnthropicRevoked, r.body)

	for mode, status := range map[ProviderMode]int{ProviderRevokedKey: 401, ProviderQuota: 400, ProviderRateLimit: 429, ProviderOverloaded: 529} {
		require.NoError(t, p.SetMode(mode))
		r = call(t, c, "GET", models, "", "", "x-api-key", key, "anthropic-version", version)
		assert.Equal(t, status, r.status, mode)
		if mode == ProviderRateLimit {
			assert.Equal(t, "0", r.header.Get("anthropic-ratelimit-requests-remaining"))
			_, err := time.Parse(time.RFC3339, r.header.Get("anthropic-ratelimit-requests-reset"))
			assert.NoError(t, err)
		}
	}
	reqs := p.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, key, reqs[0].APIKey)
	assert.Empty(t, reqs[0].Authorization)
}

func TestProviderUnknownKind(t *testing.T) {
	assert.Error(t, NewProvider(ProviderOptions{Kind: "azure"}).Start(""))
}
