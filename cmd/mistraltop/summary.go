package main

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// summary is what one screen shows, computed from the current scrape, an
// earlier one (for the traffic counters' increase) and Prometheus' alerts.
type summary struct {
	at       time.Time
	window   time.Duration // between the two scrapes of the traffic table; 0 before there are two
	probes   []probeRow
	headroom []headroomRow
	pages    []pageRow
	traffic  []trafficRow
	retiring []retiringRow
	moves    []aliasMove // aliases that moved between the two scrapes
	fallback []fallbackRow
	alerts   *alertsResult // nil without --prometheus
	verdict  []string
}

type probeRow struct {
	workspace   string
	success     bool
	status      int
	duration    float64
	hasDuration bool
	errType     string
	backoff     float64
}

type headroomRow struct {
	workspace, model string
	zeroAllowance    bool
	limits           []limitRow
}

type limitRow struct {
	what, window     string // "requests" or "tokens"; "minute", "month", "10 s"
	remaining, limit float64
}

type pageRow struct {
	name           string
	up, known      bool // known: the page's up gauge was scraped
	errType        string
	indicator      int // -1 when not reported
	worst          int // -1 when no component is reported
	worstComponent string
}

// healthy reports whether a readable page shows nothing wrong.
func (p pageRow) healthy() bool { return p.up && p.indicator <= 0 && p.worst <= 0 }

type trafficRow struct {
	provider, model           string
	calls, rateLimited, fallb float64
	classes                   map[string]float64 // calls by error class, successes excluded
	cost                      float64
	hasCost                   bool
}

type retiringRow struct {
	workspace, model, resolved, replacement string
	remaining                               time.Duration
}

// aliasMove is a watched alias that now points to another model.
type aliasMove struct {
	workspace, model, resolved string
}

// fallbackRow is the readiness of one fallback provider.
type fallbackRow struct {
	name, kind string
	ready      bool
	status     int
	errType    string
}

// options are the summary's settings.
type options struct {
	mistralPages []string      // status pages that are Mistral's own
	soon         time.Duration // a deprecation closer than this is called out
}

// summarize computes a screen. prev may be nil (no traffic figures yet).
func summarize(prev, cur *snapshot, alerts *alertsResult, opt options) summary {
	s := summary{at: cur.at, alerts: alerts}
	if prev != nil {
		s.window = cur.at.Sub(prev.at)
	}
	s.probes = probes(cur)
	s.headroom = headroom(cur)
	s.pages = pages(cur)
	if prev != nil {
		s.traffic = traffic(prev, cur)
	}
	s.retiring = retiring(cur)
	if prev != nil {
		s.moves = aliasMoves(prev, cur)
	}
	s.fallback = fallbacks(cur)
	s.verdict = verdict(s, opt)
	return s
}

func probes(cur *snapshot) []probeRow {
	success := cur.family(families.ProbeSuccess)
	var out []probeRow
	for _, ws := range values(success, labels.Workspace) {
		r := probeRow{workspace: ws}
		v, _ := maxOf(match(success, labels.Workspace, ws))
		r.success = v == 1
		if v, ok := maxOf(match(cur.family(families.ProbeStatus), labels.Workspace, ws)); ok {
			r.status = int(v)
		}
		r.duration, r.hasDuration = maxOf(match(cur.family(families.ProbeDuration), labels.Workspace, ws))
		r.backoff, _ = maxOf(match(cur.family(families.ProbeBackoff), labels.Workspace, ws))
		for _, e := range match(cur.family(families.ProbeError), labels.Workspace, ws) {
			if e.value == 1 {
				r.errType = e.label(labels.ErrorType)
			}
		}
		out = append(out, r)
	}
	return out
}

// windowName names a rate-limit window given as a name or in seconds.
func windowName(w string) string {
	secs, err := strconv.ParseFloat(w, 64)
	if err != nil {
		return w
	}
	switch {
	case secs == 1:
		return "second"
	case secs == 60:
		return "minute"
	case secs == 3600:
		return "hour"
	case secs == 86400:
		return "day"
	case secs >= 28*86400 && secs <= 31*86400:
		return "month"
	case math.Mod(secs, 60) == 0:
		return fmt.Sprintf("%d minutes", int(secs/60))
	}
	return fmt.Sprintf("%g s", secs)
}

// windowOrder sorts windows from the shortest.
func windowOrder(name string) int {
	switch {
	case name == "second":
		return 0
	case strings.HasSuffix(name, " s"):
		return 1
	case name == "minute":
		return 2
	case strings.HasSuffix(name, "minutes"):
		return 3
	case name == "hour":
		return 4
	case name == "day":
		return 5
	case name == "month":
		return 6
	}
	return 7
}

func headroom(cur *snapshot) []headroomRow {
	type key struct{ ws, model string }
	rows := map[key]*headroomRow{}
	row := func(s sample) *headroomRow {
		k := key{s.label(labels.Workspace), s.label(labels.Model)}
		if rows[k] == nil {
			rows[k] = &headroomRow{workspace: k.ws, model: k.model}
		}
		return rows[k]
	}
	add := func(what string, limitNames, remainingNames []string, defaultWindow string) {
		limits := map[string]float64{}
		for _, s := range cur.family(limitNames) {
			limits[s.key()] = s.value
		}
		for _, s := range cur.family(remainingNames) {
			limit, ok := limits[s.key()]
			if !ok {
				continue
			}
			w := s.label(labels.Window)
			if w == "" {
				w = defaultWindow
			}
			r := row(s)
			r.limits = append(r.limits, limitRow{what: what, window: windowName(w), remaining: s.value, limit: limit})
		}
	}
	// The request limit is per minute unless the series says otherwise.
	add("requests", families.RequestsLimit, families.RequestsRemaining, "minute")
	add("tokens", families.TokensLimit, families.TokensRemaining, "")
	for _, s := range cur.family(families.ZeroAllowance) {
		if s.value == 1 {
			row(s).zeroAllowance = true
		}
	}
	out := make([]headroomRow, 0, len(rows))
	for _, r := range rows {
		sort.SliceStable(r.limits, func(i, j int) bool {
			a, b := r.limits[i], r.limits[j]
			if a.what != b.what {
				return a.what < b.what
			}
			return windowOrder(a.window) < windowOrder(b.window)
		})
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].workspace != out[j].workspace {
			return out[i].workspace < out[j].workspace
		}
		return out[i].model < out[j].model
	})
	return out
}

func pages(cur *snapshot) []pageRow {
	up := cur.family(families.PageUp)
	ind := cur.family(families.PageIndicator)
	comp := cur.family(families.PageComponent)
	names := values(slices.Concat(up, ind, comp), labels.Page)
	var out []pageRow
	for _, name := range names {
		p := pageRow{name: name, indicator: -1, worst: -1}
		if v, ok := maxOf(match(up, labels.Page, name)); ok {
			p.known, p.up = true, v == 1
		}
		// The error state set decides when there is one: the up gauge carries
		// the format read, and the exporter keeps the last format's series for
		// a while (metric_expiration) beside the new one.
		if errs := match(cur.family(families.PageError), labels.Page, name); len(errs) > 0 {
			p.known, p.up = true, true
			for _, e := range errs {
				if e.value == 1 {
					p.errType, p.up = e.label(labels.ErrorType), false
				}
			}
		}
		if p.known && !p.up {
			out = append(out, p) // an unreadable page's last readings say nothing
			continue
		}
		if v, ok := maxOf(match(ind, labels.Page, name)); ok {
			p.indicator = int(v)
		}
		for _, c := range match(comp, labels.Page, name) {
			if int(c.value) > p.worst {
				p.worst, p.worstComponent = int(c.value), c.label(labels.Component)
			}
		}
		if !p.known {
			p.up = true // readings without the up gauge come from a readable page
		}
		out = append(out, p)
	}
	return out
}

func traffic(prev, cur *snapshot) []trafficRow {
	type key struct{ provider, model string }
	group := func(s sample) string {
		return s.label(labels.Provider) + "\x00" + s.label(labels.Model)
	}
	byClass := func(s sample) string { return group(s) + "\x00" + s.label(labels.ErrorClass) }
	calls := increase(prev, cur, families.Calls, byClass)
	fallbacks := increase(prev, cur, families.Fallbacks, group)
	costs := increase(prev, cur, families.Cost, group)
	rows := map[key]*trafficRow{}
	row := func(g string) *trafficRow {
		p, m, _ := strings.Cut(g, "\x00")
		k := key{p, m}
		if rows[k] == nil {
			rows[k] = &trafficRow{provider: p, model: m, classes: map[string]float64{}}
		}
		return rows[k]
	}
	for g, n := range calls {
		i := strings.LastIndexByte(g, 0)
		r, class := row(g[:i]), g[i+1:]
		r.calls += n
		if slices.Contains(rateLimitClasses, class) {
			r.rateLimited += n
		}
		if class != errorClassNone && class != "" && n > 0 {
			r.classes[class] += n
		}
	}
	for g, n := range fallbacks {
		row(g).fallb += n
	}
	for g, c := range costs {
		r := row(g)
		r.cost += c
		r.hasCost = true
	}
	out := make([]trafficRow, 0, len(rows))
	for _, r := range rows {
		if r.calls == 0 && r.fallb == 0 && r.cost == 0 {
			continue // no call in the window
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].provider != out[j].provider {
			return out[i].provider > out[j].provider // mistral_ai first
		}
		return out[i].model < out[j].model
	})
	return out
}

// targets maps each watched name (workspace, model) to its current target
// pair (value 1): the concrete model and the replacement are its labels.
func targets(cur *snapshot) map[[2]string]sample {
	out := map[[2]string]sample{}
	for _, s := range cur.family(families.ModelTarget) {
		if s.value == 1 {
			out[[2]string{s.label(labels.Workspace), s.label(labels.Model)}] = s
		}
	}
	return out
}

func retiring(cur *snapshot) []retiringRow {
	targets := targets(cur)
	var out []retiringRow
	for _, s := range cur.family(families.ModelDeprecation) {
		t := targets[[2]string{s.label(labels.Workspace), s.label(labels.Model)}]
		out = append(out, retiringRow{
			workspace:   s.label(labels.Workspace),
			model:       s.label(labels.Model),
			resolved:    t.label(labels.Resolved),
			replacement: t.label(labels.Replacement),
			remaining:   time.Duration(s.value * float64(time.Second)),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].remaining < out[j].remaining })
	return out
}

// aliasMoves lists the watched names whose alias changes counter grew
// between the two scrapes, with the model each points to now.
func aliasMoves(prev, cur *snapshot) []aliasMove {
	byName := func(s sample) string { return s.label(labels.Workspace) + "\x00" + s.label(labels.Model) }
	targets := targets(cur)
	var out []aliasMove
	for g, n := range increase(prev, cur, families.AliasChanges, byName) {
		if n <= 0 {
			continue
		}
		ws, m, _ := strings.Cut(g, "\x00")
		out = append(out, aliasMove{workspace: ws, model: m, resolved: targets[[2]string{ws, m}].label(labels.Resolved)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].workspace+out[i].model < out[j].workspace+out[j].model })
	return out
}

func fallbacks(cur *snapshot) []fallbackRow {
	success := cur.family(families.FallbackSuccess)
	var out []fallbackRow
	for _, name := range values(success, labels.Fallback) {
		f := fallbackRow{name: name}
		mine := match(success, labels.Fallback, name)
		f.kind = mine[0].label(labels.FallbackKind)
		v, _ := maxOf(mine)
		f.ready = v == 1
		if v, ok := maxOf(match(cur.family(families.FallbackStatus), labels.Fallback, name)); ok {
			f.status = int(v)
		}
		for _, e := range match(cur.family(families.FallbackError), labels.Fallback, name) {
			if e.value == 1 {
				f.errType = e.label(labels.ErrorType)
			}
		}
		out = append(out, f)
	}
	return out
}
