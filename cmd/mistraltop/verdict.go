package main

import (
	"fmt"
	"slices"
	"strings"
)

// probeErrorWords says in words what each error.type of a failed API probe
// means (the receiver's documentation.md) and where to look.
var probeErrorWords = map[string]string{
	"dns":                "its name does not resolve: check DNS and your egress proxy",
	"connect":            "the connection is refused: check the endpoint, firewall and proxy",
	"tls":                "the TLS handshake fails: check the certificate chain and any intercepting proxy",
	"timeout":            "it does not answer in time: Mistral or the network path is slow",
	"transport":          "the connection breaks mid-answer: a proxy or Mistral is cutting it",
	"authentication":     "it rejects the API key (401): rotate the key or fix the secret",
	"permission":         "it refuses the key access (403): the key lacks rights or the tier does not allow it",
	"provider_capacity":  "Mistral is out of capacity (503, or 429 code 3505): fail over, it is not your quota",
	"server_error":       "Mistral answers with server errors (5xx): fail over to your fallback provider",
	"model_not_found":    "the model is unknown or retired (400 invalid_model)",
	"endpoint_not_found": "the gateway routes no such path (404): check the endpoint's path prefix",
	"invalid_request":    "it rejects the request (400/422): check the receiver's endpoint",
	"quota_exhausted":    "the workspace's budget is spent (402): raise the spending limit in the billing console; retrying will not help",
	"invalid_body":       "it answers with something that is not the API (an HTML page?): check the endpoint",
	"body_too_large":     "its answer exceeds max_body_size",
	"redirect":           "it redirects in a loop: check the endpoint",
}

// providerSideClasses are the error classes where Mistral's status page is
// worth quoting: the provider's failures, not the caller's.
var providerSideClasses = []string{"provider_capacity", "server_error", "timeout", "transport"}

// monthlyTokensLow is the share of the monthly tokens left below which the
// verdict warns (MistralMonthlyTokensNearlyExhausted's threshold).
const monthlyTokensLow = 0.10

// verdict concludes in words, most urgent first.
func verdict(s summary, opt options) []string {
	var out []string
	mistralPage := mistralPageWords(s.pages, opt.mistralPages)

	spent := map[string]bool{} // workspaces whose exhausted quota the headroom already explains
	for _, h := range s.headroom {
		if h.zeroAllowance {
			spent[h.workspace] = true
			out = append(out, fmt.Sprintf("The API key of workspace %s has no allowance at all%s (0 requests/minute): a plan or billing problem; retrying will not help.", wsName(h.workspace), forModel(h.model)))
		}
		for _, l := range h.limits {
			if l.what == "tokens" && l.window == "month" && l.limit > 0 && l.remaining/l.limit < monthlyTokensLow {
				spent[h.workspace] = true
				out = append(out, fmt.Sprintf("Workspace %s has %s of its monthly tokens%s left (%s of %s): once spent, every call fails until the month ends.", wsName(h.workspace), pct(l.remaining, l.limit), forModel(h.model), count(l.remaining), count(l.limit)))
			}
		}
	}
	var probe429 []string // said after the application's own 429s
	for _, p := range s.probes {
		switch {
		case p.success:
		case p.errType == "quota_exhausted" && spent[p.workspace]:
			// Said by the headroom's sentences (no allowance, monthly tokens spent).
		case p.status == 429 && p.errType != "provider_capacity": // a 429 with code 3505 is Mistral's capacity
			probe429 = append(probe429, fmt.Sprintf("Even the free /v1/models probe is rate limited (429) in workspace %s: its budget is spent by its callers.", wsName(p.workspace)))
		case p.errType != "" && probeErrorWords[p.errType] != "":
			out = append(out, fmt.Sprintf("La Plateforme is failing for workspace %s: %s.", wsName(p.workspace), probeErrorWords[p.errType]))
		default:
			out = append(out, fmt.Sprintf("The API probe of workspace %s fails (%s).", wsName(p.workspace), orDash(p.errType)))
		}
	}

	var calls float64
	classes := map[string]float64{}
	for _, t := range s.traffic {
		if t.provider == providerMistral {
			calls += t.calls
			for c, n := range t.classes {
				classes[c] += n
			}
		}
	}
	if limited := classes[classRateLimit]; calls > 0 && limited > 0 {
		v := fmt.Sprintf("Rate limited %s of Mistral calls in the last %s", pct(limited, calls), duration(s.window))
		switch {
		case mistralPage == "":
			v += ": your quota (no Mistral status page watched)."
		case mistralPage == "green":
			v += ", Mistral's status page is green: your quota."
		default:
			v += ", and Mistral's status page " + mistralPage + "."
		}
		out = append(out, v)
	}
	for _, c := range sortedKeys(classes) {
		if n := classes[c]; c != classRateLimit && n/calls >= 0.05 {
			what, advice, _ := strings.Cut(classWords(c), ": ")
			v := fmt.Sprintf("%s of Mistral calls in the last %s failed with %s", pct(n, calls), duration(s.window), what)
			if slices.Contains(providerSideClasses, c) {
				v += pageClause(mistralPage)
			}
			if advice != "" {
				v += ": " + advice
			}
			out = append(out, v+".")
		}
	}

	out = append(out, probe429...)

	for _, p := range s.pages {
		switch {
		case p.known && !p.up:
			out = append(out, fmt.Sprintf("The %s status page cannot be read (%s): that is not an outage, but you are blind to its incidents.", p.name, orDash(p.errType)))
		case (p.worst >= 3 || p.indicator >= 3) && isMistralPage(p.name, opt.mistralPages):
			out = append(out, fmt.Sprintf("Mistral's status page (%s) reports %s: Mistral's side, not yours; have your fallback ready.", p.name, pageTrouble(p)))
		case p.worst >= 3 || p.indicator >= 3:
			out = append(out, fmt.Sprintf("The %s status page reports %s.", p.name, pageTrouble(p)))
		}
	}
	for _, f := range s.fallback {
		if !f.ready {
			out = append(out, fmt.Sprintf("Fallback %s (%s) is not ready: %s; a failover to it would fail now.", f.name, f.kind, fallbackErrorWords(f.errType)))
		}
	}
	for _, m := range s.moves {
		out = append(out, fmt.Sprintf("%s now points to %s (alias moved in the last %s): the behaviour, quality and price of its calls may have changed without a deploy.", m.model, orDash(m.resolved), duration(s.window)))
	}
	for _, r := range s.retiring {
		if r.remaining >= opt.soon {
			continue
		}
		v := fmt.Sprintf("%s is retired in %s", r.model, days(r.remaining))
		if r.remaining < 0 {
			v = fmt.Sprintf("%s was retired %s ago", r.model, days(-r.remaining))
		}
		if r.replacement != "" {
			v += ": move to " + r.replacement
		}
		out = append(out, v+".")
	}
	if len(out) > 0 {
		return out
	}

	switch {
	case len(s.probes) == 0 && len(s.pages) == 0 && len(s.traffic) == 0:
		return []string{"No Mistral metrics yet: is this the collector's prometheus exporter, and has the receiver scraped once?"}
	case s.window > 0 && calls == 0:
		return []string{fmt.Sprintf("All probes healthy, but no Mistral call arrived in the last %s: is your application sending its spans to the collector?", duration(s.window))}
	case s.window == 0:
		return []string{"All probes healthy; the traffic figures need a second scrape."}
	}
	return []string{fmt.Sprintf("All clear: the API answers, no 429 in the last %s, every status page is green.", duration(s.window))}
}

// mistralPageWords describes Mistral's own status pages: "" when none is
// watched, "green" when all are readable and healthy.
func mistralPageWords(ps []pageRow, names []string) string {
	var found bool
	for _, p := range ps {
		if !isMistralPage(p.name, names) {
			continue
		}
		found = true
		switch {
		case p.known && !p.up:
			return fmt.Sprintf("cannot be read (%s)", orDash(p.errType))
		case !p.healthy():
			return "reports " + pageTrouble(p) + ": partly Mistral's side"
		}
	}
	if !found {
		return ""
	}
	return "green"
}

func isMistralPage(name string, mistralPages []string) bool {
	return slices.ContainsFunc(mistralPages, func(n string) bool { return strings.EqualFold(n, name) })
}

// pageTrouble names what a readable page reports.
func pageTrouble(p pageRow) string {
	if p.worst > 0 {
		return fmt.Sprintf("%s (%s)", level(severityNames, p.worst), p.worstComponent)
	}
	return "indicator " + level(indicatorNames, p.indicator)
}

func level(names []string, v int) string {
	if v >= 0 && v < len(names) {
		return names[v]
	}
	return fmt.Sprintf("level %d", v)
}

// forModel names the model a per-model limit is about.
func forModel(m string) string {
	if m == "" {
		return ""
	}
	return " for " + m
}

func wsName(ws string) string {
	if ws == "" {
		return "(unnamed)"
	}
	return ws
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// callErrorWords says what an error class of the application's calls is
// (metadata.yaml's error classes).
var callErrorWords = map[string]string{
	"quota_exhausted":    "429 for an exhausted quota or a key without allowance: a budget or plan problem, not a burst",
	"provider_capacity":  "Mistral's own capacity errors (503, 429 code 3505): route the model's traffic to your fallback",
	"server_error":       "server errors (5xx): fail over to your fallback provider",
	"timeout":            "time-outs",
	"transport":          "connection failures",
	"authentication":     "401: the application's key is rejected, fix the secret",
	"permission":         "403: the key or tier does not allow the call",
	"model_not_found":    "404 / invalid_model: the model does not exist (retired?)",
	"endpoint_not_found": "404 from the gateway: a wrong base URL or proxy prefix",
	"invalid_request":    "400/422: the requests themselves are wrong, fix the caller",
}

// fallbackErrorWords says why a fallback provider is not ready (the
// receiver's error classes of the fallback probe).
func fallbackErrorWords(c string) string {
	switch c {
	case "authentication", "permission":
		return "it rejects its key (" + c + "): rotate the key the collector and the application read"
	case "quota_exhausted":
		return "its balance is spent: top up the account"
	case "rate_limit", "provider_capacity":
		return "it is busy (" + c + "), which is transient"
	case "":
		return "its models cannot be listed"
	}
	return "its models cannot be listed (" + c + ")"
}

func classWords(c string) string {
	if w, ok := callErrorWords[c]; ok {
		return w
	}
	return "error class " + c
}

// pageClause adds what Mistral's status page says to a sentence about Mistral's errors.
func pageClause(words string) string {
	switch words {
	case "":
		return ""
	case "green":
		return ", while Mistral's status page is still green"
	}
	return ", and Mistral's status page " + words
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
