package carehq

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// benchListServer lists a number of made-up service users, each with every
// attribute, making every page as it is asked for. It keeps 100 records
// written out once and sends them over and over, each time under a new Id,
// so that its memory is the same whether it lists ten thousand service users
// or a million: what a walk costs in memory is then the client's.
type benchListServer struct {
	// URL is the server's base URL, for WithBaseURL.
	URL string

	total atomic.Int64  // service users listed; see setTotal
	delay time.Duration // the time the server takes over each page
	items [][]byte      // the records sent, in turn, as JSON objects
}

// benchIDAt is where a record's Id sits in its JSON: {"_id":"<24 hex>",...
const benchIDAt = len(`{"_id":"`)

// newBenchListServer starts, on 127.0.0.1, a server listing total service
// users, that waits delay before answering each page. It is closed when tb
// ends.
func newBenchListServer(tb testing.TB, total int, delay time.Duration) *benchListServer {
	tb.Helper()
	s := &benchListServer{delay: delay}
	s.setTotal(total)
	rng := rand.New(rand.NewPCG(13, 17))
	for i := range 100 {
		item, err := json.Marshal(realisticServiceUser(rng, i))
		if err != nil {
			tb.Fatal(err)
		}
		if string(item[:benchIDAt]) != `{"_id":"` || item[benchIDAt+24] != '"' {
			tb.Fatalf("record %d does not start with its Id", i)
		}
		s.items = append(s.items, item)
	}

	srv := httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	tb.Cleanup(srv.Close)
	s.URL = srv.URL

	return s
}

// setTotal changes the number of service users listed, from the next
// request on.
func (s *benchListServer) setTotal(total int) {
	s.total.Store(int64(total))
}

// serveHTTP answers a list request with the page its page and per_page
// parameters ask for (1 and 10 by default, as CareHQ's), ignoring every
// other parameter.
func (s *benchListServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	page, err := strconv.Atoi(query.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	perPage, err := strconv.Atoi(query.Get("per_page"))
	if err != nil || perPage < 1 {
		perPage = 10
	}
	total := int(s.total.Load())
	first := min((page-1)*perPage, total)
	last := min(first+perPage, total)

	if s.delay > 0 {
		timer := time.NewTimer(s.delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}

	head := `{"item_count":` + strconv.Itoa(total) + `,"items":[`
	tail := `],"page":` + strconv.Itoa(page) +
		`,"page_count":` + strconv.Itoa((total+perPage-1)/perPage) +
		`,"per_page":` + strconv.Itoa(perPage) + `}`
	size := len(head) + len(tail)
	for i := first; i < last; i++ {
		size += len(s.items[i%len(s.items)]) + 1
	}
	if last > first {
		size-- // no comma after the last item
	}

	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(size))
	_, _ = w.Write([]byte(head))
	id := make([]byte, 24)
	for i := first; i < last; i++ {
		item := s.items[i%len(s.items)]
		if i > first {
			_, _ = w.Write([]byte{','})
		}
		writeBenchID(id, i)
		_, _ = w.Write(item[:benchIDAt])
		_, _ = w.Write(id)
		_, _ = w.Write(item[benchIDAt+24:])
	}
	_, _ = w.Write([]byte(tail))
}

// writeBenchID writes the Id of the n-th service user into id, as 24
// lower-case hex digits.
func writeBenchID(id []byte, n int) {
	const digits = "0123456789abcdef"
	v := uint64(n)
	for i := len(id) - 1; i >= 0; i-- {
		id[i] = digits[v&15]
		v >>= 4
	}
}
