package pricing

import "strings"

// maxNameLen is the longest model name Lookup lower-cases (on the stack);
// longer names are only matched exactly.
const maxNameLen = 256

// firstParty lists the provider prefixes that name a model's own maker or
// its semconv provider id. Within one source, a bare name shared by several
// prefixed rows resolves to a first-party row before any other prefix.
var firstParty = map[string]bool{
	"mistral": true, "mistralai": true, "mistral_ai": true,
	"openai": true, "anthropic": true, "gemini": true, "cohere": true,
	"deepseek": true, "xai": true, "x_ai": true,
}

// lowerASCII lower-cases the ASCII letters of s (model names are ASCII;
// other bytes are kept as they are, so keys and lookups fold alike).
func lowerASCII(s string) string {
	if !hasUpperASCII(s) {
		return s
	}
	b := []byte(s)
	lowerBytes(b)
	return string(b)
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

func lowerBytes(b []byte) {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
}

// splitPrefix splits a row key or model name at its last "/": prefix is
// everything before it ("" when there is none), bare the model name after it.
func splitPrefix(key string) (prefix, bare string) {
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		return key[:i], key[i+1:]
	}
	return "", key
}

// specificity ranks rows that share a bare name within one source:
// 2 = no prefix, 1 = first-party prefix (first segment), 0 = other prefix.
func specificity(prefix string) int {
	if prefix == "" {
		return 2
	}
	first, _, _ := strings.Cut(prefix, "/")
	if firstParty[first] {
		return 1
	}
	return 0
}
