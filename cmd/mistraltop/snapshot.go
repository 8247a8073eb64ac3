package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// sample is one series of a scrape.
type sample struct {
	labels map[string]string
	value  float64
}

// label returns the value of the first of names the sample carries.
func (s sample) label(names []string) string {
	for _, n := range names {
		if v, ok := s.labels[n]; ok {
			return v
		}
	}
	return ""
}

// key identifies the series among those of its family.
func (s sample) key() string {
	keys := make([]string, 0, len(s.labels))
	for k := range s.labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q,", k, s.labels[k])
	}
	return b.String()
}

// snapshot is one scrape of the collector's /metrics, by exposition name
// (histograms and summaries also under their _count and _sum names).
type snapshot struct {
	at      time.Time
	samples map[string][]sample
}

// parseSnapshot reads the Prometheus text exposition format.
func parseSnapshot(r io.Reader, at time.Time) (*snapshot, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("parsing the metrics: %w", err)
	}
	s := &snapshot{at: at, samples: map[string][]sample{}}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			lbl := make(map[string]string, len(m.GetLabel()))
			for _, lp := range m.GetLabel() {
				lbl[lp.GetName()] = lp.GetValue()
			}
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				s.add(name, lbl, m.GetCounter().GetValue())
			case dto.MetricType_GAUGE:
				s.add(name, lbl, m.GetGauge().GetValue())
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
				s.add(name+"_count", lbl, float64(m.GetHistogram().GetSampleCount()))
				s.add(name+"_sum", lbl, m.GetHistogram().GetSampleSum())
			case dto.MetricType_SUMMARY:
				s.add(name+"_count", lbl, float64(m.GetSummary().GetSampleCount()))
				s.add(name+"_sum", lbl, m.GetSummary().GetSampleSum())
			default:
				s.add(name, lbl, m.GetUntyped().GetValue())
			}
		}
	}
	return s, nil
}

func (s *snapshot) add(name string, lbl map[string]string, v float64) {
	if math.IsNaN(v) {
		return
	}
	s.samples[name] = append(s.samples[name], sample{labels: lbl, value: v})
}

// family returns the samples of the first of names present, in a stable order.
func (s *snapshot) family(names []string) []sample {
	if s == nil {
		return nil
	}
	for _, n := range names {
		if ss, ok := s.samples[n]; ok {
			out := slices.Clone(ss)
			sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
			return out
		}
	}
	return nil
}

// match keeps the samples whose label (first of names) equals value.
func match(ss []sample, names []string, value string) []sample {
	var out []sample
	for _, s := range ss {
		if s.label(names) == value {
			out = append(out, s)
		}
	}
	return out
}

// maxOf returns the largest value, and false when there is none.
func maxOf(ss []sample) (float64, bool) {
	if len(ss) == 0 {
		return 0, false
	}
	m := ss[0].value
	for _, s := range ss[1:] {
		m = max(m, s.value)
	}
	return m, true
}

// values lists the distinct values of a label over samples, sorted.
func values(ss []sample, names []string) []string {
	var out []string
	for _, s := range ss {
		if v := s.label(names); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// increase is how much a counter family grew from prev to cur, per group
// (the group function of a sample; samples of one group are summed). A
// series absent from prev started after it, from 0; a series that went down
// was reset, and its current value is its increase.
func increase(prev, cur *snapshot, names []string, group func(sample) string) map[string]float64 {
	before := map[string]float64{}
	for _, s := range prev.family(names) {
		before[s.key()] = s.value
	}
	out := map[string]float64{}
	for _, s := range cur.family(names) {
		d := s.value
		if b, ok := before[s.key()]; ok && s.value >= b {
			d = s.value - b
		}
		out[group(s)] += d
	}
	return out
}
