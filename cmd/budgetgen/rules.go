package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Burn-rate alerting for a spend budget, after the SRE workbook's multi-window, multi-burn-rate alerts for error
// budgets (https://sre.google/workbook/alerting-on-slos/, "Multiwindow, Multi-Burn-Rate Alerts").
//
// A budget B for a period of length P (a calendar day, or the calendar month: days_in_month() days) allows an
// average spend rate of B/P. The burn rate over a window W is the spend rate over W divided by that allowance:
//
//	burn(W) = (spend in W / W) / (B / P)
//
// A burn rate of 1 spends exactly B by the end of the period; a burn rate r held for W consumes r·W/P of B. An alert
// fires when the burn rate over a long window exceeds a threshold, and the burn rate over a short window (1/12 of
// it) does too, so the alert stops soon after the spending stops instead of for the whole long window.
//
// For the month the thresholds are the workbook's for a 30-day budget: page at 14.4 over 1h (2% of the month's
// budget in one hour, the whole budget in about two days) and open a ticket at 6 over 6h (5% in six hours, the
// budget gone in five days). A day is 30 times shorter, so the same fractions would only fire once most of the day's
// budget were gone: for the day the thresholds are chosen as fractions of the day's budget instead, page at 6 over
// 1h (a quarter of the day's budget in one hour) and ticket at 2 over 6h (half of it in six hours).
type burnAlert struct {
	Alert          string
	Severity       string
	Long, Short    string // PromQL durations; Short is Long/12
	MonthThreshold float64
	DayThreshold   float64
}

var burnAlerts = []burnAlert{
	{"LLMSpendBudgetFastBurn", "critical", "1h", "5m", 14.4, 6},
	{"LLMSpendBudgetSlowBurn", "warning", "6h", "30m", 6, 2},
}

// windows are the burn-rate windows recorded for every budget, from burnAlerts.
func windows() []string {
	var w []string
	for _, a := range burnAlerts {
		w = append(w, a.Short, a.Long)
	}
	return w
}

// forecastWindow is the recent spending pace the end-of-period forecast extrapolates.
const forecastWindow = "1d"

// Month-to-date (and day-to-date) spend: Prometheus has no range that starts at a calendar boundary, so the spend
// since the period's start is summed from fixed steps of a subquery, keeping only the steps that lie after the
// start:
//
//   - whole hours: increase(...[1h]) at each hour step (subquery steps are aligned to multiples of the step, so at
//     hh:00 UTC) that covers an hour starting at or after the period's start, over a range long enough to reach
//     it (31d for the month, 1d for the day);
//   - the current hour: increase(...[5m]) at each 5-minute step after the current hour's start.
//
// The evaluation time, which subquery steps cannot read with time(), comes from `now` below: a 1s subquery pinned
// to end() with the @ modifier, which in a rule is the evaluation time. The sum resets to 0 at 00:00 UTC on the 1st
// (and every midnight UTC for the day) and lags the spend by at most 5 minutes. increase() extrapolates at series
// starts and handles counter resets (a collector restart) as usual. The steps keep each rule's working set small
// (744 + 12 points per budget), inside promtool's and Prometheus's per-query sample limits.
//
// Limits: the calendar is UTC; Prometheus must keep 32 days of data (--storage.tsdb.retention.time=32d or more:
// its default of 15d silently drops the first half of the month from the sum); spend that a collector had not yet
// exported when it stopped is lost, as for every counter; each evaluation reads every raw llm_enrich_cost_usd_total series
// of the budget over 31 days at 1-hour steps, so a budget over thousands of series costs accordingly (give the
// group a longer interval if needed: the sums move by the hour).
const now = `last_over_time(vector(time())[1s:1s] @ end())`

// periodStart is the PromQL expression of the UTC start of the current day or month, in Unix seconds.
func periodStart(period string) string {
	if period == "day" {
		return fmt.Sprintf("(%s - %s %% 86400)", now, now)
	}
	return fmt.Sprintf("(%s - (day_of_month(%s) - 1) * 86400 - %s %% 86400)", now, now, now)
}

type period struct {
	Name      string // label value
	Range     string // subquery range that reaches back to the period's start
	Seconds   string // PromQL for the period's length in seconds
	Remaining string // PromQL for the seconds left in the period
	Limit     func(Budget) float64
	Threshold func(burnAlert) float64
}

var periods = []period{
	{
		Name:      "month",
		Range:     "31d",
		Seconds:   "(days_in_month() * 86400)",
		Remaining: "(days_in_month() * 86400 - (day_of_month() - 1) * 86400 - time() % 86400)",
		Limit:     func(b Budget) float64 { return b.Monthly },
		Threshold: func(a burnAlert) float64 { return a.MonthThreshold },
	},
	{
		Name:      "day",
		Range:     "1d",
		Seconds:   "86400",
		Remaining: "(86400 - time() % 86400)",
		Limit:     func(b Budget) float64 { return b.Daily },
		Threshold: func(a burnAlert) float64 { return a.DayThreshold },
	},
}

// costMetric is the spend counter the pipeline derives from llm_enrich's gen_ai.usage.cost (config.yaml).
const costMetric = "llm_enrich_cost_usd_total"

// RuleFile is a Prometheus rule file.
type RuleFile struct {
	Groups []RuleGroup `yaml:"groups"`
}

type RuleGroup struct {
	Name  string `yaml:"name"`
	Rules []Rule `yaml:"rules"`
}

type Rule struct {
	Record      string            `yaml:"record,omitempty"`
	Alert       string            `yaml:"alert,omitempty"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Rules builds the recording rules of every budget and the alerts over them.
func Rules(f *File) RuleFile {
	rec := RuleGroup{Name: "otelcol-mistral.spend-budgets"}
	for _, b := range f.Budgets {
		sel := b.Selector()
		for _, p := range periods {
			limit := p.Limit(b)
			if limit == 0 {
				continue
			}
			labels := map[string]string{"budget": b.ID(), "budget_period": p.Name}
			self := fmt.Sprintf(`{budget=%q,budget_period=%q}`, b.ID(), p.Name)
			spent := func(w string) string { return fmt.Sprintf("sum(increase(%s{%s}[%s]))", costMetric, sel, w) }
			rec.Rules = append(rec.Rules,
				Rule{Record: "llm_budget:limit_usd", Expr: fmt.Sprintf("vector(%s)", num(limit)), Labels: labels},
				Rule{Record: "llm_budget:spend_usd:to_date", Labels: labels, Expr: fmt.Sprintf(
					"(sum_over_time((%s and on () (vector(time()) - 3600 >= on () %s))[%s:1h]) or vector(0))\n"+
						"+\n(sum_over_time((%s and on () (vector(time()) - 300 >= on () (%s - %s %% 3600)))[1h:5m]) or vector(0))",
					spent("1h"), periodStart(p.Name), p.Range, spent("5m"), now, now)},
			)
			for _, w := range windows() {
				rec.Rules = append(rec.Rules, Rule{Record: "llm_budget:burn_rate" + w, Labels: labels, Expr: fmt.Sprintf(
					"(sum(rate(%s{%s}[%s])) or vector(0)) / (%s / %s)", costMetric, sel, w, num(limit), p.Seconds)})
			}
			rec.Rules = append(rec.Rules, Rule{Record: "llm_budget:forecast_usd", Labels: labels, Expr: fmt.Sprintf(
				"llm_budget:spend_usd:to_date%s\n+ on () (sum(rate(%s{%s}[%s])) or vector(0)) * %s",
				self, costMetric, sel, forecastWindow, p.Remaining)})
		}
	}

	// The alerts read the recording rules' samples of the same evaluation, so they share their group: Prometheus
	// evaluates a group's rules in order, but groups independently of each other.
	alerts := &rec
	for _, a := range burnAlerts {
		var terms, paces []string
		for _, p := range periods {
			t := num(p.Threshold(a))
			terms = append(terms, fmt.Sprintf("(llm_budget:burn_rate%s{budget_period=%q} > %s and llm_budget:burn_rate%s{budget_period=%q} > %s)",
				a.Long, p.Name, t, a.Short, p.Name, t))
			paces = append(paces, fmt.Sprintf("%s times the even pace for a %s budget (which then lasts %s)", t, p.Name, budgetLife(p, p.Threshold(a))))
		}
		alerts.Rules = append(alerts.Rules, Rule{
			Alert:  a.Alert,
			Expr:   strings.Join(terms, "\nor\n"),
			Labels: map[string]string{"severity": a.Severity},
			Annotations: map[string]string{
				"runbook_url": runbookURL(a.Alert),
				"summary":     fmt.Sprintf("LLM spend of {{ $labels.budget }} burns its {{ $labels.budget_period }} budget too fast (last %s and %s)", a.Long, a.Short),
				"description": fmt.Sprintf("The spend rate over both windows is above %s. Find the source with sum by (exported_job, "+
					"gen_ai_request_model) (rate(llm_enrich_cost_usd_total[%s])) restricted to the budget's labels: a retry loop, a runaway "+
					"agent, a batch job or a switch to a pricier model. Stop or throttle it; if the spend is planned, raise the budget in "+
					"deploy/budgets.yaml and run make budgets.", strings.Join(paces, ", "), a.Short),
			},
		})
	}
	alerts.Rules = append(alerts.Rules,
		Rule{
			Alert:  "LLMSpendBudgetExhausted",
			Expr:   "llm_budget:spend_usd:to_date >= on (budget, budget_period) llm_budget:limit_usd",
			Labels: map[string]string{"severity": "warning"},
			Annotations: map[string]string{
				"runbook_url": runbookURL("LLMSpendBudgetExhausted"),
				"summary":     "LLM spend of {{ $labels.budget }} has used its {{ $labels.budget_period }} budget",
				"description": "The budget of deploy/budgets.yaml for this period is spent (the period is the calendar day or month, UTC). " +
					"Decide whether to stop the spending or raise the budget; the alert clears when the period ends.",
			},
		},
		Rule{
			Alert:  "LLMSpendBudgetForecastOverrun",
			Expr:   "llm_budget:forecast_usd{budget_period=\"month\"} > on (budget, budget_period) llm_budget:limit_usd",
			For:    "1h",
			Labels: map[string]string{"severity": "warning"},
			Annotations: map[string]string{
				"runbook_url": runbookURL("LLMSpendBudgetForecastOverrun"),
				"summary":     "LLM spend of {{ $labels.budget }} is forecast over its month budget",
				"description": "The forecast is the month-to-date spend plus the pace of the last " + forecastWindow + " until the end of the month. " +
					"Lower the pace (cheaper model, caching, fewer retries) or raise the budget in deploy/budgets.yaml and run make budgets.",
			},
		},
	)
	groups := []RuleGroup{rec}
	if p := pricingAlerts(f.Pricing); len(p.Rules) > 0 {
		groups = append(groups, p)
	}
	return RuleFile{Groups: groups}
}

// runbookURL is the runbook section of an alert in docs/runbooks.md, where every
// alert the project ships has one (its heading is the alert's name).
func runbookURL(alert string) string {
	return "https://github.com/otelcol-mistral/otelcol-mistral/blob/main/docs/runbooks.md#" + strings.ToLower(alert)
}

// budgetLife is how long a whole budget lasts at a burn rate, as words.
func budgetLife(p period, burn float64) string {
	hours := 24 / burn
	if p.Name == "month" {
		hours = 30 * 24 / burn
	}
	if hours >= 48 {
		return fmt.Sprintf("about %.0f days", hours/24)
	}
	return fmt.Sprintf("about %.0f hours", hours)
}

// Names of llm_enrich's internal telemetry as the collector's Prometheus endpoint exports it; the suffixes depend
// on the exporter's without_type_suffix and without_units settings, so both spellings match.
const (
	unpricedSpansMetric = `{__name__=~"otelcol_processor_llm_enrich_spans_unpriced(_total)?"}`
	enrichedSpansMetric = `{__name__=~"otelcol_processor_llm_enrich_spans_enriched(_total)?"}`
	tableAgeMetric      = `{__name__=~"otelcol_processor_llm_enrich_price_table_age(_seconds)?"}`
)

func pricingAlerts(p Pricing) RuleGroup {
	g := RuleGroup{Name: "otelcol-mistral.pricing"}
	if p.MaxUnpricedShare > 0 {
		g.Rules = append(g.Rules, Rule{
			Alert: "LLMUnpricedModelTraffic",
			Expr: fmt.Sprintf("sum by (gen_ai_request_model) (rate(%s[15m]))\n/ on () group_left ()\nsum(rate(%s[15m]))\n> %s",
				unpricedSpansMetric, enrichedSpansMetric, num(p.MaxUnpricedShare)),
			For:    "15m",
			Labels: map[string]string{"severity": "warning"},
			Annotations: map[string]string{
				"runbook_url": runbookURL("LLMUnpricedModelTraffic"),
				"summary":     fmt.Sprintf("Over %s of LLM calls are on {{ $labels.gen_ai_request_model }}, which has no price: their cost is missing from every budget", num(p.MaxUnpricedShare*100)+"%"),
				"description": "The spans carry llm_enrich.price.missing and no gen_ai.usage.cost. Add the model under llm_enrich's " +
					"pricing.models (USD per 1M tokens, with effective_from) or pricing.aliases, or a price file; see " +
					"processor/llmenrichprocessor/README.md.",
			},
		})
	}
	if p.MaxTableAgeDays > 0 {
		g.Rules = append(g.Rules, Rule{
			Alert:  "LLMPriceTableStale",
			Expr:   fmt.Sprintf("max(%s) > %s * 86400", tableAgeMetric, num(p.MaxTableAgeDays)),
			For:    "1h",
			Labels: map[string]string{"severity": "warning"},
			Annotations: map[string]string{
				"runbook_url": runbookURL("LLMPriceTableStale"),
				"summary":     fmt.Sprintf("llm_enrich's built-in price table is over %s days old", num(p.MaxTableAgeDays)),
				"description": "Prices drift. Refresh the built-in table (processor/llmenrichprocessor/internal/pricing/README.md) " +
					"and upgrade the collector, or price the models you use inline under pricing.models with effective_from.",
			},
		})
	}
	return g
}
