package llmenrichprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans/genaibench"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
)

// stateHost is a host whose extensions are given.
type stateHost map[component.ID]component.Component

func (h stateHost) GetExtensions() map[component.ID]component.Component { return h }

// stateExt is a stand-in for the mistral_state extension.
type stateExt struct {
	component.StartFunc
	component.ShutdownFunc
	store *mistralstate.Store
}

func (e *stateExt) MistralState() *mistralstate.Store { return e.store }

var stateID = component.MustNewID("mistral_state")

// joinTraces is one resource of service svc with a successful call to
// mistral-medium-2505 (deprecated in the snapshot), a 429 to
// mistral-small-latest, and a span that is no LLM call.
func joinTraces(svc string) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	if svc != "" {
		rs.Resource().Attributes().PutStr("service.name", svc)
	}
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	ok := spans.AppendEmpty()
	ok.SetName("chat mistral-medium-2505")
	ok.Attributes().PutStr("gen_ai.operation.name", "chat")
	ok.Attributes().PutStr("gen_ai.provider.name", "mistral_ai")
	ok.Attributes().PutStr("gen_ai.request.model", "mistral-medium-2505")
	ok.Attributes().PutInt("gen_ai.usage.input_tokens", 100)
	ok.Attributes().PutInt("gen_ai.usage.output_tokens", 20)
	fail := spans.AppendEmpty()
	fail.SetName("chat mistral-small-latest")
	fail.Attributes().PutStr("gen_ai.operation.name", "chat")
	fail.Attributes().PutStr("gen_ai.provider.name", "mistral_ai")
	fail.Attributes().PutStr("gen_ai.request.model", "mistral-small-latest")
	fail.Attributes().PutInt("http.response.status_code", 429)
	fail.Status().SetCode(ptrace.StatusCodeError)
	fail.Status().SetMessage(`Status 429: {"object":"error","message":"Requests rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}`)
	other := spans.AppendEmpty()
	other.SetName("GET /health")
	return td
}

func startJoined(t *testing.T, host component.Host, withState bool) (*consumertest.TracesSink, func(ptrace.Traces)) {
	t.Helper()
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	if withState {
		cfg.State = &stateID
	}
	sink := new(consumertest.TracesSink)
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })
	return sink, func(td ptrace.Traces) { require.NoError(t, p.ConsumeTraces(context.Background(), td)) }
}

func deprecatedSnapshot() *mistralstate.Snapshot {
	return &mistralstate.Snapshot{Models: map[string]mistralstate.Model{
		"mistral-medium-2505":  {Resolved: "mistral-medium-2505", Deprecation: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), Replacement: "mistral-medium-2508"},
		"mistral-small-latest": {Resolved: "mistral-small-2506"},
	}}
}

// TestJoinMarksDeprecatedAndCounts: with the extension, a span of a
// deprecated model gets the date and the replacement, and the batch's two
// LLM calls (not the health check) reach the counters.
func TestJoinMarksDeprecatedAndCounts(t *testing.T) {
	store := mistralstate.NewStore(10, 10, time.Minute)
	store.Publish(deprecatedSnapshot())
	sink, consume := startJoined(t, stateHost{stateID: &stateExt{store: store}}, true)
	consume(joinTraces("checkout"))

	spans := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	require.Equal(t, 3, spans.Len(), "no span dropped or added")
	dep, ok := spans.At(0).Attributes().Get(attrModelDeprecation)
	require.True(t, ok)
	assert.Equal(t, "2026-12-31", dep.Str())
	rep, _ := spans.At(0).Attributes().Get(attrModelReplacement)
	assert.Equal(t, "mistral-medium-2508", rep.Str())
	_, ok = spans.At(1).Attributes().Get(attrModelDeprecation)
	assert.False(t, ok, "not deprecated")

	tot := store.Totals()
	require.Len(t, tot, 2)
	medium := tot[mistralstate.Key{Service: "checkout", Model: "mistral-medium-2505"}]
	assert.Equal(t, int64(1), medium.Calls)
	assert.Equal(t, int64(1), medium.Deprecated)
	assert.Equal(t, int64(120), medium.Tokens)
	small := tot[mistralstate.Key{Service: "checkout", Model: "mistral-small-latest"}]
	assert.Equal(t, int64(1), small.Failed(mistralapi.ClassRateLimit))
}

// TestJoinResponseModelAndUnknownService: the response model is looked up
// too, and a resource without service.name counts as unknown_service.
func TestJoinResponseModelAndUnknownService(t *testing.T) {
	store := mistralstate.NewStore(10, 10, time.Minute)
	store.Publish(deprecatedSnapshot())
	_, consume := startJoined(t, stateHost{stateID: &stateExt{store: store}}, true)
	td := joinTraces("")
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	span.Attributes().PutStr("gen_ai.request.model", "mistral-medium-latest")
	span.Attributes().PutStr("gen_ai.response.model", "mistral-medium-2505")
	consume(td)
	_, ok := span.Attributes().Get(attrModelDeprecation)
	assert.True(t, ok)
	assert.Equal(t, int64(1), store.Totals()[mistralstate.Key{Service: unknownService, Model: "mistral-medium-latest"}].Deprecated)
}

// TestJoinAlone: without the extension configured, or configured but
// absent or of another kind, the output is the processor's alone.
func TestJoinAlone(t *testing.T) {
	for _, tc := range []struct {
		name      string
		host      component.Host
		withState bool
	}{
		{"not configured", stateHost{}, false},
		{"not found", stateHost{}, true},
		{"wrong kind", stateHost{stateID: struct {
			component.StartFunc
			component.ShutdownFunc
		}{}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink, consume := startJoined(t, tc.host, tc.withState)
			consume(joinTraces("checkout"))
			spans := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
			for i := 0; i < spans.Len(); i++ {
				_, ok := spans.At(i).Attributes().Get(attrModelDeprecation)
				assert.False(t, ok)
			}
		})
	}
}

// TestJoinBeforeFirstSnapshot: counted, nothing marked.
func TestJoinBeforeFirstSnapshot(t *testing.T) {
	store := mistralstate.NewStore(10, 10, time.Minute)
	sink, consume := startJoined(t, stateHost{stateID: &stateExt{store: store}}, true)
	consume(joinTraces("checkout"))
	_, ok := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Get(attrModelDeprecation)
	assert.False(t, ok)
	assert.Len(t, store.Totals(), 2)
}

// BenchmarkProcessorJoined is BenchmarkProcessor with the mistral_state
// extension joined and a snapshot published: its ratio to BenchmarkProcessor
// is the join's cost (one snapshot load, the markers read per span, one lock
// per batch).
func BenchmarkProcessorJoined(b *testing.B) {
	store := mistralstate.NewStore(50, 50, time.Minute)
	store.Publish(deprecatedSnapshot())
	bb := genaibench.New(genaispans.DefaultOptions())
	cfg := benchConfig()
	cfg.State = &stateID
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	require.NoError(b, err)
	require.NoError(b, p.Start(context.Background(), stateHost{stateID: &stateExt{store: store}}))
	bb.Run(b, genaibench.Consume(b, p), func(td ptrace.Traces) error { return bb.Summary.Check(genaispans.Count(td)) })
	require.NoError(b, p.Shutdown(context.Background()))
}

// TestJoinMistralCallsOnly: the join speaks of La Plateforme, so a call to
// another provider (the application's fallback to Anthropic) neither counts
// nor becomes a model the receiver watches.
func TestJoinMistralCallsOnly(t *testing.T) {
	store := mistralstate.NewStore(10, 10, time.Minute)
	store.Publish(deprecatedSnapshot())
	_, consume := startJoined(t, stateHost{stateID: &stateExt{store: store}}, true)
	td := joinTraces("checkout")
	fallback := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().AppendEmpty()
	fallback.SetName("chat claude-sonnet-4-5")
	fallback.Attributes().PutStr("gen_ai.operation.name", "chat")
	fallback.Attributes().PutStr("gen_ai.provider.name", "anthropic")
	fallback.Attributes().PutStr("gen_ai.request.model", "claude-sonnet-4-5")
	fallback.Attributes().PutInt("gen_ai.usage.input_tokens", 100)
	fallback.Attributes().PutInt("gen_ai.usage.output_tokens", 20)
	consume(td)

	tot := store.Totals()
	assert.Len(t, tot, 2, "only the two Mistral calls: %v", tot)
	_, counted := tot[mistralstate.Key{Service: "checkout", Model: "claude-sonnet-4-5"}]
	assert.False(t, counted)
}
