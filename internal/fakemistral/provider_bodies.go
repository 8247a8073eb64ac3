package fakemistral

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Bodies of the fallback providers, as recorded or reported (sources in
// README.md, "Fallback providers").
const (
	bodyOpenAIModels = `{"object":"list","data":[` +
		`{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},` +
		`{"id":"gpt-4.1","object":"model","created":1744316542,"owned_by":"system"}]}`
	bodyOpenAINoKey = `{"error":{"message":"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":null}}`
	// BodyOpenAIQuota is OpenAI's 429 for a spent balance.
	BodyOpenAIQuota      = `{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`
	bodyOpenAIRateLimit  = `{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}`
	bodyOpenAIOverloaded = `{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","param":null,"code":null}}`

	bodyAnthropicModels = `{"data":[` +
		`{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"},` +
		`{"type":"model","id":"claude-haiku-4-5-20251001","display_name":"Claude Haiku 4.5","created_at":"2025-10-01T00:00:00Z"}],` +
		`"has_more":false,"first_id":"claude-sonnet-4-20250514","last_id":"claude-haiku-4-5-20251001"}`
	bodyAnthropicNoVersion = `{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: header is required"}}`
	bodyAnthropicNoKey     = `{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"}}`
	// BodyAnthropicRevoked is Anthropic's 401 for a bad or revoked key.
	BodyAnthropicRevoked = `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CfakeRevokedKey0000000"}`
	// BodyAnthropicCredit is Anthropic's answer for a spent credit balance:
	// a 400 invalid_request_error, not a 429.
	BodyAnthropicCredit     = `{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_011CfakeCreditBalance00000"}`
	bodyAnthropicRateLimit  = `{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."},"request_id":"req_011CfakeRateLimit000000000"}`
	bodyAnthropicOverloaded = `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CfakeOverloaded00000000"}`
)

// BodyOpenAIRevoked is OpenAI's 401 for a bad or revoked key: it echoes the
// key, masked to its first 8 and last 4 characters (a short key in full).
func BodyOpenAIRevoked(key string) string {
	shown := key
	if len(key) > 12 {
		shown = key[:8] + "****************" + key[len(key)-4:]
	}
	msg, _ := json.Marshal("Incorrect API key provided: " + shown + ". You can find your API key at https://platform.openai.com/account/api-keys.")
	return `{"error":{"message":` + string(msg) + `,"type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`
}

func (p *Provider) serveOpenAI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("openai-version", "2020-10-01")
	w.Header().Set("x-request-id", "req_"+newID())
	if r.URL.Path != "/v1/models" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		msg, _ := json.Marshal(fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path))
		writeBody(w, http.StatusNotFound, `{"error":{"message":`+string(msg)+`,"type":"invalid_request_error","param":null,"code":null}}`)
		return
	}
	key, known := p.key(r)
	mode := p.Mode()
	switch {
	case key == "":
		writeBody(w, http.StatusUnauthorized, bodyOpenAINoKey)
	case !known || mode == ProviderRevokedKey:
		writeBody(w, http.StatusUnauthorized, BodyOpenAIRevoked(key))
	case mode == ProviderQuota:
		writeBody(w, http.StatusTooManyRequests, BodyOpenAIQuota)
	case mode == ProviderRateLimit:
		h := w.Header()
		h.Set("x-ratelimit-limit-requests", "500")
		h.Set("x-ratelimit-remaining-requests", "0")
		h.Set("x-ratelimit-reset-requests", "120ms")
		h.Set("x-ratelimit-limit-tokens", "200000")
		h.Set("x-ratelimit-remaining-tokens", "199980")
		h.Set("x-ratelimit-reset-tokens", "6ms")
		writeBody(w, http.StatusTooManyRequests, bodyOpenAIRateLimit)
	case mode == ProviderOverloaded:
		writeBody(w, http.StatusServiceUnavailable, bodyOpenAIOverloaded)
	default:
		writeBody(w, http.StatusOK, bodyOpenAIModels)
	}
}

func (p *Provider) serveAnthropic(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("request-id", "req_011C"+newID()[:20])
	if r.URL.Path != "/v1/models" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		writeBody(w, http.StatusNotFound, `{"type":"error","error":{"type":"not_found_error","message":"Not found"}}`)
		return
	}
	key, known := p.key(r)
	mode := p.Mode()
	switch {
	case key == "":
		writeBody(w, http.StatusUnauthorized, bodyAnthropicNoKey)
	case !known || mode == ProviderRevokedKey:
		writeBody(w, http.StatusUnauthorized, BodyAnthropicRevoked)
	case r.Header.Get("anthropic-version") == "":
		writeBody(w, http.StatusBadRequest, bodyAnthropicNoVersion)
	case mode == ProviderQuota:
		writeBody(w, http.StatusBadRequest, BodyAnthropicCredit)
	case mode == ProviderRateLimit:
		reset := p.now().UTC().Truncate(time.Second).Add(30 * time.Second).Format(time.RFC3339)
		h := w.Header()
		h.Set("retry-after", strconv.Itoa(30))
		h.Set("anthropic-ratelimit-requests-limit", "50")
		h.Set("anthropic-ratelimit-requests-remaining", "0")
		h.Set("anthropic-ratelimit-requests-reset", reset)
		h.Set("anthropic-ratelimit-input-tokens-limit", "40000")
		h.Set("anthropic-ratelimit-input-tokens-remaining", "40000")
		h.Set("anthropic-ratelimit-input-tokens-reset", reset)
		h.Set("anthropic-ratelimit-output-tokens-limit", "8000")
		h.Set("anthropic-ratelimit-output-tokens-remaining", "8000")
		h.Set("anthropic-ratelimit-output-tokens-reset", reset)
		h.Set("anthropic-ratelimit-tokens-limit", "48000")
		h.Set("anthropic-ratelimit-tokens-remaining", "48000")
		h.Set("anthropic-ratelimit-tokens-reset", reset)
		writeBody(w, http.StatusTooManyRequests, bodyAnthropicRateLimit)
	case mode == ProviderOverloaded:
		writeBody(w, 529, bodyAnthropicOverloaded)
	default:
		writeBody(w, http.StatusOK, bodyAnthropicModels)
	}
}
