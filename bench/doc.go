// Package bench compares the llm_enrich processor with the contrib
// transform processor configured with OTTL statements that compute the same
// costs and classes, on the same generated workload. It is its own Go
// module so that the main module does not depend on the transform processor.
// See README.md.
package bench // import "github.com/otelcol-mistral/otelcol-mistral/bench"
