package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import (
	"strings"

	"github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
)

// redactor scrubs error messages before they reach a log: URLs lose their
// userinfo and query (outbound.RedactText) and the API key, should it ever
// appear, is replaced.
type redactor struct {
	secret string
}

// message returns err's text, redacted. A nil error gives "".
func (r redactor) message(err error) string {
	if err == nil {
		return ""
	}
	msg := outbound.RedactText(err.Error())
	if r.secret != "" {
		msg = strings.ReplaceAll(msg, r.secret, "[REDACTED]")
	}
	return msg
}
