package main

// The metric families and labels the summary reads, as the distribution's
// prometheus exporter names them (receiver/mistralreceiver/documentation.md
// and the connectors of genai-metrics.yaml). Every lookup goes through these
// two tables: each entry lists the exposition names it accepts, the first one
// present in a scrape wins, and labels not named here are summed (counters)
// or maxed (gauges) away, so a renamed family or an added label is a change
// here only.

// families names each metric family the summary reads.
var families = struct {
	// API probe (GET /v1/models).
	ProbeSuccess, ProbeStatus, ProbeDuration, ProbeError, ProbeBackoff []string
	// Rate-limit headroom: requests (per minute) and tokens (per window).
	RequestsLimit, RequestsRemaining, TokensLimit, TokensRemaining, ZeroAllowance []string
	// Status pages.
	PageUp, PageError, PageIndicator, PageComponent []string
	// Model catalogue.
	ModelDeprecation, ModelTarget, AliasChanges []string
	// Fallback providers' readiness (GET /v1/models with their keys).
	FallbackSuccess, FallbackStatus, FallbackError []string
	// Traffic derived from the application's spans (counters).
	Calls, Fallbacks, Cost []string
}{
	ProbeSuccess:      []string{"mistral_api_probe_success"},
	ProbeStatus:       []string{"mistral_api_probe_status_code"},
	ProbeDuration:     []string{"mistral_api_probe_duration_seconds", "mistral_api_probe_duration"},
	ProbeError:        []string{"mistral_api_probe_error"},
	ProbeBackoff:      []string{"mistral_api_probe_backoff_seconds", "mistral_api_probe_backoff"},
	RequestsLimit:     []string{"mistral_ratelimit_requests_limit"},
	RequestsRemaining: []string{"mistral_ratelimit_requests_remaining"},
	TokensLimit:       []string{"mistral_ratelimit_tokens_limit"},
	TokensRemaining:   []string{"mistral_ratelimit_tokens_remaining"},
	ZeroAllowance:     []string{"mistral_ratelimit_zero_allowance"},
	PageUp:            []string{"mistral_status_page_up"},
	PageError:         []string{"mistral_status_page_error"},
	PageIndicator:     []string{"mistral_status_page_indicator"},
	PageComponent:     []string{"mistral_status_page_component_status"},
	ModelDeprecation:  []string{"mistral_model_deprecation_time_remaining_seconds", "mistral_model_deprecation_time_remaining"},
	ModelTarget:       []string{"mistral_model_target"},
	AliasChanges:      []string{"mistral_model_alias_changes_total"},
	FallbackSuccess:   []string{"mistral_fallback_probe_success"},
	FallbackStatus:    []string{"mistral_fallback_probe_status_code"},
	FallbackError:     []string{"mistral_fallback_probe_error"},
	// Calls are the count of the semconv duration histogram (one per call).
	Calls:     []string{"gen_ai_client_operation_duration_seconds_count"},
	Fallbacks: []string{"llm_enrich_fallback_triggers_total"},
	Cost:      []string{"llm_enrich_cost_usd_total"},
}

// labels names each label the summary groups or filters by.
var labels = struct {
	Workspace, Window, Model, Provider, ErrorClass, ErrorType   []string
	Page, Component, Resolved, Replacement, AlertName, Severity []string
	Fallback, FallbackKind                                      []string
}{
	Workspace: []string{"mistral_workspace"},
	// A window as a name ("minute", "month") or a length in seconds ("60").
	Window:       []string{"mistral_ratelimit_window"},
	Model:        []string{"gen_ai_request_model"},
	Provider:     []string{"gen_ai_provider_name"},
	ErrorClass:   []string{"llm_enrich_error_class", "error_type"},
	ErrorType:    []string{"error_type"},
	Page:         []string{"mistral_status_page_name"},
	Component:    []string{"mistral_status_page_component"},
	Resolved:     []string{"mistral_model_resolved"},
	Replacement:  []string{"mistral_model_replacement"},
	AlertName:    []string{"alertname"},
	Severity:     []string{"severity"},
	Fallback:     []string{"mistral_fallback_name"},
	FallbackKind: []string{"mistral_fallback_kind"},
}

// Label values the summary interprets.
const (
	// providerMistral is the gen_ai.provider.name of Mistral calls (semconv).
	providerMistral = "mistral_ai"
	// errorClassNone marks a successful call in the calls counter.
	errorClassNone = "none"
)

// rateLimitClasses are the error classes of a 429 that counts against the
// caller's own limits.
var rateLimitClasses = []string{classRateLimit, "quota_exhausted"}

// classRateLimit is a transient 429: the caller's own per-minute limits.
const classRateLimit = "rate_limit"

// severityNames are the 0..4 severities of a status page component, and
// indicatorNames those of a page's indicator (documentation.md).
var (
	severityNames  = []string{"operational", "under maintenance", "degraded performance", "partial outage", "major outage"}
	indicatorNames = []string{"none", "maintenance", "minor", "major", "critical"}
)
