package carehq

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		name                string
		account, key, secet string
		opts                []Option
		want                string
	}{
		{"empty account", "", "k", "s", nil, "account Id"},
		{"every empty credential named", " ", "", "", nil, "account Id, API key, API secret"},
		{"plain http to a remote host", "a", "k", "s",
			[]Option{WithBaseURL("http://api.carehq.co.uk")}, "plain http"},
		{"not a URL", "a", "k", "s", []Option{WithBaseURL("api.carehq.co.uk")}, "https://host"},
		{"other scheme", "a", "k", "s", []Option{WithBaseURL("ftp://x")}, "https://host"},
		{"credentials in the URL", "a", "k", "s",
			[]Option{WithBaseURL("https://u:p@api.carehq.co.uk")}, "no user"},
		{"query in the URL", "a", "k", "s",
			[]Option{WithBaseURL("https://api.carehq.co.uk?x=1")}, "no user, query"},
		{"negative timeout", "a", "k", "s", []Option{WithTimeout(-time.Second)}, "WithTimeout"},
		{"negative retries", "a", "k", "s", []Option{WithMaxRetries(-1)}, "WithMaxRetries"},
		{"backoff upside down", "a", "k", "s",
			[]Option{WithRetryBackoff(time.Second, time.Millisecond)}, "WithRetryBackoff"},
		{"nil http client", "a", "k", "s", []Option{WithHTTPClient(nil)}, "WithHTTPClient"},
		{"nil transport", "a", "k", "s", []Option{WithTransport(nil)}, "WithTransport"},
		{"control character in user agent", "a", "k", "s",
			[]Option{WithUserAgent("app\r\nX-Evil: 1")}, "WithUserAgent"},
		{"zero response cap", "a", "k", "s", []Option{WithMaxResponseBytes(0)},
			"WithMaxResponseBytes"},
		{"negative rate-limit wait", "a", "k", "s",
			[]Option{WithMaxRateLimitWait(-1)}, "WithMaxRateLimitWait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.account, tt.key, tt.secet, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), tt.secet+"x", "never echoes the secret")
		})
	}
}

func TestNewAcceptsLoopbackOverPlainHTTP(t *testing.T) {
	for _, base := range []string{"http://localhost:8085", "http://127.0.0.1:1",
		"http://127.9.9.9", "http://[::1]:8085/", "https://api.carehq.dev",
		SandboxBaseURL, LiveBaseURL} {
		_, err := New("a", "k", "s", WithBaseURL(base))
		assert.NoError(t, err, base)
	}
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv(EnvAccountID, "acct")
	t.Setenv(EnvAPIKey, "key")
	t.Setenv(EnvAPISecret, "secret")
	t.Setenv(EnvBaseURL, "http://127.0.0.1:8085/")

	c, err := NewFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8085", c.base.String())
	assert.Equal(t, "acct", c.accountID)

	c, err = NewFromEnv(WithBaseURL(SandboxBaseURL))
	require.NoError(t, err)
	assert.Equal(t, SandboxBaseURL, c.base.String(), "an explicit option wins")

	t.Setenv(EnvBaseURL, "")
	c, err = NewFromEnv()
	require.NoError(t, err)
	assert.Equal(t, LiveBaseURL, c.base.String())

	t.Setenv(EnvAPIKey, "")
	t.Setenv(EnvAPISecret, " ")
	_, err = NewFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CAREHQ_API_KEY, CAREHQ_API_SECRET")
}

func TestRequestsCarryTheUserAgent(t *testing.T) {
	for app, want := range map[string]string{
		"":                 "carehq-go/" + Version,
		"payroll-sync/2.1": "carehq-go/" + Version + " payroll-sync/2.1",
	} {
		rec := newHeaderRecorder()
		c, err := New("a", "k", "s", WithTransport(rec), WithUserAgent(app))
		require.NoError(t, err)

		require.NoError(t, c.Do(context.Background(), getCall, nil))
		assert.Equal(t, want, rec.requests[0].Header.Get("User-Agent"))
	}
}

// TestParametersGoInTheQueryForGETAndTheBodyOtherwise runs against a real
// server on 127.0.0.1.
func TestParametersGoInTheQueryForGETAndTheBodyOtherwise(t *testing.T) {
	type seen struct {
		method, path, query, contentType, body string
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"),
			string(body)}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"_id": "abc"}`))
	}))
	defer srv.Close()
	c, err := New("a", "k", "s", WithBaseURL(srv.URL))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	params := url.Values{"genders": {"female", "male"}, "first_name": {"Zoë & Co"},
		"empty": {""}}

	var out map[string]string
	require.NoError(t, c.Do(context.Background(), Call{Method: "GET", Path: "service-users",
		Params: params}, &out))
	get := <-got
	require.NoError(t, c.Do(context.Background(), Call{Method: "PUT", Path: "/service-users/",
		Params: params}, &out))
	put := <-got

	want := "first_name=Zo%C3%AB+%26+Co&genders=female&genders=male"
	assert.Equal(t, seen{"GET", "/v1/service-users", want, "", ""}, get)
	assert.Equal(t, seen{"PUT", "/v1/service-users", "", "application/x-www-form-urlencoded",
		want}, put)
	assert.Equal(t, map[string]string{"_id": "abc"}, out)
}

func TestBaseURLPathIsKeptInFrontOfV1(t *testing.T) {
	rec := newHeaderRecorder()
	c, err := New("a", "k", "s", WithTransport(rec),
		WithBaseURL("https://proxy.example/carehq/"))
	require.NoError(t, err)

	require.NoError(t, c.Do(context.Background(), getCall, nil))
	assert.Equal(t, "https://proxy.example/carehq/v1/service-users",
		rec.requests[0].URL.String())
}

func TestDoRejectsABadMethodOrPathBeforeSending(t *testing.T) {
	rec := newHeaderRecorder()
	c, err := New("a", "k", "s", WithTransport(rec))
	require.NoError(t, err)

	for _, call := range []Call{
		{Method: "get", Path: "x"},
		{Method: "", Path: "x"},
		{Method: "GET", Path: "/"},
		{Method: "GET", Path: "service-users?page=2"},
	} {
		assert.Error(t, c.Do(context.Background(), call, nil), "%+v", call)
	}
	var noContext context.Context
	assert.Error(t, c.Do(noContext, getCall, nil))
	assert.Empty(t, rec.requests)
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		elsewhere.Add(1)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer srv.Close()
	c, err := New("a", "k", "s", WithBaseURL(srv.URL))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	err = c.Do(context.Background(), getCall, nil)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
	assert.Contains(t, err.Error(), "redirect not followed")
	assert.Zero(t, elsewhere.Load(), "the credentials never left for another host")
}

func TestResponseBodyIsCapped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<10)
		for range 1 << 10 { // 1 MiB, past the 64 KiB cap below
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c, err := New("a", "k", "s", WithBaseURL(srv.URL), WithMaxResponseBytes(64<<10))
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	err = c.Do(context.Background(), getCall, nil)

	assert.ErrorIs(t, err, ErrResponseTooLarge)
	var tErr *TransportError
	require.ErrorAs(t, err, &tErr)
	assert.Equal(t, 1, tErr.Attempts, "a body too large is not retried")
}

func TestDoDecodesIntoRawMessageAndReportsBadJSON(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", listURL, jsonResponder(200, `{"a": [1, 2]}`))

	var raw json.RawMessage
	require.NoError(t, c.Do(context.Background(), getCall, &raw))
	assert.JSONEq(t, `{"a": [1, 2]}`, string(raw))

	mt.RegisterResponder("GET", listURL, jsonResponder(200, `{"a": `))
	err := c.Do(context.Background(), getCall, &raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decoding the answer")
}

func TestNoContentLeavesOutAlone(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("DELETE", listURL+"/abc", jsonResponder(204, ``))

	out := map[string]int{"kept": 1}
	require.NoError(t, c.Do(context.Background(), Call{Method: "DELETE",
		Path: "service-users/abc"}, &out))
	assert.Equal(t, map[string]int{"kept": 1}, out)
}

func TestDebugLogHasOneRecordPerAttemptAndNothingSensitive(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, WithLogger(logger), WithRetryBackoff(0, 0))
	s := newScript(status(503), fail(errReset), status(200, "X-CareHQ-RateLimit-Remaining", "9"))
	mt.RegisterResponder("GET", listURL, s.responder)

	err := c.Do(context.Background(), Call{Method: "GET", Path: "service-users",
		Params: url.Values{"filters-q": {"Margaret Thompson"}}, Idempotent: true}, nil)
	require.NoError(t, err)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 3)
	var records []map[string]any
	for _, line := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		records = append(records, rec)
	}
	for i, rec := range records {
		assert.Equal(t, "DEBUG", rec["level"])
		assert.Equal(t, "GET", rec["method"])
		assert.Equal(t, "/v1/service-users", rec["path"])
		assert.EqualValues(t, i+1, rec["attempt"])
		assert.Contains(t, rec, "duration")
		assert.Contains(t, rec, "rate_limit_remaining")
	}
	assert.EqualValues(t, 503, records[0]["status"])
	assert.Equal(t, "connection reset", records[1]["error"])
	assert.EqualValues(t, 200, records[2]["status"])
	assert.EqualValues(t, 9, records[2]["rate_limit_remaining"])
	for _, secret := range []string{testAPISecret, testAPIKey, "Margaret", "Thompson",
		"filters-q", "Signature", "Nonce"} {
		assert.NotContains(t, buf.String(), secret)
	}
}

func TestNoLoggerNoOutput(t *testing.T) {
	var buf bytes.Buffer
	quiet := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	for _, opts := range [][]Option{nil, {WithLogger(quiet)}} {
		c, mt := newMockClient(t, opts...)
		mt.RegisterResponder("GET", listURL, jsonResponder(200, `{}`))
		require.NoError(t, c.Do(context.Background(), getCall, nil))
	}
	assert.Empty(t, buf.String())
}

func TestCallerHTTPClientIsCopiedNotChanged(t *testing.T) {
	rec := newHeaderRecorder()
	hc := &http.Client{Transport: rec, Timeout: 5 * time.Second}

	c, err := New("a", "k", "s", WithHTTPClient(hc))
	require.NoError(t, err)
	require.NoError(t, c.Do(context.Background(), getCall, nil))

	assert.Len(t, rec.requests, 1)
	assert.Nil(t, hc.CheckRedirect)
	assert.Same(t, rec, hc.Transport)
	assert.Equal(t, 5*time.Second, c.http.HTTPClient.Timeout, "its timeout applies per attempt")
}

func TestReadBodyWhateverLengthIsAnnounced(t *testing.T) {
	body := strings.Repeat("x", 1000)
	for _, announced := range []int64{-1, 0, 10, 999, 1000, 1001, 1 << 30} {
		got, err := readBody(strings.NewReader(body), announced, 1000)
		require.NoError(t, err, "announced %d", announced)
		assert.Equal(t, body, string(got), "announced %d", announced)

		_, err = readBody(strings.NewReader(body+"y"), announced, 1000)
		assert.ErrorIs(t, err, ErrResponseTooLarge, "announced %d", announced)
	}
}
