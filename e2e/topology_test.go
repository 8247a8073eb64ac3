//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"
)

// Topology test settings. A throughput run sends topoRunBatches batches that
// no other run sends (every span id is sent once in the whole test); the runs
// go through one and three gateways in the order topoRunOrder, so that drift
// on the shared machine falls on both.
var topoRunOrder = []int{1, 3, 3, 1, 1, 3, 3, 1}

const (
	topoGateways   = 3
	topoBatchSpans = 500
	topoRunBatches = 200
	topoSenders    = 4
	// The failover phases send topoFailoverRate batches a second: a gateway
	// is SIGKILLed after topoKillAfter, restarted topoDowntime later (or not),
	// and traffic goes on for topoAfterRestart.
	topoFailoverRate = 10
	topoKillAfter    = 1500 * time.Millisecond
	topoDowntime     = 3 * time.Second
	topoAfterRestart = 2 * time.Second
	// topoLostRetry shortens the agent's retry_on_failure for the phase where
	// a gateway never returns, so that the agent gives up within the test.
	topoLostRetry = "2s"
	// topoDrain is how long every accepted span may take to arrive.
	topoDrain = 60 * time.Second
	// topoAgentConfig is the agent configuration the test runs, with its
	// listeners and resolver replaced.
	topoAgentConfig = "examples/scaling/agent-loadbalancing.yaml"
)

// TestTopology runs the scale-out topology as processes of the built
// distribution on 127.0.0.1: an agent (examples/scaling/agent-loadbalancing.yaml,
// load_balancing exporter with routing_key traceID, static resolver) in front
// of three gateways (OTLP/gRPC in, llm_enrich, OTLP/HTTP out to a sink in the
// test, no batch processor and no sending queue, so a gateway answers the
// agent only once the spans are delivered), and a second agent in front of
// the first gateway alone. It sends realistic GenAI batches
// (internal/genaispans) and asserts that
//   - a failed LLM span whose HTTP status and rate-limit headers are only on
//     its child HTTP span is classified from the child (the trace reached one
//     gateway; without the child the verdict would differ);
//   - every span arrives exactly once, every trace at one gateway, and every
//     failed LLM span carries the expected class (and no other span a class);
//   - when a gateway is SIGKILLed mid-run, spans keep reaching the others;
//     after it restarts, the spans queued for it arrive: none is lost, and the
//     duplicates stay within num_consumers × the largest agent batch;
//   - when a gateway never returns (static resolver, retries shortened), the
//     traces routed to it after the kill are lost once the agent gives up,
//     whole, and nothing sent a second or more before the kill is lost.
//
// It reports the end-to-end throughput through one and through three
// gateways (runs in the order topoRunOrder), without asserting a ratio: every
// process shares the machine's cores. Report: _build/topology-report.txt.
func TestTopology(t *testing.T) {
	started := time.Now()
	t.Run("example_validates", func(t *testing.T) {
		if out, err := validateCollectorConfig(t, repoPath(t, topoAgentConfig), "GATEWAY_HOSTNAME=gateway.observability.svc"); err != nil {
			t.Fatalf("validate %s as shipped (DNS resolver): %v\n%s", topoAgentConfig, err, out)
		}
	})
	agentConfig := readYAMLMap(t, repoPath(t, topoAgentConfig))
	dupBound := topoDuplicateBound(t, agentConfig)
	otlp := agentConfig["exporters"].(map[string]any)["load_balancing"].(map[string]any)["protocol"].(map[string]any)["otlp"].(map[string]any)
	settings := fmt.Sprintf("sending_queue %v, retry_on_failure %v", otlp["sending_queue"], otlp["retry_on_failure"])

	ledger := newSpanLedger()
	gateways := make([]*topoGateway, topoGateways)
	for i := range gateways {
		gateways[i] = startTopoGateway(t, ledger, i)
	}
	agent3, agent3Proc := startTopoAgent(t, gateways, nil)
	agent1, agent1Proc := startTopoAgent(t, gateways[:1], nil)
	procs := []*Collector{agent1Proc, agent3Proc}
	for _, g := range gateways {
		procs = append(procs, g.collector)
	}

	t.Run("child_span_status_classified", func(t *testing.T) {
		checkChildStatusTrace(t, ledger, agent3)
	})

	expectedClasses := map[pcommon.SpanID]mistralapi.Class{}
	var runs []topoRun
	var sentIDs []pcommon.SpanID
	for i, n := range topoRunOrder {
		agent := map[int]string{1: agent1, 3: agent3}[n]
		batches := topoBatches(t, int64(1000*(i+1)), topoRunBatches, expectedClasses)
		r := runTopoThroughput(t, ledger, agent, batches, n, procs)
		t.Logf("run %d: %d gateway(s): %d spans in %s, %.0f spans/s, %.1f µs CPU/span", i+1, n, r.spans, r.took.Round(time.Millisecond), r.throughput(), r.cpuPerSpan())
		runs = append(runs, r)
		for _, b := range batches {
			sentIDs = append(sentIDs, b.spans...)
		}
	}

	t.Run("exactly_once_one_gateway_per_trace", func(t *testing.T) {
		lost, dup := ledger.lostAndDuplicated(sentIDs)
		if lost != 0 || dup != 0 {
			t.Errorf("%d spans sent: %d lost, %d duplicated; want each exactly once", len(sentIDs), lost, dup)
		}
		if split := ledger.splitTraces(); split != 0 {
			t.Errorf("%d traces reached more than one gateway", split)
		}
		per := ledger.perGateway()
		for i, n := range per {
			if n == 0 {
				t.Errorf("gateway %d received no span: %v", i, per)
			}
		}
		checkClasses(t, ledger, expectedClasses)
	})

	// The failover phases run in the test itself, not in subtests: the
	// restarted gateway must outlive the phase that restarts it.
	// A gateway killed mid-run and restarted: nothing lost.
	restarted := runTopoFailover(t, ledger, agent3, gateways, 1, true, 1_000_000)
	if restarted.lost != 0 {
		t.Errorf("gateway killed and restarted: %d of %d spans lost; want 0", restarted.lost, restarted.sent)
	}
	if restarted.duplicated > dupBound {
		t.Errorf("gateway killed and restarted: %d spans duplicated, above the bound of %d (num_consumers × the largest agent batch)",
			restarted.duplicated, dupBound)
	}

	// A gateway that never returns: the static resolver keeps it in the
	// ring, so the traces routed to it after the kill are lost once the
	// agent's retries give up; nothing sent a second or more before the kill is lost, and a
	// trace is lost whole or not at all (runTopoFailover checks both).
	agentShortRetry, _ := startTopoAgent(t, gateways, func(otlp map[string]any) {
		otlp["retry_on_failure"] = map[string]any{
			"enabled": true, "initial_interval": "250ms", "max_interval": "500ms", "max_elapsed_time": topoLostRetry,
		}
	})
	lostForGood := runTopoFailover(t, ledger, agentShortRetry, gateways, 2, false, 2_000_000)
	if lostForGood.lost == 0 || lostForGood.lost > lostForGood.sentAfterKill {
		t.Errorf("gateway lost for good: %d spans lost, want some and at most the %d sent from one second before the kill on",
			lostForGood.lost, lostForGood.sentAfterKill)
	}
	if lostForGood.duplicated != 0 {
		t.Errorf("gateway lost for good: %d spans duplicated, want 0", lostForGood.duplicated)
	}

	report := topoReport(runs, []topoFailover{restarted, lostForGood}, dupBound, settings, time.Since(started))
	t.Log("\n" + report)
	path := filepath.Join(RepoRoot(t), "_build", "topology-report.txt")
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		t.Errorf("write %s: %v", path, err)
	}
}

// topoDuplicateBound is the documented bound on the spans a gateway killed
// mid-run can receive twice: each of the agent's num_consumers requests in
// flight to it may have been delivered without an answer, and a request
// holds at most one agent batch, that is send_batch_size - 1 spans plus one
// incoming request (the test's batches), as the batch processor never splits.
func topoDuplicateBound(t *testing.T, agent map[string]any) int {
	t.Helper()
	get := func(path ...string) int {
		var v any = agent
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%s: no %s", topoAgentConfig, strings.Join(path, "."))
			}
			v = m[k]
		}
		n, ok := v.(int)
		if !ok {
			t.Fatalf("%s: %s is %v, want an integer", topoAgentConfig, strings.Join(path, "."), v)
		}
		return n
	}
	consumers := get("exporters", "load_balancing", "protocol", "otlp", "sending_queue", "num_consumers")
	batch := get("processors", "batch", "send_batch_size")
	return consumers * (batch - 1 + topoBatchSpans)
}

// topoGateway is one gateway process and what restarts it.
type topoGateway struct {
	collector *Collector
	config    string
	otlpPort  int
}

func startTopoGateway(t *testing.T, l *spanLedger, index int) *topoGateway {
	t.Helper()
	g := &topoGateway{otlpPort: FreePort(t)}
	g.config = fmt.Sprintf(`receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:%d
processors:
  llm_enrich: {}
exporters:
  otlp_http:
    endpoint: %s
    compression: none
    sending_queue:
      enabled: false
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
      processors: [llm_enrich]
      exporters: [otlp_http]
`, g.otlpPort, l.sink(t, index), FreePort(t))
	g.collector = StartCollector(t, g.config)
	return g
}

// startTopoAgent runs the agent configuration with its listeners on free
// 127.0.0.1 ports and a static resolver listing gateways; edit, when not
// nil, changes the settings of its exporter to each gateway (protocol.otlp).
// It returns the agent's OTLP/HTTP traces URL and its process.
func startTopoAgent(t *testing.T, gateways []*topoGateway, edit func(otlp map[string]any)) (string, *Collector) {
	t.Helper()
	cfg := readYAMLMap(t, repoPath(t, topoAgentConfig))
	otlpPort := FreePort(t)
	cfg["receivers"].(map[string]any)["otlp"] = map[string]any{
		"protocols": map[string]any{"http": map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", otlpPort)}},
	}
	cfg["extensions"].(map[string]any)["health_check"] = map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", FreePort(t))}
	var hosts []any
	for _, g := range gateways {
		hosts = append(hosts, fmt.Sprintf("127.0.0.1:%d", g.otlpPort))
	}
	lb := cfg["exporters"].(map[string]any)["load_balancing"].(map[string]any)
	lb["resolver"] = map[string]any{"static": map[string]any{"hostnames": hosts}}
	if edit != nil {
		edit(lb["protocol"].(map[string]any)["otlp"].(map[string]any))
	}
	cfg["service"].(map[string]any)["telemetry"] = map[string]any{"metrics": map[string]any{"level": "none"}}
	c := StartCollector(t, toYAML(t, cfg))
	return fmt.Sprintf("http://127.0.0.1:%d/v1/traces", otlpPort), c
}

// checkChildStatusTrace sends one trace whose failed LLM span (semconv,
// Python SDK) has neither HTTP status nor headers: its child HTTP span has
// the 429 and x-ratelimit-limit-req-minute: 0, a key without allowance. The
// verdict needs the child; the test first shows that without it the
// processor's verdict differs.
func checkChildStatusTrace(t *testing.T, l *spanLedger, agentURL string) {
	sc := genaispans.ScenarioZeroAllowance
	r := genaispans.Single(genaispans.Call{Dialect: genaispans.Semconv, Scenario: &sc, Seed: 42})
	if len(r.Expected) != 1 {
		t.Fatalf("generated %d LLM spans, want 1", len(r.Expected))
	}
	want := r.Expected[0]
	var llm, child ptrace.Span
	var hasChild bool
	eachSpan(r.Traces, func(s ptrace.Span) {
		switch {
		case s.SpanID() == want.SpanID:
			llm = s
		case s.ParentSpanID() == want.SpanID:
			child, hasChild = s, true
		}
	})
	if !hasChild {
		t.Fatal("the generated LLM span has no child HTTP span")
	}
	if _, ok := llm.Attributes().Get("http.response.status_code"); ok {
		t.Fatal("the generated LLM span has its own HTTP status; the check needs it on the child only")
	}
	if _, ok := child.Attributes().Get("http.response.status_code"); !ok {
		t.Fatal("the generated child span has no HTTP status")
	}

	llmOnly := ptrace.NewTraces()
	r.Traces.CopyTo(llmOnly)
	llmOnly.ResourceSpans().RemoveIf(func(rs ptrace.ResourceSpans) bool {
		rs.ScopeSpans().RemoveIf(func(ss ptrace.ScopeSpans) bool {
			ss.Spans().RemoveIf(func(s ptrace.Span) bool { return s.SpanID() != want.SpanID })
			return ss.Spans().Len() == 0
		})
		return rs.ScopeSpans().Len() == 0
	})
	alone := enrichInProcess(t, llmOnly)[want.SpanID]
	if alone == string(want.Class) {
		t.Fatalf("without its child the span is classified %q too: the check would prove nothing", alone)
	}

	body, err := ptraceotlp.NewExportRequestFromTraces(r.Traces).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{}
	if ok, err := postLoadBatch(client, agentURL, body); err != nil || !ok {
		t.Fatalf("send the trace to the agent: ok=%v err=%v", ok, err)
	}
	Eventually(t, 30*time.Second, func() error {
		if n := l.count(want.SpanID); n == 0 {
			return fmt.Errorf("the LLM span has not reached a gateway")
		}
		return nil
	})
	if got := l.class(want.SpanID); got != string(want.Class) {
		t.Errorf("llm_enrich.error.class = %q at the gateway, want %q (from the child span's status and headers)", got, want.Class)
	}
	if n := l.gatewaysOf(want.TraceID); n != 1 {
		t.Errorf("the trace reached %d gateways, want 1", n)
	}
	t.Logf("%s span with its child: %q at the gateway; without the child: %q", sc.Name, l.class(want.SpanID), alone)
}

// enrichInProcess runs llm_enrich (default configuration) on td and returns
// the class it wrote on each span.
func enrichInProcess(t *testing.T, td ptrace.Traces) map[pcommon.SpanID]string {
	t.Helper()
	f := llmenrichprocessor.NewFactory()
	sink := new(consumertest.TracesSink)
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(f.Type()), f.CreateDefaultConfig(), sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	out := map[pcommon.SpanID]string{}
	for _, got := range sink.AllTraces() {
		eachSpan(got, func(s ptrace.Span) {
			if v, ok := s.Attributes().Get("llm_enrich.error.class"); ok {
				out[s.SpanID()] = v.AsString()
			}
		})
	}
	return out
}

// checkClasses compares the classes the gateways wrote with the generator's
// verdicts: every failed LLM span has its class, no other span has one.
func checkClasses(t *testing.T, l *spanLedger, want map[pcommon.SpanID]mistralapi.Class) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	wrong := 0
	for id, c := range want {
		if got := l.classes[id]; got != string(c) {
			if wrong++; wrong <= 5 {
				t.Errorf("span %s: class %q, want %q", id, got, c)
			}
		}
	}
	extra := 0
	for id := range l.classes {
		if _, ok := want[id]; !ok && l.seen[id] > 0 {
			extra++
		}
	}
	// The child-status trace of the first subtest is the one class outside want.
	if extra > 1 {
		t.Errorf("%d spans carry a class the generator did not expect", extra-1)
	}
	if wrong > 0 {
		t.Errorf("%d of %d failed LLM spans misclassified", wrong, len(want))
	}
	t.Logf("%d failed LLM spans classified as expected", len(want)-wrong)
}

// topoBatch is one encoded batch and the span and trace ids of its spans.
type topoBatch struct {
	body   []byte
	spans  []pcommon.SpanID
	traces []pcommon.TraceID
}

// topoBatches generates n batches of realistic GenAI spans (genaispans
// defaults: 30 % LLM spans in every dialect, 10 % of them failed), with
// distinct seeds from seed, and adds the expected class of each failed LLM
// span to classes.
func topoBatches(t *testing.T, seed int64, n int, classes map[pcommon.SpanID]mistralapi.Class) []topoBatch {
	t.Helper()
	out := make([]topoBatch, n)
	for i := range out {
		o := genaispans.DefaultOptions()
		o.Spans = topoBatchSpans
		o.Seed = seed + int64(i)
		r := genaispans.Generate(o)
		for _, e := range r.Expected {
			if e.Error {
				classes[e.SpanID] = e.Class
			}
		}
		body, err := ptraceotlp.NewExportRequestFromTraces(r.Traces).MarshalProto()
		if err != nil {
			t.Fatal(err)
		}
		out[i].body = body
		eachSpan(r.Traces, func(s ptrace.Span) {
			out[i].spans = append(out[i].spans, s.SpanID())
			out[i].traces = append(out[i].traces, s.TraceID())
		})
	}
	return out
}

// topoRun is one throughput run; cpu is the CPU time (user + system) of
// every collector process of the test over the run.
type topoRun struct {
	gateways, spans int
	took, cpu       time.Duration
}

func (r topoRun) throughput() float64 { return float64(r.spans) / r.took.Seconds() }
func (r topoRun) cpuPerSpan() float64 { return float64(r.cpu.Microseconds()) / float64(r.spans) }

func collectorsCPU(t *testing.T, procs []*Collector) time.Duration {
	var d time.Duration
	for _, c := range procs {
		d += procCPU(t, c)
	}
	return d
}

// runTopoThroughput sends batches to the agent with topoSenders senders as
// fast as it accepts them, and measures the time until the last span arrived
// at a gateway's sink.
func runTopoThroughput(t *testing.T, l *spanLedger, agentURL string, batches []topoBatch, gateways int, procs []*Collector) topoRun {
	t.Helper()
	want := l.distinctCount() + len(batches)*topoBatchSpans
	queue := make(chan topoBatch, len(batches))
	for _, b := range batches {
		queue <- b
	}
	close(queue)
	cpu0 := collectorsCPU(t, procs)
	start := time.Now()
	sendTopoBatches(t, agentURL, queue)
	last, ok := l.waitDistinct(want, topoDrain)
	cpu := collectorsCPU(t, procs) - cpu0
	if !ok {
		t.Fatalf("%d-gateway run: %d spans arrived within %s, want %d", gateways, l.distinctCount()-(want-len(batches)*topoBatchSpans), topoDrain, len(batches)*topoBatchSpans)
	}
	return topoRun{gateways: gateways, spans: len(batches) * topoBatchSpans, took: last.Sub(start), cpu: cpu}
}

// sendTopoBatches posts the batches of queue to the agent with topoSenders
// senders until queue is closed and empty, resending a batch the agent
// refused (429, 503).
func sendTopoBatches(t *testing.T, agentURL string, queue <-chan topoBatch) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: topoSenders, MaxConnsPerHost: topoSenders}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for range topoSenders {
		wg.Go(func() {
			for b := range queue {
				for {
					ok, err := postLoadBatch(client, agentURL, b.body)
					if err != nil {
						t.Errorf("sending a batch to the agent: %v", err)
						return
					}
					if ok {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
}

// topoFailover is what a failover phase measured.
type topoFailover struct {
	victim  int
	restart bool
	sent    int
	rate    float64
	// sentAfterKill counts the spans of the batches sent from one second
	// before the kill on (the agent's batch timeout and requests in flight
	// are well within it); lost spans may only come from those.
	sentAfterKill    int
	lost, duplicated int
	// lostBeforeKill counts lost spans sent earlier; splitLost the traces
	// of which some spans arrived and some were lost.
	lostBeforeKill, splitLost int
	// duringOutage is what each gateway received while the victim was down.
	duringOutage [topoGateways]int
	// queuedDelivered is what the victim received after its restart, and
	// recovered the time from its restart to its first span.
	queuedDelivered int
	recovered       time.Duration
}

// runTopoFailover sends paced traffic to an agent in front of the three
// gateways, SIGKILLs gateway victim, restarts it on the same ports when
// restart is set, and counts what was lost and duplicated once every span
// that can still arrive has arrived. seed makes the batches' ids.
func runTopoFailover(t *testing.T, l *spanLedger, agentURL string, gateways []*topoGateway, victim int, restart bool, seed int64) topoFailover {
	t.Helper()
	total := topoKillAfter + topoDowntime + topoAfterRestart
	pool := topoBatches(t, seed, int(2*total.Seconds()*topoFailoverRate), map[pcommon.SpanID]mistralapi.Class{})
	fedAt := make([]time.Time, len(pool))
	queue := make(chan topoBatch, len(pool))
	var fed atomic.Int64
	stop := make(chan struct{})
	feederDone := make(chan struct{})
	go func() {
		defer close(feederDone)
		defer close(queue)
		tick := time.NewTicker(time.Second / topoFailoverRate)
		defer tick.Stop()
		for i, b := range pool {
			select {
			case <-stop:
				return
			case <-tick.C:
				fedAt[i] = time.Now()
				queue <- b
				fed.Add(1)
			}
		}
	}()
	sendersDone := make(chan struct{})
	go func() { defer close(sendersDone); sendTopoBatches(t, agentURL, queue) }()
	start := time.Now()

	time.Sleep(topoKillAfter)
	fo := topoFailover{victim: victim, restart: restart}
	atKill := l.perGateway()
	killed := time.Now()
	gateways[victim].collector.Kill()
	time.Sleep(topoDowntime)
	beforeRestart := l.perGateway()
	for i := range gateways {
		fo.duringOutage[i] = beforeRestart[i] - atKill[i]
		if i != victim && fo.duringOutage[i] == 0 {
			t.Errorf("gateway %d received no span while gateway %d was down", i, victim)
		}
	}
	restartedAt := time.Now()
	if restart {
		gateways[victim].collector = StartCollector(t, gateways[victim].config)
	}
	time.Sleep(topoAfterRestart)
	close(stop)
	<-feederDone
	<-sendersDone
	elapsed := time.Since(start)

	n := int(fed.Load())
	var ids []pcommon.SpanID
	for i, b := range pool[:n] {
		ids = append(ids, b.spans...)
		if !fedAt[i].Before(killed.Add(-time.Second)) {
			fo.sentAfterKill += len(b.spans)
		}
	}
	fo.sent = len(ids)
	fo.rate = float64(fo.sent) / elapsed.Seconds()
	// Wait until nothing is missing, or until what is missing stops
	// changing for long enough that the agent has given up on it.
	deadline := time.Now().Add(topoDrain)
	prev, stableSince := -1, time.Now()
	for time.Now().Before(deadline) {
		lost, _ := l.lostAndDuplicated(ids)
		if lost == 0 {
			break
		}
		if lost != prev {
			prev, stableSince = lost, time.Now()
		} else if !restart && time.Since(stableSince) > 5*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a late duplicate shows up
	fo.lost, fo.duplicated = l.lostAndDuplicated(ids)
	lostTraces := map[pcommon.TraceID]bool{}
	for i, b := range pool[:n] {
		for k, id := range b.spans {
			if l.count(id) == 0 {
				lostTraces[b.traces[k]] = true
				if fedAt[i].Before(killed.Add(-time.Second)) {
					fo.lostBeforeKill++
				}
			}
		}
	}
	for id := range lostTraces {
		if l.gatewaysOf(id) != 0 {
			fo.splitLost++
		}
	}
	if fo.lostBeforeKill != 0 {
		t.Errorf("%d lost spans were sent more than a second before the kill", fo.lostBeforeKill)
	}
	if fo.splitLost != 0 {
		t.Errorf("%d traces arrived in part: a trace must be lost whole or not at all", fo.splitLost)
	}
	if restart {
		fo.queuedDelivered = l.perGateway()[victim] - beforeRestart[victim]
		fo.recovered = l.firstAfter(victim, restartedAt).Sub(restartedAt)
	}
	return fo
}

// spanLedger records what the gateways' sinks received.
type spanLedger struct {
	mu sync.Mutex
	// seen counts the deliveries of each span; traceGateways is the set of
	// gateways (bit i: gateway i) that delivered spans of each trace.
	seen          map[pcommon.SpanID]int
	traceGateways map[pcommon.TraceID]uint8
	classes       map[pcommon.SpanID]string
	distinct      int
	per           [topoGateways]int
	last          time.Time
	// arrivals are the (gateway, time) of every delivery, for firstAfter.
	arrivals []topoArrival
}

type topoArrival struct {
	gateway int
	at      time.Time
}

func newSpanLedger() *spanLedger {
	return &spanLedger{
		seen:          map[pcommon.SpanID]int{},
		traceGateways: map[pcommon.TraceID]uint8{},
		classes:       map[pcommon.SpanID]string{},
	}
}

// sink starts the OTLP/HTTP endpoint gateway index exports to, and returns
// its URL.
func (l *spanLedger) sink(t *testing.T, index int) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Encoding") != "" {
			http.Error(w, "want uncompressed POST /v1/traces", http.StatusBadRequest)
			return
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := ptraceotlp.NewExportRequest()
		if err := req.UnmarshalProto(b); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		l.record(index, req.Traces())
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func (l *spanLedger) record(gateway int, td ptrace.Traces) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	eachSpan(td, func(s ptrace.Span) {
		id := s.SpanID()
		if l.seen[id] == 0 {
			l.distinct++
		}
		l.seen[id]++
		l.traceGateways[s.TraceID()] |= 1 << gateway
		if v, ok := s.Attributes().Get("llm_enrich.error.class"); ok {
			l.classes[id] = v.AsString()
		}
		l.per[gateway]++
	})
	l.last = now
	l.arrivals = append(l.arrivals, topoArrival{gateway: gateway, at: now})
}

func (l *spanLedger) distinctCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.distinct
}

// waitDistinct waits until n distinct spans arrived, and returns the time
// of the last arrival.
func (l *spanLedger) waitDistinct(n int, timeout time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(timeout)
	for {
		l.mu.Lock()
		done, last := l.distinct >= n, l.last
		l.mu.Unlock()
		if done {
			return last, true
		}
		if time.Now().After(deadline) {
			return last, false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *spanLedger) perGateway() [topoGateways]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.per
}

func (l *spanLedger) count(id pcommon.SpanID) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen[id]
}

func (l *spanLedger) class(id pcommon.SpanID) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.classes[id]
}

// gatewaysOf is the number of gateways that delivered spans of the trace.
func (l *spanLedger) gatewaysOf(id pcommon.TraceID) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for m := l.traceGateways[id]; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// splitTraces counts the traces delivered by more than one gateway.
func (l *spanLedger) splitTraces() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.traceGateways {
		if m&(m-1) != 0 {
			n++
		}
	}
	return n
}

// lostAndDuplicated counts the ids never delivered, and the extra
// deliveries of the others.
func (l *spanLedger) lostAndDuplicated(ids []pcommon.SpanID) (lost, duplicated int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		switch n := l.seen[id]; {
		case n == 0:
			lost++
		case n > 1:
			duplicated += n - 1
		}
	}
	return lost, duplicated
}

// firstAfter is the first delivery by gateway at or after t (zero if none).
func (l *spanLedger) firstAfter(gateway int, t time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.arrivals {
		if a.gateway == gateway && !a.at.Before(t) {
			return a.at
		}
	}
	return time.Time{}
}

func eachSpan(td ptrace.Traces, f func(ptrace.Span)) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				f(spans.At(k))
			}
		}
	}
}

// topoReport formats the figures of the run.
func topoReport(runs []topoRun, failovers []topoFailover, dupBound int, settings string, took time.Duration) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "otelcol-mistral topology test (e2e/topology_test.go), %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&sb, "machine: %d CPUs shared by every process of the test (agents, gateways, sinks, senders) and by other work; %s/%s; total %s\n",
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, took.Round(time.Second))
	fmt.Fprintf(&sb, "agent: %s (static resolver) -> gateways: otlp (gRPC) -> llm_enrich -> otlp_http (no queue) -> sink in the test\n", topoAgentConfig)
	fmt.Fprintf(&sb, "traffic: batches of %d GenAI spans (genaispans defaults: 30%% LLM, 10%% of them failed), %d senders as fast as the agent accepts\n\n",
		topoBatchSpans, topoSenders)
	fmt.Fprintf(&sb, "%-4s %-9s %8s %10s %12s %18s\n", "run", "gateways", "spans", "time", "spans/s", "CPU µs/span (all)")
	by, cpuBy := map[int][]float64{}, map[int][]float64{}
	for i, r := range runs {
		fmt.Fprintf(&sb, "%-4d %-9d %8d %10s %12.0f %18.1f\n", i+1, r.gateways, r.spans, r.took.Round(time.Millisecond), r.throughput(), r.cpuPerSpan())
		by[r.gateways] = append(by[r.gateways], r.throughput())
		cpuBy[r.gateways] = append(cpuBy[r.gateways], r.cpuPerSpan())
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	if len(by[1]) > 0 && len(by[3]) > 0 {
		fmt.Fprintf(&sb, "\nmean spans/s: 1 gateway %.0f (runs %s), 3 gateways %.0f (runs %s); ratio 3/1 %.2f\n",
			mean(by[1]), fmtRates(by[1]), mean(by[3]), fmtRates(by[3]), mean(by[3])/mean(by[1]))
		fmt.Fprintf(&sb, "CPU per span, agent + gateways: 1 gateway %.1f µs, 3 gateways %.1f µs\n",
			mean(cpuBy[1]), mean(cpuBy[3]))
	}
	for _, fo := range failovers {
		if fo.sent == 0 {
			continue
		}
		what := fmt.Sprintf("restarted %s later", topoDowntime)
		if !fo.restart {
			what = fmt.Sprintf("never restarted (agent retries shortened to max_elapsed_time %s)", topoLostRetry)
		}
		fmt.Fprintf(&sb, "\nfailover: %d spans at %.0f spans/s; gateway %d SIGKILLed after %s, %s; traffic for %s in all\n",
			fo.sent, fo.rate, fo.victim, topoKillAfter, what, topoKillAfter+topoDowntime+topoAfterRestart)
		fmt.Fprintf(&sb, "  received while gateway %d was down: %v (per gateway)\n", fo.victim, fo.duringOutage)
		if fo.restart {
			fmt.Fprintf(&sb, "  agent's exporter to each gateway: %s\n", settings)
			fmt.Fprintf(&sb, "  gateway %d after its restart: %d spans (its queued share), the first %s after the restart began\n",
				fo.victim, fo.queuedDelivered, fo.recovered.Round(time.Millisecond))
		}
		fmt.Fprintf(&sb, "  lost %d (of %d sent from 1 s before the kill on; %d sent earlier; %d traces lost in part), duplicated %d (bound %d = num_consumers x (send_batch_size - 1 + %d))\n",
			fo.lost, fo.sentAfterKill, fo.lostBeforeKill, fo.splitLost, fo.duplicated, dupBound, topoBatchSpans)
	}
	return sb.String()
}

func fmtRates(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(s, " ")
}
