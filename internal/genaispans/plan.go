package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// plannedCall is a Call with its generated values.
type plannedCall struct {
	Call
	op                  string // chat | embeddings
	reqModel, respModel string
	usage               Usage
	root, extras        bool
	dur                 time.Duration
	// variant picks among the dialect's generations of attribute names.
	variant int
}

var chatModels = [][2]string{
	{"mistral-small-latest", "mistral-small-2506"},
	{"mistral-medium-latest", "mistral-medium-2508"},
	{"mistral-large-latest", "mistral-large-2512"},
	{"codestral-latest", "codestral-2508"},
}

func embeddingDialect(d Dialect) bool {
	switch d {
	case Semconv, SemconvDeprecated, OpenLLMetry, VercelLegacy, MistralSDK:
		return true
	}
	return false
}

func (b *builder) plan(c Call) *plannedCall {
	p := &plannedCall{Call: c, op: "chat", variant: b.rng.Intn(3)}
	p.dur = time.Duration(200+b.rng.Intn(2800)) * time.Millisecond
	switch {
	case c.Dialect == Anthropic:
		p.reqModel, p.respModel = "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"
	case c.Embedding && embeddingDialect(c.Dialect):
		p.op, p.reqModel, p.respModel = "embeddings", "mistral-embed", "mistral-embed"
	case c.Unpriced:
		p.reqModel, p.respModel = UnpricedModel, UnpricedModel
	default:
		m := chatModels[b.rng.Intn(len(chatModels))]
		p.reqModel, p.respModel = m[0], m[1]
	}
	if c.Scenario == nil {
		p.usage.Input = int64(20 + b.rng.Intn(6000))
		if p.op == "chat" {
			p.usage.Output = int64(5 + b.rng.Intn(1200))
		}
		switch {
		case c.Dialect == Anthropic:
			if b.rng.Intn(2) == 0 {
				p.usage.CacheRead = p.usage.Input / 2
			}
			if b.rng.Intn(3) == 0 {
				p.usage.CacheWrite = p.usage.Input / 4
			}
		case (c.Dialect == Semconv || c.Dialect == OpenLLMetry) && p.op == "chat" && b.rng.Intn(5) == 0:
			p.usage.CacheRead = p.usage.Input / 3
		}
	} else {
		p.dur /= 4
	}
	if c.Usage != nil && c.Scenario == nil {
		p.usage = *c.Usage
	}
	return p
}

// extrasWanted is the number of wrapper and child spans the dialect writes
// around the call span.
func (p *plannedCall) extrasWanted() int {
	switch p.Dialect {
	case Semconv, VercelLegacy, OpenAIOnMistral:
		return 1
	case VercelV7:
		return 2
	}
	return 0
}

// serviceOf is the service each dialect's spans come from.
func serviceOf(d Dialect) string {
	switch d {
	case Semconv, Anthropic:
		return "chat-api"
	case SemconvDeprecated:
		return "rag-worker"
	case OpenLLMetry:
		return "support-bot"
	case OpenLIT:
		return "summarizer"
	case VercelLegacy:
		return "web-next"
	case VercelV7:
		return "agent-web"
	case MistralSDK:
		return "mistralai_sdk"
	default:
		return "orders-assistant"
	}
}

// emitted is what a dialect wrote for one call.
type emitted struct {
	span ptrace.Span
	// ev is the evidence the call span and its child HTTP span carry.
	ev mistralapi.Evidence
	// hasProvider: the span has gen_ai.provider.name; provider: the
	// normalised value the processor should find.
	hasProvider  bool
	provider     string
	existingCost bool
	ownCost      float64
	// Attributes the span has before processing.
	mistralType, mistralCode, errorType string
	noUsage                             bool
}

// emitCall writes the spans of one call and records its Expected.
func (b *builder) emitCall(p *plannedCall) {
	tid := b.traceID()
	start := b.tick()
	svc := serviceOf(p.Dialect)
	var parent = b.rootID(p, svc, tid, start)
	var e emitted
	switch p.Dialect {
	case Semconv:
		e = b.semconv(p, svc, tid, parent, start)
	case SemconvDeprecated:
		e = b.semconvDeprecated(p, svc, tid, parent, start)
	case OpenLLMetry:
		e = b.openllmetry(p, svc, tid, parent, start)
	case OpenLIT:
		e = b.openlit(p, svc, tid, parent, start)
	case VercelLegacy:
		e = b.vercelLegacy(p, svc, tid, parent, start)
	case VercelV7:
		e = b.vercelV7(p, svc, tid, parent, start)
	case MistralSDK:
		e = b.mistralSDK(p, svc, tid, parent, start)
	case OpenAIOnMistral:
		e = b.openAIOnMistral(p, svc, tid, parent, start)
	default:
		e = b.anthropic(p, svc, tid, parent, start)
	}
	b.exp = append(b.exp, expect(p, e))
}

func (b *builder) rootID(p *plannedCall, svc string, tid [16]byte, start time.Time) [8]byte {
	if !p.root {
		return [8]byte{}
	}
	return b.emitRoot(svc, tid, start, p.dur, p.Scenario != nil)
}

func expect(p *plannedCall, e emitted) Expected {
	x := Expected{
		TraceID: e.span.TraceID(), SpanID: e.span.SpanID(), Dialect: p.Dialect,
		Provider: e.provider, WritesProvider: !e.hasProvider,
		ExistingCost: e.existingCost, OwnCost: e.ownCost,
		MistralType: e.mistralType, MistralCode: e.mistralCode, ErrorType: e.errorType,
	}
	if p.Scenario == nil && !e.noUsage {
		x.Usage, x.HasUsage = p.usage, true
		if price, ok := Prices[p.respModel]; ok {
			x.PriceModel = p.respModel
			x.Cost = CostOf(price, p.usage)
		}
	}
	if p.Scenario != nil {
		x.Scenario = p.Scenario.Name
		x.Error = true
		cl := mistralapi.Classify(e.ev)
		x.Class, x.Limit = cl.Class, cl.Limit
		x.Retryable, x.Fallback = cl.Retryable(), cl.Fallback()
		if x.Provider == "mistral_ai" {
			if x.MistralType == "" {
				x.MistralType = cl.Type
			}
			if x.MistralCode == "" {
				x.MistralCode = cl.Code
			}
		}
		if x.ErrorType == "" {
			x.ErrorType = string(cl.Class)
		}
	}
	return x
}

// bodyEvidence adds a JSON body to the evidence.
func bodyEvidence(ev *mistralapi.Evidence, body string) {
	if body == "" {
		return
	}
	ev.Body, ev.HasBody = mistralapi.ParseErrorBody([]byte(body))
}

// joinMessages mirrors how status and exception messages combine: one
// message when they are equal, both otherwise.
func joinMessages(status, exception string) string {
	switch {
	case status == "" || status == exception:
		return exception
	case exception == "":
		return status
	}
	return status + " " + exception
}
