package carehq

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkSign measures signing one request: the canonical parameter block
// (canonicalParams) and the HMAC of the string to sign (signer.sign), for a
// retrieve, which has no parameters, and for a list page asking for every
// attribute (73 parameter lines). The baseline is the plain implementation
// the other benchmarks compare with. Attempt is what the transport does on
// every attempt, the canonical block having been made once per call before:
// a fresh nonce and timestamp, the signature, and the request's copy with
// the signed headers.
func BenchmarkSign(b *testing.B) {
	get := Call{Method: http.MethodGet, Path: "service-users/" + benchRecordID,
		Idempotent: true}
	query := (*ListServiceUsersParams)(nil).listQuery(0)
	query.PerPage = 100
	list := Call{Method: http.MethodGet, Path: "service-users", Params: &query,
		Idempotent: true}
	listParams, err := encodeParams(&query)
	if err != nil {
		b.Fatal(err)
	}
	if got := strings.Count(canonicalParams(listParams), "\n") + 1; got != 73 {
		b.Fatalf("the list signs %d parameter lines, want 73", got)
	}

	s := newSigner(testAPISecret)
	c, err := New(testAccountID, testAPIKey, testAPISecret)
	if err != nil {
		b.Fatal(err)
	}

	for _, tt := range []struct {
		name   string
		call   Call
		params url.Values
	}{
		{"get", get, nil},
		{"list", list, listParams},
	} {
		path := signedPath(tt.call.Path)

		b.Run(tt.name+"/sdk", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				canonical := canonicalParams(tt.params)
				if len(s.sign(vectorTimestamp, vectorNonce, tt.call.Method, path,
					canonical)) != 64 {
					b.Fatal("short signature")
				}
			}
		})

		b.Run(tt.name+"/baseline", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(baselineSignature(testAPISecret, vectorTimestamp, vectorNonce,
					tt.call.Method, path, tt.params)) != 64 {
					b.Fatal("short signature")
				}
			}
		})

		b.Run(tt.name+"/attempt", func(b *testing.B) {
			req, st, err := c.newRequest(context.Background(), tt.call)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if c.sign(req.Request, st).Header[headerSignature] == nil {
					b.Fatal("no signature")
				}
			}
		})
	}
}
