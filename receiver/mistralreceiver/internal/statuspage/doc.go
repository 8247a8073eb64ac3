// Package statuspage reads provider status pages (Atlassian Statuspage v2,
// incident.io's Statuspage-compatible API, Rootly, RSS and Atom feeds) and
// normalises them into a Snapshot: an overall indicator, components, open
// incidents and maintenances.
//
// Parsing is pure (parseStatuspage, parseIncidentIO, parseRootly, parseFeed
// take bytes and return a Snapshot) and separate from fetching (Client), so
// fuzz targets reach the parsers directly.
//
// # Unreadable is not down
//
// A page that cannot be read (bot challenge, HTML, 404, invalid or truncated
// body, timeout, ...) is an *Error with a Reason, never a Snapshot: callers
// must report it as "source unavailable", not as a provider outage. HTML is
// recognised from the body (a document starting like HTML, including after a
// redirect and with status 200) and, for bodies that do not parse, from a
// text/html content type. A challenge is a cf-mitigated: challenge header, or
// a 403/429/503 HTML page with the marks of Cloudflare's interstitial ("Just
// a moment...", /cdn-cgi/challenge-platform/, ...).
//
// # Auto-detection
//
// FormatAuto tries, in order, and keeps the first that parses:
//
//  1. the endpoint itself, when its path ends in .rss, .atom or .xml;
//  2. /api/v2/summary.json: a JSON object with "page" and "status" objects is
//     Statuspage v2, or incident.io (see below), which then also reads
//     /api/v2/components.json for the full component list (its summary
//     carries only a subset);
//  3. /api/v1/status.json with the same "page" and "status" shape: Rootly,
//     plus /api/v1/incidents.json when status.json has no incident list;
//  4. /feed.rss, /history.rss, /history.atom, then the endpoint itself: a
//     document whose root is <rss> (or RDF) is RSS, <feed> is Atom.
//
// Detection stops early on failures that concern the whole site (timeout,
// connection failure, HTTP 429), and never requests a URL twice in one
// Fetch. When every endpoint fails, the error reported is the most
// informative one, in the order of Reasons (a challenge beats a 404 from a
// later endpoint).
//
// The format found is remembered per Client and endpoint and tried first
// next time (one request for a Statuspage page or a feed). It is detected
// again when it fails with not_found, invalid_body or html (pages move
// vendors: status.mistral.ai went from a feed to Rootly) and, to catch moves
// that fail no request (a Statuspage page whose transient failure sent
// detection to its history feed), after Client.RedetectAfter (1 h). After a
// detection that found nothing, only the URL with the most informative
// failure is polled, until Client.RetryFailedAfter (10 min) passes or that
// URL fails for another reason: a challenged page costs one request per
// scrape, not six.
//
// # Telling incident.io from Atlassian
//
// incident.io serves the same summary.json shape. A summary is read as
// incident.io when any one of these holds, none of which an Atlassian page
// shows:
//   - a component status is full_outage (Atlassian says major_outage), in
//     the component list, an incident's components or an update's
//     affected_components (new or old status);
//   - the page id or a component id is a ULID (26 Crockford base-32
//     characters; Atlassian ids are 12 lower-case characters);
//   - a component's group_id names a group the summary does not list: the
//     summary is partial, which Atlassian's never is;
//   - page.url is on an incident.io host;
//   - a response header names incident.io (X-Incident-*, or "incident.io" in
//     Server, Via or X-Powered-By).
//
// Otherwise it is read as Statuspage, and full_outage still maps to
// major_outage wherever it appears. With the concrete format statuspage the
// summary is read as is (one request, no components.json); with incidentio
// components.json is always read. When components.json cannot be read the
// snapshot comes from the summary alone and Partial is set; likewise for
// Rootly's incidents.json.
//
// # Normalisation
//
//   - Component statuses: the five Statuspage values in any spelling,
//     full_outage and other synonyms (NormalizeComponentStatus). Unknown and
//     empty statuses are degraded_performance: the page says something other
//     than operational, and the least alarming non-operational reading is the
//     honest one. Group components (group: true) are not listed; their name
//     is their members' Group.
//   - Indicator: the page's own, normalised (NormalizeIndicator); when it is
//     missing or unknown, derived from components, incidents and
//     maintenances in progress. Feeds have none: it is derived from the open
//     incidents (none, minor or major) or maintenance in progress.
//   - Incidents: open ones only (not resolved, postmortem, completed,
//     closed or cancelled). Impact is normalised to none, minor, major,
//     critical; unknown impacts are minor.
//   - Maintenances: scheduled is upcoming; in_progress and verifying are in
//     progress; completed and cancelled are dropped.
//   - Rootly lists no components: each component named by an open incident
//     is listed, with its own status when given, else critical impact: major
//     outage, major: partial outage, otherwise degraded performance.
//
// # Feeds
//
// Items are folded by guid (Atom: id; else link, else title); the item with
// the newest pubDate/updated wins, document order breaking ties. The
// status of a folded item is read from its HTML description: "Status: X"
// (Checkly/Instatus), <strong>X</strong> (Statuspage history, newest update
// first), lines starting "X - " or "X:", then the title ("[Resolved] ...").
// An item is an open incident while its newest status is not Resolved or
// Postmortem; a maintenance when any of its statuses is Scheduled, In
// progress, Verifying or Completed. An item with no recognisable status is
// treated as closed (a history feed would otherwise be all open). Affected
// services come from the <li> list after "Affected services" or from "This
// incident affected: A, B and C."; for open incidents they become
// components, major_outage when the title or text speaks of an outage,
// unavailability or something down (partial_outage for a partial outage),
// degraded_performance otherwise; the incident's impact is then major, or
// minor. At most 500 items are read.
//
// # Bounds
//
// Every body is read through a limit (NewClient's maxBody); a larger one is
// ReasonTooLarge, and a Content-Length above the limit fails before reading.
// A Snapshot holds at most 1000 components, 500 incidents and 200
// maintenances. Redirects: at most 5 hops, and a URL seen twice in one chain
// is ReasonRedirectLoop. Error messages carry URLs without query, fragment
// or userinfo, and never a response body.
package statuspage // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver/internal/statuspage"
