package fakemistral

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"

	"github.com/otelcol-mistral/otelcol-mistral/internal/mistralapi"
)

// EmbeddingDimension is the default length of an embedding vector.
const EmbeddingDimension = 1024

var embeddingFields = setOf("model", "input", "inputs", "output_dimension", "output_dtype", "encoding_format", "metadata")

type embedding struct {
	Object    string    `json:"object"`
	Embedding []float32 `json:"embedding"`
	Index     int       `json:"index"`
}

type embeddingList struct {
	ID     string      `json:"id"`
	Object string      `json:"object"`
	Data   []embedding `json:"data"`
	Model  string      `json:"model"`
	Usage  usage       `json:"usage"`
}

// serveEmbeddings answers an embeddings request. Its success carries only
// the request pair of rate-limit headers, as recorded; "model" echoes the
// name the caller sent.
func (s *Server) serveEmbeddings(w http.ResponseWriter, r *http.Request, ws string, legacy bool) {
	fs, verr := readObject(r.Body)
	c := &checker{}
	if verr != nil {
		c.errs = append(c.errs, *verr)
		writeBody(w, http.StatusUnprocessableEntity, string(c.body()))
		return
	}
	m := c.fields(fs, embeddingFields)
	model := c.str(m, "model", true)
	dim := c.integer(m, "output_dimension")
	if dim == 0 || dim > 8192 {
		c.add("less_than_equal", "Input should be between 1 and 8192", "output_dimension")
	}
	raw, ok := m["input"]
	if !ok {
		raw, ok = m["inputs"]
	}
	var inputs []string
	if !ok || isNull(raw) {
		c.add("missing", "Field required", "input")
	} else {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			inputs = []string{one}
		} else if json.Unmarshal(raw, &inputs) != nil {
			c.add("string_type", "Input should be a valid string or a list of strings", "input")
		}
	}
	if len(c.errs) > 0 {
		writeBody(w, http.StatusUnprocessableEntity, string(c.body()))
		return
	}
	card, found := s.resolveModel(model)
	if !found {
		writeBody(w, http.StatusBadRequest, BodyInvalidModel(model))
		return
	}
	if !s.admit(w, ws, card.ID, legacy) {
		return
	}
	if dim < 0 {
		dim = EmbeddingDimension
	}
	chars := 0
	for _, in := range inputs {
		chars += len([]rune(in))
	}
	prompt := estimateTokens(chars)
	if n := headerInt(r, HeaderFakePromptTokens); n >= 0 {
		prompt = n
	}
	tsnap, lim := s.lim.admitTokens(ws, card.ID, s.now(), prompt)
	if lim != mistralapi.LimitNone {
		setRateLimitHeaders(w.Header(), tsnap, legacy, headersAll)
		writeBody(w, http.StatusTooManyRequests, BodyRateLimit)
		return
	}
	setRateLimitHeaders(w.Header(), tsnap, legacy, headersRequests)
	out := embeddingList{ID: newID(), Object: "list", Model: model,
		Usage: usage{PromptTokens: prompt, TotalTokens: prompt}}
	for i, in := range inputs {
		out.Data = append(out.Data, embedding{Object: "embedding", Embedding: vector(in, int(dim)), Index: i})
	}
	if out.Data == nil {
		out.Data = []embedding{}
	}
	writeJSON(w, http.StatusOK, out)
}

// vector is a deterministic unit vector derived from the text.
func vector(text string, dim int) []float32 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(text))
	x := h.Sum64() | 1
	v := make([]float32, dim)
	var norm float64
	for i := range v {
		// xorshift64
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		f := float64(int64(x>>11))/float64(1<<52) - 1
		v[i] = float32(f)
		norm += f * f
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i] = float32(float64(v[i]) / norm)
	}
	return v
}
