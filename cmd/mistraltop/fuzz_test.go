package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzScreen feeds arbitrary exposition text and alerts JSON through the
// whole screen: a malformed or hostile /metrics or Prometheus answer is an
// error or a screen, never a panic.
func FuzzScreen(f *testing.F) {
	for _, name := range []string{"healthy", "challenge", "ratelimit"} {
		prom, err := os.ReadFile(filepath.Join("testdata", name, "after.prom"))
		if err != nil {
			f.Fatal(err)
		}
		prom = readFamiliesOnly(prom)
		alerts, _ := os.ReadFile(filepath.Join("testdata", name, "alerts.json"))
		f.Add(prom, alerts)
	}
	f.Add([]byte("mistral_ratelimit_tokens_limit{mistral_ratelimit_window=\"0\"} 0\nmistral_ratelimit_tokens_remaining{mistral_ratelimit_window=\"0\"} -1\n"), []byte(`{"status":"success","data":{"alerts":[{}]}}`))
	f.Add([]byte("gen_ai_client_operation_duration_seconds_count NaN\nmistral_model_deprecation_time_remaining_seconds +Inf\n"), []byte("{"))
	f.Fuzz(func(t *testing.T, prom, alerts []byte) {
		cur, err := parseSnapshot(bytes.NewReader(prom), t0.Add(time.Minute))
		if err != nil {
			return
		}
		prev, _ := parseSnapshot(bytes.NewReader(prom[:len(prom)/2]), t0)
		_ = render(summarize(prev, cur, parseAlerts(alerts), testOptions), "fuzz")
	})
}

// readFamiliesOnly keeps the lines of a scrape that belong to the families
// the summary reads (names.go): the whole scrape, over 100 kB, is too large
// for the fuzzer to mutate at any useful rate.
func readFamiliesOnly(prom []byte) []byte {
	read := map[string]bool{}
	v := reflect.ValueOf(families)
	for i := range v.NumField() {
		for _, n := range v.Field(i).Interface().([]string) {
			read[n], read[strings.TrimSuffix(n, "_count")] = true, true
		}
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(prom))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		name := line
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name = rest
		} else if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(name, "{ "); i >= 0 {
			name = name[:i]
		}
		if read[name] {
			out.WriteString(line + "\n")
		}
	}
	return out.Bytes()
}
