package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8090", cfg.apiAddr)
	assert.Equal(t, "127.0.0.1:8091", cfg.statusAddr)
	assert.Equal(t, fakemistral.TLSNone, cfg.tls)
	assert.Nil(t, cfg.opts.APIKeys, "default key")
	assert.Nil(t, cfg.opts.Logger)

	cfg, err = parseFlags([]string{"-key", "a=ws1,b=ws1", "-key", "c", "-tls", "expired", "-legacy-headers",
		"-fault", "hang", "-rps", "-1", "-tokens-per-minute", "10", "-status", "mistral=challenge",
		"-status", "x=rootly:major_outage", "-log", "-ca-out", "/tmp/ca.pem", "-request-window", "60-second", "-token-window", "5-minute"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "ws1", "b": "ws1", "c": "default"}, cfg.opts.APIKeys)
	assert.Equal(t, fakemistral.TLSExpired, cfg.opts.TLS)
	assert.True(t, cfg.opts.LegacyHeaders)
	assert.Equal(t, fakemistral.FaultHang, cfg.fault)
	assert.Equal(t, fakemistral.Tier{RequestsPerSecond: -1, TokensPerMinute: 10, RequestWindow: "60-second", TokenWindow: "5-minute"}, cfg.opts.Tier)
	assert.Equal(t, fakemistral.StatusPage{Format: fakemistral.FormatChallenge}, cfg.pages["mistral"])
	assert.Equal(t, fakemistral.StatusPage{Format: fakemistral.FormatRootly, Scenario: fakemistral.ScenarioMajorOutage}, cfg.pages["x"])
	assert.NotNil(t, cfg.opts.Logger)

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-tls", "maybe"}, `-tls: unknown TLS mode "maybe"`},
		{[]string{"-fault", "teapot"}, `-fault: unknown fault mode "teapot"`},
		{[]string{"-key", "=ws"}, `-key "=ws"`},
		{[]string{"-key", "k="}, `-key "k="`},
		{[]string{"-status", "nope"}, `-status "nope"`},
		{[]string{"-status", "p=html"}, `unknown status page format "html"`},
		{[]string{"-status", "p=rss:fire"}, `unknown status page scenario "fire"`},
		{[]string{"-ca-out", "x.pem"}, `-ca-out needs -tls`},
		{[]string{"extra"}, `unexpected arguments`},
		{[]string{"-request-window", "hour"}, `request_window "hour"`},
		{[]string{"-token-window", "0-minute"}, `token_window "0-minute"`},
		{[]string{"-bogus"}, `flag provided but not defined`},
	} {
		_, err := parseFlags(tt.args, io.Discard)
		assert.ErrorContains(t, err, tt.want, tt.args)
	}
}

// syncBuffer is a goroutine-safe bytes.Buffer.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-api-addr", "127.0.0.1:0", "-status-addr", "127.0.0.1:0", "-tls", "self-signed",
			"-ca-out", ca, "-key", "secret-key=ws", "-fault", "capacity_503", "-log"}, &stdout, &stderr)
	}()
	var api string
	require.Eventually(t, func() bool {
		for line := range strings.Lines(stdout.String()) {
			if u, ok := strings.CutPrefix(line, "API: "); ok {
				api = strings.TrimSpace(u)
				return true
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond)
	assert.Contains(t, stdout.String(), "Status: http://127.0.0.1:")
	assert.NotContains(t, stdout.String(), "secret-key")

	pem, err := os.ReadFile(ca)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
	tr := &http.Transport{}
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", api+"/v1/models", nil)
	req.Header.Set("Authorization", "Bearer secret-key")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "initial fault")
	tr.CloseIdleConnections()

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
	assert.Contains(t, stderr.String(), "path=/v1/models")
	assert.NotContains(t, stderr.String(), "secret-key", "keys are never logged")
}

func TestRunFallbackProviders(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-api-addr", "127.0.0.1:0", "-status-addr", "127.0.0.1:0",
			"-openai-addr", "127.0.0.1:0", "-anthropic-addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	urls := map[string]string{}
	require.Eventually(t, func() bool {
		for line := range strings.Lines(stdout.String()) {
			if rest, ok := strings.CutPrefix(line, "Fallback provider "); ok {
				kind, rest, _ := strings.Cut(rest, ": ")
				u, _, _ := strings.Cut(rest, " ")
				urls[kind] = u
			}
		}
		return len(urls) == 2
	}, 10*time.Second, 10*time.Millisecond)

	for kind, header := range map[string][2]string{
		"openai":    {"Authorization", "Bearer test-openai-key"},
		"anthropic": {"x-api-key", "test-anthropic-key"},
	} {
		req, _ := http.NewRequest("GET", urls[kind]+"/v1/models", nil)
		req.Header.Set(header[0], header[1])
		req.Header.Set("anthropic-version", "2023-06-01")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err, kind)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, kind)
	}
	http.DefaultClient.CloseIdleConnections()

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}
