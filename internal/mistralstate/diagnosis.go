package mistralstate // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"

import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"

// Diagnosis says, for the last minutes, whether the workspace's trouble is
// the provider's or ours.
type Diagnosis string

// The diagnoses, in the order they are tested.
const (
	DiagnosisProviderIncident Diagnosis = "provider_incident"
	DiagnosisOurQuota         Diagnosis = "our_quota"
	DiagnosisOurConfiguration Diagnosis = "our_configuration"
	DiagnosisHealthy          Diagnosis = "healthy"
)

// Diagnoses lists every diagnosis.
var Diagnoses = [...]Diagnosis{DiagnosisProviderIncident, DiagnosisOurQuota, DiagnosisOurConfiguration, DiagnosisHealthy}

// Diagnose applies the rules to the provider's health and the calls of the
// window (every service and model of the workspace). The rules, first match
// wins:
//
//   - provider_incident: the outside looks bad (the last API probe failed with
//     provider_capacity, server_error, timeout or transport, or a status page
//     reports anything but operational) and our calls of the window either
//     failed with one of those classes or there were none.
//   - our_quota: the API probe is fine (a degraded status page alone does not
//     excuse a 429) and our calls hit rate_limit or quota_exhausted.
//   - our_configuration: the API probe is fine and our calls failed with
//     authentication, permission, model_not_found, endpoint_not_found or
//     invalid_request.
//   - healthy: anything else, including our calls failing with capacity or
//     server classes while the outside looks fine (too little evidence to
//     blame either side), and trouble outside while our calls succeed.
//
// No calls at all in the window while the outside looks bad counts as an
// incident: there is nothing of ours to blame.
//
// A probe refused by our own rate limit does not count as trouble outside.
func Diagnose(h Health, window map[Key]Counts) Diagnosis {
	var calls, provider, quota, config int64
	for _, c := range window {
		calls += c.Calls
		provider += c.Failed(mistralapi.ClassProviderCapacity) + c.Failed(mistralapi.ClassServerError) +
			c.Failed(mistralapi.ClassTimeout) + c.Failed(mistralapi.ClassTransport)
		quota += c.Failed(mistralapi.ClassRateLimit) + c.Failed(mistralapi.ClassQuotaExhausted)
		config += c.Failed(mistralapi.ClassAuthentication) + c.Failed(mistralapi.ClassPermission) +
			c.Failed(mistralapi.ClassModelNotFound) + c.Failed(mistralapi.ClassEndpointNotFound) +
			c.Failed(mistralapi.ClassInvalidRequest)
	}
	probeFine := !providerSide(h.ProbeClass)
	switch {
	case (!probeFine || h.StatusPageSeverity > 0) && (provider > 0 || calls == 0):
		return DiagnosisProviderIncident
	case probeFine && quota > 0:
		return DiagnosisOurQuota
	case probeFine && config > 0:
		return DiagnosisOurConfiguration
	}
	return DiagnosisHealthy
}

// providerSide reports whether a probe failure class is the provider's.
func providerSide(c mistralapi.Class) bool {
	switch c {
	case mistralapi.ClassProviderCapacity, mistralapi.ClassServerError, mistralapi.ClassTimeout, mistralapi.ClassTransport:
		return true
	}
	return false
}
