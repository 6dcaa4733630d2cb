package carehq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"
)

// callStateKey is the context key under which a call's state travels to the
// transport and the retry policy.
type callStateKey struct{}

// callState is what one call's attempts share. The attempts of a call run
// one after another on one goroutine, so it needs no lock.
type callState struct {
	idempotent bool
	form       bool   // parameters are in a form body
	method     string // upper case
	path       string // as signed: /v1/...
	canonical  string // the signed parameter block

	attempts         int           // attempts handed to the transport
	mayHaveReached   bool          // some attempt may have reached CareHQ
	retries          int           // retries after transient failures
	rateLimitRetries int           // retries after 429s
	rateLimitWaited  time.Duration // in total, after 429s
	rateLimitWait    time.Duration // before the next attempt, after a 429
	rateLimit        RateLimit     // from the last answer
	body             []byte        // of the last answer
}

func callStateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)

	return st
}

// transportError turns the error that ended a call into what the caller
// gets: the context's own error when it ended before anything may have
// reached CareHQ, else a *TransportError. net/http's *url.Error is
// unwrapped because its text holds the URL, query string included.
func (st *callState) transportError(ctx context.Context, err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	outcomeUnknown := !st.idempotent && st.mayHaveReached
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !outcomeUnknown {
			return ctxErr
		}
		err = ctxErr
	}

	return &TransportError{
		Method:         st.method,
		Path:           st.path,
		Attempts:       st.attempts,
		OutcomeUnknown: outcomeUnknown,
		Err:            err,
	}
}

// attemptTransport sends one attempt: it signs the request afresh (new
// timestamp and nonce), reads the whole answer under the size cap, records
// the rate limit, and logs the attempt. Reading the body here puts a body
// that breaks half-way under the retry policy, like any other failure.
type attemptTransport struct {
	client *Client
	base   http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.client
	st := callStateFrom(req.Context())
	if st == nil {
		return nil, errors.New("carehq: request made outside the client")
	}
	st.attempts++
	start := time.Now()

	signed := c.sign(req, st)
	resp, err := t.base.RoundTrip(signed)
	if err != nil {
		if !notSent(err) {
			st.mayHaveReached = true
		}
		c.logAttempt(req.Context(), st, 0, time.Since(start), err)
		return nil, err
	}
	st.mayHaveReached = true

	body, err := readBody(resp.Body, resp.ContentLength, c.maxResponseBytes)
	resp.Body.Close()
	st.rateLimit = parseRateLimit(resp.Header)
	c.gate.observe(st.rateLimit)
	if err != nil {
		c.logAttempt(req.Context(), st, resp.StatusCode, time.Since(start), err)
		return nil, err
	}
	st.body = body
	resp.Request = req
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	c.logAttempt(req.Context(), st, resp.StatusCode, time.Since(start), nil)

	return resp, nil
}

// formContentType is the Content-Type of every request with a body.
var formContentType = []string{"application/x-www-form-urlencoded"}

// fixedHeaders returns the headers every request of the client carries.
// Their value slices are shared by all requests, which net/http never
// changes.
func (c *Client) fixedHeaders() http.Header {
	return http.Header{
		"Accept":               {"application/json"},
		"User-Agent":           {c.userAgent},
		headerAccountID:        {c.accountID},
		headerAPIKey:           {c.apiKey},
		headerSignatureVersion: {SignatureVersion},
	}
}

// sign returns a copy of req carrying the credentials and a fresh
// signature. The original is left as it was, as a RoundTripper must.
//
// net/http's transport resends a GET by itself when a reused connection
// fails before the answer starts, and the server may already have seen the
// first send, nonce and all. A trace on the copy signs it again, with a new
// timestamp and nonce, whenever the transport takes another connection for
// it. The transport has finished writing the failed send by then.
func (c *Client) sign(req *http.Request, st *callState) *http.Request {
	h := make(http.Header, len(req.Header)+9)
	for k, v := range req.Header {
		h[k] = v
	}
	for k, v := range c.headers {
		h[k] = v
	}
	if st.form {
		h["Content-Type"] = formContentType
	}
	c.stamp(h, st)

	conns := 0
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		if conns++; conns > 1 {
			c.stamp(h, st)
		}
	}}
	out := req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	out.Header = h

	return out
}

// stamp sets the timestamp, a new nonce and their signature in h.
func (c *Client) stamp(h http.Header, st *callState) {
	timestamp := unixTimestamp(c.now())
	nonce := c.nonce()
	h[headerNonce] = []string{nonce}
	h[headerTimestamp] = []string{timestamp}
	h[headerSignature] = []string{c.signer.sign(timestamp, nonce, st.method, st.path,
		st.canonical)}
}

// maxPresize bounds the buffer readBody makes up front from an announced
// Content-Length, so that a length that lies costs little.
const maxPresize = 4 << 20

// readBody reads a body whole, failing with ErrResponseTooLarge past limit
// bytes. announced is the Content-Length, or -1: sizing the buffer from it
// saves the repeated doubling of io.ReadAll, which for a 270 KB page
// allocates more than twice the page.
func readBody(body io.Reader, announced, limit int64) ([]byte, error) {
	size := int64(bytes.MinRead)
	if announced >= 0 && announced <= min(limit, maxPresize) {
		// bytes.Buffer grows when less than MinRead is free, even at EOF.
		size = announced + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(io.LimitReader(body, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, limit)
	}

	return buf.Bytes(), nil
}

// logAttempt writes the attempt's debug record, if a logger wants it. It
// holds no header, body, query value or credential.
func (c *Client) logAttempt(ctx context.Context, st *callState, status int, d time.Duration,
	err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}

	attrs := []slog.Attr{
		slog.String("method", st.method),
		slog.String("path", st.path),
		slog.Int("status", status),
		slog.Int("attempt", st.attempts),
		slog.Duration("duration", d),
		slog.Int("rate_limit_remaining", st.rateLimit.Remaining),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", failureKind(err)))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "carehq attempt", attrs...)
}
