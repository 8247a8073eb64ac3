package fakemistral

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test-side decodings of the documented shapes (status-pages.md).
type tPage struct {
	ID, Name, URL string
	TimeZone      string `json:"time_zone"`
	UpdatedAt     string `json:"updated_at"`
}

type tComponent struct {
	ID, Name, Status string
	GroupID          *string  `json:"group_id"`
	Group            bool     `json:"group"`
	Components       []string `json:"components"`
	Position         int
	PageID           string `json:"page_id"`
}

type tUpdate struct {
	Status, Body string
	DisplayAt    string `json:"display_at"`
	Affected     []struct {
		Code, Name string
		OldStatus  string `json:"old_status"`
		NewStatus  string `json:"new_status"`
	} `json:"affected_components"`
}

type tIncident struct {
	ID, Name, Status, Impact string
	CreatedAt                string    `json:"created_at"`
	ResolvedAt               *string   `json:"resolved_at"`
	ScheduledFor             *string   `json:"scheduled_for"`
	Updates                  []tUpdate `json:"incident_updates"`
	Components               []tComponent
}

type tStatus struct{ Indicator, Description string }

type tSummary struct {
	Page         tPage
	Status       tStatus
	Components   []tComponent
	Incidents    []tIncident
	Maintenances []tIncident `json:"scheduled_maintenances"`
}

type scenarioWant struct {
	indicator, rootlyIndicator, affected string
	open, all, active, upcoming          int
	feedItems                            int
	feedNewest                           string
	feedOpen                             bool
}

var scenarioWants = map[Scenario]scenarioWant{
	ScenarioOperational: {indicator: "none", rootlyIndicator: "none", affected: "operational"},
	ScenarioMinor: {indicator: "minor", rootlyIndicator: "minor", affected: "degraded_performance", open: 1, all: 1,
		feedItems: 2, feedNewest: "Identified", feedOpen: true},
	ScenarioMajorOutage: {indicator: "critical", rootlyIndicator: "major", affected: "major_outage", open: 1, all: 1,
		feedItems: 1, feedNewest: "Investigating", feedOpen: true},
	ScenarioMaintenance: {indicator: "maintenance", rootlyIndicator: "maintenance", affected: "under_maintenance",
		active: 1, upcoming: 1, feedItems: 2, feedNewest: "In progress", feedOpen: true},
	ScenarioResolved: {indicator: "none", rootlyIndicator: "none", affected: "operational", all: 1,
		feedItems: 3, feedNewest: "Resolved"},
}

func getJSON(t *testing.T, c *http.Client, url string, v any) {
	t.Helper()
	r := call(t, c, "GET", url, "", "")
	require.Equal(t, http.StatusOK, r.status, url)
	require.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"), url)
	require.NoError(t, json.Unmarshal([]byte(r.body), v), url)
}

func findComponent(cs []tComponent, name string) *tComponent {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

func TestStatuspageFormat(t *testing.T) {
	clk := newClock()
	s := startFake(t, Options{Now: clk.Now})
	c := newClient(t, s)
	for _, sc := range Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			want := scenarioWants[sc]
			s.SetStatusPage("anthropic", StatusPage{Format: FormatStatuspage, Scenario: sc})
			base := s.StatusURL() + "/anthropic/api/v2"
			var sum tSummary
			getJSON(t, c, base+"/summary.json", &sum)
			assert.Equal(t, "Anthropic", sum.Page.Name)
			assert.Equal(t, "Etc/UTC", sum.Page.TimeZone)
			assert.Equal(t, want.indicator, sum.Status.Indicator)
			assert.NotEmpty(t, sum.Status.Description)
			api := findComponent(sum.Components, "Claude API (api.anthropic.com)")
			require.NotNil(t, api)
			assert.Equal(t, want.affected, api.Status)
			assert.Len(t, sum.Incidents, want.open)
			assert.Len(t, sum.Maintenances, want.active+want.upcoming)

			var st struct {
				Page   tPage
				Status tStatus
			}
			getJSON(t, c, base+"/status.json", &st)
			assert.Equal(t, sum.Status, st.Status)
			var comps struct{ Components []tComponent }
			getJSON(t, c, base+"/components.json", &comps)
			assert.Equal(t, sum.Components, comps.Components)
			var inc, unres struct{ Incidents []tIncident }
			getJSON(t, c, base+"/incidents.json", &inc)
			getJSON(t, c, base+"/incidents/unresolved.json", &unres)
			assert.Len(t, inc.Incidents, want.all)
			assert.Len(t, unres.Incidents, want.open)
			var all, up, act struct {
				M []tIncident `json:"scheduled_maintenances"`
			}
			getJSON(t, c, base+"/scheduled-maintenances.json", &all)
			getJSON(t, c, base+"/scheduled-maintenances/upcoming.json", &up)
			getJSON(t, c, base+"/scheduled-maintenances/active.json", &act)
			assert.Len(t, all.M, want.active+want.upcoming)
			assert.Len(t, up.M, want.upcoming)
			assert.Len(t, act.M, want.active)
			for _, m := range all.M {
				assert.Equal(t, "maintenance", m.Impact)
				assert.NotNil(t, m.ScheduledFor)
			}
			for _, in := range inc.Incidents {
				require.NotEmpty(t, in.Updates)
				assert.Equal(t, in.Status, in.Updates[0].Status, "newest update first")
				assert.Contains(t, []string{"investigating", "identified", "monitoring", "resolved", "postmortem"}, in.Status)
				assert.Contains(t, []string{"none", "minor", "major", "critical"}, in.Impact)
				assert.Equal(t, in.Status == "resolved", in.ResolvedAt != nil)
				_, err := time.Parse(time.RFC3339, in.CreatedAt)
				assert.NoError(t, err)
			}

			checkRSS(t, c, s.StatusURL()+"/anthropic/history.rss", want)
			checkAtom(t, c, s.StatusURL()+"/anthropic/history.atom", want)
		})
	}
	s.SetStatusPage("anthropic", StatusPage{Format: FormatStatuspage})
	for _, p := range []string{"/feed.rss", "/api/v1/status.json", "/api/v2/nothing.json", "/"} {
		assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/anthropic"+p, "", "").status, p)
	}
}

func TestStatuspageGroups(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	s.SetStatusPage("openai", StatusPage{Format: FormatStatuspage, Scenario: ScenarioMinor})
	var comps struct{ Components []tComponent }
	getJSON(t, c, s.StatusURL()+"/openai/api/v2/components.json", &comps)
	g := findComponent(comps.Components, "APIs")
	require.NotNil(t, g)
	assert.True(t, g.Group)
	assert.Equal(t, "degraded_performance", g.Status, "a group shows its worst child")
	child := findComponent(comps.Components, "Chat Completions")
	require.NotNil(t, child)
	require.NotNil(t, child.GroupID)
	assert.Equal(t, g.ID, *child.GroupID)
	assert.Contains(t, g.Components, child.ID)
}

func TestIncidentIOFormat(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	for _, sc := range Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			want := scenarioWants[sc]
			s.SetStatusPage("openai", StatusPage{Format: FormatIncidentIO, Scenario: sc})
			base := s.StatusURL() + "/openai/api/v2"
			var sum tSummary
			getJSON(t, c, base+"/summary.json", &sum)
			var comps struct{ Components []tComponent }
			getJSON(t, c, base+"/components.json", &comps)
			assert.Less(t, len(sum.Components), len(comps.Components), "summary is partial")
			assert.Nil(t, findComponent(sum.Components, "Chat Completions"), "the affected component is only in components.json")
			api := findComponent(comps.Components, "Chat Completions")
			require.NotNil(t, api)
			affected := want.affected
			if affected == "major_outage" {
				affected = "full_outage"
			}
			assert.Equal(t, affected, api.Status)
			assert.Equal(t, want.indicator, sum.Status.Indicator)
			var unres struct{ Incidents []tIncident }
			getJSON(t, c, base+"/incidents/unresolved.json", &unres)
			assert.Len(t, unres.Incidents, want.open)
			body := call(t, c, "GET", base+"/components.json", "", "").body
			assert.NotContains(t, body, "major_outage")
		})
	}
	for _, p := range []string{"/history.rss", "/api/v2/scheduled-maintenances/active.json", "/api/v1/status.json"} {
		assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/openai"+p, "", "").status, p)
	}
}

func TestRootlyFormat(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	for _, sc := range Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			want := scenarioWants[sc]
			s.SetStatusPage("rootly", StatusPage{Format: FormatRootly, Scenario: sc})
			var st struct {
				Page      tPage
				Status    tStatus
				Incidents []tIncident
			}
			getJSON(t, c, s.StatusURL()+"/rootly/api/v1/status.json", &st)
			assert.Equal(t, "Mistral AI", st.Page.Name)
			assert.Equal(t, want.rootlyIndicator, st.Status.Indicator)
			assert.Contains(t, []string{"none", "minor", "major", "maintenance"}, st.Status.Indicator)
			assert.Len(t, st.Incidents, want.open)
			var inc struct {
				Incidents []tIncident
				Meta      struct {
					CurrentPage int `json:"current_page"`
					TotalCount  int `json:"total_count"`
					TotalPages  int `json:"total_pages"`
					PerPage     int `json:"per_page"`
				}
			}
			getJSON(t, c, s.StatusURL()+"/rootly/api/v1/incidents.json?page=1&per_page=5", &inc)
			assert.Len(t, inc.Incidents, want.all)
			assert.Equal(t, want.all, inc.Meta.TotalCount)
			assert.Equal(t, 5, inc.Meta.PerPage)
			getJSON(t, c, s.StatusURL()+"/rootly/api/v1/incidents.json?page=2&per_page=5", &inc)
			assert.Empty(t, inc.Incidents)
		})
	}
	for _, p := range []string{"/api/v2/summary.json", "/api/v2/status.json", "/feed.rss"} {
		assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/rootly"+p, "", "").status, p)
	}
}

var feedDescRE = regexp.MustCompile(`^Status: ([A-Z][a-z ]+)<br/>[^<]+<br/><br/>Affected services<ul>(<li>[^<]+</li>)+</ul>$`)

type rssDocT struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
			Link        string `xml:"link"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
		} `xml:"item"`
	} `xml:"channel"`
}

// checkRSS folds a feed's items by guid, keeping the newest, as a reader would.
func checkRSS(t *testing.T, c *http.Client, url string, want scenarioWant) {
	t.Helper()
	r := call(t, c, "GET", url, "", "")
	require.Equal(t, http.StatusOK, r.status, url)
	assert.Equal(t, "application/rss+xml; charset=utf-8", r.header.Get("Content-Type"))
	var doc rssDocT
	require.NoError(t, xml.Unmarshal([]byte(r.body), &doc))
	require.Len(t, doc.Channel.Items, want.feedItems)
	newest := map[string]time.Time{}
	status := map[string]string{}
	for _, it := range doc.Channel.Items {
		at, err := time.Parse(time.RFC1123, it.PubDate)
		require.NoError(t, err, it.PubDate)
		m := feedDescRE.FindStringSubmatch(it.Description)
		require.NotNil(t, m, it.Description)
		if at.After(newest[it.GUID]) {
			newest[it.GUID], status[it.GUID] = at, m[1]
		}
	}
	if want.feedItems == 0 {
		return
	}
	require.Len(t, status, 1, "all items are updates of one incident")
	for _, st := range status {
		assert.Equal(t, want.feedNewest, st)
		assert.Equal(t, want.feedOpen, st != "Resolved")
	}
	if want.feedItems > 1 {
		assert.Contains(t, r.body, "<![CDATA[Status: ")
	}
}

func checkAtom(t *testing.T, c *http.Client, url string, want scenarioWant) {
	t.Helper()
	r := call(t, c, "GET", url, "", "")
	require.Equal(t, http.StatusOK, r.status, url)
	assert.Equal(t, "application/atom+xml; charset=utf-8", r.header.Get("Content-Type"))
	var doc struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Entries []struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Title   string `xml:"title"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	require.NoError(t, xml.Unmarshal([]byte(r.body), &doc))
	require.Len(t, doc.Entries, want.feedItems)
	newest := map[string]time.Time{}
	status := map[string]string{}
	for _, e := range doc.Entries {
		at, err := time.Parse(time.RFC3339, e.Updated)
		require.NoError(t, err)
		assert.Equal(t, "html", e.Content.Type)
		m := feedDescRE.FindStringSubmatch(e.Content.Body)
		require.NotNil(t, m, e.Content.Body)
		if at.After(newest[e.ID]) {
			newest[e.ID], status[e.ID] = at, m[1]
		}
	}
	for _, st := range status {
		assert.Equal(t, want.feedNewest, st)
	}
}

func TestFeedFormats(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	for _, sc := range Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			s.SetStatusPage("mistral", StatusPage{Format: FormatRSS, Scenario: sc})
			checkRSS(t, c, s.StatusURL()+"/mistral/feed.rss", scenarioWants[sc])
			s.SetStatusPage("atomic", StatusPage{Format: FormatAtom, Scenario: sc})
			checkAtom(t, c, s.StatusURL()+"/atomic/history.atom", scenarioWants[sc])
		})
	}
	s.SetStatusPage("mistral", StatusPage{Format: FormatRSS, Scenario: ScenarioResolved})
	var doc rssDocT
	require.NoError(t, xml.Unmarshal([]byte(call(t, c, "GET", s.StatusURL()+"/mistral/feed.rss", "", "").body), &doc))
	assert.Regexp(t, `^https://status\.mistral\.ai/incident/[0-9a-f]{12}$`, doc.Channel.Items[0].GUID)
	assert.Contains(t, doc.Channel.Items[0].Description, "<li>Chat Completions API</li>")
	for _, p := range []string{"/history.rss", "/api/v2/summary.json", "/history.atom"} {
		assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/mistral"+p, "", "").status, p)
	}
	assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/atomic/feed.rss", "", "").status)
}

func TestStatusUnavailableFormats(t *testing.T) {
	s := startFake(t, Options{})
	c := newClient(t, s)
	noFollow := &http.Client{Transport: c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	paths := []string{"/api/v2/summary.json", "/api/v1/status.json", "/feed.rss", "/", "/anything"}

	s.SetStatusPage("p", StatusPage{Format: FormatChallenge})
	for _, p := range paths {
		r := call(t, c, "GET", s.StatusURL()+"/p"+p, "", "")
		assert.Equal(t, http.StatusForbidden, r.status, p)
		assert.Equal(t, "text/html; charset=UTF-8", r.header.Get("Content-Type"))
		assert.Contains(t, r.body, "<title>Just a moment...</title>")
		assert.Equal(t, "challenge", r.header.Get("cf-mitigated"))
	}

	s.SetStatusPage("p", StatusPage{Format: FormatRedirectHTML})
	for _, p := range paths {
		r := call(t, noFollow, "GET", s.StatusURL()+"/p"+p, "", "")
		assert.Equal(t, http.StatusMovedPermanently, r.status, p)
		assert.Equal(t, "/p/home", r.header.Get("Location"))
		r = call(t, c, "GET", s.StatusURL()+"/p"+p, "", "")
		assert.Equal(t, http.StatusOK, r.status, p)
		assert.Equal(t, "text/html; charset=UTF-8", r.header.Get("Content-Type"))
		assert.Contains(t, r.body, "<html")
	}

	s.SetStatusPage("p", StatusPage{Format: FormatNotFound})
	for _, p := range paths {
		assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/p"+p, "", "").status, p)
	}

	s.SetStatusPage("p", StatusPage{Format: FormatInvalidJSON, Scenario: ScenarioMajorOutage})
	for _, p := range []string{"/api/v2/summary.json", "/api/v2/status.json", "/api/v2/components.json", "/api/v1/status.json", "/api/v1/incidents.json"} {
		r := call(t, c, "GET", s.StatusURL()+"/p"+p, "", "")
		assert.Equal(t, http.StatusOK, r.status, p)
		assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
		assert.False(t, json.Valid([]byte(r.body)), p)
		assert.True(t, len(r.body) > 10 && r.body[0] == '{', p)
	}
	assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/p/feed.rss", "", "").status)

	assert.Equal(t, http.StatusNotFound, call(t, c, "GET", s.StatusURL()+"/nobody/api/v2/summary.json", "", "").status)
}

func TestStatusDefaultsAndValidation(t *testing.T) {
	s := startFake(t, Options{})
	want := map[string]StatusPage{
		"mistral":   {FormatRSS, ScenarioOperational},
		"anthropic": {FormatStatuspage, ScenarioOperational},
		"openai":    {FormatIncidentIO, ScenarioOperational},
		"rootly":    {FormatRootly, ScenarioOperational},
	}
	assert.Equal(t, want, s.StatusPages())
	c := newClient(t, s)
	for name, path := range map[string]string{"mistral": "/feed.rss", "anthropic": "/api/v2/summary.json",
		"openai": "/api/v2/components.json", "rootly": "/api/v1/status.json"} {
		assert.Equal(t, http.StatusOK, call(t, c, "GET", s.StatusURL()+"/"+name+path, "", "").status, name)
	}
	index := call(t, c, "GET", s.StatusURL()+"/", "", "")
	assert.Contains(t, index.body, "/mistral/ rss operational")

	s.SetStatusPage("x", StatusPage{})
	assert.Equal(t, StatusPage{FormatStatuspage, ScenarioOperational}, s.StatusPages()["x"])
	assert.NoError(t, StatusPage{}.Validate())
	assert.ErrorContains(t, StatusPage{Format: "html"}.Validate(), `"html"`)
	assert.ErrorContains(t, StatusPage{Scenario: "fire"}.Validate(), `"fire"`)
	assert.Error(t, validPageName("a/b"))
	assert.Error(t, validPageName(""))
	assert.NoError(t, validPageName("status.mistral-ai_2"))
}

func TestStatusDeterministic(t *testing.T) {
	clk := newClock()
	for _, f := range []StatusFormat{FormatStatuspage, FormatIncidentIO, FormatRootly, FormatRSS, FormatAtom} {
		for _, sc := range Scenarios() {
			m1 := buildPage("mistral", sc, clk.Now())
			m2 := buildPage("mistral", sc, clk.Now())
			assert.Equal(t, m1, m2, "%s %s", f, sc)
		}
	}
	// Timestamps follow the clock.
	m := buildPage("anthropic", ScenarioMinor, clk.Now())
	b := statuspageJSON(m, "/api/v2/status.json", false)
	assert.Contains(t, string(b), `"updated_at":"2026-11-14T10:30:15.000Z"`)
	assert.True(t, slices.ContainsFunc(m.Incidents, func(in incidentModel) bool {
		return in.Created.Equal(clk.Now().Add(-40 * time.Minute))
	}), fmt.Sprint(m.Incidents))
}
