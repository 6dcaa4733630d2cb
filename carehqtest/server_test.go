package carehqtest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "locations", http.StatusNotFound, ""},
		{http.MethodGet, "service-users/6724fbca4f73a2cebf638579/contacts",
			http.StatusNotFound, ""},
		{http.MethodDelete, "service-users", http.StatusMethodNotAllowed, "GET, PUT"},
		{http.MethodPatch, "service-users/6724fbca4f73a2cebf638579",
			http.StatusMethodNotAllowed, "GET"},
		{http.MethodDelete, "service-users/6724fbca4f73a2cebf638579",
			http.StatusMethodNotAllowed, "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			err := client.Do(context.Background(), carehq.Call{
				Method: tt.method, Path: tt.path,
			}, nil)

			var apiErr *carehq.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.NotEmpty(t, apiErr.Hint)
			assert.Equal(t, "application/json", apiErr.ContentType)
		})
	}

	got := sendSigned(t, srv, http.MethodPatch, "/v1/service-users/6724fbca4f73a2cebf638579",
		nil, "allow-nonce")
	assert.Equal(t, "GET", got.header.Get("Allow"))
}

func TestPathsOutsideV1AreNotFound(t *testing.T) {
	srv := newTestServer(t)

	got := sendSigned(t, srv, http.MethodGet, "/v2/service-users", nil, "v2-nonce")

	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Contains(t, got.object(t)["hint"], "/v1/")
}

func TestBodiesMustBeForms(t *testing.T) {
	srv := newTestServer(t)
	headers := signedHeadersFor(srv, http.MethodPut, "/v1/service-users", nil, time.Now(),
		"json-nonce")
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPut,
		srv.URL+"/v1/service-users", strings.NewReader(`{"first_name": "Gordon"}`))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")

	got := send(t, srv, req)

	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, got.object(t)["hint"], "x-www-form-urlencoded")
}

func TestRequestsRecordWhatArrived(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	create(t, client, createParamsFor(srv, "Gordon", "Smith"))
	list(t, client, url.Values{"filters-q": {"smith"}})
	send(t, srv, rawRequest(t, srv, http.MethodGet, "/v1/service-users", nil, nil))

	requests := srv.Requests()

	require.Len(t, requests, 3)
	assert.Equal(t, http.MethodPut, requests[0].Method)
	assert.Equal(t, "/v1/service-users", requests[0].Path)
	assert.Equal(t, "Gordon", requests[0].Params.Get("first_name"))
	assert.Equal(t, http.StatusOK, requests[0].Status)
	assert.True(t, requests[0].Authenticated)
	assert.Equal(t, "smith", requests[1].Params.Get("filters-q"))
	assert.False(t, requests[2].Authenticated)
	assert.Equal(t, http.StatusUnauthorized, requests[2].Status)
	assert.WithinDuration(t, time.Now(), requests[0].Time, time.Minute)

	requests[0].Params.Set("first_name", "Changed")
	assert.Equal(t, "Gordon", srv.Requests()[0].Params.Get("first_name"))

	srv.Reset()
	assert.Empty(t, srv.Requests())
	assert.Equal(t, 1, srv.ServiceUserCount(), "Reset keeps the records")
}

func TestRequestLogLimitKeepsTheLatest(t *testing.T) {
	srv := newTestServer(t, WithRequestLogLimit(2))
	for _, path := range []string{"/v1/a", "/v1/b", "/v1/c"} {
		send(t, srv, rawRequest(t, srv, http.MethodGet, path, nil, nil))
	}

	requests := srv.Requests()

	require.Len(t, requests, 2)
	assert.Equal(t, "/v1/b", requests[0].Path)
	assert.Equal(t, "/v1/c", requests[1].Path)

	none := newTestServer(t, WithRequestLogLimit(0))
	send(t, none, rawRequest(t, none, http.MethodGet, "/v1/a", nil, nil))
	assert.Empty(t, none.Requests())
}

func TestLoggerNeverSeesSecretsQueriesOrBodies(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	srv := newTestServer(t, WithLogger(logger))
	client := newTestClient(t, srv)

	create(t, client, createParamsFor(srv, "Gordon", "Smith"))
	list(t, client, url.Values{"filters-q": {"Thompson"}})

	out := logs.String()
	assert.Contains(t, out, `"path":"/v1/service-users"`)
	assert.Contains(t, out, `"status":200`)
	assert.Contains(t, out, `"authenticated":true`)
	for _, secret := range []string{srv.APISecret, srv.APIKey, "Gordon", "Thompson", "filters"} {
		assert.NotContains(t, out, secret)
	}
}

func TestNewServerPanicsOnInvalidOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
	}{
		{"empty credentials", WithCredentials("", "k", "s")},
		{"a location that is not an Id", WithLocationID("home")},
		{"a nil clock", WithClock(nil)},
		{"a zero window", WithSignatureWindow(0)},
		{"no requests per second", WithRateLimit(0)},
		{"a nil listener", WithListener(nil)},
		{"negative seeding", WithServiceUsers(-1)},
		{"a negative log limit", WithRequestLogLimit(-1)},
	}
	for _, tt := range tests {
		assert.Panics(t, func() { NewServer(tt.opt).Close() }, tt.name)
	}
}

func TestOptionsSetCredentialsAndLocation(t *testing.T) {
	srv := newTestServer(t,
		WithCredentials("account-7", "key-7", "secret-7"),
		WithLocationID("AAAAAAAAAAAAAAAAAAAAAAAA"))
	client := newTestClient(t, srv)

	created := create(t, client, createParamsFor(srv, "Gordon", "Smith"))

	assert.Equal(t, "account-7", srv.AccountID)
	assert.Equal(t, "aaaaaaaaaaaaaaaaaaaaaaaa", srv.LocationID)
	assert.Equal(t, srv.LocationID, created["location"])
}

func TestClientOptionsComeAfterTheServers(t *testing.T) {
	srv := newTestServer(t)
	other := newTestServer(t)

	client, err := srv.Client(carehq.WithBaseURL(other.URL), carehq.WithMaxRetries(0))
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	require.NoError(t, doList(client))

	assert.Empty(t, srv.Requests())
	assert.Len(t, other.Requests(), 1)
}

func TestWithListenerServesOnTheGivenListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := newTestServer(t, WithListener(l))
	client := newTestClient(t, srv)

	assert.Equal(t, "http://"+l.Addr().String(), srv.URL)
	assert.NoError(t, doList(client))
}
