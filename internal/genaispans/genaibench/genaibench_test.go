package genaibench

import (
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-mistral/otelcol-mistral/internal/genaispans"
)

func small() genaispans.Options {
	o := genaispans.DefaultOptions()
	o.Spans = 40
	return o
}

func TestRunGivesFreshCopiesAndChecksThem(t *testing.T) {
	w := New(small())
	consumed, checked := 0, 0
	res := testing.Benchmark(func(b *testing.B) {
		consumed, checked = 0, 0
		w.Run(b, func(td ptrace.Traces) {
			consumed++
			time.Sleep(time.Millisecond) // keeps b.N, and the test, small
			// A fresh copy every time: mark it, and the next one is unmarked.
			rs := td.ResourceSpans().At(0)
			if _, seen := rs.Resource().Attributes().Get("consumed"); seen {
				b.Fatal("batch consumed twice")
			}
			rs.Resource().Attributes().PutBool("consumed", true)
		}, func(ptrace.Traces) error { checked++; return nil })
	})
	if res.N == 0 || consumed != res.N || checked != res.N {
		t.Fatalf("N=%d consumed=%d checked=%d", res.N, consumed, checked)
	}
	if _, ok := res.Extra["ns/span"]; !ok {
		t.Fatal("no ns/span metric")
	}
}

func TestRunFailsOnBadOutput(t *testing.T) {
	w := New(small())
	res := testing.Benchmark(func(b *testing.B) {
		w.RunReadOnly(b, func(ptrace.Traces) {}, func(ptrace.Traces) error { return errors.New("wrong") })
	})
	if res.N != 0 {
		t.Fatalf("a failing check must fail the benchmark, got N=%d", res.N)
	}
}

func TestCountWith(t *testing.T) {
	r := genaispans.Generate(small())
	if got := CountWith(r.Traces, "gen_ai.request.model"); got == 0 {
		t.Fatal("no span with gen_ai.request.model")
	}
}
