package llmenrichprocessor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans/genaibench"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor/internal/metadatatest"
)

func attributionConfig(max int, keys ...string) *Config {
	cfg := testConfig()
	cfg.Attribution = AttributionConfig{Keys: keys, MaxValuesPerKey: max}
	return cfg
}

func TestAttributionConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		a    AttributionConfig
		want string // "" valid
	}{
		{"default off", AttributionConfig{MaxValuesPerKey: 100}, ""},
		{"keys", AttributionConfig{Keys: []string{"service.name", "deployment.environment.name", "tenant.id", "user.id", "team"}, MaxValuesPerKey: 100}, ""},
		{"no keys, zero cap", AttributionConfig{}, ""},
		{"empty key", AttributionConfig{Keys: []string{"team", ""}, MaxValuesPerKey: 1}, "attribution.keys[1]: empty key"},
		{"space", AttributionConfig{Keys: []string{"my team"}, MaxValuesPerKey: 1}, `attribution.keys[0]: "my team" contains a space`},
		{"output name", AttributionConfig{Keys: []string{"llm_enrich.attribution.team"}, MaxValuesPerKey: 1}, `"llm_enrich.attribution.team" is an output attribute`},
		{"duplicate", AttributionConfig{Keys: []string{"team", "tenant.id", "team"}, MaxValuesPerKey: 1}, `attribution.keys[2]: "team" is already attribution.keys[0]`},
		{"zero cap: default", AttributionConfig{Keys: []string{"team"}}, ""},
		{"negative cap", AttributionConfig{Keys: []string{"team"}, MaxValuesPerKey: -5}, "attribution.max_values_per_key: must be at least 1 (or 0 for the default 100), got -5"},
		{"too many keys", AttributionConfig{Keys: strings.Split("a b c d e f g h i j k l m n o p q", " "), MaxValuesPerKey: 1}, "attribution.keys: 17 keys, at most 16"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Attribution = tt.a
			err := cfg.Validate()
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestAttributionSources(t *testing.T) {
	e := newTestEnricher(t, attributionConfig(100, "team", "tenant.id", "service.name", "user.id", "env"))
	call := merge(call1k("mistral-small-2506", ""), map[string]any{
		"team":                        "search", // span (e.g. copied from baggage by a baggage span processor)
		"tenant.id":                   "acme",   // span beats resource and header
		"user.id":                     42,       // non-string values as text
		"http.request.header.baggage": []any{"tenant.id=globex,env=prod%20eu;p=1", "team=ignored"},
	})
	td := buildTraces(map[string]any{"service.name": "checkout", "tenant.id": "initech"},
		testSpan{name: "chat", attrs: call},
		testSpan{name: "GET /", id: 2, attrs: map[string]any{"team": "search"}}, // not an LLM call: untouched
	)
	process(t, e, td)
	got := map[string]any{}
	for k, v := range firstSpan(td).Attributes().AsRaw() {
		if strings.HasPrefix(k, attrAttributionPrefix) {
			got[strings.TrimPrefix(k, attrAttributionPrefix)] = v
		}
	}
	assert.Equal(t, map[string]any{"team": "search", "tenant.id": "acme", "service.name": "checkout", "user.id": "42", "env": "prod eu"}, got)
	other := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(1).Attributes()
	_, has := other.Get(attrAttributionPrefix + "team")
	assert.False(t, has, "attribution on a span that is not an LLM call")
}

// An upstream llm_enrich (an agent in front of a gateway) already wrote the attribution: it is kept, not capped again.
func TestAttributionKeepsUpstreamValue(t *testing.T) {
	e := newTestEnricher(t, attributionConfig(1, "team"))
	td := buildTraces(nil,
		testSpan{name: "chat", attrs: merge(call1k("mistral-small-2506", ""), map[string]any{"team": "a"})},
		testSpan{name: "chat", id: 2, attrs: merge(call1k("mistral-small-2506", ""), map[string]any{"team": "b", attrAttributionPrefix + "team": "b"})},
	)
	process(t, e, td)
	spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	for i, want := range []string{"a", "b"} {
		v, _ := spans.At(i).Attributes().Get(attrAttributionPrefix + "team")
		assert.Equal(t, want, v.AsString())
	}
}

func TestAttributionCapAndOverflowMetric(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), metadatatest.NewSettings(tel), attributionConfig(3, "user.id", "team"), sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))

	var spans []testSpan
	for i := 0; i < 10; i++ {
		spans = append(spans, testSpan{name: "chat", id: byte(i + 1), attrs: merge(call1k("mistral-small-2506", ""),
			map[string]any{"user.id": fmt.Sprintf("u%d", i%5), "team": "search"})})
	}
	require.NoError(t, p.ConsumeTraces(context.Background(), buildTraces(nil, spans...)))
	require.NoError(t, p.Shutdown(context.Background()))

	var users []string
	forEachSpan(sink.AllTraces()[0], func(_ pcommon.Resource, s ptrace.Span) {
		v, _ := s.Attributes().Get(attrAttributionPrefix + "user.id")
		users = append(users, v.AsString())
	})
	// u0..u2 are admitted; u3 and u4 arrive after the cap of 3 and become "other", every time.
	assert.Equal(t, []string{"u0", "u1", "u2", "other", "other", "u0", "u1", "u2", "other", "other"}, users)
	metadatatest.AssertEqualProcessorLlmEnrichAttributionOverflow(t, tel, []metricdata.DataPoint[int64]{
		{Attributes: attribute.NewSet(attribute.String("llm_enrich.attribution.key", "user.id")), Value: 4},
	}, metricdatatest.IgnoreTimestamp())
}

// Concurrent batches admit exactly max_values_per_key distinct values (run with -race).
func TestAttributionCapConcurrent(t *testing.T) {
	e := newTestEnricher(t, attributionConfig(10, "user.id"))
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var spans []testSpan
			for i := 0; i < 20; i++ {
				spans = append(spans, testSpan{name: "chat", id: byte(i + 1), attrs: merge(call1k("mistral-small-2506", ""),
					map[string]any{"user.id": fmt.Sprintf("g%d-u%d", g, i)})})
			}
			td := buildTraces(nil, spans...)
			out, err := e.processTraces(context.Background(), td)
			assert.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			forEachSpan(out, func(_ pcommon.Resource, s ptrace.Span) {
				v, _ := s.Attributes().Get(attrAttributionPrefix + "user.id")
				seen[v.AsString()] = true
			})
		}(g)
	}
	wg.Wait()
	assert.True(t, seen[AttributionOther])
	assert.Len(t, seen, 10+1, "10 admitted values and other")
}

func TestParseBaggage(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{"team=search", map[string]string{"team": "search"}, ""},
		{" team = search , tenant.id=acme;ttl=60", map[string]string{"team": "search", "tenant.id": "acme"}, ""},
		{"user.id=j%C3%BCrgen%2C1", map[string]string{"user.id": "jürgen,1"}, ""},
		{"team=a,team=b", map[string]string{"team": "a"}, ""},
		{"", map[string]string{}, ""},
		{"novalue,team=x", map[string]string{"team": "x"}, `baggage member "novalue": not key=value`},
		{"=x", map[string]string{}, "not key=value"},
		{"team=%zz", map[string]string{}, `baggage member "team"`},
	} {
		out := map[string]string{}
		err := parseBaggage(tt.in, out)
		assert.Equal(t, tt.want, out, tt.in)
		if tt.wantErr == "" {
			assert.NoError(t, err, tt.in)
		} else if assert.Error(t, err, tt.in) {
			assert.Contains(t, err.Error(), tt.wantErr)
		}
	}
}

func FuzzParseBaggage(f *testing.F) {
	for _, s := range []string{"team=search", "a=b;c=d,e=%41", "=,;=", "x=%", "k=v,k=w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := map[string]string{}
		_ = parseBaggage(s, out)
		for k := range out {
			if k == "" || strings.ContainsAny(k, ",;=") {
				t.Fatalf("key %q from %q", k, s)
			}
		}
	})
}

func TestTruncateUTF8(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	got := truncateUTF8(long, maxAttributionValueLen)
	assert.LessOrEqual(t, len(got), maxAttributionValueLen)
	assert.True(t, strings.HasPrefix(long, got))
	assert.Equal(t, "abc", truncateUTF8("abc", 5))
}

// BenchmarkAttribution is BenchmarkProcessor's workload with five attribution keys (found on the resource: the
// generated spans carry service.name) next to the same processor without keys, for a ratio in one run.
func BenchmarkAttribution(b *testing.B) {
	for _, keys := range [][]string{nil, {"service.name", "deployment.environment.name", "tenant.id", "user.id", "team"}} {
		name := "keys=0"
		if keys != nil {
			name = "keys=5"
		}
		b.Run(name, func(b *testing.B) {
			cfg := benchConfig()
			cfg.Attribution = AttributionConfig{Keys: keys}
			bb := genaibench.New(genaispans.DefaultOptions())
			p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
			require.NoError(b, err)
			bb.Run(b, genaibench.Consume(b, p), func(ptrace.Traces) error { return nil })
		})
	}
}
