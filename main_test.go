package carehq

import (
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// Credentials used by the tests. The secret is distinctive so that a test
// can search logs and error texts for it.
const (
	testAccountID = "6724fbc74f73a2cebf6377f0"
	testAPIKey    = "test-api-key-0001"
	testAPISecret = "s3cret-NEVER-IN-LOGS-9f2c"
	testBaseURL   = "https://api.carehq.test"
)

// newMockClient returns a client whose requests go to a fresh httpmock
// transport, with retry waits short enough for synctest bubbles.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]Option{
		WithBaseURL(testBaseURL),
		WithTransport(mt),
		WithRetryBackoff(100*time.Millisecond, 2*time.Second),
	}, opts...)
	c, err := New(testAccountID, testAPIKey, testAPISecret, all...)
	require.NoError(t, err)

	return c, mt
}

// jsonResponder answers with status and a JSON body, plus headers given as
// name, value pairs.
func jsonResponder(status int, body string, headers ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			resp.Header.Set(headers[i], headers[i+1])
		}
		return resp, nil
	}
}
