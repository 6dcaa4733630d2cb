package carehqtest

import (
	"bufio"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carehq-go/carehq"
)

// maxBodyBytes bounds a request body. A create with long notes is a few
// kilobytes.
const maxBodyBytes = 1 << 20

// Server is a fake CareHQ API serving service users, over HTTP on
// 127.0.0.1 or on an in-memory network. It checks signatures, validates
// and stores records, applies rate limits and injects faults as it is
// told. Its methods are safe for concurrent use. Close it when done.
type Server struct {
	// URL is the base URL to give a client, such as http://127.0.0.1:41234,
	// with no trailing slash.
	URL string

	// AccountID, APIKey and APISecret are the credentials the server
	// accepts. Changing them does not change what the server accepts.
	AccountID string
	APIKey    string
	APISecret string

	// LocationID is the Id of a location the server knows from the start.
	// Add more with AddLocation.
	LocationID string

	httpServer *httptest.Server
	transport  *http.Transport
	httpClient *http.Client
	closing    chan struct{}
	closeOnce  sync.Once

	now      func() time.Time
	verifier *verifier
	limiter  *rateLimiter
	faults   *faultList
	store    *store
	seeder   *seeder
	requests *requestLog
	quirks   atomic.Bool
	logger   *slog.Logger
}

// NewServer starts a fake CareHQ server, by default on a new 127.0.0.1
// port with the default credentials (DefaultAccountID, DefaultAPIKey,
// DefaultAPISecret) and location (DefaultLocationID). It panics if an
// option is invalid or it cannot listen.
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if cfg.inMemory && cfg.listener != nil {
		cfg.invalid("WithInMemoryNetwork and WithListener cannot be combined")
	}
	if len(cfg.problems) > 0 {
		panic("carehqtest: NewServer: " + strings.Join(cfg.problems, "; "))
	}

	s := &Server{
		AccountID:  cfg.accountID,
		APIKey:     cfg.apiKey,
		APISecret:  cfg.apiSecret,
		LocationID: cfg.locationID,
		closing:    make(chan struct{}),
		now:        func() time.Time { return cfg.now().UTC() },
		verifier:   newVerifier(cfg.accountID, cfg.apiKey, cfg.apiSecret, cfg.window),
		limiter:    &rateLimiter{limit: cfg.rateLimit},
		faults:     newFaultList(cfg.seed),
		store:      newStore(cfg.seed, cfg.locationID),
		seeder:     newSeeder(cfg.seed),
		requests:   &requestLog{limit: cfg.requestLimit},
		logger:     cfg.logger,
	}
	s.quirks.Store(cfg.quirks)
	if cfg.serviceUsers > 0 {
		s.SeedServiceUsers(cfg.serviceUsers)
	}

	hs := httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cfg.logger != nil {
		hs.Config.ErrorLog = slog.NewLogLogger(cfg.logger.Handler(), slog.LevelWarn)
	}
	switch {
	case cfg.inMemory:
		hs.Listener.Close()
		pl := newPipeListener()
		hs.Listener = pl
		s.transport = newTransport(pl.dial)
	case cfg.listener != nil:
		hs.Listener.Close()
		hs.Listener = cfg.listener
		s.transport = newTransport((&net.Dialer{}).DialContext)
	default:
		s.transport = newTransport((&net.Dialer{}).DialContext)
	}
	hs.Start()
	s.httpServer = hs
	s.URL = hs.URL
	s.httpClient = &http.Client{Transport: s.transport}

	return s
}

// Close stops the server: it stops listening, ends latency faults in
// progress, waits for the requests being served and closes the idle
// connections of HTTPClient. Calling it again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.httpServer.Close()
		s.transport.CloseIdleConnections()
	})
}

// HTTPClient returns an http.Client that reaches the server, the only way
// to reach one on an in-memory network (where it reaches this server
// whatever URL it is given). It is shared: do not change it. Close closes
// its idle connections.
func (s *Server) HTTPClient() *http.Client {
	return s.httpClient
}

// Client returns an SDK client for the server: its URL, credentials and
// HTTPClient, followed by opts, which may override them. It fails as
// carehq.New does, when an option is invalid.
func (s *Server) Client(opts ...carehq.Option) (*carehq.Client, error) {
	all := append([]carehq.Option{
		carehq.WithBaseURL(s.URL),
		carehq.WithHTTPClient(s.httpClient),
	}, opts...)

	return carehq.New(s.AccountID, s.APIKey, s.APISecret, all...)
}

// SetQuirks turns on or off the quirks real CareHQ payloads have, in
// retrieve, list and create answers: a null flag is sent as "", dob and
// fnc_application_date are named dob_str and fnc_application_date_str,
// given_age and min_ledger_balance are sent as strings, an unset
// billing_comms_preference carries a value the documentation does not
// list, and every object carries a field the documentation does not list.
// The create answer always has the quirks of CareHQ's documented example.
// Quirks are off by default; see also WithQuirks.
func (s *Server) SetQuirks(on bool) {
	s.quirks.Store(on)
}

// AddLocation adds a location with a new Id and returns the Id, so that
// service users can be created at it.
func (s *Server) AddLocation() string {
	return s.store.newLocation(s.now())
}

// Locations returns the Ids of the locations the server knows, LocationID
// first.
func (s *Server) Locations() []string {
	return s.store.locationIDs()
}

// answer is what a request gets: a status and a body for encoding/json.
type answer struct {
	status int
	body   any
	allow  string // the Allow header of a 405
}

// errorBody is the JSON of every error CareHQ answers.
type errorBody struct {
	Hint      string              `json:"hint"`
	ArgErrors map[string][]string `json:"arg_errors,omitempty"`
}

func hintAnswer(status int, hint string) answer {
	return answer{status: status, body: errorBody{Hint: hint}}
}

// invalidAnswer is a 400 with messages per parameter.
func invalidAnswer(argErrors map[string][]string) answer {
	return answer{status: http.StatusBadRequest, body: errorBody{
		Hint:      "Some parameters are not valid; see arg_errors.",
		ArgErrors: argErrors,
	}}
}

// serveHTTP handles every request. The signature is checked first, so that
// the outcome is recorded, but a rate limit or a fault answers before a bad
// signature does, as a gateway in front of the API would. Only an
// authentic request is routed.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	now := s.now()
	rec := Request{Method: r.Method, Path: r.URL.Path, Time: now}

	params, paramsHint := readParams(r)
	rec.Params = params
	authHint := "The request's parameters could not be read."
	if paramsHint == "" {
		authHint = s.verifier.verify(r, params, now)
	}
	rec.Authenticated = authHint == ""

	rate := s.limiter.take(now)
	rate.write(w.Header())

	// The request is logged as its answer starts to leave, not after: a
	// client that has its answer must find the request in Requests.
	lw := &loggingWriter{ResponseWriter: w, log: func(status int) {
		rec.Status = status
		s.requests.add(rec)
	}}
	w = lw

	serve := func() answer {
		switch {
		case paramsHint != "":
			return hintAnswer(http.StatusBadRequest, paramsHint)
		case authHint != "":
			return hintAnswer(http.StatusUnauthorized, authHint)
		}
		return s.route(r.Method, r.URL.Path, params)
	}

	if rate.exceeded {
		rec.Status = s.write(w, hintAnswer(http.StatusTooManyRequests,
			"Too many requests for this API key; wait until the rate-limit window resets."))
	} else if fault, hit := s.faults.take(r.Method, r.URL.Path); hit {
		rec.Faulted = true
		rec.Status = s.inject(w, r, fault, serve)
	} else {
		rec.Status = s.write(w, serve())
	}

	lw.once(rec.Status) // in case no answer was written at all

	if s.logger != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "carehq fake request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.Status),
			slog.Duration("duration", time.Since(start)),
			slog.Bool("authenticated", rec.Authenticated))
	}
}

// loggingWriter calls log once, with the status, just before the first
// byte of the answer is written or the connection is taken over to drop it
// (status 0).
type loggingWriter struct {
	http.ResponseWriter
	log    func(status int)
	logged bool
}

func (w *loggingWriter) once(status int) {
	if !w.logged {
		w.logged = true
		w.log(status)
	}
}

func (w *loggingWriter) WriteHeader(status int) {
	w.once(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *loggingWriter) Write(b []byte) (int, error) {
	w.once(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// Hijack hands over the connection, for a fault that drops it.
func (w *loggingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.once(0)
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}

// readParams returns the parameters that are signed: the query of a GET,
// the form body of any other method. When they cannot be read it returns
// the hint for the 400 instead.
func readParams(r *http.Request) (url.Values, string) {
	if r.Method == http.MethodGet {
		params, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, "The query string is not valid URL encoding."
		}
		return params, ""
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	switch {
	case err != nil:
		return nil, "The request body could not be read."
	case len(body) > maxBodyBytes:
		return nil, "The request body is too large."
	}
	if len(body) > 0 {
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType != "application/x-www-form-urlencoded" {
			return nil, "Send parameters as an application/x-www-form-urlencoded body."
		}
	}
	params, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, "The request body is not valid URL encoding."
	}

	return params, ""
}

// route answers an authenticated request.
func (s *Server) route(method, path string, params url.Values) answer {
	resource, ok := strings.CutPrefix(path, "/v1/")
	if !ok {
		return hintAnswer(http.StatusNotFound, "No endpoint at this path; paths start /v1/.")
	}
	parts := strings.Split(strings.Trim(resource, "/"), "/")

	switch {
	case len(parts) == 1 && parts[0] == "service-users":
		switch method {
		case http.MethodGet:
			return s.listServiceUsers(params)
		case http.MethodPut:
			return s.createServiceUser(params)
		}
		return methodNotAllowed("GET, PUT")
	case len(parts) == 2 && parts[0] == "service-users" && parts[1] != "":
		if method == http.MethodGet {
			return s.retrieveServiceUser(parts[1])
		}
		return methodNotAllowed("GET")
	}

	return hintAnswer(http.StatusNotFound, "No endpoint at this path.")
}

func methodNotAllowed(allow string) answer {
	a := hintAnswer(http.StatusMethodNotAllowed,
		"This endpoint does not take this method; it takes "+allow+".")
	a.allow = allow

	return a
}

// write sends an answer as JSON and returns its status.
func (s *Server) write(w http.ResponseWriter, a answer) int {
	body, err := json.Marshal(a.body)
	if err != nil {
		a = hintAnswer(http.StatusInternalServerError, "The answer could not be encoded.")
		body, _ = json.Marshal(a.body)
	}
	if a.allow != "" {
		w.Header().Set("Allow", a.allow)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_, _ = w.Write(body)

	return a.status
}
