package mistralreceiver // import "github.com/otelcol-mistral/otelcol-mistral/receiver/mistralreceiver"

import "time"

// timeNow is the wall clock a new scraper starts with; tests give a
// scraper its own clock instead.
var timeNow = time.Now
