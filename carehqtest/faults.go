package carehqtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is a failure the server injects into the requests that match it,
// for testing how a client copes. The zero Fault matches every request but
// does nothing: set at least one of Status, Latency, Drop or Malformed, or
// ApplyThenFail.
//
// Faults apply after rate limiting and before authentication, as a failing
// proxy or server would: a request answered by a fault is still recorded,
// with whether its signature was good.
type Fault struct {
	// Method matches the request's method, such as PUT; empty matches all.
	Method string

	// Path matches the request's path exactly, and PathPrefix matches the
	// start of it; empty matches all. A path that does not start with a
	// slash is a resource path under /v1/: "service-users" stands for
	// "/v1/service-users".
	Path       string
	PathPrefix string

	// Times is how many requests the fault applies to before it is spent;
	// 0 means every matching request until ClearFaults.
	Times int

	// Probability is the chance that a matching request is hit, from the
	// server's seeded random source (see WithSeed), so that a run can be
	// repeated. 0, the default, and 1 both mean every matching request.
	Probability float64

	// Status answers with this HTTP status and a JSON hint, such as 503.
	Status int

	// Hint is the hint the answer carries; a default one names the status.
	Hint string

	// ResetAfter is, for a 429, how long from now the rate-limit window is
	// said to reset (X-CareHQ-RateLimit-Reset); one second by default.
	ResetAfter time.Duration

	// Latency delays the request by this long before anything else
	// happens. With nothing else set, the request is then served as usual.
	// The wait ends early, with a 503, when the server is closed.
	Latency time.Duration

	// Drop closes the connection without answering. Note that net/http's
	// client may itself resend a GET dropped on a connection it had used
	// before; the resent request is a new request to the server.
	Drop bool

	// Malformed answers 200 with a body that is not valid JSON.
	Malformed bool

	// ApplyThenFail serves the request as usual, so that a create is
	// stored, and then answers with the failure (Status, Drop or
	// Malformed; 500 when none is set) instead of the real answer.
	ApplyThenFail bool
}

// faultList holds the faults waiting for requests. It is safe for
// concurrent use.
type faultList struct {
	mu     sync.Mutex
	faults []*pendingFault
	rand   *rand.Rand
}

type pendingFault struct {
	Fault
	left int // requests left to hit, when Times > 0
}

func newFaultList(seed uint64) *faultList {
	return &faultList{rand: rand.New(rand.NewPCG(seed, 0xfa17))}
}

// AddFault adds a fault that applies to the requests that match it, after
// the faults added before it: a request is hit by the first fault that
// matches and passes its probability. It panics on a fault that is invalid
// (a negative Times or Latency, a Probability outside 0..1, a Status
// outside 100..599, Drop with Malformed or Status) or does nothing.
func (s *Server) AddFault(f Fault) {
	if err := checkFault(&f); err != nil {
		panic("carehqtest: AddFault: " + err.Error())
	}

	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()

	s.faults.faults = append(s.faults.faults, &pendingFault{Fault: f, left: f.Times})
}

// ClearFaults removes every fault, spent or not.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()

	s.faults.faults = nil
}

// checkFault rejects a fault that is invalid and fills in its defaults.
func checkFault(f *Fault) error {
	switch {
	case f.Times < 0:
		return fmt.Errorf("negative Times %d", f.Times)
	case f.Latency < 0 || f.ResetAfter < 0:
		return fmt.Errorf("negative Latency or ResetAfter")
	case f.Probability < 0 || f.Probability > 1:
		return fmt.Errorf("probability %v outside 0..1", f.Probability)
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("status %d is not an HTTP status", f.Status)
	case f.Drop && (f.Malformed || f.Status != 0):
		return errors.New("drop cannot be combined with Malformed or Status")
	case f.Malformed && f.Status != 0:
		return errors.New("malformed cannot be combined with Status")
	}
	if f.ApplyThenFail && f.Status == 0 && !f.Drop && !f.Malformed {
		f.Status = http.StatusInternalServerError
	}
	if f.Status == 0 && !f.Drop && !f.Malformed && f.Latency == 0 {
		return errors.New("the fault does nothing: set Status, Latency, Drop or Malformed")
	}
	f.Path = resourcePath(f.Path)
	f.PathPrefix = resourcePath(f.PathPrefix)

	return nil
}

// resourcePath turns "service-users" into "/v1/service-users" and leaves
// an empty path or one starting with a slash as it is.
func resourcePath(p string) string {
	if p == "" || strings.HasPrefix(p, "/") {
		return p
	}

	return "/v1/" + p
}

func (f *Fault) matches(method, path string) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, method)) &&
		(f.Path == "" || f.Path == path) &&
		(f.PathPrefix == "" || strings.HasPrefix(path, f.PathPrefix))
}

// take returns the fault that hits a request, if any, and spends one of its
// Times.
func (fl *faultList) take(method, path string) (Fault, bool) {
	fl.mu.Lock()
	defer fl.mu.Unlock()

	for i, pf := range fl.faults {
		if !pf.matches(method, path) {
			continue
		}
		if pf.Probability > 0 && pf.Probability < 1 && fl.rand.Float64() >= pf.Probability {
			continue
		}
		if pf.Times > 0 {
			pf.left--
			if pf.left == 0 {
				fl.faults = append(fl.faults[:i:i], fl.faults[i+1:]...)
			}
		}
		return pf.Fault, true
	}

	return Fault{}, false
}

// malformedBody is the start of a plausible answer, cut off mid-value.
const malformedBody = `{"item_count": 2, "items": [{"_id": "6724fbca4f73a2ce`

// inject answers a request hit by a fault. serve answers it as usual. It
// returns the status answered, 0 when the connection was dropped.
func (s *Server) inject(w http.ResponseWriter, r *http.Request, f Fault,
	serve func() answer) int {
	if f.Latency > 0 && !s.pause(r.Context(), f.Latency) {
		return s.write(w, hintAnswer(http.StatusServiceUnavailable,
			"The server is shutting down."))
	}

	if f.ApplyThenFail {
		serve()
	}
	switch {
	case f.Drop:
		dropConnection(w)
		return 0
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(malformedBody))
		return http.StatusOK
	case f.Status != 0:
		return s.write(w, faultAnswer(w.Header(), f, s.now()))
	}

	return s.write(w, serve())
}

// faultAnswer is the answer of a fault's status. A 429 says the window is
// spent until ResetAfter from now.
func faultAnswer(h http.Header, f Fault, now time.Time) answer {
	if f.Status == http.StatusTooManyRequests {
		reset := f.ResetAfter
		if reset == 0 {
			reset = time.Second
		}
		h.Set(headerRateRemaining, "0")
		h.Set(headerRateReset, unixSeconds(now.Add(reset)))
	}
	hint := f.Hint
	if hint == "" {
		hint = fmt.Sprintf("A fault was injected into this request: %d %s.", f.Status,
			http.StatusText(f.Status))
	}

	return hintAnswer(f.Status, hint)
}

// pause waits for d, and reports false if the client went away or the
// server is closing first. It uses a real timer, which testing/synctest
// fakes inside a bubble.
func (s *Server) pause(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()

	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	}
}

// dropConnection closes the connection without a word.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
