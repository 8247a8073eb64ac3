package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// alert is an active alert of Prometheus' /api/v1/alerts.
type alert struct {
	Labels   map[string]string `json:"labels"`
	State    string            `json:"state"` // pending or firing
	ActiveAt time.Time         `json:"activeAt"`
}

// alertsResult is what Prometheus answered, or why it could not be asked.
type alertsResult struct {
	alerts []alert
	err    error
}

// fetchAlerts reads the active alerts of a Prometheus server (base URL).
func fetchAlerts(ctx context.Context, client *http.Client, base string) *alertsResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/api/v1/alerts", nil)
	if err != nil {
		return &alertsResult{err: err}
	}
	resp, err := client.Do(req)
	if err != nil {
		return &alertsResult{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return &alertsResult{err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return &alertsResult{err: fmt.Errorf("GET /api/v1/alerts: %s", resp.Status)}
	}
	return parseAlerts(body)
}

// parseAlerts decodes an /api/v1/alerts answer, firing alerts first.
func parseAlerts(body []byte) *alertsResult {
	var env struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Alerts []alert `json:"alerts"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return &alertsResult{err: fmt.Errorf("decoding /api/v1/alerts: %w", err)}
	}
	if env.Status != "success" {
		return &alertsResult{err: fmt.Errorf("/api/v1/alerts: %s", env.Error)}
	}
	as := env.Data.Alerts
	sort.SliceStable(as, func(i, j int) bool {
		if as[i].State != as[j].State {
			return as[i].State == "firing"
		}
		if n, m := as[i].Labels["alertname"], as[j].Labels["alertname"]; n != m {
			return n < m
		}
		return alertSubject(as[i]) < alertSubject(as[j])
	})
	return &alertsResult{alerts: as}
}

// alertSubject names what an alert is about: its workspace, page or model.
func alertSubject(a alert) string {
	var parts []string
	for _, names := range [][]string{labels.Workspace, labels.Page, labels.Model, labels.Provider, labels.Fallback, labels.ErrorType} {
		for _, n := range names {
			if v := a.Labels[n]; v != "" {
				parts = append(parts, n+"="+v)
				break
			}
		}
	}
	return strings.Join(parts, " ")
}
