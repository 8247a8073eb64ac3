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

	// Rate-limit headroom comes only from the chat probe: GET /v1/models and
	// streams carry no rate-limit headers. Any answer saying our limit or
	// budget is spent starts a backoff; a capacity 429 does not.
	if c := res.chat; c != nil {
		if src := c.headroomSource(); src != nil {
			s.updateRateLimit(src)
		}
	}
	for i, ex := range []*exchange{exchangeOf(res.models), exchangeOfChat(res.chat), headroomOf(res.chat)} {
		if ex != nil && ex.rateLimited() {
			s.startBackoff(ex, i > 0) // i > 0: the chat probe's stream or headroom call
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
	} else if st.chatPending && (st.backoffUntil.After(now) || st.chatBackoffUntil.After(now)) {
		// The due chat probe waits for the backoff to end; meanwhile it
		// reports the rate limit that holds it.
		held := st.backoffType
		if !st.backoffUntil.After(now) {
			held = metadata.AttributeErrorTypeQuotaExhausted
		}
		c := &chatResult{Model: s.cfg.ChatProbe.Model}
		c.fail(held, errBackingOff)
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

func headroomOf(c *chatResult) *exchange {
	if c == nil {
		return nil
	}
	return c.Headroom
}

// startBackoff stops the API probes until the time the 429 allows. A 429
// of the chat probe (chat) with a request limit of 0 (no allowance
// for the chat probe's model) stops only the chat probe: La Plateforme
// still answers GET /v1/models for such a key, and the models probe keeps
// measuring the API; limits are per model.
func (s *mistralScraper) startBackoff(ex *exchange, chat bool) {
	st := &s.state
	at := ex.responseTime
	if at.IsZero() {
		at = s.clock()
	}
	until := at.Add(ex.RateLimit.WaitAfter429(at))
	if chat && ex.RateLimit.ZeroAllowance() {
		if until.After(st.chatBackoffUntil) {
			st.chatBackoffUntil = until
		}
		return
	}
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

// updateRateLimit keeps the headroom of the chat probe's model as last
// announced. A success replaces it (a success without any header clears it:
// La Plateforme stopped sending them); a 429, which carries only the windows
// it is about (a request-limit 429 sends only the request pair), updates
// those windows and keeps the others.
func (s *mistralScraper) updateRateLimit(ex *exchange) {
	if !ex.HasResponse {
		return
	}
	rl := ex.RateLimit
	st := &s.state
	switch {
	case ex.Failure == nil:
		st.rateLimit, st.hasRateLimit = rl, rl.Announced()
	case rl.Announced() && st.hasRateLimit:
		st.rateLimit = st.rateLimit.Update(rl)
	case rl.Announced():
		st.rateLimit, st.hasRateLimit = rl, true
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

// recordRateLimit records the last known headroom of the chat probe's
// model, one series per announced window; nothing is invented for a header
// that was absent. Limits are per model: the values say nothing about the
// other models of the workspace.
func (s *mistralScraper) recordRateLimit(ts pcommon.Timestamp) {
	if !s.state.hasRateLimit {
		return
	}
	rl := s.state.rateLimit
	model := s.cfg.ChatProbe.Model
	hasReq := false
	for _, w := range rl.Windows {
		secs := w.Seconds()
		switch w.Unit {
		case mistralapi.UnitRequests:
			if w.Limit.OK {
				hasReq = true
				s.mb.RecordMistralRatelimitRequestsLimitDataPoint(ts, w.Limit.V, model, secs)
			}
			if w.Remaining.OK {
				s.mb.RecordMistralRatelimitRequestsRemainingDataPoint(ts, w.Remaining.V, model, secs)
			}
		case mistralapi.UnitTokens:
			if w.Limit.OK {
				s.mb.RecordMistralRatelimitTokensLimitDataPoint(ts, w.Limit.V, model, secs)
			}
			if w.Remaining.OK {
				s.mb.RecordMistralRatelimitTokensRemainingDataPoint(ts, w.Remaining.V, model, secs)
			}
		}
	}
	if hasReq {
		s.mb.RecordMistralRatelimitZeroAllowanceDataPoint(ts, boolGauge(rl.ZeroAllowance()), model)
	}
	if v := rl.QueryCost; v.OK {
		s.mb.RecordMistralRatelimitQueryCostDataPoint(ts, v.V, model)
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
