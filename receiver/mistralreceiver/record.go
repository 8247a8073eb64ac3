package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"slices"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
	"github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/metadata"
)

// recordAPI records the API, model catalogue and chat probe metrics.
func (s *mistralScraper) recordAPI(ts pcommon.Timestamp, now time.Time, res probeResults) {
	st := &s.state
	if res.backingOff {
		// No request: the probe reports the rate limit that stopped it.
		s.mb.RecordMistralAPIProbeSuccessDataPoint(ts, 0)
		s.mb.RecordMistralAPIProbeStatusCodeDataPoint(ts, int64(st.backoffStatus))
		s.recordAPIErrors(ts, st.backoffType, true)
		s.logs.report("api", st.backoffType.String(), errBackingOff.Error())
	}

	// Rate-limit headroom: the models probe first, then the chat probe,
	// whose headers follow a token-spending call.
	for _, ex := range []*exchange{exchangeOf(res.models), exchangeOfChat(res.chat)} {
		if ex == nil {
			continue
		}
		s.updateRateLimit(ex)
		if ex.rateLimited() {
			s.startBackoff(ex)
		}
	}

	if m := res.models; m != nil {
		s.recordExchange(ts, now, &m.exchange)
		if m.HasCatalogue {
			s.recordCatalogue(ts, now, m.Catalogue)
		}
		s.logs.report("api", failureState(m.Failure), s.failureMessage(m.Failure))
	}
	if c := res.chat; c != nil {
		st.lastChat = c
		s.logs.report("chat", failureState(c.Failure), s.failureMessage(c.Failure))
	} else if st.chatPending && st.backoffUntil.After(now) {
		// The due chat probe waits for the backoff to end; meanwhile it
		// reports the rate limit that holds it.
		c := &chatResult{Model: s.cfg.ChatProbe.Model}
		c.fail(st.backoffType, errBackingOff)
		st.lastChat = c
	}
	if c := st.lastChat; c != nil {
		s.recordChat(ts, c)
	}

	backoff := 0.0
	if st.backoffUntil.After(now) {
		backoff = st.backoffUntil.Sub(now).Seconds()
	}
	s.mb.RecordMistralAPIProbeBackoffDataPoint(ts, backoff)
	s.recordRateLimit(ts)
	s.mb.RecordMistralAPIRequestsDataPoint(ts, st.modelsRequests, metadata.AttributeMistralProbeKindModels)
	if s.cfg.ChatProbe.Enabled {
		s.mb.RecordMistralAPIRequestsDataPoint(ts, st.chatRequests, metadata.AttributeMistralProbeKindChat)
	}
}

func exchangeOf(m *modelsResult) *exchange {
	if m == nil {
		return nil
	}
	return &m.exchange
}

func exchangeOfChat(c *chatResult) *exchange {
	if c == nil {
		return nil
	}
	return &c.exchange
}

// startBackoff stops the API probes until the time the 429 allows.
func (s *mistralScraper) startBackoff(ex *exchange) {
	st := &s.state
	at := ex.responseTime
	if at.IsZero() {
		at = s.clock()
	}
	until := at.Add(ex.RateLimit.WaitAfter429(at))
	if !until.After(st.backoffUntil) {
		return
	}
	st.backoffUntil = until
	st.backoffStatus = ex.StatusCode
	st.backoffType = metadata.AttributeErrorTypeRateLimit
	if ex.Failure != nil && ex.Failure.Type == metadata.AttributeErrorTypeQuotaExhausted {
		st.backoffType = metadata.AttributeErrorTypeQuotaExhausted
	}
}

// updateRateLimit keeps the headroom of the last response that announced
// one. A response without any rate-limit header keeps the last values,
// except a success: then La Plateforme stopped sending them.
func (s *mistralScraper) updateRateLimit(ex *exchange) {
	if !ex.HasResponse {
		return
	}
	rl := ex.RateLimit
	announced := rl.RequestsMinuteLimit.OK || rl.RequestsMinuteRemaining.OK || rl.TokensMinuteLimit.OK ||
		rl.TokensMinuteRemaining.OK || rl.TokensMonthLimit.OK || rl.TokensMonthRemaining.OK || rl.QueryCost.OK
	switch {
	case announced:
		s.state.rateLimit, s.state.hasRateLimit = rl, true
	case ex.Failure == nil:
		s.state.rateLimit, s.state.hasRateLimit = mistralapi.RateLimit{}, false
	}
}

// recordExchange records the models probe's own metrics.
func (s *mistralScraper) recordExchange(ts pcommon.Timestamp, now time.Time, ex *exchange) {
	success := int64(1)
	if ex.Failure != nil {
		success = 0
		s.recordAPIErrors(ts, ex.Failure.Type, true)
	} else {
		s.recordAPIErrors(ts, 0, false)
	}
	s.mb.RecordMistralAPIProbeSuccessDataPoint(ts, success)
	s.mb.RecordMistralAPIProbeStatusCodeDataPoint(ts, int64(ex.StatusCode))
	if ex.Sent {
		s.mb.RecordMistralAPIProbeDurationDataPoint(ts, ex.Duration.Seconds())
		for p, attr := range phaseAttrs {
			s.mb.RecordMistralAPIProbePhaseDurationDataPoint(ts, ex.Phases[p].Seconds(), attr)
		}
	}
	if ex.Cert != nil {
		s.mb.RecordMistralAPITLSCertRemainingDataPoint(ts, int64(ex.Cert.NotAfter.Sub(now)/time.Second))
	}
}

// phaseAttrs names the phases, in phase order.
var phaseAttrs = [numPhases]metadata.AttributeMistralProbePhase{
	phaseDNS:       metadata.AttributeMistralProbePhaseDNS,
	phaseConnect:   metadata.AttributeMistralProbePhaseConnect,
	phaseTLS:       metadata.AttributeMistralProbePhaseTLS,
	phaseFirstByte: metadata.AttributeMistralProbePhaseFirstByte,
	phaseTransfer:  metadata.AttributeMistralProbePhaseTransfer,
}

// recordChat records the last chat probe's result.
func (s *mistralScraper) recordChat(ts pcommon.Timestamp, c *chatResult) {
	success := int64(1)
	var failed metadata.AttributeErrorType
	if c.Failure != nil {
		success = 0
		failed = c.Failure.Type
	}
	for _, v := range errorTypes {
		s.mb.RecordMistralChatProbeErrorDataPoint(ts, boolGauge(c.Failure != nil && v == failed), c.Model, v)
	}
	s.mb.RecordMistralChatProbeSuccessDataPoint(ts, success, c.Model)
	if c.Sent {
		s.mb.RecordMistralChatProbeDurationDataPoint(ts, c.Duration.Seconds(), c.Model)
	}
	if c.HasTTFT {
		s.mb.RecordMistralChatProbeTimeToFirstTokenDataPoint(ts, c.TTFT.Seconds(), c.Model)
	}
	if c.HasUsage {
		s.mb.RecordMistralChatProbeTokensDataPoint(ts, c.InputTokens, c.Model, metadata.AttributeGenAiTokenTypeInput)
		s.mb.RecordMistralChatProbeTokensDataPoint(ts, c.OutputTokens, c.Model, metadata.AttributeGenAiTokenTypeOutput)
	}
}

// recordRateLimit records the last known headroom; nothing is invented
// for a header that was absent.
func (s *mistralScraper) recordRateLimit(ts pcommon.Timestamp) {
	if !s.state.hasRateLimit {
		return
	}
	rl := s.state.rateLimit
	if v := rl.RequestsMinuteLimit; v.OK {
		s.mb.RecordMistralRatelimitRequestsLimitDataPoint(ts, v.V)
		zero := int64(0)
		if rl.ZeroAllowance() {
			zero = 1
		}
		s.mb.RecordMistralRatelimitZeroAllowanceDataPoint(ts, zero)
	}
	if v := rl.RequestsMinuteRemaining; v.OK {
		s.mb.RecordMistralRatelimitRequestsRemainingDataPoint(ts, v.V)
	}
	if v := rl.TokensMinuteLimit; v.OK {
		s.mb.RecordMistralRatelimitTokensLimitDataPoint(ts, v.V, metadata.AttributeMistralRatelimitWindowMinute)
	}
	if v := rl.TokensMonthLimit; v.OK {
		s.mb.RecordMistralRatelimitTokensLimitDataPoint(ts, v.V, metadata.AttributeMistralRatelimitWindowMonth)
	}
	if v := rl.TokensMinuteRemaining; v.OK {
		s.mb.RecordMistralRatelimitTokensRemainingDataPoint(ts, v.V, metadata.AttributeMistralRatelimitWindowMinute)
	}
	if v := rl.TokensMonthRemaining; v.OK {
		s.mb.RecordMistralRatelimitTokensRemainingDataPoint(ts, v.V, metadata.AttributeMistralRatelimitWindowMonth)
	}
	if v := rl.QueryCost; v.OK {
		s.mb.RecordMistralRatelimitQueryCostDataPoint(ts, v.V)
	}
}

// failureState is the log state of a probe: "" when it succeeded.
func failureState(f *probeFailure) string {
	if f == nil {
		return ""
	}
	return f.Type.String()
}

func (s *mistralScraper) failureMessage(f *probeFailure) string {
	if f == nil {
		return ""
	}
	return s.redact.message(f.Err)
}

// The error gauges are state sets: every value of their error.type is
// recorded, 1 for the current failure and 0 for the others. A series that
// existed only while a probe failed would linger in a Prometheus exporter
// after recovery (until its metric_expiration) and keep an alert firing.
var (
	errorTypes           = enumValues(metadata.MapAttributeErrorType)
	statusPageErrorTypes = enumValues(metadata.MapAttributeStatusPageErrorType)
)

// enumValues lists an mdatagen enum's values in declaration order.
func enumValues[V ~int](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// recordAPIErrors records the API probe's error state set.
func (s *mistralScraper) recordAPIErrors(ts pcommon.Timestamp, failed metadata.AttributeErrorType, isFailure bool) {
	for _, v := range errorTypes {
		s.mb.RecordMistralAPIProbeErrorDataPoint(ts, boolGauge(isFailure && v == failed), v)
	}
}

func boolGauge(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
