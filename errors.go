package carehq

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Sentinel errors for errors.Is. An *APIError matches the one for its
// status code; a *ValidationError matches ErrInvalidRequest.
var (
	// ErrInvalidRequest means CareHQ rejected the parameters (400), or the client
	// found them invalid before sending.
	ErrInvalidRequest = errors.New("carehq: invalid request")

	// ErrUnauthorized means the account Id, API key or signature was not accepted
	// (401). A clock far from the real time also causes it.
	ErrUnauthorized = errors.New("carehq: unauthorized")

	// ErrForbidden means the key lacks the permission for this resource (403), or
	// the endpoint does not take this method (405).
	ErrForbidden = errors.New("carehq: forbidden")

	// ErrNotFound means there is no such resource (404).
	ErrNotFound = errors.New("carehq: not found")

	// ErrRateLimited means the key's request budget was spent (429) and the client
	// did not retry, or ran out of retries or patience.
	ErrRateLimited = errors.New("carehq: rate limit exceeded")

	// ErrServer means CareHQ, or a proxy in front of it, failed (5xx).
	ErrServer = errors.New("carehq: server failure")

	// ErrOutcomeUnknown means a write may have reached CareHQ, but no answer
	// says whether it took effect: the connection broke, the attempt timed
	// out, the context ended while it was in flight, or the server failed.
	// The client never retries such a write, because CareHQ has no way to
	// recognise a repeat and a retried create can register a resident
	// twice. Look the record up before creating it again.
	ErrOutcomeUnknown = errors.New("carehq: outcome unknown, the request may have taken effect")

	// ErrResponseTooLarge means a response body was longer than the client's
	// limit (see WithMaxResponseBytes).
	ErrResponseTooLarge = errors.New("carehq: response body too large")
)

// APIError is an answer from CareHQ, or from a proxy in front of it, with a
// status code other than 2xx. Its Error text holds the status, CareHQ's hint
// and the per-field messages, never a credential, query string or body.
type APIError struct {
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int

	// Hint is CareHQ's explanation for a person, if it gave one.
	Hint string

	// ArgErrors holds CareHQ's messages for each parameter it rejected,
	// keyed by parameter name.
	ArgErrors map[string][]string

	// Method and Path are the request's method and path, without the query
	// string; for example GET and /v1/service-users/6724fbca4f73a2cebf638579.
	Method string
	Path   string

	// RateLimit is what the last response said about the rate limit.
	RateLimit RateLimit

	// Attempts is how many times the request was sent.
	Attempts int

	// OutcomeUnknown is true for a write answered by a server failure:
	// it may have taken effect. See ErrOutcomeUnknown.
	OutcomeUnknown bool

	// Body is the response body, at most 64 KiB of it. It may hold personal
	// data that CareHQ echoed; it is never part of the Error text.
	Body []byte

	// ContentType is the response's Content-Type header.
	ContentType string
}

// maxErrorBody is how much of an error body an APIError keeps.
const maxErrorBody = 64 << 10

// Error returns the method, path, status, hint and field messages.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "carehq: %s %s: %d %s", e.Method, e.Path, e.StatusCode,
		http.StatusText(e.StatusCode))
	if e.Hint != "" {
		b.WriteString(": ")
		b.WriteString(e.Hint)
	} else if e.StatusCode >= 300 && e.StatusCode <= 399 {
		b.WriteString(" (redirect not followed: signed requests go to the base URL only)")
	} else if len(e.Body) > 0 && !e.jsonBody() {
		fmt.Fprintf(&b, " (a %d-byte %s body, not CareHQ's JSON: likely from a proxy)",
			len(e.Body), mediaType(e.ContentType))
	}
	writeFieldMessages(&b, e.ArgErrors)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.OutcomeUnknown {
		b.WriteString(" (outcome unknown: the request may have taken effect)")
	}

	return b.String()
}

// Is matches the sentinel for the status code, and ErrOutcomeUnknown when
// the outcome is unknown.
func (e *APIError) Is(target error) bool {
	if target == ErrOutcomeUnknown {
		return e.OutcomeUnknown
	}

	return target != nil && target == sentinelFor(e.StatusCode)
}

func (e *APIError) jsonBody() bool {
	return json.Valid(e.Body)
}

// sentinelFor maps a status code to its sentinel, or nil.
func sentinelFor(status int) error {
	switch {
	case status == http.StatusBadRequest:
		return ErrInvalidRequest
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden, status == http.StatusMethodNotAllowed:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	}

	return nil
}

// errorBody is the JSON CareHQ sends with an error.
type errorBody struct {
	Hint      string                     `json:"hint"`
	ArgErrors map[string]json.RawMessage `json:"arg_errors"`
}

// newAPIError builds the error for a non-2xx answer. A body that is not
// JSON, or not the expected shape, still gives an error with the status.
func newAPIError(method, path string, status int, contentType string, body []byte) *APIError {
	e := &APIError{
		StatusCode:  status,
		Method:      method,
		Path:        path,
		ContentType: contentType,
		Body:        body[:min(len(body), maxErrorBody)],
	}

	var parsed errorBody
	if json.Unmarshal(body, &parsed) != nil {
		return e
	}
	e.Hint = strings.TrimSpace(parsed.Hint)
	for field, raw := range parsed.ArgErrors {
		if msgs := fieldMessages(raw); len(msgs) > 0 {
			if e.ArgErrors == nil {
				e.ArgErrors = make(map[string][]string, len(parsed.ArgErrors))
			}
			e.ArgErrors[field] = msgs
		}
	}

	return e
}

// fieldMessages reads one field's messages: a list of strings, or a single
// string. Anything else is kept as its JSON text rather than dropped.
func fieldMessages(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return slices.DeleteFunc(list, func(s string) bool { return s == "" })
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	if string(raw) == "null" {
		return nil
	}

	return []string{string(raw)}
}

// writeFieldMessages writes "; name: message, message" for each field, in
// name order so that the text is stable.
func writeFieldMessages(b *strings.Builder, fields map[string][]string) {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b.WriteString("; ")
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(strings.Join(fields[name], ", "))
	}
}

// mediaType returns the media type of a Content-Type header, or "untyped".
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	if mt = strings.TrimSpace(mt); mt == "" {
		return "untyped"
	}

	return mt
}

// TransportError is a request that got no HTTP answer: the connection could
// not be made or broke, an attempt timed out, or the context ended. Its
// Error text holds the method and path, never the query string.
type TransportError struct {
	// Method and Path are the request's, without the query string.
	Method string
	Path   string

	// Attempts is how many times the request was sent or tried.
	Attempts int

	// OutcomeUnknown is true for a write that may have reached CareHQ. See
	// ErrOutcomeUnknown.
	OutcomeUnknown bool

	// Err is the cause. For a context that ended it is ctx.Err().
	Err error
}

// Error returns the method, path, cause and, for a write, whether it may
// have taken effect.
func (e *TransportError) Error() string {
	s := fmt.Sprintf("carehq: %s %s: %v", e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.OutcomeUnknown {
		s += " (outcome unknown: the request may have taken effect)"
	}

	return s
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// Is matches ErrOutcomeUnknown when the outcome is unknown.
func (e *TransportError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.OutcomeUnknown
}
