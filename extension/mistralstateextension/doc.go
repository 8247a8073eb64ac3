// Package mistralstateextension provides the mistral_state extension: the
// state the mistral receiver and the llm_enrich processor share (the
// receiver's catalogue, rate-limit headroom and provider health; the
// processor's rolling call counters).
//
//go:generate go tool -modfile=../../internal/tools/mdatagen/go.mod mdatagen metadata.yaml
package mistralstateextension // import "github.com/otelcol-mistral/otelcol-mistral/extension/mistralstateextension"
