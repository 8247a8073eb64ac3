package genaispans // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"

import (
	"fmt"
	"math/rand"
	"sort"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// builder appends spans to a batch, one ResourceSpans per service and one
// ScopeSpans per (service, scope), in the order they are first used.
type builder struct {
	rng    *rand.Rand
	td     ptrace.Traces
	res    map[string]ptrace.ResourceSpans
	scopes map[[2]string]ptrace.SpanSlice
	now    time.Time
	exp    []Expected
}

func newBuilder(seed int64, start time.Time) *builder {
	if start.IsZero() {
		start = refTime
	}
	return &builder{
		rng:    rand.New(rand.NewSource(seed)),
		td:     ptrace.NewTraces(),
		res:    map[string]ptrace.ResourceSpans{},
		scopes: map[[2]string]ptrace.SpanSlice{},
		now:    start,
	}
}

// service is a resource of the batch.
type service struct {
	name, language, sdk string
	extra               [][2]string
}

var services = map[string]service{
	"chat-api":         {name: "chat-api", language: "python", sdk: "opentelemetry"},
	"rag-worker":       {name: "rag-worker", language: "python", sdk: "opentelemetry"},
	"support-bot":      {name: "support-bot", language: "python", sdk: "opentelemetry"},
	"summarizer":       {name: "summarizer", language: "python", sdk: "openlit", extra: [][2]string{{"deployment.environment", "production"}}},
	"web-next":         {name: "web-next", language: "nodejs", sdk: "opentelemetry"},
	"agent-web":        {name: "agent-web", language: "nodejs", sdk: "opentelemetry"},
	"mistralai_sdk":    {name: "mistralai_sdk", language: "nodejs", sdk: "opentelemetry"},
	"orders-assistant": {name: "orders-assistant", language: "nodejs", sdk: "opentelemetry"},
	"checkout":         {name: "checkout", language: "go", sdk: "opentelemetry"},
	"inventory":        {name: "inventory", language: "java", sdk: "opentelemetry"},
}

// newSpan appends a span to the (service, scope) span slice.
func (b *builder) newSpan(svc, scope string) ptrace.Span {
	key := [2]string{svc, scope}
	spans, ok := b.scopes[key]
	if !ok {
		rs, ok := b.res[svc]
		if !ok {
			rs = b.td.ResourceSpans().AppendEmpty()
			s := services[svc]
			a := rs.Resource().Attributes()
			a.PutStr("service.name", s.name)
			a.PutStr("service.version", "1.4.2")
			a.PutStr("telemetry.sdk.language", s.language)
			a.PutStr("telemetry.sdk.name", s.sdk)
			a.PutStr("host.name", "ip-10-0-3-17")
			for _, kv := range s.extra {
				a.PutStr(kv[0], kv[1])
			}
			b.res[svc] = rs
		}
		ss := rs.ScopeSpans().AppendEmpty()
		ss.Scope().SetName(scope)
		ss.Scope().SetVersion("1.0.0")
		spans = ss.Spans()
		b.scopes[key] = spans
	}
	return spans.AppendEmpty()
}

func (b *builder) traceID() pcommon.TraceID {
	var id pcommon.TraceID
	for id.IsEmpty() {
		b.rng.Read(id[:])
	}
	return id
}

func (b *builder) spanID() pcommon.SpanID {
	var id pcommon.SpanID
	for id.IsEmpty() {
		b.rng.Read(id[:])
	}
	return id
}

// tick advances the clock between traces and returns the trace's start.
func (b *builder) tick() time.Time {
	b.now = b.now.Add(time.Duration(1+b.rng.Intn(20)) * time.Millisecond)
	return b.now
}

func setTimes(s ptrace.Span, start time.Time, d time.Duration) {
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(d)))
}

// putHeaders writes captured response headers as the semantic conventions
// do: http.response.header.<name> = [value], in name order.
func putHeaders(a pcommon.Map, h map[string]string) {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a.PutEmptySlice("http.response.header." + n).AppendEmpty().SetStr(h[n])
	}
}

// emitPlain writes a trace of n ordinary spans: an HTTP server span, then
// database, cache or outgoing HTTP client spans under it.
func (b *builder) emitPlain(n int) {
	tid := b.traceID()
	start := b.tick()
	svc := "checkout"
	if b.rng.Intn(3) == 0 {
		svc = "inventory"
	}
	root := b.newSpan(svc, "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp")
	rootID := b.spanID()
	root.SetTraceID(tid)
	root.SetSpanID(rootID)
	root.SetKind(ptrace.SpanKindServer)
	route := []string{"/api/orders", "/api/cart/{id}", "/healthz", "/api/products"}[b.rng.Intn(4)]
	method := []string{"GET", "POST"}[b.rng.Intn(2)]
	root.SetName(method + " " + route)
	status := 200
	if b.rng.Intn(20) == 0 {
		status = []int{429, 500, 503}[b.rng.Intn(3)]
		root.Status().SetCode(ptrace.StatusCodeError)
	}
	a := root.Attributes()
	a.PutStr("http.request.method", method)
	a.PutStr("http.route", route)
	a.PutStr("url.path", route)
	a.PutStr("url.scheme", "https")
	a.PutInt("http.response.status_code", int64(status))
	a.PutStr("server.address", svc+".internal")
	a.PutInt("server.port", 8080)
	a.PutStr("network.protocol.version", "1.1")
	a.PutStr("client.address", fmt.Sprintf("10.0.%d.%d", b.rng.Intn(8), 1+b.rng.Intn(250)))
	a.PutStr("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")
	setTimes(root, start, time.Duration(5+b.rng.Intn(200))*time.Millisecond)

	for i := 1; i < n; i++ {
		s := b.newSpan(svc, "github.com/XSAM/otelsql")
		s.SetTraceID(tid)
		s.SetSpanID(b.spanID())
		s.SetParentSpanID(rootID)
		s.SetKind(ptrace.SpanKindClient)
		a := s.Attributes()
		switch b.rng.Intn(3) {
		case 0:
			s.SetName("SELECT shop.orders")
			a.PutStr("db.system.name", "postgresql")
			a.PutStr("db.namespace", "shop")
			a.PutStr("db.operation.name", "SELECT")
			a.PutStr("db.collection.name", "orders")
			a.PutStr("db.query.text", "SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20")
			a.PutStr("server.address", "pg-primary.internal")
			a.PutInt("server.port", 5432)
		case 1:
			s.SetName("GET")
			a.PutStr("db.system.name", "redis")
			a.PutStr("db.operation.name", "GET")
			a.PutStr("db.query.text", "GET cart:81723")
			a.PutStr("server.address", "redis.internal")
			a.PutInt("server.port", 6379)
		default:
			s.SetName("GET")
			code := 200
			if b.rng.Intn(10) == 0 {
				code = 503
				s.Status().SetCode(ptrace.StatusCodeError)
				a.PutStr("error.type", "503")
			}
			a.PutStr("http.request.method", "GET")
			a.PutStr("url.full", "http://pricing.internal:8080/v2/quote?sku=A-1193")
			a.PutStr("server.address", "pricing.internal")
			a.PutInt("server.port", 8080)
			a.PutInt("http.response.status_code", int64(code))
		}
		setTimes(s, start.Add(time.Millisecond), time.Duration(1+b.rng.Intn(30))*time.Millisecond)
	}
}

// emitRoot writes the HTTP server span an LLM call runs under.
func (b *builder) emitRoot(svc string, tid pcommon.TraceID, start time.Time, d time.Duration, failed bool) pcommon.SpanID {
	scope := "opentelemetry.instrumentation.fastapi"
	if services[svc].language == "nodejs" {
		scope = "@opentelemetry/instrumentation-http"
	}
	s := b.newSpan(svc, scope)
	id := b.spanID()
	s.SetTraceID(tid)
	s.SetSpanID(id)
	s.SetKind(ptrace.SpanKindServer)
	s.SetName("POST /v1/assist")
	a := s.Attributes()
	a.PutStr("http.request.method", "POST")
	a.PutStr("http.route", "/v1/assist")
	a.PutStr("url.path", "/v1/assist")
	a.PutStr("url.scheme", "https")
	code := 200
	if failed {
		code = 502
		s.Status().SetCode(ptrace.StatusCodeError)
	}
	a.PutInt("http.response.status_code", int64(code))
	a.PutStr("server.address", svc+".internal")
	a.PutStr("client.address", "10.0.1.23")
	setTimes(s, start, d+2*time.Millisecond)
	return id
}
