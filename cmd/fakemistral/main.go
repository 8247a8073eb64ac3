// Command fakemistral runs the fake La Plateforme (package
// internal/fakemistral) as a process: the Mistral API on one address and the
// provider status pages on another. See README.md for flags and the admin API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "fakemistral:", err)
		}
		os.Exit(2)
	}
}

// keyFlag collects -key values: "key=workspace" items, repeatable and comma separated.
type keyFlag map[string]string

func (k keyFlag) String() string {
	return strings.Join(slices.Sorted(maps.Keys(k)), ",")
}

func (k keyFlag) Set(v string) error {
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, ws, found := strings.Cut(item, "=")
		key, ws = strings.TrimSpace(key), strings.TrimSpace(ws)
		if !found {
			ws = "default"
		}
		if key == "" || ws == "" {
			return fmt.Errorf("-key %q: want key=workspace", item)
		}
		k[key] = ws
	}
	return nil
}

// pageFlag collects -status values: "name=format[:scenario]".
type pageFlag map[string]fakemistral.StatusPage

func (p pageFlag) String() string {
	return strings.Join(slices.Sorted(maps.Keys(p)), ",")
}

func (p pageFlag) Set(v string) error {
	name, spec, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("-status %q: want name=format[:scenario]", v)
	}
	format, scenario, _ := strings.Cut(spec, ":")
	page := fakemistral.StatusPage{Format: fakemistral.StatusFormat(format), Scenario: fakemistral.Scenario(scenario)}
	if err := page.Validate(); err != nil {
		return fmt.Errorf("-status %q: %w", v, err)
	}
	p[name] = page
	return nil
}

type config struct {
	apiAddr, statusAddr string
	// providerAddrs are the listeners of the fake fallback providers, by kind; empty = not started.
	providerAddrs map[fakemistral.ProviderKind]string
	tls           fakemistral.TLSMode
	fault         fakemistral.FaultMode
	caOut         string
	opts          fakemistral.Options
	pages         pageFlag
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var (
		cfg                       config
		tlsName, faultName        string
		legacy, logRequests       bool
		keys                      = keyFlag{}
		rps                       float64
		tokensMinute, tokensMonth int64
		reqWindow, tokWindow      string
	)
	cfg.pages = pageFlag{}
	cfg.providerAddrs = map[fakemistral.ProviderKind]string{}
	var openaiAddr, anthropicAddr string
	fs := flag.NewFlagSet("fakemistral", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.apiAddr, "api-addr", "127.0.0.1:8090", "address of the API listener")
	fs.StringVar(&cfg.statusAddr, "status-addr", "127.0.0.1:8091", "address of the status-page listener (always plain HTTP)")
	fs.StringVar(&tlsName, "tls", "none", "API certificate: none, self-signed, expired or wrong-host")
	fs.StringVar(&cfg.caOut, "ca-out", "", "write the PEM of the CA that signed the API certificate to this file (with -tls)")
	fs.BoolVar(&legacy, "legacy-headers", false, "send the 2024 rate-limit header names (ratelimitbysize-*)")
	fs.Var(keys, "key", "accepted API key as key=workspace; repeatable or comma separated (default test-key=default)")
	fs.StringVar(&faultName, "fault", "", "initial fault mode, e.g. rate_limit_1300 (default none)")
	fs.Float64Var(&rps, "rps", 0, "requests per second per workspace; 0 = free tier (1), negative = unlimited")
	fs.Int64Var(&tokensMinute, "tokens-per-minute", 0, "tokens per minute per workspace; 0 = free tier (500000), negative = unlimited")
	fs.Int64Var(&tokensMonth, "tokens-per-month", 0, "tokens per month per workspace; 0 = free tier (1e9), negative = unlimited")
	fs.StringVar(&reqWindow, "request-window", "", `request window as the headers name it: "minute" (default), "60-second", "10-second"`)
	fs.StringVar(&tokWindow, "token-window", "", `short token window as the headers name it: "minute" (default), "5-minute"`)
	fs.Var(cfg.pages, "status", "status page as name=format[:scenario], e.g. mistral=challenge; repeatable")
	fs.StringVar(&openaiAddr, "openai-addr", "", "address of a fake OpenAI provider (GET /v1/models, key test-openai-key), for fallback probes; empty = none")
	fs.StringVar(&anthropicAddr, "anthropic-addr", "", "address of a fake Anthropic provider (GET /v1/models, key test-anthropic-key), for fallback probes; empty = none")
	fs.BoolVar(&logRequests, "log", false, "log every request to stderr (never the Authorization value)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	for kind, addr := range map[fakemistral.ProviderKind]string{fakemistral.ProviderOpenAI: openaiAddr, fakemistral.ProviderAnthropic: anthropicAddr} {
		if addr != "" {
			cfg.providerAddrs[kind] = addr
		}
	}
	var err error
	if cfg.tls, err = fakemistral.ParseTLSMode(tlsName); err != nil {
		return cfg, fmt.Errorf("-tls: %w", err)
	}
	if cfg.fault, err = fakemistral.ParseFaultMode(faultName); err != nil {
		return cfg, fmt.Errorf("-fault: %w", err)
	}
	if cfg.caOut != "" && cfg.tls == fakemistral.TLSNone {
		return cfg, errors.New("-ca-out needs -tls other than none")
	}
	cfg.opts = fakemistral.Options{
		LegacyHeaders: legacy,
		TLS:           cfg.tls,
		Tier: fakemistral.Tier{RequestsPerSecond: rps, TokensPerMinute: tokensMinute, TokensPerMonth: tokensMonth,
			RequestWindow: reqWindow, TokenWindow: tokWindow},
	}
	if err := cfg.opts.Tier.Validate(); err != nil {
		return cfg, fmt.Errorf("-request-window/-token-window: %w", err)
	}
	if len(keys) > 0 {
		cfg.opts.APIKeys = keys
	}
	if logRequests {
		cfg.opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	return cfg, nil
}

// run starts the fake, prints its URLs and serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	s := fakemistral.New(cfg.opts)
	defer s.Close()
	if cfg.fault != fakemistral.FaultNone {
		s.SetFault(fakemistral.Fault{Mode: cfg.fault})
	}
	for name, p := range cfg.pages {
		s.SetStatusPage(name, p)
	}
	if cfg.caOut != "" {
		if err := os.WriteFile(cfg.caOut, s.CACertPEM(), 0o644); err != nil {
			return fmt.Errorf("-ca-out: %w", err)
		}
	}
	if err := s.Start(cfg.apiAddr, cfg.statusAddr); err != nil {
		return err
	}
	var providers []string
	for _, kind := range slices.Sorted(maps.Keys(cfg.providerAddrs)) {
		p := fakemistral.NewProvider(fakemistral.ProviderOptions{Kind: kind})
		if err := p.Start(cfg.providerAddrs[kind]); err != nil {
			return fmt.Errorf("-%s-addr: %w", kind, err)
		}
		defer p.Close()
		providers = append(providers, fmt.Sprintf("Fallback provider %s: %s (mode: POST %s/_fake/mode)", kind, p.URL(), p.URL()))
	}
	fmt.Fprintf(stdout, "API: %s\n", s.URL())
	fmt.Fprintf(stdout, "Status: %s\n", s.StatusURL())
	pages := s.StatusPages()
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		fmt.Fprintf(stdout, "  page %s/%s (%s, %s)\n", s.StatusURL(), name, pages[name].Format, pages[name].Scenario)
	}
	keys := keysOrDefault(cfg.opts.APIKeys)
	workspaces := slices.Compact(slices.Sorted(maps.Values(keys)))
	fmt.Fprintf(stdout, "  %d API key(s) in workspace(s) %s; admin API: %s/_fake/ (see cmd/fakemistral/README.md)\n",
		len(keys), strings.Join(workspaces, ", "), s.URL())
	for _, line := range providers {
		fmt.Fprintln(stdout, line)
	}
	<-ctx.Done()
	fmt.Fprintln(stderr, "fakemistral: stopping")
	return nil
}

func keysOrDefault(k map[string]string) map[string]string {
	if k == nil {
		return map[string]string{"test-key": "default"}
	}
	return k
}
