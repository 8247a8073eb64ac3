package fakemistral

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// Atlassian Statuspage v2 shapes.
type spPage struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type spStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type spComponent struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Status             string   `json:"status"`
	CreatedAt          string   `json:"created_at"`
	UpdatedAt          string   `json:"updated_at"`
	Position           int      `json:"position"`
	Description        *string  `json:"description"`
	Showcase           bool     `json:"showcase"`
	StartDate          *string  `json:"start_date"`
	GroupID            *string  `json:"group_id"`
	PageID             string   `json:"page_id"`
	Group              bool     `json:"group"`
	OnlyShowIfDegraded bool     `json:"only_show_if_degraded"`
	Components         []string `json:"components,omitempty"`
}

type spAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

type spUpdate struct {
	ID                   string       `json:"id"`
	Status               string       `json:"status"`
	Body                 string       `json:"body"`
	IncidentID           string       `json:"incident_id"`
	CreatedAt            string       `json:"created_at"`
	UpdatedAt            string       `json:"updated_at"`
	DisplayAt            string       `json:"display_at"`
	AffectedComponents   []spAffected `json:"affected_components"`
	DeliverNotifications bool         `json:"deliver_notifications"`
	CustomTweet          *string      `json:"custom_tweet"`
	TweetID              *string      `json:"tweet_id"`
}

type spIncident struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	MonitoringAt    *string       `json:"monitoring_at"`
	ResolvedAt      *string       `json:"resolved_at"`
	Impact          string        `json:"impact"`
	Shortlink       string        `json:"shortlink"`
	StartedAt       string        `json:"started_at"`
	PageID          string        `json:"page_id"`
	IncidentUpdates []spUpdate    `json:"incident_updates"`
	Components      []spComponent `json:"components"`
	ScheduledFor    *string       `json:"scheduled_for,omitempty"`
	ScheduledUntil  *string       `json:"scheduled_until,omitempty"`
}

type spSummary struct {
	Page                  spPage        `json:"page"`
	Components            []spComponent `json:"components"`
	Incidents             []spIncident  `json:"incidents"`
	ScheduledMaintenances []spIncident  `json:"scheduled_maintenances"`
	Status                spStatus      `json:"status"`
}

type spPageStatus struct {
	Page   spPage   `json:"page"`
	Status spStatus `json:"status"`
}

type spComponents struct {
	Page       spPage        `json:"page"`
	Components []spComponent `json:"components"`
}

type spIncidents struct {
	Page      spPage       `json:"page"`
	Incidents []spIncident `json:"incidents"`
}

type spMaintenances struct {
	Page                  spPage       `json:"page"`
	ScheduledMaintenances []spIncident `json:"scheduled_maintenances"`
}

// stamp formats a Statuspage timestamp: 2026-01-02T15:04:05.000Z.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func stampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

// spRenderer renders a pageModel as Statuspage v2 (or incident.io) JSON.
type spRenderer struct {
	m          pageModel
	incidentio bool
}

func (r spRenderer) status(s string) string {
	if r.incidentio && s == "major_outage" {
		return "full_outage"
	}
	return s
}

func (r spRenderer) page() spPage {
	return spPage{ID: r.m.ID, Name: r.m.Title, URL: r.m.URL, TimeZone: "Etc/UTC", UpdatedAt: stamp(r.m.Updated)}
}

func (r spRenderer) component(c componentModel) spComponent {
	out := spComponent{ID: c.ID, Name: c.Name, Status: r.status(c.Status), CreatedAt: stamp(c.Created),
		UpdatedAt: stamp(r.m.Updated), Position: c.Position, PageID: r.m.ID, Group: c.Group, Components: c.Children}
	if c.GroupID != "" {
		g := c.GroupID
		out.GroupID = &g
	}
	if !c.Group {
		out.Showcase = true
		d := c.Created.Format("2006-01-02")
		out.StartDate = &d
	}
	return out
}

func (r spRenderer) components(all bool) []spComponent {
	out := []spComponent{}
	for i, c := range r.m.Components {
		// incident.io's summary carries only part of the components, here
		// every other one, never a group and never the affected one.
		if !all && (i%2 == 1 || c.Group || i == r.m.Affected) {
			continue
		}
		out = append(out, r.component(c))
	}
	return out
}

func (r spRenderer) incident(in incidentModel) spIncident {
	out := spIncident{ID: in.ID, Name: in.Name, Status: in.Status, CreatedAt: stamp(in.Created), UpdatedAt: stamp(in.Updated),
		MonitoringAt: stampPtr(in.Monitoring), ResolvedAt: stampPtr(in.Resolved), Impact: in.Impact,
		Shortlink: "https://stspg.io/" + in.ID[:7], StartedAt: stamp(in.Started), PageID: r.m.ID,
		IncidentUpdates: []spUpdate{}, Components: []spComponent{},
		ScheduledFor: stampPtr(in.ScheduledFor), ScheduledUntil: stampPtr(in.ScheduledUntil)}
	for _, u := range in.Updates {
		su := spUpdate{ID: u.ID, Status: u.Status, Body: u.Body, IncidentID: in.ID, CreatedAt: stamp(u.At),
			UpdatedAt: stamp(u.At), DisplayAt: stamp(u.At), AffectedComponents: []spAffected{}, DeliverNotifications: true}
		for _, a := range u.Affected {
			su.AffectedComponents = append(su.AffectedComponents, spAffected{Code: a.Code, Name: a.Name,
				OldStatus: r.status(a.Old), NewStatus: r.status(a.New)})
		}
		out.IncidentUpdates = append(out.IncidentUpdates, su)
	}
	for _, i := range in.ComponentIdx {
		out.Components = append(out.Components, r.component(r.m.Components[i]))
	}
	return out
}

func (r spRenderer) incidents(openOnly bool) []spIncident {
	out := []spIncident{}
	for _, in := range r.m.Incidents {
		if !openOnly || in.open {
			out = append(out, r.incident(in))
		}
	}
	return out
}

// maintenances filters by status: "" for all.
func (r spRenderer) maintenances(statuses ...string) []spIncident {
	out := []spIncident{}
	for _, in := range r.m.Maintenances {
		keep := len(statuses) == 0
		for _, s := range statuses {
			keep = keep || in.Status == s
		}
		if keep {
			out = append(out, r.incident(in))
		}
	}
	return out
}

// statuspageJSON renders the endpoint at path, nil for a path the format
// does not serve.
func statuspageJSON(m pageModel, path string, incidentio bool) []byte {
	r := spRenderer{m: m, incidentio: incidentio}
	st := spStatus{Indicator: m.Indicator, Description: m.Description}
	var v any
	switch path {
	case "/api/v2/summary.json":
		v = spSummary{Page: r.page(), Components: r.components(!incidentio), Incidents: r.incidents(true),
			ScheduledMaintenances: r.maintenances("in_progress", "verifying", "scheduled"), Status: st}
	case "/api/v2/status.json":
		v = spPageStatus{Page: r.page(), Status: st}
	case "/api/v2/components.json":
		v = spComponents{Page: r.page(), Components: r.components(true)}
	case "/api/v2/incidents.json":
		v = spIncidents{Page: r.page(), Incidents: r.incidents(false)}
	case "/api/v2/incidents/unresolved.json":
		v = spIncidents{Page: r.page(), Incidents: r.incidents(true)}
	case "/api/v2/scheduled-maintenances.json":
		if incidentio {
			return nil
		}
		v = spMaintenances{Page: r.page(), ScheduledMaintenances: r.maintenances()}
	case "/api/v2/scheduled-maintenances/upcoming.json":
		if incidentio {
			return nil
		}
		v = spMaintenances{Page: r.page(), ScheduledMaintenances: r.maintenances("scheduled")}
	case "/api/v2/scheduled-maintenances/active.json":
		if incidentio {
			return nil
		}
		v = spMaintenances{Page: r.page(), ScheduledMaintenances: r.maintenances("in_progress", "verifying")}
	default:
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

// Rootly public API shapes.
type rootlyPage struct {
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type rootlyComponent struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type rootlyUpdate struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	DisplayAt string `json:"display_at"`
}

type rootlyIncident struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	Status          string            `json:"status"`
	Impact          string            `json:"impact"`
	CreatedAt       string            `json:"created_at"`
	UpdatedAt       string            `json:"updated_at"`
	StartedAt       string            `json:"started_at"`
	ResolvedAt      *string           `json:"resolved_at"`
	URL             string            `json:"url"`
	Components      []rootlyComponent `json:"components"`
	IncidentUpdates []rootlyUpdate    `json:"incident_updates"`
	ScheduledFor    *string           `json:"scheduled_for,omitempty"`
	ScheduledUntil  *string           `json:"scheduled_until,omitempty"`
}

type rootlyStatus struct {
	Page                  rootlyPage       `json:"page"`
	Status                spStatus         `json:"status"`
	Incidents             []rootlyIncident `json:"incidents"`
	ScheduledMaintenances []rootlyIncident `json:"scheduled_maintenances"`
}

type rootlyMeta struct {
	CurrentPage int  `json:"current_page"`
	NextPage    *int `json:"next_page"`
	PrevPage    *int `json:"prev_page"`
	PerPage     int  `json:"per_page"`
	TotalCount  int  `json:"total_count"`
	TotalPages  int  `json:"total_pages"`
}

type rootlyIncidents struct {
	Incidents []rootlyIncident `json:"incidents"`
	Meta      rootlyMeta       `json:"meta"`
}

func rootlyIncidentOf(m pageModel, in incidentModel) rootlyIncident {
	out := rootlyIncident{ID: in.ID, Name: in.Name, Status: in.Status, Impact: in.Impact,
		CreatedAt: stamp(in.Created), UpdatedAt: stamp(in.Updated), StartedAt: stamp(in.Started),
		ResolvedAt: stampPtr(in.Resolved), URL: m.URL + "/incidents/" + in.ID,
		Components: []rootlyComponent{}, IncidentUpdates: []rootlyUpdate{},
		ScheduledFor: stampPtr(in.ScheduledFor), ScheduledUntil: stampPtr(in.ScheduledUntil)}
	if in.Impact == "critical" {
		out.Impact = "major"
	}
	for _, i := range in.ComponentIdx {
		c := m.Components[i]
		out.Components = append(out.Components, rootlyComponent{ID: c.ID, Name: c.Name, Status: c.Status})
	}
	for _, u := range in.Updates {
		out.IncidentUpdates = append(out.IncidentUpdates, rootlyUpdate{ID: u.ID, Status: u.Status, Body: u.Body,
			CreatedAt: stamp(u.At), DisplayAt: stamp(u.At)})
	}
	return out
}

// rootlyJSON renders a Rootly endpoint, nil for a path it does not serve.
func rootlyJSON(m pageModel, path string, q url.Values) []byte {
	var v any
	switch path {
	case "/api/v1/status.json":
		ind := m.Indicator
		if ind == "critical" {
			ind = "major" // Rootly has no critical.
		}
		st := rootlyStatus{Page: rootlyPage{Name: m.Title, URL: m.URL, TimeZone: "Etc/UTC", UpdatedAt: stamp(m.Updated)},
			Status: spStatus{Indicator: ind, Description: m.Description}, Incidents: []rootlyIncident{},
			ScheduledMaintenances: []rootlyIncident{}}
		for _, in := range m.Incidents {
			if in.open {
				st.Incidents = append(st.Incidents, rootlyIncidentOf(m, in))
			}
		}
		for _, in := range m.Maintenances {
			st.ScheduledMaintenances = append(st.ScheduledMaintenances, rootlyIncidentOf(m, in))
		}
		v = st
	case "/api/v1/incidents.json":
		page, perPage := positiveInt(q.Get("page"), 1), positiveInt(q.Get("per_page"), 20)
		perPage = min(perPage, 100)
		all := m.Incidents
		out := rootlyIncidents{Incidents: []rootlyIncident{}}
		total := len(all)
		pages := max(1, (total+perPage-1)/perPage)
		for i := (page - 1) * perPage; i < total && i < page*perPage; i++ {
			out.Incidents = append(out.Incidents, rootlyIncidentOf(m, all[i]))
		}
		out.Meta = rootlyMeta{CurrentPage: page, PerPage: perPage, TotalCount: total, TotalPages: pages}
		if page < pages {
			n := page + 1
			out.Meta.NextPage = &n
		}
		if page > 1 {
			p := page - 1
			out.Meta.PrevPage = &p
		}
		v = out
	default:
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

func positiveInt(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return def
	}
	return n
}
