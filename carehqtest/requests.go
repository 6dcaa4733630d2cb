package carehqtest

import (
	"net/url"
	"slices"
	"sync"
	"time"
)

// Request is a request the server received, for assertions. It holds no
// headers: they carry the credentials.
type Request struct {
	// Method is the HTTP method, such as PUT.
	Method string

	// Path is the path without the query string, such as
	// /v1/service-users/6724fbca4f73a2cebf638579.
	Path string

	// Params are the parameters: the query of a GET, the form body
	// otherwise. They are nil when they could not be read.
	Params url.Values

	// Status is the status answered, or 0 when the connection was dropped
	// without an answer.
	Status int

	// Authenticated reports whether the credentials and signature were
	// good. It is reported even when a rate limit or a fault answered
	// before authentication mattered.
	Authenticated bool

	// Faulted reports whether a fault (see AddFault) hit the request.
	Faulted bool

	// Time is when the request arrived, by the server's clock.
	Time time.Time
}

// requestLog keeps the requests received, the most recent limit of them
// when limit is not negative.
type requestLog struct {
	mu    sync.Mutex
	limit int
	list  []Request
}

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if l.limit == 0 {
		return
	}
	if l.limit > 0 && len(l.list) >= l.limit {
		l.list = slices.Delete(l.list, 0, len(l.list)-l.limit+1)
	}
	l.list = append(l.list, r)
}

// Requests returns the requests received since the server started or
// Reset was last called, oldest first. The caller owns the copy.
func (s *Server) Requests() []Request {
	s.requests.mu.Lock()
	defer s.requests.mu.Unlock()

	out := make([]Request, len(s.requests.list))
	for i, r := range s.requests.list {
		out[i] = r
		if r.Params != nil {
			out[i].Params = make(url.Values, len(r.Params))
			for k, vs := range r.Params {
				out[i].Params[k] = slices.Clone(vs)
			}
		}
	}

	return out
}

// Reset forgets the requests received so far. Service users, faults and
// the rate-limit window are left as they are.
func (s *Server) Reset() {
	s.requests.mu.Lock()
	defer s.requests.mu.Unlock()

	s.requests.list = nil
}
