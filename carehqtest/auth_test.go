package carehqtest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published test vectors of signature version 2.0.
const (
	vectorSecret    = "my-api-secret"
	vectorTimestamp = "1736265600"
	vectorNonce     = "q1w2e3r4t5y6u7i8o9p0aa"
)

var vectorTime = time.Unix(1736265600, 0)

type vector struct {
	method, path string
	params       url.Values
	signature    string
}

var (
	listVector = vector{
		method: http.MethodGet,
		path:   "/v1/service-users",
		params: url.Values{
			"attributes": {"last_name", "first_name", "_id"},
			"filters-q":  {"smith"},
			"page":       {"2"},
			"per_page":   {"50"},
		},
		signature: "aee201b7a71cef2f6fc2da8263963823ce5f03aed839fdeae6f3dd74f98706ab",
	}
	createVector = vector{
		method: http.MethodPut,
		path:   "/v1/service-users",
		params: url.Values{
			"location":   {"6724fbc74f73a2cebf6377fa"},
			"first_name": {"Gordon"},
			"last_name":  {"Smith"},
			"dob":        {"1940-03-12"},
		},
		signature: "8dd27fe13a8e3af2c3d6734d1de1578e071ac54e3c488ffc3405265ab3e9d495",
	}
	retrieveVector = vector{
		method:    http.MethodGet,
		path:      "/v1/service-users/6724fbca4f73a2cebf638579",
		signature: "89b854f96a4892b7d8b66526c99a815f5d2aa75c19e6fe4d903d9b487a9297d4",
	}
)

// newVectorServer starts a server with the vectors' secret whose clock
// stands at the given offset from the vectors' timestamp.
func newVectorServer(t *testing.T, offset time.Duration, opts ...Option) *Server {
	t.Helper()
	clock := func() time.Time { return vectorTime.Add(offset) }
	all := append([]Option{
		WithCredentials("vector-account", "vector-key", vectorSecret),
		WithClock(clock),
	}, opts...)

	return newTestServer(t, all...)
}

// vectorHeaders returns the headers of a vector's request.
func vectorHeaders(srv *Server, v vector) map[string]string {
	return map[string]string{
		headerAccountID:        srv.AccountID,
		headerAPIKey:           srv.APIKey,
		headerNonce:            vectorNonce,
		headerTimestamp:        vectorTimestamp,
		headerSignatureVersion: "2.0",
		headerSignature:        v.signature,
	}
}

func TestServerAcceptsThePublishedSignatures(t *testing.T) {
	tests := []struct {
		name   string
		vector vector
		status int
	}{
		{"list", listVector, http.StatusOK},
		{"create", createVector, http.StatusOK},
		{"retrieve of an unknown Id", retrieveVector, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newVectorServer(t, 0)
			req := rawRequest(t, srv, tt.vector.method, tt.vector.path, tt.vector.params,
				vectorHeaders(srv, tt.vector))

			got := send(t, srv, req)

			assert.Equal(t, tt.status, got.status, "body: %s", got.body)
			requests := srv.Requests()
			require.Len(t, requests, 1)
			assert.True(t, requests[0].Authenticated)
		})
	}
}

func TestServerRejectsTamperedOrReplayedRequests(t *testing.T) {
	tests := []struct {
		name   string
		offset time.Duration // of the server's clock from the vectors' time
		secret string        // the server's, when not the vectors'
		change func(method, path *string, params url.Values, headers map[string]string)
		hint   string
	}{
		{
			name: "a changed parameter value",
			change: func(_, _ *string, params url.Values, _ map[string]string) {
				params.Set("filters-q", "smyth")
			},
			hint: "signature does not match",
		},
		{
			name: "an added parameter",
			change: func(_, _ *string, params url.Values, _ map[string]string) {
				params.Add("filters-status", "active")
			},
			hint: "signature does not match",
		},
		{
			name: "a changed path",
			change: func(_, path *string, _ url.Values, _ map[string]string) {
				*path = "/v1/service-users/6724fbca4f73a2cebf638579"
			},
			hint: "signature does not match",
		},
		{
			name: "a changed method",
			change: func(method, _ *string, _ url.Values, _ map[string]string) {
				*method = http.MethodDelete
			},
			hint: "signature does not match",
		},
		{
			name: "a changed timestamp",
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				headers[headerTimestamp] = "1736265601"
			},
			hint: "signature does not match",
		},
		{
			name:   "a wrong secret",
			secret: "not-" + vectorSecret,
			hint:   "signature does not match",
		},
		{
			name:   "a timestamp too far in the past",
			offset: DefaultSignatureWindow + time.Second,
			hint:   "timestamp",
		},
		{
			name:   "a timestamp too far in the future",
			offset: -DefaultSignatureWindow - time.Second,
			hint:   "timestamp",
		},
		{
			name: "a timestamp that is not whole seconds",
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				headers[headerTimestamp] = "1736265600.5"
			},
			hint: "whole Unix seconds",
		},
		{
			name: "an unknown account",
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				headers[headerAccountID] = "someone-else"
			},
			hint: "account Id is not recognised",
		},
		{
			name: "an unknown API key",
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				headers[headerAPIKey] = "another-key"
			},
			hint: "API key is not recognised",
		},
		{
			name: "a wrong signature version",
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				headers[headerSignatureVersion] = "1.0"
			},
			hint: "must be 2.0",
		},
		{
			name: "an upper-case signature",
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				headers[headerSignature] = "AEE201B7A71CEF2F6FC2DA8263963823" +
					"CE5F03AED839FDEAE6F3DD74F98706AB"
			},
			hint: "signature does not match",
		},
	}
	for _, name := range signedHeaders {
		tests = append(tests, struct {
			name   string
			offset time.Duration
			secret string
			change func(method, path *string, params url.Values, headers map[string]string)
			hint   string
		}{
			name: "a missing " + name,
			change: func(_, _ *string, _ url.Values, headers map[string]string) {
				delete(headers, name)
			},
			hint: name + " header is missing",
		})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := vectorSecret
			if tt.secret != "" {
				secret = tt.secret
			}
			srv := newVectorServer(t, tt.offset,
				WithCredentials("vector-account", "vector-key", secret))
			method, path := listVector.method, listVector.path
			params := url.Values{}
			for k, vs := range listVector.params {
				params[k] = append([]string(nil), vs...)
			}
			headers := vectorHeaders(srv, listVector)
			if tt.change != nil {
				tt.change(&method, &path, params, headers)
			}

			got := send(t, srv, rawRequest(t, srv, method, path, params, headers))

			assert.Equal(t, http.StatusUnauthorized, got.status, "body: %s", got.body)
			assert.Contains(t, got.object(t)["hint"], tt.hint)
			assert.NotContains(t, string(got.body), secret)
			assert.NotEmpty(t, got.header.Get(headerRateRemaining))
			assert.False(t, srv.Requests()[0].Authenticated)
		})
	}
}

func TestServerAcceptsATimestampJustInsideTheWindow(t *testing.T) {
	for _, offset := range []time.Duration{-DefaultSignatureWindow, DefaultSignatureWindow} {
		srv := newVectorServer(t, offset)
		req := rawRequest(t, srv, listVector.method, listVector.path, listVector.params,
			vectorHeaders(srv, listVector))

		got := send(t, srv, req)

		assert.Equal(t, http.StatusOK, got.status, "offset %v: %s", offset, got.body)
	}
}

func TestServerWindowIsConfigurable(t *testing.T) {
	srv := newVectorServer(t, 2*time.Minute, WithSignatureWindow(time.Minute))
	req := rawRequest(t, srv, listVector.method, listVector.path, listVector.params,
		vectorHeaders(srv, listVector))

	got := send(t, srv, req)

	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Contains(t, got.object(t)["hint"], "more than 1m0s")
}

func TestServerRejectsAReplayedNonce(t *testing.T) {
	srv := newVectorServer(t, 0)
	first := send(t, srv, rawRequest(t, srv, retrieveVector.method, retrieveVector.path, nil,
		vectorHeaders(srv, retrieveVector)))
	require.Equal(t, http.StatusNotFound, first.status, "body: %s", first.body)

	again := send(t, srv, rawRequest(t, srv, retrieveVector.method, retrieveVector.path, nil,
		vectorHeaders(srv, retrieveVector)))

	assert.Equal(t, http.StatusUnauthorized, again.status)
	assert.Contains(t, again.object(t)["hint"], "nonce has been used")
}

func TestServerForgetsNoncesOnlyAfterTwiceTheWindow(t *testing.T) {
	now := vectorTime
	v := newVerifier("a", "k", "s", time.Minute)

	require.True(t, v.spendNonce("n1", now))
	assert.False(t, v.spendNonce("n1", now.Add(2*time.Minute-time.Second)))
	assert.True(t, v.spendNonce("n1", now.Add(2*time.Minute)))
}

func TestCanonicalLinesOrderByKeyThenValue(t *testing.T) {
	params := url.Values{
		"a-b":        {"1"},
		"a":          {"2", "10"},
		"attributes": {"last_name", "_id"},
	}

	got := canonicalLines(params)

	assert.Equal(t, "a=10\na=2\na-b=1\nattributes=_id\nattributes=last_name", got)
	assert.Empty(t, canonicalLines(nil))
}
