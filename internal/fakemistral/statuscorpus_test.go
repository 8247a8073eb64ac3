package fakemistral

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCorpusFormats(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	for f, routes := range corpusRoutes {
		t.Run(string(f), func(t *testing.T) {
			require.Contains(t, StatusFormats(), f)
			s.SetStatusPage("p", StatusPage{Format: f})
			for p, file := range routes {
				r := call(t, c, "GET", s.StatusURL()+"/p"+p, "", "")
				require.Equal(t, http.StatusOK, r.status, p)
				assert.Equal(t, corpusContentTypes[path.Ext(file)], r.header.Get("Content-Type"), p)
				want, err := feedCorpus.ReadFile("feedcorpus/" + file)
				require.NoError(t, err)
				assert.Equal(t, string(want), r.body, p)
			}
			assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/p/api/v2/summary.json", "", "").status)
		})
	}
}

func TestCorpusRootlyAnswersNullIncidents(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	s.SetStatusPage("rootly", StatusPage{Format: FormatCorpusRootly})
	var status map[string]json.RawMessage
	getJSON(t, c, s.StatusURL()+"/rootly/api/v1/status.json", &status)
	assert.Equal(t, "null", string(status["incidents"]))
	var list struct {
		Incidents []map[string]any `json:"incidents"`
	}
	getJSON(t, c, s.StatusURL()+"/rootly/api/v1/incidents.json", &list)
	assert.Len(t, list.Incidents, 6)
}

// TestCorpusExpectations: every entry of expected.json names a served
// document, and every document is served by some format.
func TestCorpusExpectations(t *testing.T) {
	var entries []struct {
		File string `json:"file"`
		ID   string `json:"id"`
	}
	b, err := feedCorpus.ReadFile("feedcorpus/expected.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &entries))
	var served []string
	for _, routes := range corpusRoutes {
		for _, file := range routes {
			served = append(served, file)
		}
	}
	for _, e := range entries {
		assert.Contains(t, served, e.File, e.ID)
	}
	files, err := fs.Glob(feedCorpus, "feedcorpus/*")
	require.NoError(t, err)
	for _, f := range files {
		name := path.Base(f)
		if name != "expected.json" {
			assert.True(t, slices.Contains(served, name), "%s is served", name)
		}
	}
}
