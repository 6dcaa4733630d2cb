package carehq

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published test vectors: secret, timestamp and nonce are fixed.
const (
	vectorSecret    = "my-api-secret"
	vectorTimestamp = "1736265600"
	vectorNonce     = "q1w2e3r4t5y6u7i8o9p0aa"
)

var signatureVectors = []struct {
	name      string
	method    string
	path      string
	params    url.Values
	signature string
}{
	{
		name:   "list with attributes, filter and paging",
		method: "GET",
		path:   "service-users",
		params: url.Values{
			"attributes": {"last_name", "first_name", "_id"},
			"filters-q":  {"smith"},
			"page":       {"2"},
			"per_page":   {"50"},
		},
		signature: "aee201b7a71cef2f6fc2da8263963823ce5f03aed839fdeae6f3dd74f98706ab",
	},
	{
		name:   "create",
		method: "PUT",
		path:   "service-users",
		params: url.Values{
			"location":   {"6724fbc74f73a2cebf6377fa"},
			"first_name": {"Gordon"},
			"last_name":  {"Smith"},
			"dob":        {"1940-03-12"},
		},
		signature: "8dd27fe13a8e3af2c3d6734d1de1578e071ac54e3c488ffc3405265ab3e9d495",
	},
	{
		name:      "retrieve without parameters",
		method:    "GET",
		path:      "service-users/6724fbca4f73a2cebf638579",
		signature: "89b854f96a4892b7d8b66526c99a815f5d2aa75c19e6fe4d903d9b487a9297d4",
	},
}

func TestSignatureMatchesPublishedVectors(t *testing.T) {
	s := newSigner(vectorSecret)
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			got := s.sign(vectorTimestamp, vectorNonce, v.method, signedPath(v.path),
				canonicalParams(v.params))
			assert.Equal(t, v.signature, got)
		})
	}
}

func TestStringToSignOfFirstVector(t *testing.T) {
	v := signatureVectors[0]
	want := "1736265600\nq1w2e3r4t5y6u7i8o9p0aa\nGET\n/v1/service-users\n" +
		"attributes=_id\nattributes=first_name\nattributes=last_name\n" +
		"filters-q=smith\npage=2\nper_page=50"
	got := stringToSign(vectorTimestamp, vectorNonce, v.method, signedPath(v.path),
		canonicalParams(v.params))
	assert.Equal(t, want, got)
}

// TestClientSignsPublishedVectors sends each vector through the whole client,
// with its clock and nonce pinned, and checks the headers that reach the
// transport.
func TestClientSignsPublishedVectors(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.name, func(t *testing.T) {
			mt := newHeaderRecorder()
			c, err := New(testAccountID, testAPIKey, vectorSecret, WithTransport(mt))
			require.NoError(t, err)
			c.now = func() time.Time { return time.Unix(1736265600, 0) }
			c.nonce = func() string { return vectorNonce }

			err = c.Do(context.Background(), Call{Method: v.method, Path: v.path,
				Params: v.params}, nil)
			require.NoError(t, err)

			require.Len(t, mt.requests, 1)
			h := mt.requests[0].Header
			assert.Equal(t, v.signature, h.Get("X-CareHQ-Signature"))
			assert.Equal(t, vectorTimestamp, h.Get("X-CareHQ-Timestamp"))
			assert.Equal(t, vectorNonce, h.Get("X-CareHQ-Nonce"))
			assert.Equal(t, "2.0", h.Get("X-CareHQ-Signature-Version"))
			assert.Equal(t, testAccountID, h.Get("X-CareHQ-AccountId"))
			assert.Equal(t, testAPIKey, h.Get("X-CareHQ-APIKey"))
			assert.Equal(t, "application/json", h.Get("Accept"))
			assert.Empty(t, h.Values("X-CareHQ-APISecret"))
		})
	}
}

func TestCanonicalParams(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"no parameters", nil, ""},
		{"empty set", url.Values{}, ""},
		{
			"several values for one key are sorted",
			url.Values{"genders": {"non_binary", "female", "Male"}},
			"genders=Male\ngenders=female\ngenders=non_binary",
		},
		{
			"keys sort by byte value, upper case first",
			url.Values{"b": {"1"}, "B": {"2"}, "a_b": {"3"}, "a-b": {"4"}},
			"B=2\na-b=4\na_b=3\nb=1",
		},
		{
			"values are written raw, not escaped",
			url.Values{"notes": {"tea & toast = breakfast + 50% more"}},
			"notes=tea & toast = breakfast + 50% more",
		},
		{
			"spaces and newlines stay as they are",
			url.Values{"notes": {"line one\nline two"}, "q": {"  padded  "}},
			"notes=line one\nline two\nq=  padded  ",
		},
		{
			"non-ASCII text sorts by its UTF-8 bytes",
			url.Values{"last_name": {"Ødegård", "Zoë", "Åsa"}},
			"last_name=Zoë\nlast_name=Åsa\nlast_name=Ødegård",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, canonicalParams(tt.params))
		})
	}
}

func TestStringToSignWithNoParametersEndsInNewline(t *testing.T) {
	got := stringToSign("1", "n", "GET", "/v1/locations", canonicalParams(nil))
	assert.Equal(t, "1\nn\nGET\n/v1/locations\n", got)
}

func TestSignedPathTrimsSlashes(t *testing.T) {
	for in, want := range map[string]string{
		"service-users":       "/v1/service-users",
		"/service-users":      "/v1/service-users",
		"//service-users///":  "/v1/service-users",
		"service-users/abc/":  "/v1/service-users/abc",
		"/service-users/abc/": "/v1/service-users/abc",
	} {
		assert.Equal(t, want, signedPath(in), in)
	}
}

// TestSignatureDependsOnEveryPart changes each part of a signed request and
// checks the signature changes with it.
func TestSignatureDependsOnEveryPart(t *testing.T) {
	s := newSigner(vectorSecret)
	base := s.sign("1", "n", "GET", "/v1/a", "k=v")
	for _, other := range []string{
		s.sign("2", "n", "GET", "/v1/a", "k=v"),
		s.sign("1", "m", "GET", "/v1/a", "k=v"),
		s.sign("1", "n", "PUT", "/v1/a", "k=v"),
		s.sign("1", "n", "GET", "/v1/b", "k=v"),
		s.sign("1", "n", "GET", "/v1/a", "k=w"),
		newSigner("other").sign("1", "n", "GET", "/v1/a", "k=v"),
	} {
		assert.NotEqual(t, base, other)
	}
}

func TestNonceIsFresh22CharBase64URL(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := newNonce()
		require.Len(t, n, 22)
		require.Regexp(t, `^[A-Za-z0-9_-]{22}$`, n)
		require.False(t, seen[n], "nonce repeated")
		seen[n] = true
	}
}

// headerRecorder is a transport that records requests and answers 200 {}.
type headerRecorder struct {
	requests []*http.Request
}

func newHeaderRecorder() *headerRecorder { return &headerRecorder{} }

func (r *headerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.requests = append(r.requests, req)
	return &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       http.NoBody,
		Request:    req,
	}, nil
}
