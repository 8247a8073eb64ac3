package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import (
	"fmt"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
)

// Attributes written from the mistral receiver's catalogue, when the
// processor is joined to it through the mistral_state extension. The GenAI
// semantic conventions have no attribute for a model's retirement.
const (
	// attrModelDeprecation is the deprecation date of the span's model
	// (YYYY-MM-DD, or RFC 3339 when the catalogue gives a time of day).
	attrModelDeprecation = "llm_enrich.model.deprecation"
	// attrModelReplacement is the model the catalogue names as its replacement.
	attrModelReplacement = "llm_enrich.model.replacement"
)

// unknownService is the service of spans whose resource has no service.name,
// as the OpenTelemetry SDKs name it.
const unknownService = "unknown_service"

// maxJoinName bounds the service and model names kept in the counters.
const maxJoinName = 128

// joiner connects the processor to the mistral_state extension named by
// `state`. Without it (not configured, or not found at start) the processor
// adds nothing and counts nothing.
type joiner struct {
	id    component.ID
	store *mistralstate.Store
}

// start finds the extension. A missing or wrong extension is logged, not
// fatal: the processor works alone.
func (j *joiner) start(host component.Host, logger *zap.Logger) {
	if j == nil {
		return
	}
	ext, ok := host.GetExtensions()[j.id]
	if !ok {
		logger.Warn("state: extension not found; the processor runs without the receiver's catalogue",
			zap.String("state", j.id.String()))
		return
	}
	p, ok := ext.(mistralstate.Provider)
	if !ok {
		logger.Warn("state: extension is not a mistral_state extension; ignored",
			zap.String("state", j.id.String()), zap.String("type", fmt.Sprintf("%T", ext)))
		return
	}
	j.store = p.MistralState()
}

// joinSpan is an LLM span of the batch and the attributes of its resource.
type joinSpan struct {
	span     ptrace.Span
	resource pcommon.Map
}

// active reports whether the processor is joined to a mistral_state
// extension: only then does it keep the batch's LLM spans for observe.
func (j *joiner) active() bool { return j != nil && j.store != nil }

// observe runs after the batch is enriched and its failed calls classified.
// It reads the receiver's snapshot once, marks the spans of deprecated
// models, and adds the batch's LLM calls (the spans the processor classified
// or priced) to the shared counters with one lock. It sees only the spans the
// enrichment loop found to be LLM spans, so other spans cost it nothing.
func (j *joiner) observe(spans []joinSpan) {
	if !j.active() || len(spans) == 0 {
		return
	}
	snap := j.store.Load()
	var b mistralstate.Batch
	var lastRes pcommon.Map
	service := unknownService
	for n, js := range spans {
		if n == 0 || js.resource != lastRes {
			lastRes, service = js.resource, unknownService
			if v, ok := js.resource.Get("service.name"); ok && v.Str() != "" {
				service = cut(v.Str())
			}
		}
		if c, ok := observeSpan(js.span.Attributes(), snap); ok {
			c.Service = service
			b.Add(c)
		}
	}
	j.store.Add(&b)
}

// observeSpan reads one span's call, and writes the deprecation attributes
// when its request or response model is deprecated.
func observeSpan(attrs pcommon.Map, snap *mistralstate.Snapshot) (mistralstate.Call, bool) {
	var c mistralstate.Call
	class, classified := attrs.Get(attrErrorClass)
	_, priced := attrs.Get(attrUsageCost)
	_, unpriced := attrs.Get(attrPriceMissing)
	if !classified && !priced && !unpriced {
		return c, false
	}
	if classified {
		c.Class = mistralapi.Class(class.Str())
	}
	req, resp := strAttr(attrs, keyRequestModel), strAttr(attrs, keyResponseModel)
	if req == "" {
		req = strAttr(attrs, keyVercelModelID)
	}
	c.Model = cut(req)
	if c.Model == "" {
		c.Model = cut(resp)
	}
	for _, name := range [2]string{req, resp} {
		if m, ok := snap.Lookup(name); ok && m.Deprecated() {
			c.Deprecated = true
			attrs.PutStr(attrModelDeprecation, formatDeprecation(m.Deprecation))
			if m.Replacement != "" {
				attrs.PutStr(attrModelReplacement, m.Replacement)
			}
			break
		}
	}
	c.Tokens = firstInt(attrs, keyInputTokens, keyPromptTokens, keyVercelInputTokens, keyVercelPromptTokens) +
		firstInt(attrs, keyOutputTokens, keyCompletionTokens, keyVercelOutputTokens, keyVercelCompletion)
	return c, true
}

func formatDeprecation(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

func strAttr(attrs pcommon.Map, key string) string {
	if v, ok := attrs.Get(key); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}

// firstInt returns the first of keys that holds a number (0 when none).
func firstInt(attrs pcommon.Map, keys ...string) int64 {
	for _, k := range keys {
		v, ok := attrs.Get(k)
		if !ok {
			continue
		}
		switch v.Type() {
		case pcommon.ValueTypeInt:
			return v.Int()
		case pcommon.ValueTypeDouble:
			return int64(v.Double())
		}
	}
	return 0
}

func cut(s string) string {
	if len(s) > maxJoinName {
		return s[:maxJoinName]
	}
	return s
}
