package llmenrichprocessor // import "github.com/otelcol-mistral/otelcol-mistral/processor/llmenrichprocessor"

import "strings"

// jsonTopString returns the string member key of the JSON object s, for the
// OpenInference attributes that hold JSON: the "model" of
// llm.invocation_parameters ({"model": "mistral-small-latest", ...}, on a
// failed call the only place the model is named) and the "ls_provider" of
// the LangChain instrumentation's metadata. It reads the object's top level
// without allocating and returns a substring of s; "" when s is not a JSON
// object, has no such top-level string, or spells it with escapes (model
// and provider names have none).
func jsonTopString(s, key string) string {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return ""
	}
	i++
	for {
		i = skipSpace(s, i)
		k, next, ok := jsonString(s, i)
		if !ok {
			return ""
		}
		i = skipSpace(s, next)
		if i >= len(s) || s[i] != ':' {
			return ""
		}
		i = skipSpace(s, i+1)
		if k == key {
			v, _, ok := jsonString(s, i)
			if !ok || strings.IndexByte(v, '\\') >= 0 {
				return ""
			}
			return v
		}
		if i = skipValue(s, i); i < 0 {
			return ""
		}
		i = skipSpace(s, i)
		if i >= len(s) || s[i] != ',' {
			return ""
		}
		i++
	}
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// jsonString reads the string starting at s[i] ('"') and returns its raw
// content (escapes left as they are) and the index after its closing quote.
func jsonString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return s[i+1 : j], j + 1, true
		}
	}
	return "", i, false
}

// skipValue returns the index after the JSON value starting at s[i], or -1.
func skipValue(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	switch s[i] {
	case '"':
		_, next, ok := jsonString(s, i)
		if !ok {
			return -1
		}
		return next
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				_, next, ok := jsonString(s, j)
				if !ok {
					return -1
				}
				j = next - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(s) && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}
