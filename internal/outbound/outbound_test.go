package outbound

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:pw@status.example.com/api/v2/summary.json?token=s#frag": "https://status.example.com/api/v2/summary.json",
		"https://api.mistral.ai":           "https://api.mistral.ai",
		"http://u:p@host/%zz?key=secret":   "http://host/%zz",
		"http://a@b:p@host:99/x?k=v":       "http://host:99/x",
		"not a url at all":                 "not a url at all",
		"http://[::1/x?api_key=secret":     "http://[::1/x",
		"ftp://user:secret@[bad/path#frag": "ftp://[bad/path",
	} {
		assert.Equal(t, want, RedactURL(in), in)
	}
}

func TestRedactText(t *testing.T) {
	msg := `Get "https://user:pw@proxy.example/v1/models?key=sk-1": dial tcp: refused; see http://h/x?y=z.`
	assert.Equal(t, `Get "https://proxy.example/v1/models": dial tcp: refused; see http://h/x`, RedactText(msg))
}

func TestReadBody(t *testing.T) {
	b, err := ReadBody(strings.NewReader("12345"), 5)
	assert.NoError(t, err)
	assert.Equal(t, "12345", string(b))
	_, err = ReadBody(strings.NewReader("123456"), 5)
	assert.ErrorIs(t, err, ErrBodyTooLarge)
}

func TestRedirectPolicy(t *testing.T) {
	req := func(s string) *http.Request {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return &http.Request{URL: u}
	}
	chain := func(n int) []*http.Request {
		via := []*http.Request{req("https://a.example/0")}
		for i := 1; i < n; i++ {
			via = append(via, req("https://a.example/"+strings.Repeat("x", i)))
		}
		return via
	}
	tests := []struct {
		name       string
		sameOrigin bool
		target     string
		via        []*http.Request
		refused    bool
	}{
		{"same origin", true, "https://a.example/next", chain(1), false},
		{"other host", true, "https://b.example/next", chain(1), true},
		{"other port", true, "https://a.example:8443/next", chain(1), true},
		{"other scheme", true, "http://a.example/next", chain(1), true},
		{"other host allowed", false, "https://b.example/next", chain(1), false},
		{"loop", false, "https://a.example/0", chain(2), true},
		{"last hop allowed", false, "https://a.example/next", chain(MaxRedirects), false},
		{"one hop too many", false, "https://a.example/next", chain(MaxRedirects + 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := RedirectPolicy(tt.sameOrigin)(req(tt.target), tt.via)
			assert.Equal(t, tt.refused, errors.Is(err, ErrRedirect), "%v", err)
		})
	}
}
