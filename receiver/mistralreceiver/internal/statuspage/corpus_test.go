package statuspage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir holds real-shaped feed entries of each vendor, the corpus the
// fake status pages serve; its README names the sources.
const corpusDir = "../../../../internal/fakemistral/feedcorpus"

// corpusEntry is one entry of corpusDir/expected.json: what the entry says
// about its impact and the rating it must get.
type corpusEntry struct {
	File string `json:"file"`
	ID   string `json:"id"`
	// Says is unstated, degraded, partial, major, maintenance or resolved.
	Says       string `json:"says"`
	Impact     string `json:"impact"`
	State      string `json:"state"`
	Components []struct {
		Name   string          `json:"name"`
		Group  string          `json:"group"`
		Status ComponentStatus `json:"status"`
	} `json:"components"`
}

func readCorpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	require.NoError(t, err)
	return b
}

// parseCorpusFile parses one corpus document as the client would.
func parseCorpusFile(t *testing.T, name string) Snapshot {
	t.Helper()
	var snap Snapshot
	var err error
	if name == "rootly_incidents.json" {
		snap, err = parseRootly(readCorpus(t, "rootly_status.json"), readCorpus(t, name))
	} else {
		snap, err = parseFeed(readCorpus(t, name))
	}
	require.NoError(t, err, name)
	return snap
}

func TestFeedCorpusRatings(t *testing.T) {
	var entries []corpusEntry
	require.NoError(t, json.Unmarshal(readCorpus(t, "expected.json"), &entries))
	require.GreaterOrEqual(t, len(entries), 30, "the corpus has at least 30 entries")

	snaps := map[string]Snapshot{}
	for _, e := range entries {
		t.Run(e.File+"/"+e.ID, func(t *testing.T) {
			snap, ok := snaps[e.File]
			if !ok {
				snap = parseCorpusFile(t, e.File)
				snaps[e.File] = snap
			}
			i := slices.IndexFunc(snap.Incidents, func(in Incident) bool { return in.ID == e.ID })
			m := slices.IndexFunc(snap.Maintenances, func(mt Maintenance) bool { return mt.ID == e.ID })
			switch e.Says {
			case "resolved":
				assert.Equal(t, -1, i, "a resolved entry is no open incident")
				assert.Equal(t, -1, m, "a resolved entry is no maintenance")
				return
			case "maintenance":
				require.NotEqual(t, -1, m, "a maintenance")
				assert.Equal(t, e.State, snap.Maintenances[m].State)
				assert.Equal(t, -1, i)
				return
			}
			require.NotEqual(t, -1, i, "an open incident")
			got := snap.Incidents[i].Impact
			// The bounds first: a page must never cry wolf, nor play an
			// outage down.
			switch e.Says {
			case "unstated", "degraded":
				assert.NotContains(t, []string{ImpactMajor, ImpactCritical}, got, "a minor entry rated above minor")
			case "partial", "major":
				assert.Contains(t, []string{ImpactMajor, ImpactCritical}, got, "a major entry rated below partial")
			default:
				t.Fatalf("unknown says %q", e.Says)
			}
			assert.Equal(t, e.Impact, got)
			for _, want := range e.Components {
				j := slices.IndexFunc(snap.Components, func(c Component) bool { return c.Name == want.Name && c.Group == want.Group })
				if assert.NotEqual(t, -1, j, "component %q", want.Name) {
					assert.Equal(t, want.Status, snap.Components[j].Status, "component %q", want.Name)
				}
			}
		})
	}
}

// TestFeedCorpusCoversVendors keeps each vendor's shape and each kind of
// entry in the corpus.
func TestFeedCorpusCoversVendors(t *testing.T) {
	var entries []corpusEntry
	require.NoError(t, json.Unmarshal(readCorpus(t, "expected.json"), &entries))
	files, says := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		files[e.File], says[e.Says] = true, true
	}
	for _, f := range []string{"incidentio_history.atom", "statuspage_history.rss", "statuspage_history.atom",
		"checkly_feed.rss", "rootly_incidents.json"} {
		assert.True(t, files[f], f)
	}
	for _, s := range []string{"unstated", "degraded", "partial", "major", "maintenance", "resolved"} {
		assert.True(t, says[s], s)
	}
}

func TestRootlyNullIncidentsIsNoList(t *testing.T) {
	status := readCorpus(t, "rootly_status.json")
	snap, err := parseRootly(status, nil)
	require.NoError(t, err)
	assert.True(t, snap.Partial, `"incidents": null without incidents.json is a partial snapshot, not an empty list`)
	assert.Empty(t, snap.Incidents)

	s, err := decodeRootlyStatus(status)
	require.NoError(t, err)
	assert.False(t, s.hasIncidents(), `"incidents": null sends the client to incidents.json`)

	snap, err = parseRootly(status, readCorpus(t, "rootly_incidents.json"))
	require.NoError(t, err)
	assert.False(t, snap.Partial)
	assert.Len(t, snap.Incidents, 5)

	_, err = parseRootly(status, []byte(`{"incidents": null}`))
	require.ErrorIs(t, err, errWrongShape, `incidents.json with "incidents": null is no list either`)
}
