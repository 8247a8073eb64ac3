package fakemistral

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// pageModel is a status page's content, rendered by every format.
type pageModel struct {
	ID, Name, Title, URL   string
	Updated                time.Time
	Indicator, Description string
	Components             []componentModel
	// Affected is the index in Components of the component the scenario hits.
	Affected int
	// Incidents, newest first; Maintenances: in progress first, then upcoming.
	Incidents    []incidentModel
	Maintenances []incidentModel
}

type componentModel struct {
	ID, Name, Status string
	Position         int
	GroupID          string
	Group            bool
	Children         []string
	Created          time.Time
}

type affectedModel struct {
	Code, Name, Old, New string
}

type updateModel struct {
	ID, Status, Body string
	At               time.Time
	Affected         []affectedModel
}

type incidentModel struct {
	ID, Name, Status, Impact      string
	Created, Updated, Started     time.Time
	Monitoring, Resolved          *time.Time
	ScheduledFor, ScheduledUntil  *time.Time
	Updates                       []updateModel // newest first
	ComponentIdx                  []int
	maintenance, open, inProgress bool
}

// provider is the look of a known provider's page.
type provider struct {
	title, url string
	// group is the name of the group holding apis; "" for none.
	group  string
	apis   []string
	others []string
}

var mistralProvider = provider{title: "Mistral AI", url: "https://status.mistral.ai", group: "APIs",
	apis:   []string{"Chat Completions API", "Embeddings API", "Audio API", "Agents API"},
	others: []string{"Le Chat", "La Plateforme Console"}}

var providers = map[string]provider{
	"mistral": mistralProvider,
	// The "rootly" page is Mistral's page after its move to Rootly.
	"rootly": mistralProvider,
	"anthropic": {title: "Anthropic", url: "https://status.claude.com",
		apis:   []string{"Claude API (api.anthropic.com)"},
		others: []string{"claude.ai", "platform.claude.com", "Claude Code"}},
	"openai": {title: "OpenAI", url: "https://status.openai.com", group: "APIs",
		apis:   []string{"Chat Completions", "Responses", "Embeddings", "Realtime"},
		others: []string{"ChatGPT", "Sora", "Codex"}},
}

func providerFor(name string) provider {
	if p, ok := providers[name]; ok {
		return p
	}
	title := name
	if title != "" {
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	return provider{title: title, url: "https://status." + name + ".example", group: "API",
		apis: []string{"Chat Completions", "Embeddings"}, others: []string{"Dashboard"}}
}

// stableID is a 12-hex-digit id derived from its parts, stable across calls.
func stableID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(sum[:])[:12]
}

// worse is the more severe of two component statuses.
func worse(a, b string) string {
	rank := map[string]int{"operational": 0, "under_maintenance": 1, "degraded_performance": 2,
		"partial_outage": 3, "major_outage": 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// buildPage builds the content of page name for a scenario at time now.
func buildPage(name string, sc Scenario, now time.Time) pageModel {
	now = now.UTC().Truncate(time.Second)
	prov := providerFor(name)
	m := pageModel{ID: stableID(name, "page"), Name: name, Title: prov.title, URL: prov.url, Updated: now,
		Indicator: "none", Description: "All Systems Operational"}
	created := time.Date(2023, 3, 1, 9, 0, 0, 0, time.UTC)
	comp := func(n, group string, pos int) componentModel {
		c := componentModel{ID: stableID(name, "component", n), Name: n, Status: "operational", Position: pos, Created: created}
		if group != "" {
			c.GroupID = stableID(name, "component", group)
		}
		return c
	}
	groupIdx := -1
	if prov.group != "" {
		g := comp(prov.group, "", 1)
		g.Group = true
		m.Components = append(m.Components, g)
		groupIdx = 0
	}
	for i, a := range prov.apis {
		c := comp(a, prov.group, i+1)
		if groupIdx < 0 {
			c.Position = len(m.Components) + 1
		} else {
			m.Components[groupIdx].Children = append(m.Components[groupIdx].Children, c.ID)
		}
		m.Components = append(m.Components, c)
	}
	m.Affected = groupIdx + 1
	for _, o := range prov.others {
		top := len(m.Components) + 1
		if groupIdx >= 0 {
			top = len(m.Components) - len(prov.apis) + 1
		}
		m.Components = append(m.Components, comp(o, "", top))
	}
	affected := &m.Components[m.Affected]
	setAffected := func(status string) {
		affected.Status = status
		if groupIdx >= 0 {
			m.Components[groupIdx].Status = worse(m.Components[groupIdx].Status, status)
		}
	}
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	upd := func(inc, status, body string, at time.Time, old, nw string) updateModel {
		return updateModel{ID: stableID(name, inc, status), Status: status, Body: body, At: at,
			Affected: []affectedModel{{Code: affected.ID, Name: affected.Name, Old: old, New: nw}}}
	}
	switch sc {
	case ScenarioMinor:
		setAffected("degraded_performance")
		m.Indicator, m.Description = "minor", "Minor Service Outage"
		id := stableID(name, "incident", string(sc))
		m.Incidents = append(m.Incidents, incidentModel{
			ID: id, Name: "Elevated error rates on " + affected.Name, Status: "identified", Impact: "minor",
			Created: ago(40 * time.Minute), Updated: ago(20 * time.Minute), Started: ago(40 * time.Minute),
			Updates: []updateModel{
				upd(id, "identified", "The issue has been identified and a fix is being implemented.", ago(20*time.Minute), "degraded_performance", "degraded_performance"),
				upd(id, "investigating", "We are investigating elevated error rates on "+affected.Name+".", ago(40*time.Minute), "operational", "degraded_performance"),
			},
			ComponentIdx: []int{m.Affected}, open: true,
		})
	case ScenarioMajorOutage:
		setAffected("major_outage")
		m.Indicator, m.Description = "critical", "Major System Outage"
		id := stableID(name, "incident", string(sc))
		m.Incidents = append(m.Incidents, incidentModel{
			ID: id, Name: affected.Name + " unavailable", Status: "investigating", Impact: "major",
			Created: ago(10 * time.Minute), Updated: ago(10 * time.Minute), Started: ago(10 * time.Minute),
			Updates: []updateModel{
				upd(id, "investigating", affected.Name+" is unavailable. We are investigating.", ago(10*time.Minute), "operational", "major_outage"),
			},
			ComponentIdx: []int{m.Affected}, open: true,
		})
	case ScenarioMaintenance:
		setAffected("under_maintenance")
		m.Indicator, m.Description = "maintenance", "Service Under Maintenance"
		id := stableID(name, "maintenance", "active")
		from, until := ago(15*time.Minute), now.Add(45*time.Minute)
		m.Maintenances = append(m.Maintenances, incidentModel{
			ID: id, Name: "Scheduled maintenance of " + affected.Name, Status: "in_progress", Impact: "maintenance",
			Created: ago(72 * time.Hour), Updated: from, Started: from, ScheduledFor: &from, ScheduledUntil: &until,
			Updates: []updateModel{
				upd(id, "in_progress", "Scheduled maintenance is currently in progress. We will provide updates as necessary.", from, "operational", "under_maintenance"),
				upd(id, "scheduled", "We will be performing scheduled maintenance of "+affected.Name+".", ago(72*time.Hour), "operational", "operational"),
			},
			ComponentIdx: []int{m.Affected}, maintenance: true, open: true, inProgress: true,
		})
		uid := stableID(name, "maintenance", "upcoming")
		ufrom, uuntil := now.Add(72*time.Hour), now.Add(74*time.Hour)
		m.Maintenances = append(m.Maintenances, incidentModel{
			ID: uid, Name: "Planned database upgrade", Status: "scheduled", Impact: "maintenance",
			Created: ago(24 * time.Hour), Updated: ago(24 * time.Hour), Started: ago(24 * time.Hour),
			ScheduledFor: &ufrom, ScheduledUntil: &uuntil,
			Updates: []updateModel{
				upd(uid, "scheduled", "We will be upgrading our databases. No downtime is expected.", ago(24*time.Hour), "operational", "operational"),
			},
			ComponentIdx: []int{m.Affected}, maintenance: true, open: true,
		})
	case ScenarioResolved:
		id := stableID(name, "incident", string(sc))
		resolved, monitoring := ago(30*time.Minute), ago(60*time.Minute)
		m.Incidents = append(m.Incidents, incidentModel{
			ID: id, Name: "Increased latency on " + affected.Name, Status: "resolved", Impact: "minor",
			Created: ago(90 * time.Minute), Updated: resolved, Started: ago(90 * time.Minute),
			Monitoring: &monitoring, Resolved: &resolved,
			Updates: []updateModel{
				upd(id, "resolved", "This incident has been resolved.", resolved, "degraded_performance", "operational"),
				upd(id, "monitoring", "A fix has been implemented and we are monitoring the results.", monitoring, "degraded_performance", "degraded_performance"),
				upd(id, "investigating", "We are investigating increased latency on "+affected.Name+".", ago(90*time.Minute), "operational", "degraded_performance"),
			},
			ComponentIdx: []int{m.Affected},
		})
	}
	return m
}
