package mistralstateextension // import "github.com/otelcol-mistral/otelcol-mistral/extension/mistralstateextension"

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension"

	"github.com/otelcol-mistral/otelcol-mistral/extension/mistralstateextension/internal/metadata"
	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
)

// NewFactory returns the factory of the mistral_state extension.
func NewFactory() extension.Factory {
	return extension.NewFactory(metadata.Type, createDefaultConfig, create, metadata.ExtensionStability)
}

func createDefaultConfig() component.Config {
	return &Config{MaxServices: defaultMaxServices, MaxModels: defaultMaxModels, DiagnosisWindow: defaultDiagnosisWindow}
}

func create(_ context.Context, _ extension.Settings, cfg component.Config) (extension.Extension, error) {
	c, ok := cfg.(*Config)
	if !ok {
		return nil, fmt.Errorf("mistral_state: unexpected configuration type %T", cfg)
	}
	return &stateExtension{store: mistralstate.NewStore(c.MaxServices, c.MaxModels, c.DiagnosisWindow)}, nil
}

// stateExtension holds the store; it runs nothing.
type stateExtension struct {
	store *mistralstate.Store
}

var _ mistralstate.Provider = (*stateExtension)(nil)

func (*stateExtension) Start(context.Context, component.Host) error { return nil }
func (*stateExtension) Shutdown(context.Context) error              { return nil }

// MistralState returns the shared store.
func (e *stateExtension) MistralState() *mistralstate.Store { return e.store }
