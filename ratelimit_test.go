package carehq

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRateLimit(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    RateLimit
	}{
		{
			"all three",
			map[string]string{"X-CareHQ-RateLimit-Limit": "10",
				"X-CareHQ-RateLimit-Remaining": "7",
				"X-CareHQ-RateLimit-Reset":     "1764770000.25"},
			RateLimit{Limit: 10, Remaining: 7, Reset: time.Unix(1764770000, 250e6).UTC()},
		},
		{
			"whole seconds and spaces",
			map[string]string{"X-CareHQ-RateLimit-Reset": " 1764770000 "},
			RateLimit{Limit: -1, Remaining: -1, Reset: time.Unix(1764770000, 0).UTC()},
		},
		{
			"nanosecond fraction kept exactly",
			map[string]string{"X-CareHQ-RateLimit-Reset": "1764770000.123456789123"},
			RateLimit{Limit: -1, Remaining: -1, Reset: time.Unix(1764770000, 123456789).UTC()},
		},
		{"missing", map[string]string{}, RateLimit{Limit: -1, Remaining: -1}},
		{
			"garbled",
			map[string]string{"X-CareHQ-RateLimit-Limit": "ten",
				"X-CareHQ-RateLimit-Remaining": "-3",
				"X-CareHQ-RateLimit-Reset":     "soon"},
			RateLimit{Limit: -1, Remaining: -1},
		},
		{
			"implausible reset",
			map[string]string{"X-CareHQ-RateLimit-Reset": "1e300"},
			RateLimit{Limit: -1, Remaining: -1},
		},
		{
			"signed or fractional garbage",
			map[string]string{"X-CareHQ-RateLimit-Reset": "+1764770000.2x"},
			RateLimit{Limit: -1, Remaining: -1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			assert.Equal(t, tt.want, parseRateLimit(h))
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

	d, ok := parseRetryAfter("3", now)
	assert.True(t, ok)
	assert.Equal(t, 3*time.Second, d)

	d, ok = parseRetryAfter("Thu, 03 Dec 2026 12:00:05 GMT", now)
	assert.True(t, ok)
	assert.Equal(t, 5*time.Second, d)

	for _, bad := range []string{"", "-1", "later"} {
		_, ok = parseRetryAfter(bad, now)
		assert.False(t, ok, bad)
	}
}

func TestClientKeepsTheLatestRateLimitEvenFromErrors(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(0))
	assert.False(t, c.RateLimit().Known(), "nothing known before the first answer")

	mt.RegisterResponder("GET", listURL, jsonResponder(404, `{"hint": "No such thing."}`,
		"X-CareHQ-RateLimit-Limit", "10", "X-CareHQ-RateLimit-Remaining", "4",
		"X-CareHQ-RateLimit-Reset", "4102444800.5"))

	err := c.Do(context.Background(), getCall, nil)

	require.ErrorIs(t, err, ErrNotFound)
	got := c.RateLimit()
	assert.Equal(t, 10, got.Limit)
	assert.Equal(t, 4, got.Remaining)
	assert.Equal(t, time.Unix(4102444800, 5e8).UTC(), got.Reset)
}

func TestGarbledRateLimitHeadersNeverFailACall(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", listURL, jsonResponder(200, `{"ok": true}`,
		"X-CareHQ-RateLimit-Limit", "∞", "X-CareHQ-RateLimit-Remaining", "",
		"X-CareHQ-RateLimit-Reset", "NaN"))

	var out struct{ OK bool }
	require.NoError(t, c.Do(context.Background(), getCall, &out))
	assert.True(t, out.OK)
}

func TestRateGateKeepsTheMostRecentWindow(t *testing.T) {
	g := newRateGate()
	t0 := time.Unix(1000, 0)

	g.observe(RateLimit{Limit: 5, Remaining: 3, Reset: t0.Add(time.Second)})
	g.observe(RateLimit{Limit: 5, Remaining: 4, Reset: t0.Add(time.Second)})
	assert.Equal(t, 3, g.snapshot().Remaining, "a late answer from the same window is older")

	g.observe(RateLimit{Limit: 5, Remaining: 1, Reset: t0.Add(time.Second)})
	assert.Equal(t, 1, g.snapshot().Remaining)

	g.observe(RateLimit{Limit: 5, Remaining: 4, Reset: t0.Add(2 * time.Second)})
	assert.Equal(t, 4, g.snapshot().Remaining, "a new window replaces the old")

	g.observe(RateLimit{Limit: 5, Remaining: 0, Reset: t0})
	assert.Equal(t, 4, g.snapshot().Remaining, "an answer from an older window is ignored")

	g.observe(unknownRateLimit)
	assert.Equal(t, 4, g.snapshot().Remaining, "an answer without headers changes nothing")
}

func TestRateGateReservesTheRemainingRequests(t *testing.T) {
	g := newRateGate()
	now := time.Unix(1000, 0)
	g.observe(RateLimit{Limit: 5, Remaining: 2, Reset: now.Add(time.Second)})

	assert.Zero(t, g.delay(now))
	assert.Zero(t, g.delay(now))
	assert.Equal(t, time.Second, g.delay(now), "the third request waits for the reset")
	assert.Zero(t, g.delay(now.Add(time.Second)), "after the reset it may go")
}

func TestRateGatePacesTheWindowsAfterTheOneReported(t *testing.T) {
	g := newRateGate()
	t0 := time.Unix(1000, 0)
	g.observe(RateLimit{Limit: 3, Remaining: 0, Reset: t0.Add(time.Second)})

	assert.Equal(t, time.Second, g.delay(t0))
	next := t0.Add(time.Second)
	for range 3 {
		assert.Zero(t, g.delay(next), "the next window brings the full limit")
	}
	assert.Equal(t, time.Second, g.delay(next), "and no more")

	later := t0.Add(time.Hour + 300*time.Millisecond)
	for range 3 {
		assert.Zero(t, g.delay(later))
	}
	assert.Equal(t, 700*time.Millisecond, g.delay(later),
		"windows stay on the whole seconds after the reported reset")
}

func TestRateGateTakesALowerRemainingFromTheSameWindow(t *testing.T) {
	g := newRateGate()
	now := time.Unix(1000, 0)
	reset := now.Add(time.Second)
	g.observe(RateLimit{Limit: 10, Remaining: 5, Reset: reset})
	g.delay(now)
	g.delay(now)

	g.observe(RateLimit{Limit: 10, Remaining: 4, Reset: reset})
	assert.Zero(t, g.delay(now), "4 left by CareHQ's count, 3 by ours: ours holds")
	assert.Zero(t, g.delay(now))
	g.observe(RateLimit{Limit: 10, Remaining: 0, Reset: reset})
	assert.Equal(t, time.Second, g.delay(now), "another client spent the rest")
}

func TestRateLimitSnapshotIsSafeForConcurrentUse(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", listURL, jsonResponder(200, `{}`,
		"X-CareHQ-RateLimit-Limit", "100", "X-CareHQ-RateLimit-Remaining", "50",
		"X-CareHQ-RateLimit-Reset", "4102444800"))

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				assert.NoError(t, c.Do(context.Background(), getCall, nil))
				_ = c.RateLimit()
			}
		}()
	}
	wg.Wait()

	assert.Equal(t, 100, c.RateLimit().Limit)
}
