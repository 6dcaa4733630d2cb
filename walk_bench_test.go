package carehq

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// liveHeap returns the bytes of heap found live by a full collection: the
// least of three, with the other goroutines let run between them. One is not
// enough: the body of the response just read stays reachable for a moment
// from the request that net/http's goroutines are finishing with, so a
// single collection counts it in some samples and not in others. Memory
// that is really held is counted by all three.
func liveHeap() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	least := uint64(math.MaxUint64)
	for range 3 {
		runtime.Gosched()
		runtime.GC()
		metrics.Read(sample)
		least = min(least, sample[0].Value.Uint64())
	}

	return least
}

// heapOfWalk is what walkHeap measured.
type heapOfWalk struct {
	records int    // service users walked
	before  uint64 // live heap before the walk
	peak    uint64 // the largest live heap at a page's first service user
}

// walkHeap walks every service user that c's server lists, 100 to a page,
// with the SDK's All. At the first service user of each page, while the
// page is in use, it notes the live heap (see liveHeap).
func walkHeap(ctx context.Context, c *Client) (heapOfWalk, error) {
	h := heapOfWalk{before: liveHeap()}
	params := &ListServiceUsersParams{PerPage: 100}
	for su, err := range c.ServiceUsers.All(ctx, params) {
		if err != nil {
			return h, err
		}
		if h.records%100 == 0 {
			h.peak = max(h.peak, liveHeap())
		}
		if su.ID == "" {
			return h, fmt.Errorf("service user %d has no Id", h.records)
		}
		h.records++
	}

	return h, nil
}

// BenchmarkWalkHeap walks 10,000 and 100,000 service users, made on the fly
// by a loopback server, and reports the peak live heap (peak-live-B) and how
// much of it the walk added (walk-live-B). Both should be the same for both
// sizes: a walk holds one page, not the list.
func BenchmarkWalkHeap(b *testing.B) {
	for _, total := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("records=%d", total), func(b *testing.B) {
			srv := newBenchListServer(b, total, 0)
			c := newBenchClient(b, srv.URL)
			var worst heapOfWalk
			for b.Loop() {
				h, err := walkHeap(context.Background(), c)
				if err != nil {
					b.Fatal(err)
				}
				if h.records != total {
					b.Fatalf("walked %d service users, want %d", h.records, total)
				}
				if h.peak > worst.peak {
					worst = h
				}
			}
			b.ReportMetric(float64(worst.peak), "peak-live-B")
			b.ReportMetric(float64(worst.peak-min(worst.before, worst.peak)), "walk-live-B")
		})
	}
}

// TestWalkHeapDoesNotGrowWithTheList walks 10,000 and then 30,000 service
// users (2,000 and 6,000 under the race detector, to stay within seconds) and
// fails if the longer walk's peak live heap is more than 10% above the
// shorter's: a walk must hold about one page, whatever the list's length.
func TestWalkHeapDoesNotGrowWithTheList(t *testing.T) {
	if testing.Short() {
		t.Skip("walks tens of thousands of service users")
	}
	short, long := 10_000, 30_000
	if benchUnderRace {
		short, long = 2_000, 6_000
	}

	// One server and one client for both walks, so that both start from the
	// same heap.
	srv := newBenchListServer(t, 0, 0)
	c := newBenchClient(t, srv.URL)
	peaks := make(map[int]heapOfWalk)
	for _, total := range []int{short, long} {
		srv.setTotal(total)
		h, err := walkHeap(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		if h.records != total {
			t.Fatalf("walked %d service users, want %d", h.records, total)
		}
		peaks[total] = h
		t.Logf("%d service users: live heap %d B before, %d B at the peak", total, h.before,
			h.peak)
	}

	small, large := peaks[short].peak, peaks[long].peak
	if float64(large) > 1.10*float64(small) {
		t.Errorf("peak live heap grew with the list: %d B for %d service users, %d B for "+
			"%d (more than 10%% above)", small, short, large, long)
	}
}

// pageWalk walks the pages of a list, handing each to yield until yield
// returns false, and returns the error that ended the walk, if any.
type pageWalk func(ctx context.Context, params *ListServiceUsersParams,
	yield func(*Page[ServiceUser]) bool) error

// sdkPageWalk walks with the SDK's Pages and opts.
func sdkPageWalk(c *Client, opts ...WalkOption) pageWalk {
	return func(ctx context.Context, params *ListServiceUsersParams,
		yield func(*Page[ServiceUser]) bool) error {
		for page, err := range c.ServiceUsers.Pages(ctx, params, opts...) {
			if err != nil {
				return err
			}
			if !yield(page) {
				return nil
			}
		}
		return nil
	}
}

// twoAheadPageWalk is a sketch, for measurement only, of a walk that keeps
// two pages in flight where Prefetch keeps one: after the first page it
// fetches the next two, and starts another fetch each time one is taken. It
// leaves out the SDK walk's checks of the pages' consistency.
func twoAheadPageWalk(c *Client) pageWalk {
	return func(ctx context.Context, params *ListServiceUsersParams,
		yield func(*Page[ServiceUser]) bool) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		query := params.listQuery(0)
		page, err := c.ServiceUsers.fetchPage(ctx, &query, 1)
		if err != nil {
			return err
		}

		var ahead []chan fetched[ServiceUser] // fetches in flight, in page order
		defer func() {
			cancel()
			for _, f := range ahead {
				<-f
			}
		}()
		next := 2
		for {
			for ; len(ahead) < 2 && next <= page.PageCount; next++ {
				f := make(chan fetched[ServiceUser], 1)
				go func(number int) {
					p, err := c.ServiceUsers.fetchPage(ctx, &query, number)
					f <- fetched[ServiceUser]{p, err}
				}(next)
				ahead = append(ahead, f)
			}
			if !yield(page) || len(ahead) == 0 {
				return nil
			}
			got := <-ahead[0]
			ahead = ahead[1:]
			if got.err != nil {
				return got.err
			}
			page = got.page
		}
	}
}

// BenchmarkPrefetch walks 20 pages from a loopback server that takes 5 ms
// over each page, with a caller that spends 5 ms on each: without Prefetch
// (plain), with it (prefetch), and with a sketch of a walk that keeps two
// pages in flight (two_ahead_sketch), to measure what fetching further ahead
// would gain. Pages of 10 and of 100 full service users show how the
// client's own time per page (reading and decoding) weighs on the overlap.
// It reports how long, per page, the caller waited for the page
// (wait-ms/page) and spent on it (work-ms/page, the 5 ms sleep as this
// machine keeps it).
func BenchmarkPrefetch(b *testing.B) {
	const (
		pages     = 20
		serverLag = 5 * time.Millisecond
		work      = 5 * time.Millisecond
	)
	for _, perPage := range []int{10, 100} {
		srv := newBenchListServer(b, pages*perPage, serverLag)
		c := newBenchClient(b, srv.URL)
		params := &ListServiceUsersParams{PerPage: perPage}

		for _, walk := range []struct {
			name string
			walk pageWalk
		}{
			{"plain", sdkPageWalk(c)},
			{"prefetch", sdkPageWalk(c, Prefetch())},
			{"two_ahead_sketch", twoAheadPageWalk(c)},
		} {
			b.Run(fmt.Sprintf("per_page=%d/%s", perPage, walk.name), func(b *testing.B) {
				var waited, worked time.Duration
				for b.Loop() {
					n := 0
					ready := time.Now() // when the caller is ready for a page
					err := walk.walk(context.Background(), params,
						func(page *Page[ServiceUser]) bool {
							got := time.Now()
							waited += got.Sub(ready)
							if len(page.Items) != perPage {
								b.Errorf("page %d has %d items", page.Page, len(page.Items))
								return false
							}
							time.Sleep(work)
							ready = time.Now()
							worked += ready.Sub(got)
							n++
							return true
						})
					if err != nil {
						b.Fatal(err)
					}
					if n != pages {
						b.Fatalf("walked %d pages, want %d", n, pages)
					}
				}
				perPageMS := func(d time.Duration) float64 {
					return float64(d) / float64(time.Millisecond) / float64(b.N*pages)
				}
				b.ReportMetric(perPageMS(waited), "wait-ms/page")
				b.ReportMetric(perPageMS(worked), "work-ms/page")
			})
		}
	}
}

// BenchmarkWalk walks 10,000 full service users, 100 to a page, from a
// loopback server that makes them on the fly; run it with -cpuprofile to see
// where a walk spends its time. The server runs in the same process, so its
// share (writing the pages) shows in the profile too.
func BenchmarkWalk(b *testing.B) {
	const total = 10_000
	srv := newBenchListServer(b, total, 0)
	c := newBenchClient(b, srv.URL)
	params := &ListServiceUsersParams{PerPage: 100}

	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for su, err := range c.ServiceUsers.All(context.Background(), params) {
			if err != nil {
				b.Fatal(err)
			}
			if su.ID != "" {
				n++
			}
		}
		if n != total {
			b.Fatalf("walked %d service users, want %d", n, total)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*total), "ns/record")
}
