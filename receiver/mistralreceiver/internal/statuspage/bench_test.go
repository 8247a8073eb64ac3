package statuspage

import "testing"

func BenchmarkParseSummary(b *testing.B) {
	body := readTestdata(b, "statuspage/major_outage.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := parseStatuspage(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseFeed(b *testing.B) {
	body := readTestdata(b, "feed/mistral.rss")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := parseFeed(body); err != nil {
			b.Fatal(err)
		}
	}
}
