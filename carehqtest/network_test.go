package carehqtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInMemoryNetworkRunsInFakeTime(t *testing.T) {
	realStart := time.Now()

	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork(), WithRateLimit(2))
		defer srv.Close()
		client, err := srv.Client()
		require.NoError(t, err)
		defer client.CloseIdleConnections()

		// Six reads at two a second: the client waits for two window
		// resets, in fake time.
		start := time.Now()
		for range 6 {
			list(t, client, nil)
		}
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Second)
		for _, r := range srv.Requests() {
			assert.Equal(t, http.StatusOK, r.Status, "the client kept within the limit")
		}

		srv.AddFault(Fault{Latency: 20 * time.Second, Times: 1})
		start = time.Now()
		list(t, client, nil)
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 20*time.Second)
		assert.Less(t, elapsed, 22*time.Second)
	})

	assert.Less(t, time.Since(realStart), 5*time.Second, "no real waiting")
}

func TestInMemoryNetworkCarriesEveryKindOfAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork(), WithServiceUsers(5))
		defer srv.Close()
		client, err := srv.Client(carehq.WithMaxRetries(0))
		require.NoError(t, err)
		defer client.CloseIdleConnections()
		ctx := context.Background()

		created := create(t, client, createParamsFor(srv, "Gordon", "Smith"))
		err = client.Do(ctx, carehq.Call{
			Method: http.MethodGet, Path: "service-users/" + created["_id"].(string),
		}, nil)
		require.NoError(t, err)

		srv.AddFault(Fault{Method: http.MethodPut, Drop: true, Times: 1})
		err = client.Do(ctx, carehq.Call{
			Method: http.MethodPut, Path: "service-users",
			Params: createParamsFor(srv, "Joan", "Evans"),
		}, nil)
		assert.ErrorIs(t, err, carehq.ErrOutcomeUnknown)

		err = client.Do(ctx, carehq.Call{Method: http.MethodGet, Path: "no-such-thing"}, nil)
		assert.ErrorIs(t, err, carehq.ErrNotFound)
	})
}

func TestInMemoryServerURLIsLoopback(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		first := NewServer(WithInMemoryNetwork())
		defer first.Close()
		second := NewServer(WithInMemoryNetwork())
		defer second.Close()

		u, err := url.Parse(first.URL)
		require.NoError(t, err)
		assert.True(t, net.ParseIP(u.Hostname()).IsLoopback())
		assert.NotEqual(t, first.URL, second.URL)
	})
}

func TestInMemoryServerRefusesConnectionsOnceClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork())
		hc := srv.HTTPClient()
		srv.Close()
		srv.Close()

		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
			srv.URL+"/v1/service-users", nil)
		require.NoError(t, err)
		resp, err := hc.Do(req)
		if resp != nil {
			resp.Body.Close()
		}

		var opErr *net.OpError
		require.ErrorAs(t, err, &opErr)
		assert.Equal(t, "dial", opErr.Op)
		assert.True(t, errors.Is(err, syscall.ECONNREFUSED))
	})
}

func TestCloseEndsALatencyFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithInMemoryNetwork())
		client, err := srv.Client(carehq.WithMaxRetries(0), carehq.WithTimeout(0))
		require.NoError(t, err)
		srv.AddFault(Fault{Latency: time.Hour})

		done := make(chan error)
		go func() {
			done <- client.Do(context.Background(), carehq.Call{
				Method: http.MethodGet, Path: "service-users",
			}, nil)
		}()
		synctest.Wait()
		start := time.Now()
		srv.Close()
		err = <-done

		assert.Less(t, time.Since(start), time.Second)
		var apiErr *carehq.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		client.CloseIdleConnections()
	})
}
