// Package fakemistral is a test double of La Plateforme (the Mistral API) and
// of the provider status pages, for tests, end-to-end runs and the demo. It
// needs neither a key nor the internet.
//
// A Server has two listeners on 127.0.0.1:
//
//   - the API (plain HTTP or TLS with an in-memory certificate, see TLSMode):
//     GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions (JSON or
//     SSE streaming with usage in the last chunk), POST /v1/embeddings, with
//     bearer-key auth, a limiter with a row per workspace and model (aliases
//     share their model's row) that answers the real 429 body, and the
//     rate-limit headers where the wire has them: on non-streaming successes
//     and 429s only, the window in the name (req-60-second, tokens-5-minute),
//     or the legacy names;
//     plus admin endpoints under /_fake/ to switch faults, models and status
//     pages at run time (see cmd/fakemistral/README.md);
//   - the status pages, always plain HTTP on another port so that tests can
//     tell where an API key was sent: page name is served under
//     StatusURL()+"/"+name in one of the StatusFormat formats, showing one
//     Scenario.
//
// Shapes follow recorded traffic (cmd/fakemistral/README.md names the
// recording of each) and the reference notes mistral-api.md and
// status-pages.md; the header names come from package mistralapi. Answers
// echo the requested model name. Faults (Fault) apply to /v1/* before
// authentication: the 429 variants (our limit, and the provider's capacity,
// code 3505), 503 capacity, 500, 401, 402, 403, 400 (invalid_model, context
// overflow), the gateway's 404, 422, added latency, a hang, a connection
// reset, a 64 MiB body, invalid JSON, an HTML page, a redirect loop. Every request on both listeners is logged (Requests, CountRequests)
// with its Host and raw Authorization value, which is never written to the
// Logger.
//
// Typical use in a test:
//
//	fake := fakemistral.New(fakemistral.Options{Tier: fakemistral.Tier{RequestsPerSecond: 100}})
//	if err := fake.Start("", ""); err != nil { t.Fatal(err) }
//	t.Cleanup(fake.Close)
//	fake.SetFault(fakemistral.Fault{Mode: fakemistral.Fault503Capacity})
//	fake.SetStatusPage("mistral", fakemistral.StatusPage{Format: fakemistral.FormatRootly, Scenario: fakemistral.ScenarioMajorOutage})
//	// point the component at fake.URL() and fake.StatusURL()+"/mistral"
//
// What the fake does not model: other endpoints (/v1/fim, /v1/ocr, batch,
// files), tool calls, reasoning chunks, HTTP/2 (the API speaks HTTP/1.1 only
// so that the reset fault can hijack the connection), and the real 429's
// exact timing.
package fakemistral // import "github.com/otelcol-mistral/otelcol-mistral/internal/fakemistral"
