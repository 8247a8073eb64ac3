package main

import (
	"fmt"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// render writes one screen as plain text (the terminal adds only the
// clearing escape codes around it).
func render(s summary, source string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "otelcol-mistral  %s  %s UTC\n\n", source, s.at.UTC().Format("2006-01-02 15:04:05"))
	for _, v := range s.verdict {
		fmt.Fprintf(&b, "» %s\n", v)
	}
	b.WriteString("\n")

	section(&b, "API probe (GET /v1/models)")
	if len(s.probes) == 0 {
		b.WriteString("  no probe metrics (no api_key, or not scraped yet)\n")
	}
	for _, p := range s.probes {
		fmt.Fprintf(&b, "  workspace %-12s %s\n", wsName(p.workspace), probeWords(p))
	}

	section(&b, "Rate-limit headroom (left of the limit Mistral announces)")
	if len(s.headroom) == 0 {
		b.WriteString("  no rate-limit headers seen yet\n")
	}
	for _, h := range s.headroom {
		who := "workspace " + wsName(h.workspace)
		if h.model != "" {
			who += " model " + h.model
		}
		var parts []string
		for _, l := range h.limits {
			parts = append(parts, fmt.Sprintf("%s/%s %s of %s (%s)", l.what, l.window, count(l.remaining), count(l.limit), pct(l.remaining, l.limit)))
		}
		if h.zeroAllowance {
			parts = append([]string{"ZERO ALLOWANCE"}, parts...)
		}
		fmt.Fprintf(&b, "  %s: %s\n", who, strings.Join(parts, " · "))
	}

	section(&b, "Status pages (worst component)")
	if len(s.pages) == 0 {
		b.WriteString("  no status page watched\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, p := range s.pages {
		fmt.Fprintf(tw, "  %s\t%s\n", p.name, pageWords(p))
	}
	tw.Flush()

	if len(s.fallback) > 0 {
		section(&b, "Fallback providers (GET /v1/models with their keys)")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, f := range s.fallback {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.name, f.kind, fallbackWords(f))
		}
		tw.Flush()
	}

	if s.window > 0 {
		section(&b, fmt.Sprintf("Traffic, last %s (from the application's spans)", duration(s.window)))
	} else {
		section(&b, "Traffic (from the application's spans)")
	}
	switch {
	case s.window == 0:
		b.WriteString("  waiting for a second scrape\n")
	case len(s.traffic) == 0:
		b.WriteString("  no LLM call in this window\n")
	default:
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  provider\tmodel\t%6s\t%5s\t%8s\t%9s\n", "calls", "429", "fallback", "cost USD")
		for _, t := range s.traffic {
			cost := "-"
			if t.hasCost {
				cost = fmt.Sprintf("%.4f", t.cost)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%6s\t%5s\t%8s\t%9s\n", t.provider, t.model, count(t.calls), pct(t.rateLimited, t.calls), pct(t.fallb, t.calls), cost)
		}
		tw.Flush()
	}

	section(&b, "Models retiring")
	for _, m := range s.moves {
		fmt.Fprintf(&b, "  %s now points to %s (alias moved in the last %s)\n", m.model, orDash(m.resolved), duration(s.window))
	}
	if len(s.retiring) == 0 {
		b.WriteString("  none of the watched models has a deprecation date\n")
	}
	for _, r := range s.retiring {
		when := "in " + days(r.remaining)
		if r.remaining < 0 {
			when = days(-r.remaining) + " ago"
		}
		name := r.model
		if r.resolved != "" && r.resolved != r.model {
			name += " (" + r.resolved + ")"
		}
		repl := ""
		if r.replacement != "" {
			repl = " → " + r.replacement
		}
		fmt.Fprintf(&b, "  %s %s%s\n", name, when, repl)
	}

	section(&b, "Alerts (Prometheus)")
	switch {
	case s.alerts == nil:
		b.WriteString("  not asked (run with --prometheus URL)\n")
	case s.alerts.err != nil:
		fmt.Fprintf(&b, "  cannot read: %v\n", s.alerts.err)
	case len(s.alerts.alerts) == 0:
		b.WriteString("  none active\n")
	default:
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, a := range s.alerts.alerts {
			since := ""
			if !a.ActiveAt.IsZero() {
				since = "active " + duration(s.at.Sub(a.ActiveAt).Truncate(time.Second))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", strings.ToUpper(a.State), a.Labels["alertname"], alertSubject(a), since)
		}
		tw.Flush()
	}
	return b.String()
}

func section(b *strings.Builder, title string) {
	fmt.Fprintf(b, "%s\n", title)
}

func probeWords(p probeRow) string {
	var v string
	switch {
	case p.success:
		v = "up"
	case p.status != 0:
		v = fmt.Sprintf("FAILING %d %s", p.status, orDash(p.errType))
	default:
		v = "FAILING " + orDash(p.errType)
	}
	if p.success && p.status != 0 {
		v += fmt.Sprintf(", %d", p.status)
	}
	if p.hasDuration {
		v += fmt.Sprintf(" in %s", millis(p.duration))
	}
	if p.backoff > 0 {
		v += fmt.Sprintf(", backing off %s", duration(time.Duration(p.backoff*float64(time.Second)).Round(time.Second)))
	}
	return v
}

func fallbackWords(f fallbackRow) string {
	switch {
	case f.ready:
		return "ready"
	case f.status != 0:
		return fmt.Sprintf("NOT READY %d %s", f.status, orDash(f.errType))
	}
	return "NOT READY " + orDash(f.errType)
}

func pageWords(p pageRow) string {
	switch {
	case p.known && !p.up:
		return "UNREADABLE (" + orDash(p.errType) + "): not an outage, you are blind to it"
	case p.worst >= 3 || p.indicator >= 3:
		return "!! " + pageTrouble(p)
	case p.worst > 0 || p.indicator > 0:
		return pageTrouble(p)
	}
	return "operational"
}

// pct formats part/whole as a whole percentage ("17 %"), "-" without a whole.
func pct(part, whole float64) string {
	if whole <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f %%", 100*part/whole)
}

// count formats a number of requests or tokens compactly.
func count(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 999.95e6:
		return trim(fmt.Sprintf("%.2f", v/1e9)) + "G"
	case a >= 999.95e3:
		return trim(fmt.Sprintf("%.2f", v/1e6)) + "M"
	case a >= 1e4:
		return trim(fmt.Sprintf("%.1f", v/1e3)) + "k"
	}
	return trim(fmt.Sprintf("%.1f", v))
}

func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func millis(secs float64) string {
	if secs >= 10 {
		return fmt.Sprintf("%.1f s", secs)
	}
	return fmt.Sprintf("%.0f ms", secs*1000)
}

// duration formats a window such as 1m0s as "1m", 90s as "1m30s".
func duration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// days formats a deprecation distance.
func days(d time.Duration) string {
	n := int(math.Round(d.Hours() / 24))
	switch {
	case d < 48*time.Hour:
		return duration(d.Round(time.Hour))
	case n == 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
