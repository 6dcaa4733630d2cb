package carehqtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newTestServer starts a server closed at the end of the test.
func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)

	return srv
}

// newTestClient returns an SDK client for srv that does not retry, so
// that each call is one request.
func newTestClient(t *testing.T, srv *Server, opts ...carehq.Option) *carehq.Client {
	t.Helper()
	client, err := srv.Client(append([]carehq.Option{carehq.WithMaxRetries(0)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)

	return client
}

// reply is an answer read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the body as a JSON object.
func (r reply) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)

	return m
}

// rawRequest builds a request to srv by hand: parameters in the query of a
// GET and in a form body otherwise, and the given headers.
func rawRequest(t *testing.T, srv *Server, method, path string, params url.Values,
	headers map[string]string) *http.Request {
	t.Helper()
	target := srv.URL + path
	var body io.Reader
	if method == http.MethodGet {
		if len(params) > 0 {
			target += "?" + params.Encode()
		}
	} else {
		body = strings.NewReader(params.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, target, body)
	require.NoError(t, err)
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}

	return req
}

// signedHeadersFor signs a request with the server's own verifier code.
// The published test vectors check that code independently.
func signedHeadersFor(srv *Server, method, path string, params url.Values, at time.Time,
	nonce string) map[string]string {
	timestamp := strconv.FormatInt(at.Unix(), 10)
	v := newVerifier(srv.AccountID, srv.APIKey, srv.APISecret, time.Minute)

	return map[string]string{
		headerAccountID:        srv.AccountID,
		headerAPIKey:           srv.APIKey,
		headerNonce:            nonce,
		headerTimestamp:        timestamp,
		headerSignatureVersion: "2.0",
		headerSignature:        v.signature(timestamp, nonce, method, signedPath(path), params),
	}
}

// send sends a request with the server's HTTP client and reads the answer.
func send(t *testing.T, srv *Server, req *http.Request) reply {
	t.Helper()
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

// sendSigned signs and sends a request at the server's clock.
func sendSigned(t *testing.T, srv *Server, method, path string, params url.Values,
	nonce string) reply {
	t.Helper()
	headers := signedHeadersFor(srv, method, path, params, srv.now(), nonce)

	return send(t, srv, rawRequest(t, srv, method, path, params, headers))
}

// createParams returns valid create parameters for a service user at the
// server's location.
func createParamsFor(srv *Server, first, last string) url.Values {
	return url.Values{
		"first_name": {first},
		"last_name":  {last},
		"location":   {srv.LocationID},
		"dob":        {"1940-03-12"},
	}
}

// create creates a service user through the SDK and returns its answer.
func create(t *testing.T, client *carehq.Client, params url.Values) map[string]any {
	t.Helper()
	var out map[string]any
	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodPut, Path: "service-users", Params: params,
	}, &out)
	require.NoError(t, err)

	return out
}
