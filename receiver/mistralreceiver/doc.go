// Package mistralreceiver probes La Plateforme (the Mistral AI API) and
// provider status pages, and reports what it finds as OpenTelemetry metrics.
//
//go:generate go tool -modfile=../../internal/tools/mdatagen/go.mod mdatagen metadata.yaml
package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"
