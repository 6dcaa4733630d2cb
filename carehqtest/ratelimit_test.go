package carehqtest

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryAnswerCarriesTheRateLimit(t *testing.T) {
	// The clock stands still, so that every request falls in one window
	// however slowly the test runs.
	now := time.Now()
	srv := newTestServer(t, WithRateLimit(50), WithClock(func() time.Time { return now }))
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"a list", rawRequest(t, srv, http.MethodGet, "/v1/service-users", nil,
			signedHeadersFor(srv, http.MethodGet, "/v1/service-users", nil, time.Now(), "n1")),
			http.StatusOK},
		{"an unsigned request", rawRequest(t, srv, http.MethodGet, "/v1/service-users", nil,
			nil), http.StatusUnauthorized},
		{"an unknown path", rawRequest(t, srv, http.MethodGet, "/v1/rooms", nil,
			signedHeadersFor(srv, http.MethodGet, "/v1/rooms", nil, time.Now(), "n2")),
			http.StatusNotFound},
		{"a wrong method", rawRequest(t, srv, http.MethodDelete, "/v1/service-users", nil,
			signedHeadersFor(srv, http.MethodDelete, "/v1/service-users", nil, time.Now(),
				"n3")), http.StatusMethodNotAllowed},
		{"an invalid create", rawRequest(t, srv, http.MethodPut, "/v1/service-users", nil,
			signedHeadersFor(srv, http.MethodPut, "/v1/service-users", nil, time.Now(), "n4")),
			http.StatusBadRequest},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, srv, tt.req)

			assert.Equal(t, tt.status, got.status, "body: %s", got.body)
			assert.Equal(t, "50", got.header.Get(headerRateLimit))
			assert.Equal(t, strconv.Itoa(50-i-1), got.header.Get(headerRateRemaining))
			reset, err := strconv.ParseFloat(got.header.Get(headerRateReset), 64)
			require.NoError(t, err)
			assert.InDelta(t, float64(now.UnixNano())/1e9+1, reset, 0.002)
			assert.Equal(t, "application/json", got.header.Get("Content-Type"))
			if got.status != http.StatusOK {
				assert.NotEmpty(t, got.object(t)["hint"], "every error has a hint")
			}
		})
	}
}

func TestRateLimitAnswers429InsideAWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork(), WithRateLimit(2))
		defer srv.Close()
		unsigned := func() reply {
			return send(t, srv, rawRequest(t, srv, http.MethodGet, "/v1/service-users", nil,
				nil))
		}

		time.Sleep(250 * time.Millisecond)
		first, second, third := unsigned(), unsigned(), unsigned()
		time.Sleep(time.Second)
		later := unsigned()

		assert.Equal(t, http.StatusUnauthorized, first.status)
		assert.Equal(t, "1", first.header.Get(headerRateRemaining))
		assert.Equal(t, "0", second.header.Get(headerRateRemaining))
		assert.Equal(t, http.StatusTooManyRequests, third.status)
		assert.Contains(t, third.object(t)["hint"], "Too many requests")
		assert.Equal(t, "0", third.header.Get(headerRateRemaining))
		// synctest's clock starts at midnight UTC on 2000-01-01.
		assert.Equal(t, "946684801.25", third.header.Get(headerRateReset))
		assert.Equal(t, http.StatusUnauthorized, later.status)
		assert.Equal(t, "1", later.header.Get(headerRateRemaining))
		assert.Equal(t, "946684802.25", later.header.Get(headerRateReset))
		srv.HTTPClient().CloseIdleConnections()
	})
}

func TestClientsThatShareAKeyGetRetried429s(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork(), WithRateLimit(3))
		defer srv.Close()

		// Separate clients do not share their view of the budget, so some
		// of their requests meet a real 429, wait for the reset and retry.
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			client, err := srv.Client()
			require.NoError(t, err)
			wg.Go(func() {
				errs <- client.Do(context.Background(), carehq.Call{
					Method: http.MethodGet, Path: "service-users", Idempotent: true,
				}, nil)
			})
		}
		wg.Wait()
		close(errs)

		for err := range errs {
			assert.NoError(t, err)
		}
		statuses := map[int]int{}
		for _, r := range srv.Requests() {
			statuses[r.Status]++
		}
		assert.Equal(t, 8, statuses[http.StatusOK])
		assert.Positive(t, statuses[http.StatusTooManyRequests])
	})
}

func TestUnixSecondsRoundsUpToTheMillisecond(t *testing.T) {
	tests := []struct {
		nanos int
		want  string
	}{
		{0, "1764770000"},
		{250_000_000, "1764770000.25"},
		{1, "1764770000.001"},
		{123_400_000, "1764770000.124"},
		{999_999_999, "1764770001"},
	}
	for _, tt := range tests {
		got := unixSeconds(time.Unix(1764770000, int64(tt.nanos)))

		assert.Equal(t, tt.want, got, "nanos %d", tt.nanos)
	}
}
