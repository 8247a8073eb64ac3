// Package llmenrichprocessor enriches LLM spans with an error and rate-limit
// classification and the cost of each call.
//
//go:generate go tool -modfile=../../internal/tools/mdatagen/go.mod mdatagen metadata.yaml
package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"
