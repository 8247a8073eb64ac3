// Package genaibench runs benchmarks over generated GenAI batches the same
// way everywhere (the llm_enrich processor's benchmarks and the comparison
// benchmarks in bench/), so that their numbers can be compared as ratios.
//
// Batches are consumed in place, so each iteration needs a fresh copy. A
// copy is decoded from the batch's OTLP protobuf encoding, so that it is
// laid out in memory as the OTLP receiver hands batches to a pipeline
// (ptrace.Traces.CopyTo would give every attribute slice an exact capacity
// and share every string with the original, which no received batch does).
// The copies are made in chunks with the timer stopped (a copy inside the timed
// region would count its own time and allocations), the garbage of the
// previous chunk is collected before the timer restarts, and every consumed
// batch is checked with the timer stopped, so that a processor that skipped
// work fails the benchmark.
package genaibench // import "github.com/otelcol-mistral/otelcol-mistral/internal/genaispans/genaibench"

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
)

// Chunk is the number of batch copies prepared at a time.
const Chunk = 32

// readOnlyGCEvery is how much timed work RunReadOnly lets pass between
// collections.
const readOnlyGCEvery = 2 * time.Millisecond

// Workload is a generated batch, its expected enrichment and a chunk of copies.
type Workload struct {
	Result  genaispans.Result
	Summary genaispans.Summary
	encoded []byte // Result.Traces as OTLP protobuf
	chunk   []ptrace.Traces
}

// New generates the workload of o.
func New(o genaispans.Options) *Workload {
	r := genaispans.Generate(o)
	encoded, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(r.Traces)
	if err != nil {
		panic(fmt.Sprintf("genaibench: encoding the workload: %v", err))
	}
	return &Workload{Result: r, Summary: r.Summary(false), encoded: encoded, chunk: make([]ptrace.Traces, Chunk)}
}

// fresh returns a fresh copy of the batch, decoded from its OTLP encoding as
// a receiver would.
func (w *Workload) fresh() ptrace.Traces {
	td, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(w.encoded)
	if err != nil {
		panic(fmt.Sprintf("genaibench: decoding the workload: %v", err))
	}
	return td
}

func (w *Workload) refill() {
	for i := range w.chunk {
		w.chunk[i] = w.fresh()
	}
	runtime.GC()
}

// Run times consume over b.N fresh copies of the batch and checks each
// consumed copy with check (outside the timed region). It reports
// allocations and ns/span.
func (w *Workload) Run(b *testing.B, consume func(ptrace.Traces), check func(ptrace.Traces) error) {
	w.run(b, consume, check, true)
}

// RunReadOnly is Run for a consumer that does not change the batch: it
// cycles through one chunk of copies instead of making fresh ones, which
// would take far longer than the timed work. A garbage collection between
// cycles (at most every readOnlyGCEvery of timed work, so that a consumer
// that barely touches the batch is not drowned in collections) leaves the
// caches as Run's refill does, so that the two modes compare.
func (w *Workload) RunReadOnly(b *testing.B, consume func(ptrace.Traces), check func(ptrace.Traces) error) {
	w.run(b, consume, check, false)
}

func (w *Workload) run(b *testing.B, consume func(ptrace.Traces), check func(ptrace.Traces) error, mutates bool) {
	b.Helper()
	b.ReportAllocs()
	b.StopTimer()
	w.refill()
	b.ResetTimer() // forget the set-up: generation and the first copies
	n := 0
	var lastGC time.Duration
	for i := 0; i < b.N; i++ {
		if n == Chunk {
			b.StopTimer()
			w.verify(b, check, n)
			switch {
			case mutates:
				w.refill()
			case b.Elapsed()-lastGC >= readOnlyGCEvery:
				runtime.GC() // the same cache state as after a refill
				lastGC = b.Elapsed()
			}
			n = 0
			b.StartTimer()
		} else if i == 0 {
			b.StartTimer()
		}
		consume(w.chunk[n])
		n++
	}
	b.StopTimer()
	w.verify(b, check, n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*w.Summary.Spans), "ns/span")
}

func (w *Workload) verify(b *testing.B, check func(ptrace.Traces) error, n int) {
	for _, td := range w.chunk[:n] {
		if err := check(td); err != nil {
			b.Fatal(err)
		}
	}
}

// Consume is the consume function of Run and RunReadOnly for a pipeline
// component: it hands each batch to c and fails the benchmark on an error.
func Consume(b *testing.B, c consumer.Traces) func(ptrace.Traces) {
	ctx := context.Background()
	return func(td ptrace.Traces) {
		if err := c.ConsumeTraces(ctx, td); err != nil {
			b.Fatal(err)
		}
	}
}

// CountWith counts the spans that have the attribute key: the bare loop
// that reads one attribute of every span.
func CountWith(td ptrace.Traces, key string) int {
	n := 0
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				if _, ok := spans.At(k).Attributes().Get(key); ok {
					n++
				}
			}
		}
	}
	return n
}

// BareLoop benchmarks reading one attribute (gen_ai.request.model) of every span.
func BareLoop(b *testing.B, w *Workload) {
	const key = "gen_ai.request.model"
	want := CountWith(w.Result.Traces, key)
	var found int
	w.RunReadOnly(b, func(td ptrace.Traces) { found = CountWith(td, key) }, func(ptrace.Traces) error {
		if found != want {
			b.Fatalf("bare loop found %d spans with %s, want %d", found, key, want)
		}
		return nil
	})
}
