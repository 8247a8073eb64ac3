// Package statuspage reads provider status pages (Atlassian Statuspage v2,
// incident.io's Statuspage-compatible API, Rootly, RSS and Atom feeds) and
// normalises them into a Snapshot: an overall indicator, components, open
// incidents and maintenances.
//
// Client fetches (client.go, with format auto-detection in detect.go and
// the HTTP exchange in http.go); the parsers take bytes and return a
// Snapshot (statuspage.go, rootly.go, feed.go and feedtext.go), so fuzz
// targets reach them directly; model.go holds the Snapshot and the
// normalisation of statuses, indicators and impacts, feedimpact.go how a
// feed entry's impact is read from what it states. A page that cannot be
// read is an *Error with a Reason (error.go), never a Snapshot: an
// unreadable source is not a provider outage.
package statuspage // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/statuspage"
