package carehqtest

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// doList lists service users once, without retries, and returns the error.
func doList(client *carehq.Client) error {
	return client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users", Idempotent: true,
	}, nil)
}

func statusOf(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return http.StatusOK
	}
	var apiErr *carehq.APIError
	require.ErrorAs(t, err, &apiErr)

	return apiErr.StatusCode
}

func TestFaultFailsTheNextRequests(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	srv.AddFault(Fault{Status: http.StatusServiceUnavailable, Times: 2, Hint: "Down for a bit."})

	first, second, third := doList(client), doList(client), doList(client)

	assert.Equal(t, http.StatusServiceUnavailable, statusOf(t, first))
	assert.ErrorIs(t, first, carehq.ErrServer)
	var apiErr *carehq.APIError
	require.ErrorAs(t, first, &apiErr)
	assert.Equal(t, "Down for a bit.", apiErr.Hint)
	assert.Equal(t, http.StatusServiceUnavailable, statusOf(t, second))
	assert.NoError(t, third)
	requests := srv.Requests()
	assert.True(t, requests[0].Faulted)
	assert.True(t, requests[0].Authenticated)
	assert.False(t, requests[2].Faulted)
}

func TestFaultMatchesMethodAndPath(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	created := create(t, client, createParamsFor(srv, "Gordon", "Smith"))
	retrieve := carehq.Call{
		Method: http.MethodGet, Path: "service-users/" + created["_id"].(string),
	}
	srv.AddFault(Fault{Method: http.MethodPut, Path: "service-users", Status: 500})
	srv.AddFault(Fault{PathPrefix: "/v1/service-users/", Status: 502})

	createErr := client.Do(context.Background(), carehq.Call{
		Method: http.MethodPut, Path: "service-users",
		Params: createParamsFor(srv, "Joan", "Evans"),
	}, nil)
	listErr := doList(client)
	retrieveErr := client.Do(context.Background(), retrieve, nil)

	assert.Equal(t, http.StatusInternalServerError, statusOf(t, createErr))
	assert.ErrorIs(t, createErr, carehq.ErrOutcomeUnknown, "a 5xx on a write")
	assert.NoError(t, listErr)
	assert.Equal(t, http.StatusBadGateway, statusOf(t, retrieveErr))
	assert.Equal(t, 1, srv.ServiceUserCount(), "the faulted create was not applied")

	srv.ClearFaults()
	assert.NoError(t, client.Do(context.Background(), retrieve, nil))
}

func TestFaultDropsTheConnection(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	srv.AddFault(Fault{Method: http.MethodPut, Drop: true, Times: 1})

	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodPut, Path: "service-users",
		Params: createParamsFor(srv, "Gordon", "Smith"),
	}, nil)

	var transportErr *carehq.TransportError
	require.ErrorAs(t, err, &transportErr)
	assert.ErrorIs(t, err, carehq.ErrOutcomeUnknown)
	assert.Zero(t, srv.ServiceUserCount())
	assert.Zero(t, srv.Requests()[0].Status)
}

func TestFaultAppliesThenFails(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		check func(t *testing.T, err error)
	}{
		{
			name:  "with a 500 by default",
			fault: Fault{ApplyThenFail: true},
			check: func(t *testing.T, err error) {
				assert.Equal(t, http.StatusInternalServerError, statusOf(t, err))
			},
		},
		{
			name:  "with a chosen status",
			fault: Fault{ApplyThenFail: true, Status: http.StatusGatewayTimeout},
			check: func(t *testing.T, err error) {
				assert.Equal(t, http.StatusGatewayTimeout, statusOf(t, err))
			},
		},
		{
			name:  "by dropping the connection",
			fault: Fault{ApplyThenFail: true, Drop: true},
			check: func(t *testing.T, err error) {
				var transportErr *carehq.TransportError
				assert.ErrorAs(t, err, &transportErr)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			client := newTestClient(t, srv)
			tt.fault.Method = http.MethodPut
			srv.AddFault(tt.fault)

			err := client.Do(context.Background(), carehq.Call{
				Method: http.MethodPut, Path: "service-users",
				Params: createParamsFor(srv, "Gordon", "Smith"),
			}, nil)

			tt.check(t, err)
			assert.ErrorIs(t, err, carehq.ErrOutcomeUnknown)
			assert.Equal(t, 1, srv.ServiceUserCount(), "the create was stored")
		})
	}
}

func TestFaultSendsMalformedJSON(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	srv.AddFault(Fault{Malformed: true, Times: 1})

	var out map[string]any
	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users",
	}, &out)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "decoding")
	assert.Equal(t, http.StatusOK, srv.Requests()[0].Status)
}

func TestFaultWithAProbabilityIsRepeatable(t *testing.T) {
	pattern := func(seed uint64) []bool {
		srv := newTestServer(t, WithSeed(seed), WithRateLimit(10_000))
		client := newTestClient(t, srv)
		srv.AddFault(Fault{Status: http.StatusServiceUnavailable, Probability: 0.3})
		for range 60 {
			_ = doList(client)
		}
		var hits []bool
		for _, r := range srv.Requests() {
			hits = append(hits, r.Faulted)
		}
		return hits
	}

	first, again, other := pattern(7), pattern(7), pattern(8)

	assert.Equal(t, first, again)
	assert.NotEqual(t, first, other)
	hit := 0
	for _, h := range first {
		if h {
			hit++
		}
	}
	assert.Greater(t, hit, 5)
	assert.Less(t, hit, 35)
}

func TestFault429MakesTheClientWaitForTheReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork())
		defer srv.Close()
		client, err := srv.Client()
		require.NoError(t, err)
		defer client.CloseIdleConnections()
		srv.AddFault(Fault{Status: http.StatusTooManyRequests, ResetAfter: 3 * time.Second,
			Times: 2})

		start := time.Now()
		err = doList(client)

		assert.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 6*time.Second)
		requests := srv.Requests()
		require.Len(t, requests, 3)
		assert.Equal(t, http.StatusTooManyRequests, requests[0].Status)
		assert.Equal(t, http.StatusOK, requests[2].Status)
	})
}

func TestFaultLatencyCanOutlastTheClientTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork())
		defer srv.Close()
		client, err := srv.Client(carehq.WithTimeout(10*time.Second), carehq.WithMaxRetries(0))
		require.NoError(t, err)
		defer client.CloseIdleConnections()
		srv.AddFault(Fault{Latency: time.Minute, Times: 1})

		start := time.Now()
		err = doList(client)

		var transportErr *carehq.TransportError
		assert.ErrorAs(t, err, &transportErr)
		assert.Equal(t, 10*time.Second, time.Since(start))
	})
}

func TestAddFaultRejectsNonsense(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
	}{
		{"nothing to do", Fault{Times: 1}},
		{"negative times", Fault{Status: 500, Times: -1}},
		{"a probability over one", Fault{Status: 500, Probability: 1.5}},
		{"a status that is not one", Fault{Status: 42}},
		{"negative latency", Fault{Latency: -time.Second}},
		{"drop with a status", Fault{Drop: true, Status: 500}},
		{"malformed with a status", Fault{Malformed: true, Status: 500}},
	}
	srv := newTestServer(t)
	for _, tt := range tests {
		assert.Panics(t, func() { srv.AddFault(tt.fault) }, tt.name)
	}
}
