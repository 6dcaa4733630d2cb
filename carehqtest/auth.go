package carehqtest

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The headers of a signed request, as CareHQ documents them.
const (
	headerAccountID        = "X-CareHQ-AccountId"
	headerAPIKey           = "X-CareHQ-APIKey"
	headerNonce            = "X-CareHQ-Nonce"
	headerTimestamp        = "X-CareHQ-Timestamp"
	headerSignature        = "X-CareHQ-Signature"
	headerSignatureVersion = "X-CareHQ-Signature-Version"
)

// signatureVersion is the only signature version the server accepts.
const signatureVersion = "2.0"

// maxNonceLength bounds the nonces the server remembers, so that a client
// cannot fill its memory with huge ones.
const maxNonceLength = 128

// signedHeaders are the headers every request must carry, checked in this
// order so that the hint names the first one missing.
var signedHeaders = []string{
	headerAccountID, headerAPIKey, headerNonce, headerTimestamp, headerSignatureVersion,
	headerSignature,
}

// verifier checks the credentials and signature of requests, as CareHQ does
// for signature version 2.0. It is written apart from the SDK's signing
// code, on purpose, so that a mistake shared by both cannot hide.
type verifier struct {
	accountID string
	apiKey    string
	secret    []byte
	window    time.Duration

	mu     sync.Mutex
	seen   map[string]bool // nonces, while they could still be replayed
	expiry []seenNonce     // the same nonces, oldest first
}

type seenNonce struct {
	nonce  string
	forget time.Time
}

func newVerifier(accountID, apiKey, secret string, window time.Duration) *verifier {
	return &verifier{
		accountID: accountID,
		apiKey:    apiKey,
		secret:    []byte(secret),
		window:    window,
		seen:      make(map[string]bool),
	}
}

// verify checks a request whose parameters (query for GET, form body
// otherwise) have already been read. It returns "" when the request is
// authentic, else the hint for the 401. An authentic request's nonce is
// spent.
func (v *verifier) verify(r *http.Request, params url.Values, now time.Time) string {
	for _, name := range signedHeaders {
		if r.Header.Get(name) == "" {
			return fmt.Sprintf("The %s header is missing.", name)
		}
	}
	if r.Header.Get(headerSignatureVersion) != signatureVersion {
		return fmt.Sprintf("The %s header must be %s.", headerSignatureVersion,
			signatureVersion)
	}
	if !sameText(r.Header.Get(headerAccountID), v.accountID) {
		return "The account Id is not recognised."
	}
	if !sameText(r.Header.Get(headerAPIKey), v.apiKey) {
		return "The API key is not recognised for this account."
	}

	timestamp := r.Header.Get(headerTimestamp)
	seconds, ok := wholeSeconds(timestamp)
	if !ok {
		return fmt.Sprintf("The %s header must be whole Unix seconds.", headerTimestamp)
	}
	if skew := now.Sub(time.Unix(seconds, 0)); skew > v.window || skew < -v.window {
		return fmt.Sprintf("The request's timestamp is more than %v from the server's "+
			"clock; check the client's clock.", v.window)
	}

	nonce := r.Header.Get(headerNonce)
	if len(nonce) > maxNonceLength {
		return fmt.Sprintf("The %s header is too long.", headerNonce)
	}
	want := v.signature(timestamp, nonce, r.Method, signedPath(r.URL.Path), params)
	if !hmac.Equal([]byte(want), []byte(r.Header.Get(headerSignature))) {
		return "The signature does not match the request; check the API secret, the " +
			"signed path and the parameters."
	}

	if !v.spendNonce(nonce, now) {
		return "The nonce has been used before; sign every request with a fresh nonce."
	}

	return ""
}

// sameText compares two strings in constant time.
func sameText(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// wholeSeconds reads a timestamp header: decimal digits only.
func wholeSeconds(s string) (int64, bool) {
	if s == "" || len(s) > 12 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)

	return n, err == nil
}

// signedPath returns the path as it is signed: /v1/ and the resource path
// without leading or trailing slashes. A path outside /v1/ is signed as it
// came; such a request is refused in any case.
func signedPath(path string) string {
	resource, ok := strings.CutPrefix(path, "/v1/")
	if !ok {
		return path
	}

	return "/v1/" + strings.Trim(resource, "/")
}

// signature computes the lower-case hex HMAC-SHA256 of the five parts of
// the signed text.
func (v *verifier) signature(timestamp, nonce, method, path string, params url.Values) string {
	text := strings.Join([]string{timestamp, nonce, method, path, canonicalLines(params)}, "\n")
	mac := hmac.New(sha256.New, v.secret)
	mac.Write([]byte(text))

	return hex.EncodeToString(mac.Sum(nil))
}

// canonicalLines writes one key=value line per value, unescaped, ordered
// by key and then by value, comparing bytes. Ordering the pairs rather than
// the finished lines matters: "a-b=1" sorts before "a=1" as text, but key
// "a" comes before key "a-b".
func canonicalLines(params url.Values) string {
	type pair struct{ key, value string }
	var pairs []pair
	for key, values := range params {
		for _, value := range values {
			pairs = append(pairs, pair{key, value})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.value, b.value))
	})

	lines := make([]string, len(pairs))
	for i, p := range pairs {
		lines[i] = p.key + "=" + p.value
	}

	return strings.Join(lines, "\n")
}

// spendNonce records a nonce and reports whether it was new. A nonce is
// remembered for twice the timestamp window: by then any request carrying
// it has a timestamp too old to be accepted.
func (v *verifier) spendNonce(nonce string, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()

	for len(v.expiry) > 0 && !now.Before(v.expiry[0].forget) {
		delete(v.seen, v.expiry[0].nonce)
		v.expiry = v.expiry[1:]
	}
	if v.seen[nonce] {
		return false
	}
	v.seen[nonce] = true
	v.expiry = append(v.expiry, seenNonce{nonce: nonce, forget: now.Add(2 * v.window)})

	return true
}
