package carehq

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SignatureVersion is the version of CareHQ's request signature that the
// client produces, sent in the X-CareHQ-Signature-Version header.
const SignatureVersion = "2.0"

// The signing headers, in the canonical form net/http writes them, so that
// they can be set without canonicalising on every attempt.
const (
	headerAccountID        = "X-Carehq-Accountid"
	headerAPIKey           = "X-Carehq-Apikey"
	headerNonce            = "X-Carehq-Nonce"
	headerTimestamp        = "X-Carehq-Timestamp"
	headerSignature        = "X-Carehq-Signature"
	headerSignatureVersion = "X-Carehq-Signature-Version"
)

// signer computes version 2.0 signatures with one API secret. It is safe for
// concurrent use; HMAC states and their buffers are pooled because a fresh
// one costs several allocations and every attempt needs one.
type signer struct {
	states sync.Pool
}

type signState struct {
	mac hash.Hash
	buf []byte
}

func newSigner(secret string) *signer {
	key := []byte(secret)

	return &signer{states: sync.Pool{New: func() any {
		return &signState{mac: hmac.New(sha256.New, key), buf: make([]byte, 0, 512)}
	}}}
}

// sign returns the lower-case hex signature of one attempt. path is the
// signed path (see signedPath) and canonical the parameter block (see
// canonicalParams).
func (s *signer) sign(timestamp, nonce, method, path, canonical string) string {
	st := s.states.Get().(*signState)
	st.buf = appendStringToSign(st.buf[:0], timestamp, nonce, method, path, canonical)
	st.mac.Reset()
	st.mac.Write(st.buf)

	var sum [sha256.Size]byte
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], st.mac.Sum(sum[:0]))
	s.states.Put(st)

	return string(out[:])
}

// appendStringToSign appends the five parts of the string to sign, joined by
// single newlines with none after the last.
func appendStringToSign(b []byte, timestamp, nonce, method, path, canonical string) []byte {
	b = append(b, timestamp...)
	b = append(b, '\n')
	b = append(b, nonce...)
	b = append(b, '\n')
	b = append(b, method...)
	b = append(b, '\n')
	b = append(b, path...)
	b = append(b, '\n')

	return append(b, canonical...)
}

// stringToSign returns the exact text that is signed, for tests and for
// comparing with another implementation.
func stringToSign(timestamp, nonce, method, path, canonical string) string {
	return string(appendStringToSign(nil, timestamp, nonce, method, path, canonical))
}

// signedPath returns the path as it is signed: "/v1/" followed by the
// resource path with its leading and trailing slashes removed.
func signedPath(resource string) string {
	return "/v1/" + strings.Trim(resource, "/")
}

// canonicalParams returns the parameter block of the string to sign: one
// key=value line per value, keys sorted and the values of each key sorted,
// by byte value, unescaped, joined by newlines. No parameters give "".
func canonicalParams(params url.Values) string {
	if len(params) == 0 {
		return ""
	}

	keys := make([]string, 0, len(params))
	size := 0
	for k, vs := range params {
		keys = append(keys, k)
		for _, v := range vs {
			size += len(k) + len(v) + 2
		}
	}
	slices.Sort(keys)

	var sb strings.Builder
	sb.Grow(size)
	var sorted []string
	for _, k := range keys {
		sorted = append(sorted[:0], params[k]...)
		slices.Sort(sorted)
		for _, v := range sorted {
			if sb.Len() > 0 {
				sb.WriteByte('\n')
			}
			sb.WriteString(k)
			sb.WriteByte('=')
			sb.WriteString(v)
		}
	}

	return sb.String()
}

// newNonce returns 16 bytes from crypto/rand, base64url-encoded without
// padding: 22 characters. crypto/rand does not fail on supported platforms.
func newNonce() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:])

	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// unixTimestamp formats t as whole Unix seconds, as the timestamp header
// carries it.
func unixTimestamp(t time.Time) string {
	return strconv.FormatInt(t.Unix(), 10)
}
