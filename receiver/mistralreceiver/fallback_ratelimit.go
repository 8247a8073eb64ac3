package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// fallbackLimit is one rate limit a fallback provider announced.
type fallbackLimit struct {
	resource         metadata.AttributeMistralFallbackRatelimitResource
	limit, remaining mistralapi.Value
	reset            time.Duration
	hasReset         bool
}

// fallbackLimitHeaders names each provider's headers per resource:
// OpenAI's x-ratelimit-{limit,remaining,reset}-{requests,tokens} and
// Anthropic's anthropic-ratelimit-{resource}-{limit,remaining,reset}.
var fallbackLimitHeaders = map[string][]struct {
	resource                metadata.AttributeMistralFallbackRatelimitResource
	limit, remaining, reset string
}{
	fallbackOpenAI: {
		{metadata.AttributeMistralFallbackRatelimitResourceRequests, "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"},
		{metadata.AttributeMistralFallbackRatelimitResourceTokens, "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"},
	},
	fallbackAnthropic: {
		{metadata.AttributeMistralFallbackRatelimitResourceRequests, "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset"},
		{metadata.AttributeMistralFallbackRatelimitResourceTokens, "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset"},
		{metadata.AttributeMistralFallbackRatelimitResourceInputTokens, "anthropic-ratelimit-input-tokens-limit", "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset"},
		{metadata.AttributeMistralFallbackRatelimitResourceOutputTokens, "anthropic-ratelimit-output-tokens-limit", "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset"},
	},
}

// parseFallbackLimits reads the rate-limit headers of a fallback's answer.
// A header that is absent or not a number is left out. Mistral's models
// listing sends none (see the reference notes), so kind mistral has none.
func parseFallbackLimits(kind string, h http.Header, now time.Time) []fallbackLimit {
	var out []fallbackLimit
	for _, names := range fallbackLimitHeaders[kind] {
		l := fallbackLimit{resource: names.resource, limit: headerInt(h, names.limit), remaining: headerInt(h, names.remaining)}
		l.reset, l.hasReset = parseReset(h.Get(names.reset), now)
		if l.limit.OK || l.remaining.OK || l.hasReset {
			out = append(out, l)
		}
	}
	return out
}

func headerInt(h http.Header, name string) mistralapi.Value {
	v, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
	if err != nil || v < 0 {
		return mistralapi.Value{}
	}
	return mistralapi.Value{V: v, OK: true}
}

// parseReset reads a reset header: a duration ("6m0s", "120ms", OpenAI) or
// an RFC 3339 time (Anthropic), as the time left from now (never negative).
func parseReset(s string, now time.Time) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
