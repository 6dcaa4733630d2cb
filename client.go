package carehq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// The API's addresses.
const (
	// LiveBaseURL is CareHQ's production API, the default.
	LiveBaseURL = "https://api.carehq.co.uk"

	// SandboxBaseURL is CareHQ's sandbox, for accounts set up there.
	SandboxBaseURL = "https://api.carehq.dev"
)

// The environment variables NewFromEnv reads.
const (
	EnvAccountID = "CAREHQ_ACCOUNT_ID"
	EnvAPIKey    = "CAREHQ_API_KEY"
	EnvAPISecret = "CAREHQ_API_SECRET"
	EnvBaseURL   = "CAREHQ_BASE_URL"
)

// Client calls the CareHQ API. Every request is signed with the account's
// API key and secret; the secret itself is never sent. A Client is safe for
// concurrent use by many goroutines, and should be made once and shared:
// it holds the connection pool and the view of the key's rate limit.
type Client struct {
	// ServiceUsers reaches the service users: residents and clients.
	ServiceUsers *ServiceUsersService

	accountID string
	apiKey    string
	signer    *signer
	base      *url.URL
	userAgent string
	headers   http.Header // sent with every request; see fixedHeaders
	logger    *slog.Logger

	http             *retryablehttp.Client
	maxRetries       int
	maxRateLimitWait time.Duration
	maxResponseBytes int64
	validate         bool
	gate             *rateGate
	transport        http.RoundTripper // below the attempt transport

	// now and nonce are the clock and nonce source of signatures, and
	// jitter draws a backoff in [0, n); tests replace them.
	now    func() time.Time
	nonce  func() string
	jitter func(n time.Duration) time.Duration
}

// New returns a Client for the account, signing with the API key and
// secret. It fails, naming the problem, when a credential is empty or an
// option is invalid. By default it calls LiveBaseURL.
func New(accountID, apiKey, apiSecret string, opts ...Option) (*Client, error) {
	var missing []string
	for _, c := range []struct{ name, value string }{
		{"account Id", accountID}, {"API key", apiKey}, {"API secret", apiSecret},
	} {
		if strings.TrimSpace(c.value) == "" {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("carehq: empty credential: %s", strings.Join(missing, ", "))
	}

	s := defaultSettings()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}

	c := &Client{
		accountID:        accountID,
		apiKey:           apiKey,
		signer:           newSigner(apiSecret),
		base:             base,
		userAgent:        userAgent(s.application),
		logger:           s.logger,
		maxRetries:       s.maxRetries,
		maxRateLimitWait: s.maxRateLimitWait,
		maxResponseBytes: s.maxResponseBytes,
		validate:         !s.skipValidation,
		gate:             newRateGate(),
		now:              time.Now,
		nonce:            newNonce,
		jitter:           rand.N[time.Duration],
	}
	c.headers = c.fixedHeaders()
	c.http = c.newRetryClient(s)
	c.ServiceUsers = &ServiceUsersService{client: c}

	return c, nil
}

// NewFromEnv returns a Client configured from the environment: the
// credentials from CAREHQ_ACCOUNT_ID, CAREHQ_API_KEY and CAREHQ_API_SECRET,
// and the base URL from CAREHQ_BASE_URL when it is set. Options given here
// are applied after the environment, so they win.
func NewFromEnv(opts ...Option) (*Client, error) {
	var missing []string
	for _, name := range []string{EnvAccountID, EnvAPIKey, EnvAPISecret} {
		if strings.TrimSpace(os.Getenv(name)) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("carehq: environment variables not set: %s",
			strings.Join(missing, ", "))
	}

	if base := strings.TrimSpace(os.Getenv(EnvBaseURL)); base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}

	return New(os.Getenv(EnvAccountID), os.Getenv(EnvAPIKey), os.Getenv(EnvAPISecret), opts...)
}

// parseBaseURL checks a base URL: https, or http on a loopback host; no
// credentials, query or fragment.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("carehq: base URL %q: %w", raw, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("carehq: base URL %q: want https://host", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("carehq: base URL %q: plain http is allowed only for a "+
			"loopback host (localhost, 127.0.0.0/8, ::1); use https", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("carehq: base URL %q: want no user, query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""

	return u, nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)

	return ip != nil && ip.IsLoopback()
}

func userAgent(application string) string {
	ua := "carehq-go/" + Version
	if application != "" {
		ua += " " + application
	}

	return ua
}

// RateLimit returns what CareHQ last said about the key's rate limit, from
// the most recent window seen. It is safe to call at any time, from any
// goroutine; before the first response every value is unknown.
func (c *Client) RateLimit() RateLimit {
	return c.gate.snapshot()
}

// CloseIdleConnections closes the connections the client keeps open for
// reuse, if its transport supports it. The client stays usable.
func (c *Client) CloseIdleConnections() {
	if t, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// Call is one request to any CareHQ endpoint, for Client.Do.
type Call struct {
	// Method is the HTTP method: GET, PUT, PATCH or DELETE.
	Method string

	// Path is the resource path under /v1/, such as "locations" or
	// "service-users/6724fbca4f73a2cebf638579".
	Path string

	// Params go in the query string of a GET and in a form-encoded body
	// otherwise. They may be nil, url.Values, map[string]string, or a
	// struct (or pointer to one) with go-querystring `url` tags; use Flag
	// for yes/no values, and repeat a key for a list. Empty values are left
	// out.
	Params any

	// Idempotent says that sending the call twice has the same effect as
	// sending it once, so that it may be retried after a failure that
	// leaves the outcome unknown (a timeout, a broken connection, a 5xx).
	// Set it for reads. Whatever it says, a call is retried after a 429 or
	// after a connection that could not be made, as CareHQ did nothing.
	Idempotent bool
}

// Do sends a call to any endpoint of the API, with the same signing,
// encoding, retries and errors as the typed services, and decodes the JSON
// answer into out with encoding/json. out may be nil to discard the answer,
// or a *json.RawMessage to keep it as it came. It returns an *APIError for
// a non-2xx answer, a *TransportError when no answer came, and the
// context's error when ctx ended before anything was sent.
func (c *Client) Do(ctx context.Context, call Call, out any) error {
	resp, err := c.send(ctx, call)
	if err != nil {
		return err
	}
	if out == nil || len(resp.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return decodeError(call, err)
	}

	return nil
}

// response is a successful answer, read whole.
type response struct {
	status    int
	body      []byte
	rateLimit RateLimit
	attempts  int
}

// send signs, sends and retries a call and returns its 2xx answer, or the
// error that ended it.
func (c *Client) send(ctx context.Context, call Call) (*response, error) {
	if ctx == nil {
		return nil, errors.New("carehq: nil context")
	}
	req, st, err := c.newRequest(ctx, call)
	if err != nil {
		return nil, err
	}

	if err := c.gate.wait(ctx, c.maxRateLimitWait); err != nil {
		return nil, err
	}

	resp, err := c.http.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, st.transportError(ctx, err)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(st.method, st.path, resp.StatusCode,
			resp.Header.Get("Content-Type"), st.body)
		apiErr.RateLimit = st.rateLimit
		apiErr.Attempts = st.attempts
		apiErr.OutcomeUnknown = !call.Idempotent && writeMayHaveApplied(resp.StatusCode)
		return nil, apiErr
	}

	return &response{
		status:    resp.StatusCode,
		body:      st.body,
		rateLimit: st.rateLimit,
		attempts:  st.attempts,
	}, nil
}

// writeMayHaveApplied reports whether a write answered with this status may
// have taken effect: a server failure may come after the write was stored.
func writeMayHaveApplied(status int) bool {
	return serverFailure(status)
}

// serverFailure reports whether status is a failure of CareHQ or a proxy
// that says nothing about the request itself: any 5xx but 501, which says
// the method is not implemented, so nothing was done and a repeat fails
// the same way.
func serverFailure(status int) bool {
	return status >= 500 && status != http.StatusNotImplemented
}

// decodeError reports an answer that is not the JSON expected. It holds the
// decoder's message (a position and what was found), never the body.
func decodeError(call Call, err error) error {
	return fmt.Errorf("carehq: %s %s: decoding the answer: %w", call.Method,
		signedPath(call.Path), err)
}

// newRequest validates and encodes a call and builds its request, carrying
// the call's state in its context for the transport and retry policy.
func (c *Client) newRequest(ctx context.Context, call Call) (*retryablehttp.Request,
	*callState, error) {
	method := call.Method
	if method == "" || strings.ToUpper(method) != method || strings.ContainsAny(method, " \t\r\n") {
		return nil, nil, fmt.Errorf("carehq: method %q: want an upper-case HTTP method such as GET",
			method)
	}
	if strings.Trim(call.Path, "/") == "" || strings.ContainsAny(call.Path, "?#\r\n") {
		return nil, nil, fmt.Errorf("carehq: path %q: want a resource path such as "+
			"\"service-users\", with parameters in Params", call.Path)
	}

	params, err := encodeParams(call.Params)
	if err != nil {
		return nil, nil, err
	}

	st := &callState{
		idempotent: call.Idempotent,
		method:     method,
		path:       signedPath(call.Path),
		canonical:  canonicalParams(params),
		rateLimit:  unknownRateLimit,
	}

	u := *c.base
	u.Path = c.base.Path + st.path
	var body []byte
	if method == http.MethodGet {
		u.RawQuery = params.Encode()
	} else {
		body = []byte(params.Encode())
		st.form = true
	}

	hreq, err := http.NewRequestWithContext(context.WithValue(ctx, callStateKey{}, st), method,
		u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("carehq: %s %s: %w", method, st.path, err)
	}
	req := &retryablehttp.Request{Request: hreq}
	if body != nil {
		if err := req.SetBody(body); err != nil {
			return nil, nil, fmt.Errorf("carehq: %s %s: %w", method, st.path, err)
		}
	}

	return req, st, nil
}

// newRetryClient builds the retrying client around the attempt transport.
func (c *Client) newRetryClient(s settings) *retryablehttp.Client {
	hc := &http.Client{}
	if s.httpClient != nil {
		*hc = *s.httpClient
	}
	base := hc.Transport
	if s.transport != nil {
		base = s.transport
	}
	if base == nil {
		base = defaultTransport()
	}
	c.transport = base
	hc.Transport = &attemptTransport{client: c, base: base}
	hc.CheckRedirect = refuseRedirect
	switch {
	case s.timeoutSet:
		hc.Timeout = s.timeout
	case hc.Timeout == 0:
		hc.Timeout = DefaultTimeout
	}

	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil,
		RetryWaitMin: s.retryWaitMin,
		RetryWaitMax: s.retryWaitMax,
		// The policy below decides when to stop; retryablehttp's own count
		// must never cut it short.
		RetryMax:     math.MaxInt32,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		PrepareRetry: c.prepareRetry,
		ErrorHandler: passThrough,
	}
}

// defaultTransport is net/http's default transport with a larger idle pool
// per host, since every request goes to the one API host.
func defaultTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16

	return t
}

// refuseRedirect stops at a redirect and returns it as the answer. Following
// it would send the signed headers to wherever it points.
func refuseRedirect(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}

// passThrough hands the last response or error to the caller unchanged, so
// that the final failed answer keeps its status and body.
func passThrough(resp *http.Response, err error, _ int) (*http.Response, error) {
	return resp, err
}
