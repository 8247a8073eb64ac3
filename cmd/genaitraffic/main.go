// Command genaitraffic is the demo's application: it calls a Mistral-compatible
// API (the fake La Plateforme in `make demo`) for real, records each call as the
// GenAI span an instrumented application would export, and sends the spans to
// a collector over OTLP/HTTP. When Mistral answers 429, 500 or 503 it falls back
// to a second provider, as a production client with a fallback chain does.
//
// The API key is read from the MISTRAL_API_KEY environment variable, never from
// the command line (an SDK's process detector would copy it into every span).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.api, "api", "http://127.0.0.1:8090", "base URL of the Mistral-compatible API")
	flag.StringVar(&cfg.otlp, "otlp", "http://127.0.0.1:4318", "OTLP/HTTP endpoint of the collector")
	flag.Float64Var(&cfg.rate, "rate", 2, "calls per second (the fake's free tier allows 1/s, so 2/s provokes 429s)")
	flag.DurationVar(&cfg.duration, "duration", 0, "stop after this long (0: until interrupted)")
	flag.StringVar(&cfg.workspace, "workspace", "demo", "workspace name written on the spans' resource")
	flag.Parse()
	cfg.key = os.Getenv("MISTRAL_API_KEY")
	if cfg.key == "" {
		cfg.key = "test-key"
	}
	if cfg.rate <= 0 {
		log.Fatalf("-rate must be positive, got %v", cfg.rate)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	if err := run(ctx, cfg); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		log.Fatal(err)
	}
}

type config struct {
	api, otlp, key, workspace string
	rate                      float64
	duration                  time.Duration
}

func run(ctx context.Context, cfg config) error {
	client := &http.Client{Timeout: 15 * time.Second}
	app := &app{cfg: cfg, client: client}
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
	defer tick.Stop()
	flush := time.NewTicker(time.Second)
	defer flush.Stop()
	batch := newBatch(cfg.workspace)
	var calls, failures int
	for {
		select {
		case <-ctx.Done():
			if batch.len() > 0 {
				_ = send(context.Background(), client, cfg.otlp, batch)
			}
			log.Printf("genaitraffic: %d calls, %d failed over to the fallback provider", calls, failures)
			return ctx.Err()
		case <-tick.C:
			if app.call(ctx, batch, calls) {
				failures++
			}
			calls++
		case <-flush.C:
			if batch.len() == 0 {
				continue
			}
			if err := send(ctx, client, cfg.otlp, batch); err != nil {
				log.Printf("genaitraffic: sending spans: %v", err)
			}
			batch = newBatch(cfg.workspace)
		}
	}
}

// fmtStatus is a helper for messages.
func fmtStatus(code int) string { return fmt.Sprintf("%d %s", code, http.StatusText(code)) }
