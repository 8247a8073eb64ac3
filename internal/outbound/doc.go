// Package outbound holds the rules every HTTP client of the project follows
// when it calls a remote service (La Plateforme or a status page): how far
// redirects are followed, how much of a body is read, and how a URL is
// shown in an error or a log line.
package outbound // import "github.com/otelcol-mistral/otelcol-mistral/internal/outbound"
