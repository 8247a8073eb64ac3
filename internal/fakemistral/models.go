package fakemistral

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Capabilities of a model card, with the keys La Plateforme sends (2026).
type Capabilities struct {
	CompletionChat     bool `json:"completion_chat"`
	CompletionFIM      bool `json:"completion_fim"`
	FunctionCalling    bool `json:"function_calling"`
	FineTuning         bool `json:"fine_tuning"`
	Vision             bool `json:"vision"`
	Classification     bool `json:"classification"`
	Reasoning          bool `json:"reasoning"`
	OCR                bool `json:"ocr"`
	Moderation         bool `json:"moderation"`
	Audio              bool `json:"audio"`
	AudioTranscription bool `json:"audio_transcription"`
	AudioSpeech        bool `json:"audio_speech"`
}

// ModelCard is one entry of GET /v1/models, with La Plateforme's JSON names
// and exactly its field set. Empty Object, OwnedBy and Type are served as
// "model", "mistralai" and "base"; nil Aliases as []; an empty Name as the ID.
//
// The catalogue holds one card per model (SetModels, Models); GET /v1/models
// serves each of them and, for each alias, an alias card of its own (see
// servedModels and the package README).
type ModelCard struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	// Created is served as the time of the response, the same on every
	// card, as La Plateforme does; the value stored is ignored.
	Created      int64        `json:"created"`
	OwnedBy      string       `json:"owned_by"`
	Capabilities Capabilities `json:"capabilities"`
	// Name is the model the card stands for: the dated id, or a name shared
	// by the model's whole alias group (mistral-medium-latest in 2026).
	Name             string `json:"name"`
	Description      string `json:"description"`
	MaxContextLength int    `json:"max_context_length"`
	// Aliases holds the ids that resolve to this card, such as a -latest alias.
	Aliases []string `json:"aliases"`
	// Deprecation is when the model is (or was) deprecated; nil when it is not.
	Deprecation *time.Time `json:"deprecation"`
	// DeprecationReplacementModel names the model to move to, nil when none.
	DeprecationReplacementModel *string `json:"deprecation_replacement_model"`
	// DefaultModelTemperature is null for embedding and moderation models.
	DefaultModelTemperature *float64 `json:"default_model_temperature"`
	// Type is "base" or "fine-tuned".
	Type string `json:"type"`
}

// normalized returns a copy with defaults filled and slices/pointers unshared.
func (c ModelCard) normalized() ModelCard {
	if c.Object == "" {
		c.Object = "model"
	}
	if c.OwnedBy == "" {
		c.OwnedBy = "mistralai"
	}
	if c.Type == "" {
		c.Type = "base"
	}
	if c.Name == "" {
		c.Name = c.ID
	}
	c.Aliases = append([]string{}, c.Aliases...)
	if c.Deprecation != nil {
		d := c.Deprecation.UTC().Truncate(time.Second)
		c.Deprecation = &d
	}
	if c.DeprecationReplacementModel != nil {
		r := *c.DeprecationReplacementModel
		c.DeprecationReplacementModel = &r
	}
	if c.DefaultModelTemperature != nil {
		t := *c.DefaultModelTemperature
		c.DefaultModelTemperature = &t
	}
	return c
}

// matches reports whether id is the card's id or one of its aliases.
func (c ModelCard) matches(id string) bool {
	return c.ID == id || slices.Contains(c.Aliases, id)
}

func strPtr(s string) *string { return &s }

func floatPtr(f float64) *float64 { return &f }

// DefaultModels is a realistic catalogue for the clock value now:
//
//   - mistral-small-2506 (alias mistral-small-latest), mistral-large-2512
//     (mistral-large-latest), mistral-medium-2508 (mistral-medium-latest),
//     ministral-8b-2512 (ministral-8b-latest), codestral-2508
//     (codestral-latest), mistral-embed (mistral-embed-2312);
//   - mistral-small-2409, deprecated 30 days before now, replaced by
//     mistral-small-2506;
//   - mistral-medium-2505, to be deprecated 60 days after now, replaced by
//     mistral-medium-2508.
func DefaultModels(now time.Time) []ModelCard {
	past := now.UTC().Truncate(time.Second).Add(-30 * 24 * time.Hour)
	future := now.UTC().Truncate(time.Second).Add(60 * 24 * time.Hour)
	chat := Capabilities{CompletionChat: true, FunctionCalling: true}
	chatVision := Capabilities{CompletionChat: true, FunctionCalling: true, Vision: true, FineTuning: true}
	cards := []ModelCard{
		{
			ID: "mistral-small-2506", Created: 1750118400, Capabilities: chatVision,
			Name: "mistral-small-2506", Description: "Our latest enterprise-grade small model with the latest version released June 2025.",
			MaxContextLength: 131072, Aliases: []string{"mistral-small-latest"}, DefaultModelTemperature: floatPtr(0.3),
		},
		{
			ID: "mistral-large-2512", Created: 1764979200, Capabilities: chatVision,
			Name: "mistral-large-2512", Description: "Our top-tier open-weight multimodal model released December 2025.",
			MaxContextLength: 262144, Aliases: []string{"mistral-large-latest"}, DefaultModelTemperature: floatPtr(0.065),
		},
		{
			ID: "mistral-medium-2508", Created: 1754524800, Capabilities: chatVision,
			Name: "mistral-medium-2508", Description: "Our frontier-class multimodal model released August 2025.",
			MaxContextLength: 131072, Aliases: []string{"mistral-medium-latest"}, DefaultModelTemperature: floatPtr(0.3),
		},
		{
			ID: "mistral-medium-2505", Created: 1746576000, Capabilities: chatVision,
			Name: "mistral-medium-2505", Description: "Our frontier-class multimodal model released May 2025.",
			MaxContextLength: 131072, Aliases: []string{}, Deprecation: &future,
			DeprecationReplacementModel: strPtr("mistral-medium-2508"), DefaultModelTemperature: floatPtr(0.3),
		},
		{
			ID: "ministral-8b-2512", Created: 1764979200, Capabilities: chat,
			Name: "ministral-8b-2512", Description: "A small and efficient model for edge use released December 2025.",
			MaxContextLength: 262144, Aliases: []string{"ministral-8b-latest"}, DefaultModelTemperature: floatPtr(0.3),
		},
		{
			ID: "codestral-2508", Created: 1754006400,
			Capabilities: Capabilities{CompletionChat: true, CompletionFIM: true, FunctionCalling: true},
			Name:         "codestral-2508", Description: "Our cutting-edge language model for coding released August 2025.",
			MaxContextLength: 256000, Aliases: []string{"codestral-latest"}, DefaultModelTemperature: floatPtr(0.3),
		},
		{
			ID: "mistral-embed", Created: 1702339200, Capabilities: Capabilities{},
			Name: "mistral-embed", Description: "Our state-of-the-art semantic model for extracting representations of text.",
			MaxContextLength: 8192, Aliases: []string{"mistral-embed-2312"},
		},
		{
			ID: "mistral-small-2409", Created: 1726617600, Capabilities: chat,
			Name: "mistral-small-2409", Description: "Our small model released September 2024.",
			MaxContextLength: 32768, Aliases: []string{}, Deprecation: &past,
			DeprecationReplacementModel: strPtr("mistral-small-2506"), DefaultModelTemperature: floatPtr(0.3),
		},
	}
	for i := range cards {
		cards[i] = cards[i].normalized()
	}
	return cards
}

// SetModels replaces the catalogue served by /v1/models. Cards are copied.
func (s *Server) SetModels(cards []ModelCard) {
	cp := make([]ModelCard, len(cards))
	for i, c := range cards {
		cp[i] = c.normalized()
	}
	s.mu.Lock()
	s.models = cp
	s.mu.Unlock()
}

// Models returns a copy of the catalogue.
func (s *Server) Models() []ModelCard {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := make([]ModelCard, len(s.models))
	for i, c := range s.models {
		cp[i] = c.normalized()
	}
	return cp
}

// DeprecateModel sets the deprecation date (and, when replacement is not
// empty, the replacement model) of the card whose id or alias is id.
func (s *Server) DeprecateModel(id string, at time.Time, replacement string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.models {
		if c.matches(id) {
			d := at.UTC().Truncate(time.Second)
			s.models[i].Deprecation = &d
			if replacement != "" {
				s.models[i].DeprecationReplacementModel = strPtr(replacement)
			}
			return nil
		}
	}
	return fmt.Errorf("model %q is not in the catalogue", id)
}

// RemoveModel removes the card whose id or alias is id: calls naming it then
// get 404 invalid_model.
func (s *Server) RemoveModel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.models {
		if c.matches(id) {
			s.models = slices.Delete(s.models, i, i+1)
			return nil
		}
	}
	return fmt.Errorf("model %q is not in the catalogue", id)
}

// resolveModel returns the concrete card for an id or alias.
func (s *Server) resolveModel(id string) (ModelCard, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.models {
		if c.matches(id) {
			return c.normalized(), true
		}
	}
	return ModelCard{}, false
}

// servedModels is the body of GET /v1/models at now: every card of the
// catalogue, each followed by one card per alias. An alias card is its
// model's card with the alias as id, the model's name, and as aliases the
// model's id and its other aliases; it carries the model's deprecation too.
// Every card's created is now.
func (s *Server) servedModels(now time.Time) []ModelCard {
	models := s.Models()
	created := now.Unix()
	out := make([]ModelCard, 0, 2*len(models))
	for _, m := range models {
		m.Created = created
		out = append(out, m)
		for _, alias := range m.Aliases {
			a := m.normalized()
			a.ID = alias
			a.Aliases = append([]string{m.ID}, slices.DeleteFunc(slices.Clone(m.Aliases), func(x string) bool { return x == alias })...)
			out = append(out, a)
		}
	}
	return out
}

// MoveAlias makes alias point to the model target (an id of the
// catalogue): the alias leaves the card that had it, if any, and joins
// target's aliases. This is what La Plateforme does when a -latest alias
// moves to a new release.
func (s *Server) MoveAlias(alias, target string) error {
	if alias == "" {
		return errors.New("alias is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ti := slices.IndexFunc(s.models, func(c ModelCard) bool { return c.ID == target })
	if ti < 0 {
		return fmt.Errorf("target model %q is not in the catalogue", target)
	}
	if slices.ContainsFunc(s.models, func(c ModelCard) bool { return c.ID == alias }) {
		return fmt.Errorf("%q is a model id, not an alias", alias)
	}
	for i := range s.models {
		s.models[i].Aliases = slices.DeleteFunc(slices.Clone(s.models[i].Aliases), func(x string) bool { return x == alias })
	}
	s.models[ti].Aliases = append(s.models[ti].Aliases, alias)
	return nil
}

// registerCatalogueAdmin mounts POST /_fake/models/alias
// {"alias":"mistral-small-latest","target":"mistral-small-2603"}.
func (s *Server) registerCatalogueAdmin(mux *http.ServeMux) {
	mux.HandleFunc("POST /_fake/models/alias", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Alias  string `json:"alias"`
			Target string `json:"target"`
		}
		if !decodeAdmin(w, r, &body) {
			return
		}
		if err := s.MoveAlias(body.Alias, body.Target); err != nil {
			adminError(w, http.StatusNotFound, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, s.Models())
	})
}
