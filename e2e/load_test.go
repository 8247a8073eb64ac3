//go:build e2e

package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"
)

// Load test settings. LOAD_DURATION is the traffic time of each variant
// (with and without llm_enrich), split over its two runs; the default keeps
// the whole test near a minute so that it fits `make test`. The documented
// longer form is LOAD_DURATION=3m.
const (
	loadDefaultDuration = 24 * time.Second
	loadSenders         = 4
	loadBatchSpans      = 500
	loadBatchVariety    = 16
	loadWarmup          = time.Second
	// loadClockTick is the unit of utime/stime in /proc/<pid>/stat
	// (USER_HZ, 100 on Linux).
	loadClockTick = 10 * time.Millisecond
)

// loadVariant is what a run's pipeline and input are.
type loadVariant int

const (
	// loadEnrich (A): llm_enrich in the pipeline, raw spans in.
	loadEnrich loadVariant = iota
	// loadPlain (B): the same pipeline without llm_enrich, raw spans in.
	loadPlain
	// loadPreEnriched (C, LOAD_BREAKDOWN=1 only): without llm_enrich, spans
	// enriched beforehand by the processor in the test: the cost of the
	// bigger spans alone (decode, batch and encode), without the processor.
	loadPreEnriched
)

func (v loadVariant) String() string {
	return [...]string{"with llm_enrich", "without llm_enrich", "pre-enriched input"}[v]
}

// loadSegment is one run of the distribution under load.
type loadSegment struct {
	variant loadVariant
	// sent counts spans the collector accepted (HTTP 200), received the
	// spans the sink got; both over the whole run, warm-up included.
	sent, received int64
	// measured* cover the measured window: from the end of the warm-up to
	// the arrival of the window's last span at the sink.
	measuredSpans int64
	measuredTime  time.Duration
	sendTime      time.Duration
	retries       int64
	// cpu is the collector's CPU time (user+system) over the window.
	cpu time.Duration
	// peakRSSKiB is the collector's VmHWM at the end of the run.
	peakRSSKiB int64
	// enriched counts spans with a cost, marked the spans llm_enrich
	// classified or marked price.missing, in the sampled requests the sink got.
	enriched, marked, sampled int64
}

func (s loadSegment) throughput() float64 { return float64(s.measuredSpans) / s.measuredTime.Seconds() }

// TestLoadThroughput runs the built distribution under sustained OTLP/HTTP
// traffic of realistic GenAI batches (internal/genaispans: 30 % LLM spans
// in every dialect, 10 % of them failed), twice per variant in the order
// A B B A (A with llm_enrich, B without; the pipelines are otherwise
// identical: otlp → [llm_enrich] → batch → otlp_http to a sink in the test).
// A short warm-up run comes first and is discarded. Several senders send as
// fast as the collector accepts. It asserts that no
// span is lost and that the numbers are sane; it reports throughput, the
// collector's CPU time per span, peak RSS and the ratio with/without
// llm_enrich (goal ≥ 0.95) in the log and in _build/load-report.txt, but does
// not assert the ratio: the machine is shared and noisy. LOAD_BREAKDOWN=1
// adds runs C (pre-enriched input without llm_enrich, order A B C C B A),
// which split llm_enrich's cost into the processor's work and the cost of
// carrying bigger spans through the rest of the pipeline.
func TestLoadThroughput(t *testing.T) {
	perVariant := loadDefaultDuration
	if v := os.Getenv("LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 2*time.Second {
			t.Fatalf("LOAD_DURATION=%q: want a duration of at least 2s, such as 3m", v)
		}
		perVariant = d
	}
	segment := perVariant / 2
	order := []loadVariant{loadEnrich, loadPlain, loadPlain, loadEnrich}
	if os.Getenv("LOAD_BREAKDOWN") == "1" {
		order = []loadVariant{loadEnrich, loadPlain, loadPreEnriched, loadPreEnriched, loadPlain, loadEnrich}
	}
	raw := loadBatches(t)
	inputs := map[loadVariant][][]byte{loadEnrich: raw, loadPlain: raw}
	if slices.Contains(order, loadPreEnriched) {
		inputs[loadPreEnriched] = preEnrichedBatches(t)
	}
	started := time.Now()

	// A short run first, discarded: the first process start pays for page
	// faults and caches that would otherwise count against run A.
	if w := runLoadSegment(t, loadPlain, 2*time.Second, raw); w.sent != w.received {
		t.Errorf("warm-up run: %d spans lost", w.sent-w.received)
	}
	var segs []loadSegment
	for _, v := range order {
		s := runLoadSegment(t, v, segment, inputs[v])
		segs = append(segs, s)
		t.Logf("%-19s sent %8d received %8d  %7.0f spans/s  %5.1f µs CPU/span  peak RSS %4d MiB  retries %d",
			s.variant, s.sent, s.received, s.throughput(), float64(s.cpu.Microseconds())/float64(s.measuredSpans),
			s.peakRSSKiB>>10, s.retries)
		if lost := s.sent - s.received; lost != 0 {
			t.Errorf("%s: %d spans lost (sent %d, received %d)", s.variant, lost, s.sent, s.received)
		}
		if s.throughput() < 100 {
			t.Errorf("%s: %.0f spans/s is not a sane throughput", s.variant, s.throughput())
		}
		if s.peakRSSKiB < 10<<10 || s.peakRSSKiB > 2<<20 {
			t.Errorf("%s: peak RSS %d MiB is not sane", s.variant, s.peakRSSKiB>>10)
		}
		switch {
		case s.variant != loadPlain && (s.enriched == 0 || s.marked == 0):
			t.Errorf("%s: of %d sampled spans at the sink, %d carry a cost and %d a classification or price.missing", s.variant, s.sampled, s.enriched, s.marked)
		case s.variant == loadPlain && s.marked != 0:
			t.Errorf("%s: %d sampled spans at the sink were classified or marked", s.variant, s.marked)
		}
	}

	report := loadReport(segs, perVariant, time.Since(started))
	t.Log("\n" + report)
	path := filepath.Join(RepoRoot(t), "_build", "load-report.txt")
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		t.Errorf("write %s: %v", path, err)
	} else {
		t.Logf("written to %s", path)
	}
}

// loadBatches generates and encodes the batches the senders cycle through.
func loadBatches(t testing.TB) [][]byte {
	t.Helper()
	out := make([][]byte, loadBatchVariety)
	for i := range out {
		o := genaispans.DefaultOptions()
		o.Spans = loadBatchSpans
		o.Seed = int64(i + 1)
		td := genaispans.Batch(o)
		if n := td.SpanCount(); n != loadBatchSpans {
			t.Fatalf("generated batch has %d spans, want %d", n, loadBatchSpans)
		}
		b, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// preEnrichedBatches are the batches of loadBatches run through the
// llm_enrich processor (default configuration) in the test.
func preEnrichedBatches(t testing.TB) [][]byte {
	t.Helper()
	f := llmenrichprocessor.NewFactory()
	sink := new(consumertest.TracesSink)
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(f.Type()), f.CreateDefaultConfig(), sink)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, loadBatchVariety)
	for i := range out {
		o := genaispans.DefaultOptions()
		o.Spans = loadBatchSpans
		o.Seed = int64(i + 1)
		if err := p.ConsumeTraces(context.Background(), genaispans.Batch(o)); err != nil {
			t.Fatal(err)
		}
		if out[i], err = ptraceotlp.NewExportRequestFromTraces(sink.AllTraces()[i]).MarshalProto(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// loadConfig is the pipeline under test; enrich adds llm_enrich before batch.
// The exporter sends synchronously (no sending queue), so the collector
// accepts spans only as fast as it delivers them: the accepted rate is the
// end-to-end throughput, and nothing waits in a queue at the end.
func loadConfig(enrich bool, otlpPort, healthPort int, sinkURL string) string {
	processors, defs := "[batch]", ""
	if enrich {
		processors, defs = "[llm_enrich, batch]", "  llm_enrich: {}\n"
	}
	return fmt.Sprintf(`receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:%d
processors:
%s  batch:
    timeout: 200ms
exporters:
  otlp_http:
    endpoint: %s
    compression: none
    sending_queue:
      enabled: false
    retry_on_failure:
      enabled: true
extensions:
  health_check:
    endpoint: 127.0.0.1:%d
service:
  extensions: [health_check]
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      receivers: [otlp]
      processors: %s
      exporters: [otlp_http]
`, otlpPort, defs, sinkURL, healthPort, processors)
}

// runLoadSegment starts the distribution, warms it up, loads it for d,
// waits until every accepted span reached the sink, and stops it.
func runLoadSegment(t *testing.T, v loadVariant, d time.Duration, batches [][]byte) loadSegment {
	t.Helper()
	sink := newLoadSink(t)
	otlpPort, healthPort := FreePort(t), FreePort(t)
	c := StartCollector(t, loadConfig(v == loadEnrich, otlpPort, healthPort, sink.url))
	defer func() { _ = c.Stop() }()
	target := fmt.Sprintf("http://127.0.0.1:%d/v1/traces", otlpPort)
	seg := loadSegment{variant: v}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadSenders, MaxConnsPerHost: loadSenders}}
	defer client.CloseIdleConnections()

	var sent, retries atomic.Int64
	send := func(dur time.Duration) {
		deadline := time.Now().Add(dur)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range loadSenders {
			wg.Go(func() {
				for time.Now().Before(deadline) {
					body := batches[int(next.Add(1))%len(batches)]
					ok, err := postLoadBatch(client, target, body)
					switch {
					case err != nil:
						// An error leaves unknown whether the collector took
						// the spans: the count would be wrong, so stop here.
						t.Errorf("sending a batch: %v", err)
						return
					case ok:
						sent.Add(loadBatchSpans)
					default:
						retries.Add(1)
						time.Sleep(5 * time.Millisecond)
					}
				}
			})
		}
		wg.Wait()
	}
	drain := func() time.Time {
		deadline := time.Now().Add(60 * time.Second)
		for sink.spans.Load() < sent.Load() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		return sink.lastArrival()
	}

	send(loadWarmup)
	drain()
	markSpans := sink.spans.Load()
	cpuStart := procCPU(t, c)
	start := time.Now()
	send(d)
	seg.sendTime = time.Since(start)
	last := drain()
	seg.cpu = procCPU(t, c) - cpuStart
	seg.peakRSSKiB = procStatusKiB(t, c, "VmHWM")
	// Give a late (or duplicated) delivery a moment to show up.
	time.Sleep(300 * time.Millisecond)

	seg.sent, seg.received = sent.Load(), sink.spans.Load()
	seg.measuredSpans = seg.received - markSpans
	seg.measuredTime = last.Sub(start)
	seg.retries = retries.Load()
	seg.enriched, seg.marked, seg.sampled = sink.enriched.Load(), sink.marked.Load(), sink.sampled.Load()
	if c.Exited() {
		t.Errorf("%s: the collector exited under load", seg.variant)
	}
	return seg
}

// postLoadBatch sends one encoded batch; ok is false when the collector
// refused it (to be retried), err when the outcome is unknown.
func postLoadBatch(client *http.Client, target string, body []byte) (ok bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return false, nil
	}
	return false, fmt.Errorf("POST %s: %s", target, resp.Status)
}

// loadSink is an OTLP/HTTP traces endpoint that counts the spans it gets.
type loadSink struct {
	url      string
	spans    atomic.Int64
	requests atomic.Int64
	// lastNanos is the arrival time of the last request, Unix nanoseconds.
	lastNanos atomic.Int64
	// enriched counts spans with a cost, marked spans classified or marked
	// price.missing, in every 25th request (sampled).
	enriched, marked, sampled atomic.Int64
}

func newLoadSink(t *testing.T) *loadSink {
	s := &loadSink{}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *loadSink) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/traces" {
		http.NotFound(w, r)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer gz.Close()
		body = gz
	}
	b, err := io.ReadAll(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := ptraceotlp.NewExportRequest()
	if err := req.UnmarshalProto(b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	td := req.Traces()
	if n := s.requests.Add(1); n%25 == 1 {
		c := genaispans.Count(td)
		s.enriched.Add(int64(c.Priced))
		marked := c.PriceMissing
		for _, n := range c.Classes {
			marked += n
		}
		s.marked.Add(int64(marked))
		s.sampled.Add(int64(c.Spans))
	}
	s.spans.Add(int64(td.SpanCount()))
	s.lastNanos.Store(time.Now().UnixNano())
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

func (s *loadSink) lastArrival() time.Time { return time.Unix(0, s.lastNanos.Load()) }

// procCPU is the collector's CPU time so far (user + system), from
// /proc/<pid>/stat.
func procCPU(t testing.TB, c *Collector) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("read the collector's /proc stat: %v", err)
	}
	// The command name (field 2) may hold spaces: count fields after its ')'.
	rest := string(b[bytes.LastIndexByte(b, ')')+1:])
	f := strings.Fields(rest)
	// rest starts at field 3 (state); utime and stime are fields 14 and 15.
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("parse /proc stat: %v %v", err1, err2)
	}
	return time.Duration(utime+stime) * loadClockTick
}

// loadReport formats the figures of the run.
func loadReport(segs []loadSegment, perVariant, took time.Duration) string {
	type agg struct {
		sent, received, spans int64
		time, cpu             time.Duration
		rss                   int64
	}
	aggs := map[loadVariant]*agg{}
	var variants []loadVariant
	for _, s := range segs {
		v := aggs[s.variant]
		if v == nil {
			v = &agg{}
			aggs[s.variant] = v
			variants = append(variants, s.variant)
		}
		v.sent += s.sent
		v.received += s.received
		v.spans += s.measuredSpans
		v.time += s.measuredTime
		v.cpu += s.cpu
		v.rss = max(v.rss, s.peakRSSKiB)
	}
	slices.Sort(variants)
	tput := func(v loadVariant) float64 { return float64(aggs[v].spans) / aggs[v].time.Seconds() }
	cpuPerSpan := func(v loadVariant) float64 { return float64(aggs[v].cpu.Microseconds()) / float64(aggs[v].spans) }

	var sb strings.Builder
	fmt.Fprintf(&sb, "otelcol-mistral load test (e2e/load_test.go), %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&sb, "machine: %d CPUs (shared), %s/%s; traffic %s per variant in two runs; %d senders, batches of %d GenAI spans (genaispans defaults: 30%% LLM, 10%% of them failed); total %s\n",
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, perVariant, loadSenders, loadBatchSpans, took.Round(time.Second))
	fmt.Fprintf(&sb, "pipeline: otlp (HTTP) -> [llm_enrich] -> batch -> otlp_http (no queue) -> sink in the test\n\n")
	fmt.Fprintf(&sb, "%-4s %-19s %10s %10s %6s %12s %14s %12s\n", "run", "variant", "sent", "received", "lost", "spans/s", "CPU µs/span", "peak RSS")
	for i, s := range segs {
		fmt.Fprintf(&sb, "%-4d %-19s %10d %10d %6d %12.0f %14.2f %8d MiB\n", i+1, s.variant, s.sent, s.received, s.sent-s.received,
			s.throughput(), float64(s.cpu.Microseconds())/float64(s.measuredSpans), s.peakRSSKiB>>10)
	}
	fmt.Fprintf(&sb, "\n%-19s %10s %10s %6s %12s %14s %12s\n", "variant", "sent", "received", "lost", "spans/s", "CPU µs/span", "peak RSS")
	for _, v := range variants {
		a := aggs[v]
		fmt.Fprintf(&sb, "%-19s %10d %10d %6d %12.0f %14.2f %8d MiB\n", v, a.sent, a.received, a.sent-a.received, tput(v), cpuPerSpan(v), a.rss>>10)
	}
	fmt.Fprintf(&sb, "\nthroughput ratio with/without llm_enrich: %.3f (goal >= 0.95)\n", tput(loadEnrich)/tput(loadPlain))
	fmt.Fprintf(&sb, "collector CPU per span, without/with llm_enrich: %.3f (1.0 = free)\n", cpuPerSpan(loadPlain)/cpuPerSpan(loadEnrich))
	if aggs[loadPreEnriched] != nil {
		fmt.Fprintf(&sb, "throughput ratio pre-enriched input/raw input, both without llm_enrich: %.3f (the bigger spans alone)\n",
			tput(loadPreEnriched)/tput(loadPlain))
	}
	return sb.String()
}
