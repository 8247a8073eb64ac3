package pricing

import (
	"math"
	"testing"
)

// seedFiles are the fuzz seed corpus taken from testdata (plus the built-in
// table); each fuzz target also adds small hand-written seeds. Whole files
// make the engine's minimisation of a new input slow: fuzz with
// -fuzzminimizetime 1s (see README.md).
var seedFiles = []string{"testdata/litellm_sample.json", "testdata/openlit_pricing.json", "builtin_mistral.json"}

func addSeedFiles(f *testing.F, extra ...string) {
	for _, name := range seedFiles {
		f.Add(readTestdata(f, name))
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkParsed asserts what every successful parse must give: finite,
// non-negative, bounded prices under keys that name a model, and a table
// that builds from them and finds every key.
func checkParsed(t *testing.T, prices map[string]Price, err error) {
	if err != nil {
		if prices != nil {
			t.Fatalf("prices returned with error %v", err)
		}
		return
	}
	for key, p := range prices {
		for _, v := range []float64{p.Input, p.Output, p.CacheRead, p.CacheWrite} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxPricePerMillion {
				t.Fatalf("entry %q: bad price %v in %+v", key, v, p)
			}
		}
		if p.CacheRead != 0 && !p.HasCacheRead || p.CacheWrite != 0 && !p.HasCacheWrite {
			t.Fatalf("entry %q: cache price without its flag: %+v", key, p)
		}
		if err := checkModelKey(key); err != nil {
			t.Fatalf("entry %q accepted: %v", key, err)
		}
	}
	tab, err := Build(Options{Models: prices})
	if err != nil {
		t.Fatalf("parsed prices do not build: %v", err)
	}
	for key := range prices {
		if len(key) > maxNameLen {
			continue // only matched exactly when lower-case
		}
		if _, ok := tab.Lookup(key); !ok {
			t.Fatalf("entry %q not found after Build", key)
		}
	}
}

func FuzzParseLiteLLM(f *testing.F) {
	addSeedFiles(f,
		`{"mistral/foo": {"input_cost_per_token": "abc"}}`,
		`{"a": {"input_cost_per_token": -0, "output_cost_per_token": 1e-320}}`,
		`{"a": {"input_cost_per_token": 1e308}}`,
		`{"A/B/c": {"output_cost_per_token": 1, "cache_read_input_token_cost": null, "mode": "embedding"}}`,
		`{"sample_spec": 1, "_meta": [], "x": null}`,
		"\xef\xbb\xbf{}",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		prices, err := parseLiteLLM(data)
		checkParsed(t, prices, err)
	})
}

func FuzzParseOpenLIT(f *testing.F) {
	addSeedFiles(f,
		`{"chat": {"gpt-4": {"promptPrice": "abc"}}}`,
		`{"chat": {"m": {"promptPrice": 1e6, "completionPrice": 0}}, "embeddings": {"m": 1}}`,
		`{"embeddings": {"e": 1e-300, "f": null}, "images": 3}`,
		`{"chat": null, "embeddings": []}`,
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		prices, err := parseOpenLIT(data)
		checkParsed(t, prices, err)
		// LoadFile's format detection must never panic either.
		if _, err := detectFormat(data); err == nil {
			all, _, err := parseAny(data)
			checkParsed(t, all, err)
		}
	})
}

func FuzzCost(f *testing.F) {
	f.Add(int64(1000), int64(500), int64(200), int64(100), 3.0, 15.0, 0.3, 3.75, true, true, false)
	f.Add(int64(100), int64(0), int64(150), int64(20), 1.0, 2.0, 0.0, 0.0, false, false, false)
	f.Add(int64(-1), int64(0), int64(0), int64(0), 1.0, 2.0, 0.0, 0.0, false, false, false)
	f.Add(int64(MaxTokens), int64(MaxTokens), int64(MaxTokens), int64(MaxTokens), 1e9, 1e9, 1e9, 1e9, true, true, false)
	f.Add(int64(math.MaxInt64), int64(math.MinInt64), int64(0), int64(0), math.NaN(), math.Inf(1), -1.0, 0.0, false, true, true)
	f.Add(int64(1000), int64(7), int64(10), int64(0), 0.1, 0.0, 0.0, 0.0, false, false, true)
	f.Fuzz(func(t *testing.T, in, out, cr, cw int64, pin, pout, pcr, pcw float64, hasCR, hasCW, embedding bool) {
		p := Price{Input: pin, Output: pout, CacheRead: pcr, CacheWrite: pcw, HasCacheRead: hasCR, HasCacheWrite: hasCW}
		if embedding {
			p.Mode = modeEmbedding
		}
		u := Usage{Input: in, Output: out, CacheRead: cr, CacheWrite: cw}
		c, ok := p.Cost(u)
		valid := u.valid() && p.Validate() == nil
		if ok != valid {
			t.Fatalf("ok=%v for usage %+v price %+v (valid=%v)", ok, u, p, valid)
		}
		if !ok {
			if c != (Cost{}) {
				t.Fatalf("cost %+v returned with ok=false", c)
			}
			return
		}
		sum := 0.0
		for _, v := range []float64{c.Input, c.Output, c.CacheRead, c.CacheWrite} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Fatalf("bad cost part %v in %+v", v, c)
			}
			sum += v
		}
		if math.Abs(c.Total-sum) > 1e-9*math.Max(1, sum) {
			t.Fatalf("total %v != sum of parts %v", c.Total, sum)
		}
		if embedding && (c.Output != 0 || c.CacheRead != 0 || c.CacheWrite != 0) {
			t.Fatalf("embedding charged beyond input: %+v", c)
		}
	})
}
