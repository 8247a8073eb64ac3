package mistralapi

import "testing"

// An SDK that keeps only the provider's message ("Invalid model: ...", the
// Vercel AI SDK's AI_APICallError) still tells a retired model.
func TestClassifyInvalidModelMessageOnly(t *testing.T) {
	for _, ev := range []Evidence{
		{ErrorType: "AI_APICallError", Message: "Invalid model: mistral-small-2402"},
		{Message: "invalid model: codestral-2405"},
	} {
		if got := Classify(ev).Class; got != ClassModelNotFound {
			t.Errorf("Classify(%+v) = %s, want %s", ev, got, ClassModelNotFound)
		}
	}
}
