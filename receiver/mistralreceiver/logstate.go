package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import "go.uber.org/zap"

// stateLog logs a probe's failures once per change of state: a probe that
// fails the same way every minute logs once at Warn, then at Debug, and
// once at Info when it recovers. Messages are redacted by the caller.
type stateLog struct {
	logger *zap.Logger
	last   map[string]string
}

// report records the state of a probe: "" when it succeeded, else its
// error.type. msg describes the failure.
func (l *stateLog) report(probe, state, msg string) {
	prev, seen := l.last[probe]
	l.last[probe] = state
	changed := !seen && state != "" || seen && prev != state
	switch {
	case !changed && state == "":
		l.logger.Debug("probe succeeded", zap.String("probe", probe))
	case !changed:
		l.logger.Debug("probe still failing", zap.String("probe", probe), zap.String("error.type", state), zap.String("error", msg))
	case state == "":
		l.logger.Info("probe recovered", zap.String("probe", probe), zap.String("previous_error.type", prev))
	default:
		l.logger.Warn("probe failed", zap.String("probe", probe), zap.String("error.type", state), zap.String("error", msg))
	}
}
