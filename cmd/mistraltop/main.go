// Command mistraltop is a live one-screen summary of an otelcol-mistral
// collector, read from its own Prometheus exporter (/metrics): the API probe,
// the rate-limit headroom, the status pages, the last minute of the
// application's LLM traffic by model, the models retiring soon and, given a
// Prometheus server that evaluates the project's rules, the active alerts. It
// concludes in words ("Rate limited 17 % of Mistral calls in the last 1m,
// Mistral's status page is green: your quota.").
//
// On a terminal it redraws the screen in place; otherwise (a pipe, a file) it
// prints each screen as plain lines.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.metrics, "metrics", "http://127.0.0.1:8889/metrics", "the collector's Prometheus exporter URL")
	flag.StringVar(&cfg.prometheus, "prometheus", "", "base URL of a Prometheus server evaluating deploy/prometheus/rules.yaml, for the active alerts (e.g. http://127.0.0.1:9090)")
	flag.DurationVar(&cfg.every, "every", 5*time.Second, "refresh interval")
	flag.DurationVar(&cfg.window, "window", time.Minute, "the traffic table covers this much of the recent past")
	flag.StringVar(&cfg.pages, "mistral-pages", "mistral", "comma-separated names of the status pages (the receiver's status_pages[].name) that are Mistral's own")
	flag.DurationVar(&cfg.soon, "soon", 30*24*time.Hour, "a watched model retired within this is called out")
	flag.StringVar(&cfg.footer, "footer", "", "text shown under every screen")
	flag.IntVar(&cfg.count, "count", 0, "stop after this many screens (0: until interrupted)")
	flag.Parse()
	if cfg.every <= 0 || cfg.window <= 0 {
		fmt.Fprintln(os.Stderr, "mistraltop: -every and -window must be positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, isTerminal(os.Stdout)); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "mistraltop:", err)
		os.Exit(1)
	}
}

type config struct {
	metrics, prometheus, pages, footer string
	every, window, soon                time.Duration
	count                              int
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func run(ctx context.Context, cfg config, out io.Writer, tty bool) error {
	client := &http.Client{Timeout: 5 * time.Second}
	opt := options{soon: cfg.soon}
	for _, p := range strings.Split(cfg.pages, ",") {
		if p = strings.TrimSpace(p); p != "" {
			opt.mistralPages = append(opt.mistralPages, p)
		}
	}
	var h history
	tick := time.NewTicker(cfg.every)
	defer tick.Stop()
	for n := 1; ; n++ {
		screen := refresh(ctx, client, cfg, opt, &h)
		if cfg.footer != "" {
			screen += "\n" + cfg.footer + "\n"
		}
		if tty {
			// Home, clear, then the screen; a terminal narrower than a line wraps it.
			fmt.Fprint(out, "\x1b[H\x1b[2J"+screen)
		} else {
			fmt.Fprint(out, screen+"\n")
		}
		if cfg.count > 0 && n >= cfg.count {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// refresh scrapes once and renders the screen.
func refresh(ctx context.Context, client *http.Client, cfg config, opt options, h *history) string {
	now := time.Now()
	cur, err := scrape(ctx, client, cfg.metrics, now)
	if err != nil {
		return fmt.Sprintf("otelcol-mistral  %s  %s UTC\n\n» Cannot read the collector's metrics: %v\n", cfg.metrics, now.UTC().Format("2006-01-02 15:04:05"), err)
	}
	prev := h.add(cur, cfg.window)
	var alerts *alertsResult
	if cfg.prometheus != "" {
		alerts = fetchAlerts(ctx, client, cfg.prometheus)
	}
	return render(summarize(prev, cur, alerts, opt), cfg.metrics)
}

func scrape(ctx context.Context, client *http.Client, url string, at time.Time) (*snapshot, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	// The classic text format: the exporter may otherwise negotiate protobuf or OpenMetrics.
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return parseSnapshot(io.LimitReader(resp.Body, 64<<20), at)
}

// history keeps the recent scrapes, to compute the traffic counters' increase
// over the window.
type history struct{ snaps []*snapshot }

// add records cur and returns the scrape to compare it with: the newest one
// at least window old, else the oldest kept; nil when cur is the first.
func (h *history) add(cur *snapshot, window time.Duration) *snapshot {
	var prev *snapshot
	keep := h.snaps[:0]
	for _, s := range h.snaps {
		if cur.at.Sub(s.at) >= window {
			prev = s // older ones are no longer needed
			continue
		}
		keep = append(keep, s)
	}
	if prev != nil {
		keep = append([]*snapshot{prev}, keep...)
	} else if len(keep) > 0 {
		prev = keep[0]
	}
	h.snaps = append(keep, cur)
	return prev
}
