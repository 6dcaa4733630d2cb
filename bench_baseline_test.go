package carehq

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file holds what the benchmarks compare the SDK with: a client written
// by hand with net/http, its own version 2.0 signature and encoding/json, and
// a loopback server that answers canned bytes, so that the server's own cost
// is as small as it can be and the same for both sides.

// benchRecordID is the Id of the service user in benchRecord.
const benchRecordID = "69a9e47783e6ab081d8eda64"

// benchRecord returns, built once, one service user with all 72 attributes
// set, written as CareHQ writes a retrieve response.
var benchRecord = sync.OnceValue(func() []byte {
	rng := mathrand.New(mathrand.NewPCG(3, 5))
	su := realisticServiceUser(rng, 404)
	su.ID = benchRecordID
	su.GendersOther = "Two-spirit"

	b, err := json.Marshal(su)
	if err != nil {
		panic(err)
	}

	return b
})

// benchListAttributes are the attributes the baseline asks a list for: the
// SDK's default, every documented attribute, in the same order.
var benchListAttributes = ServiceUserAttributes()

// newCannedServer starts a server on 127.0.0.1 that answers every request
// with body as JSON, with CareHQ's rate-limit headers and a Content-Length,
// and does nothing else: no routing, no signature check. Both sides of a
// comparison talk to the same one. It is closed when tb ends.
func newCannedServer(tb testing.TB, body []byte) *httptest.Server {
	tb.Helper()
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10) + ".25"
	header := http.Header{
		"Content-Type":           {"application/json"},
		"Content-Length":         {strconv.Itoa(len(body))},
		headerRateLimit:          {"1000"},
		headerRateRemaining:      {"999"},
		headerRateReset:          {reset},
		"X-Content-Type-Options": {"nosniff"},
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)

	return srv
}

// newBenchClient returns an SDK client with default settings for the server
// at baseURL, and closes its idle connections when tb ends.
func newBenchClient(tb testing.TB, baseURL string, opts ...Option) *Client {
	tb.Helper()
	c, err := New(testAccountID, testAPIKey, testAPISecret,
		append([]Option{WithBaseURL(baseURL)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.CloseIdleConnections)

	return c
}

// baselineClient is what a careful developer might write instead of using
// the SDK: net/http with a pooled transport and the same 30 s timeout,
// version 2.0 signing written from CareHQ's description, the whole body read
// and decoded with encoding/json. It neither retries nor validates.
type baselineClient struct {
	http      *http.Client
	base      string
	accountID string
	apiKey    string
	secret    string
}

// newBaselineClient returns a baselineClient for the server at baseURL, with
// the test credentials, and closes its idle connections when tb ends.
func newBaselineClient(tb testing.TB, baseURL string) *baselineClient {
	tb.Helper()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 16
	c := &baselineClient{
		http:      &http.Client{Transport: transport, Timeout: 30 * time.Second},
		base:      baseURL,
		accountID: testAccountID,
		apiKey:    testAPIKey,
		secret:    testAPISecret,
	}
	tb.Cleanup(transport.CloseIdleConnections)

	return c
}

// get sends a signed GET of the resource path with params in the query and
// decodes the JSON answer into out.
func (c *baselineClient) get(ctx context.Context, resource string, params url.Values,
	out any) error {
	path := "/v1/" + strings.Trim(resource, "/")
	timestamp := strconv.FormatInt(time.Now().Unix(), 10)
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	nonce := base64.RawURLEncoding.EncodeToString(raw[:])

	target := c.base + path
	if len(params) > 0 {
		target += "?" + params.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CareHQ-AccountId", c.accountID)
	req.Header.Set("X-CareHQ-APIKey", c.apiKey)
	req.Header.Set("X-CareHQ-Nonce", nonce)
	req.Header.Set("X-CareHQ-Timestamp", timestamp)
	req.Header.Set("X-CareHQ-Signature-Version", "2.0")
	req.Header.Set("X-CareHQ-Signature",
		baselineSignature(c.secret, timestamp, nonce, http.MethodGet, path, params))

	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}

	return json.Unmarshal(body, out)
}

// baselineSignature computes a version 2.0 signature the plain way: sort
// the keys and each key's values, write key=value lines, join the five parts
// with newlines and take the hex HMAC-SHA256 keyed with the secret.
func baselineSignature(secret, timestamp, nonce, method, path string,
	params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var lines []string
	for _, k := range keys {
		values := append([]string(nil), params[k]...)
		sort.Strings(values)
		for _, v := range values {
			lines = append(lines, k+"="+v)
		}
	}
	message := strings.Join([]string{timestamp, nonce, method, path,
		strings.Join(lines, "\n")}, "\n")

	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(message))

	return hex.EncodeToString(mac.Sum(nil))
}

// baselineListParams are the parameters the baseline sends for one page of
// perPage service users with every attribute, as the SDK's List does.
func baselineListParams(perPage int) url.Values {
	return url.Values{
		"attributes": benchListAttributes,
		"per_page":   {strconv.Itoa(perPage)},
	}
}

func TestBaselineSignsThePublishedVectors(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			got := baselineSignature(vectorSecret, vectorTimestamp, vectorNonce, v.method,
				signedPath(v.path), v.params)
			assert.Equal(t, v.signature, got)
		})
	}
}

func TestBenchRecordHasEveryAttribute(t *testing.T) {
	var attributes map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(benchRecord(), &attributes))
	for _, name := range serviceUserAttributes {
		assert.Contains(t, attributes, name)
		assert.NotEqual(t, "null", string(attributes[name]), name)
		assert.NotEqual(t, `""`, string(attributes[name]), name)
	}
	assert.Len(t, attributes, 72)

	var su ServiceUser
	require.NoError(t, decodeServiceUser(benchRecord(), &su))
	assert.Nil(t, su.Problems)
	assert.Nil(t, su.Extra)
}

// TestBothSidesSendTheSameSignedRequests checks that the comparison is fair:
// the baseline and the SDK send the same path and query to the canned
// server, each signed correctly, and both read the whole answer.
func TestBothSidesSendTheSameSignedRequests(t *testing.T) {
	verify := newSigner(testAPISecret)
	var mu sync.Mutex
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
		h := r.Header
		want := verify.sign(h.Get("X-CareHQ-Timestamp"), h.Get("X-CareHQ-Nonce"), r.Method,
			r.URL.Path, canonicalParams(r.URL.Query()))
		if h.Get("X-CareHQ-Signature") != want || h.Get("X-CareHQ-APIKey") != testAPIKey {
			http.Error(w, `{"hint": "bad signature"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/"+benchRecordID) {
			_, _ = w.Write(benchRecord())
			return
		}
		_, _ = w.Write(benchPage())
	}))
	defer srv.Close()
	ctx := context.Background()

	sdk := newBenchClient(t, srv.URL)
	su, err := sdk.ServiceUsers.Get(ctx, benchRecordID)
	require.NoError(t, err)
	page, err := sdk.ServiceUsers.List(ctx, &ListServiceUsersParams{PerPage: 100})
	require.NoError(t, err)

	base := newBaselineClient(t, srv.URL)
	var plain plainServiceUser
	require.NoError(t, base.get(ctx, "service-users/"+benchRecordID, nil, &plain))
	var plainList plainPage
	require.NoError(t, base.get(ctx, "service-users", baselineListParams(100), &plainList))

	assert.Equal(t, plain.ID, su.ID)
	assert.Equal(t, plain.Notes, su.Notes)
	require.Len(t, page.Items, 100)
	require.Len(t, plainList.Items, 100)
	assert.Equal(t, plainList.Items[99].ID, page.Items[99].ID)

	require.Len(t, seen, 4)
	for i := range 2 {
		sdkReq, baseReq := seen[i], seen[i+2]
		assert.Equal(t, sdkReq.URL.Path, baseReq.URL.Path)
		assert.Equal(t, sdkReq.URL.Query(), baseReq.URL.Query())
	}
}
