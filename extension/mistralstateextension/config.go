package mistralstateextension // import "github.com/otelcol-mistral/otelcol-mistral/extension/mistralstateextension"

import (
	"errors"
	"fmt"
	"time"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralstate"
)

const (
	defaultMaxServices     = 50
	defaultMaxModels       = 50
	maxCap                 = 10000
	defaultDiagnosisWindow = 5 * time.Minute
)

// Config is the configuration of the mistral_state extension.
type Config struct {
	// MaxServices caps the services the call counters keep apart; calls of
	// further services count under "other".
	MaxServices int `mapstructure:"max_services"`
	// MaxModels caps the models the call counters keep apart (and the
	// receiver watches); calls to further models count under "other".
	MaxModels int `mapstructure:"max_models"`
	// DiagnosisWindow is how far back the receiver's mistral.diagnosis looks
	// at the calls' outcomes.
	DiagnosisWindow time.Duration `mapstructure:"diagnosis_window"`
}

// Validate checks the caps.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.MaxServices < 1 || cfg.MaxServices > maxCap {
		errs = append(errs, fmt.Errorf("max_services: must be between 1 and %d, got %d", maxCap, cfg.MaxServices))
	}
	if cfg.MaxModels < 1 || cfg.MaxModels > maxCap {
		errs = append(errs, fmt.Errorf("max_models: must be between 1 and %d, got %d", maxCap, cfg.MaxModels))
	}
	if cfg.DiagnosisWindow < mistralstate.BucketLength || cfg.DiagnosisWindow > mistralstate.MaxWindow {
		errs = append(errs, fmt.Errorf("diagnosis_window: must be between %s and %s, got %s",
			mistralstate.BucketLength, mistralstate.MaxWindow, cfg.DiagnosisWindow))
	}
	return errors.Join(errs...)
}
