// Package mistralapi holds the Mistral AI API vocabulary that the receiver,
// the processor and the fake La Plateforme share: error classes, the error
// bodies La Plateforme returns, the messages SDKs wrap them in, and the
// rate-limit headers it announces.
//
// The values of the enumerations here are also listed in the repository's
// top-level metadata.yaml; a test keeps the two equal.
package mistralapi // import "github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
