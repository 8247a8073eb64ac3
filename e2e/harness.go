//go:build e2e

// Package e2e holds the end-to-end tests: they run the built distribution
// (_build/otelcol-mistral, made by `make build`) as a process against the
// fake La Plateforme, and read the results back the way a user would.
// Run them with `make test-e2e` (go test -tags e2e ./e2e/...).
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

// RepoRoot is the repository's top directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the e2e package")
	}
	return filepath.Dir(filepath.Dir(file))
}

// CollectorBinary is the path of the built distribution. It fails the test
// when the binary is missing: `make test-e2e` builds it first.
func CollectorBinary(t testing.TB) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "_build", "otelcol-mistral")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("distribution not built (%v): run `make build` or `make test-e2e`", err)
	}
	return p
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Collector is a running distribution process.
type Collector struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
	// ConfigPath is the config file the process runs with.
	ConfigPath string
}

// Logs returns what the process wrote to stdout and stderr so far.
func (c *Collector) Logs() string { return c.out.String() }

// Exited reports whether the process has ended.
func (c *Collector) Exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// Stop ends the process with SIGTERM (SIGKILL after 10 s) and waits for it.
func (c *Collector) Stop() error {
	if c.Exited() {
		return c.err
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
	return c.err
}

// Kill ends the process with SIGKILL, as a crash or an OOM kill would, and
// waits for it: nothing is flushed.
func (c *Collector) Kill() {
	if c.Exited() {
		return
	}
	_ = c.cmd.Process.Kill()
	<-c.done
}

// StartCollector writes configYAML to a temporary file and runs the
// distribution with it; env entries ("K=V") are added to a minimal
// environment. When the config enables health_check, it waits until the
// collector reports healthy. The process is stopped at the test's cleanup.
func StartCollector(t testing.TB, configYAML string, env ...string) *Collector {
	t.Helper()
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(configYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startCollectorSources(t, []string{cfgPath}, env...)
	c.ConfigPath = cfgPath
	if port := healthPort(configYAML); port != "" {
		WaitHTTPOK(t, "http://127.0.0.1:"+port+"/", 60*time.Second, func() {
			if c.Exited() {
				t.Fatalf("collector exited: %v\n%s", c.err, tail(c.Logs(), 8000))
			}
		})
	}
	return c
}

// startCollectorSources runs the distribution with several --config sources
// and stops it at the test's cleanup.
func startCollectorSources(t testing.TB, sources []string, env ...string) *Collector {
	t.Helper()
	args := make([]string, 0, len(sources))
	for _, src := range sources {
		args = append(args, "--config="+src)
	}
	c := &Collector{out: &syncBuffer{}, done: make(chan struct{})}
	c.cmd = exec.Command(CollectorBinary(t), args...)
	c.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start collector: %v", err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		_ = c.Stop()
		if t.Failed() {
			t.Logf("collector output:\n%s", tail(c.Logs(), 8000))
		}
	})
	return c
}

// WaitHTTPOK polls url until it answers 200 OK, for at most timeout.
// alive is called before each poll and fails the test when the process
// that should answer has died.
func WaitHTTPOK(t testing.TB, url string, timeout time.Duration, alive func()) {
	t.Helper()
	Eventually(t, timeout, func() error {
		alive()
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	})
}

// healthPort finds the port of a health_check extension on 127.0.0.1 in a
// config, by the convention that the config writes
// `endpoint: 127.0.0.1:PORT` on the line after `health_check:`.
func healthPort(cfg string) string {
	lines := strings.Split(cfg, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "health_check:" || i+1 >= len(lines) {
			continue
		}
		next := strings.TrimSpace(lines[i+1])
		if rest, ok := strings.CutPrefix(next, "endpoint:"); ok {
			if _, port, err := net.SplitHostPort(strings.Trim(strings.TrimSpace(rest), `"'`)); err == nil {
				return port
			}
		}
	}
	return ""
}

// StartFake runs the fake La Plateforme in-process on 127.0.0.1 and closes
// it at the test's cleanup.
func StartFake(t testing.TB, opts fakemistral.Options) *fakemistral.Server {
	t.Helper()
	s := fakemistral.New(opts)
	if err := s.Start("", ""); err != nil {
		t.Fatalf("start fake La Plateforme: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Sample is one sample of the Prometheus text format.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// ScrapeMetrics reads a Prometheus text-format endpoint, samples by name.
func ScrapeMetrics(t testing.TB, url string) map[string][]Sample {
	t.Helper()
	m, err := TryScrapeMetrics(url)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TryScrapeMetrics is ScrapeMetrics returning its error, for Eventually.
func TryScrapeMetrics(url string) (map[string][]Sample, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return ParsePrometheusText(resp.Body)
}

// ParsePrometheusText parses the Prometheus text exposition format, enough
// for the exporter's output: comments skipped, labels unescaped.
func ParsePrometheusText(r io.Reader) (map[string][]Sample, error) {
	out := map[string][]Sample{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fmt.Errorf("%w in line %q", err, line)
		}
		out[s.Name] = append(out[s.Name], s)
	}
	return out, sc.Err()
}

func parseSample(line string) (Sample, error) {
	s := Sample{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ ")
	if i < 0 {
		return s, errors.New("no value")
	}
	s.Name = line[:i]
	rest := line[i:]
	if rest[0] == '{' {
		j := 1
		for j < len(rest) && rest[j] != '}' {
			k := strings.IndexByte(rest[j:], '=')
			if k < 0 {
				return s, errors.New("bad label")
			}
			name := strings.TrimSpace(strings.TrimPrefix(rest[j:j+k], ","))
			j += k + 1
			if j >= len(rest) || rest[j] != '"' {
				return s, errors.New("bad label value")
			}
			j++
			var v strings.Builder
			for j < len(rest) && rest[j] != '"' {
				if rest[j] == '\\' && j+1 < len(rest) {
					j++
					switch rest[j] {
					case 'n':
						v.WriteByte('\n')
					default:
						v.WriteByte(rest[j])
					}
				} else {
					v.WriteByte(rest[j])
				}
				j++
			}
			j++ // closing quote
			if j < len(rest) && rest[j] == ',' {
				j++
			}
			s.Labels[name] = v.String()
		}
		if j >= len(rest) {
			return s, errors.New("unterminated labels")
		}
		rest = rest[j+1:]
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return s, errors.New("no value")
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return s, err
	}
	s.Value = v
	return s, nil
}

// Find returns the samples of name whose labels include all of match.
func Find(m map[string][]Sample, name string, match map[string]string) []Sample {
	var out []Sample
next:
	for _, s := range m[name] {
		for k, v := range match {
			if s.Labels[k] != v {
				continue next
			}
		}
		out = append(out, s)
	}
	return out
}

// Eventually calls f every 250 ms until it returns nil, and fails the test
// with f's last error when timeout passes first.
func Eventually(t testing.TB, timeout time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not true after %s: %v", timeout, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// SendSpans posts td to an OTLP/HTTP traces endpoint (base URL, e.g.
// http://127.0.0.1:4318) as protobuf.
func SendSpans(t testing.TB, otlpHTTPEndpoint string, td ptrace.Traces) {
	t.Helper()
	body, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(otlpHTTPEndpoint, "/")+"/v1/traces", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("send spans: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		t.Fatalf("send spans: %s: %s", resp.Status, b)
	}
}

// syncBuffer is a bytes.Buffer safe for a process's two output streams.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// netDialer dials with a short timeout, to see whether a port still listens.
type netDialer struct{}

func (netDialer) dial(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, time.Second)
}

// every runs f at once, then every d, until stop is called; stop returns once
// f has returned for the last time.
func every(d time.Duration, f func()) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(d)
		defer tick.Stop()
		for {
			f()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
