package statuspage

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The receiver's documentation.md is generated from its metadata.yaml; these
// tests fail when it promises values the parsers do not produce, or misses
// some they do.

func readDocumentation(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../documentation.md")
	require.NoError(t, err)
	return string(b)
}

// attrRowRE matches an attribute row of documentation.md: name,
// description, and the enum values.
var attrRowRE = regexp.MustCompile("(?m)^\\| ([a-z_.]+) \\| ([^|]*) \\| Str: ([^|]*) \\|")

// documentedEnum returns the enum values of the attribute row whose name is
// name and whose description starts with desc.
func documentedEnum(t *testing.T, doc, name, desc string) []string {
	t.Helper()
	for _, m := range attrRowRE.FindAllStringSubmatch(doc, -1) {
		if m[1] != name || !strings.HasPrefix(m[2], desc) {
			continue
		}
		var out []string
		for _, v := range strings.Split(m[3], ",") {
			out = append(out, strings.Trim(strings.TrimSpace(v), "`"))
		}
		return out
	}
	t.Fatalf("documentation.md has no enum attribute %s described as %q...", name, desc)
	return nil
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

func TestDocumentationEnumsMatchCode(t *testing.T) {
	doc := readDocumentation(t)
	assert.Equal(t, impacts, documentedEnum(t, doc, "mistral.status_page.incident.impact", ""))
	assert.Equal(t, []string{MaintenanceInProgress, MaintenanceUpcoming},
		documentedEnum(t, doc, "mistral.status_page.maintenance.state", ""))
	assert.Equal(t, append(strs(formats), "unknown"), documentedEnum(t, doc, "mistral.status_page.format", ""))
	assert.ElementsMatch(t, strs(reasons), documentedEnum(t, doc, "error.type", "Why the status page could not be read"))
}

func TestDocumentationSeverityScales(t *testing.T) {
	doc := readDocumentation(t)
	var ind, comp []string
	for _, i := range indicators {
		ind = append(ind, fmt.Sprintf("%s %d", i, i.Severity()))
	}
	for _, c := range componentStatuses {
		comp = append(comp, fmt.Sprintf("%s %d", c, c.Severity()))
	}
	assert.Contains(t, doc, strings.Join(ind, ", "), "mistral.status_page.indicator's scale")
	assert.Contains(t, doc, strings.Join(comp, ", "), "mistral.status_page.component.status's scale")
}
