package carehq

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The rate-limit headers, in the canonical form net/http stores them.
const (
	headerRateLimit     = "X-Carehq-Ratelimit-Limit"
	headerRateRemaining = "X-Carehq-Ratelimit-Remaining"
	headerRateReset     = "X-Carehq-Ratelimit-Reset"
)

// RateLimit is what CareHQ last said about an API key's request budget.
// CareHQ limits each key to a number of requests per second.
type RateLimit struct {
	// Limit is the number of requests the key may make per second, or -1
	// when CareHQ did not say.
	Limit int

	// Remaining is the number of requests left in the current window, or -1
	// when CareHQ did not say.
	Remaining int

	// Reset is when the current window ends; the zero time when CareHQ did
	// not say. CareHQ's clock is assumed to agree with this machine's.
	Reset time.Time
}

// unknownRateLimit is the RateLimit of a response without the headers.
var unknownRateLimit = RateLimit{Limit: -1, Remaining: -1}

// Known reports whether any of the three values was given.
func (r RateLimit) Known() bool {
	return r.Limit >= 0 || r.Remaining >= 0 || !r.Reset.IsZero()
}

// parseRateLimit reads the X-CareHQ-RateLimit-* headers. A missing or garbled
// header leaves its field unknown; it is never an error.
func parseRateLimit(h http.Header) RateLimit {
	r := unknownRateLimit
	if n, ok := parseCount(headerValue(h, headerRateLimit)); ok {
		r.Limit = n
	}
	if n, ok := parseCount(headerValue(h, headerRateRemaining)); ok {
		r.Remaining = n
	}
	r.Reset = parseUnixSeconds(headerValue(h, headerRateReset))

	return r
}

// headerValue is h.Get without canonicalising a key that already is.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}

	return ""
}

// parseCount reads a non-negative decimal integer.
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}

	return n, true
}

// parseUnixSeconds reads Unix seconds written as a decimal number, such as
// 1764770000.25, exactly (a float64 would lose the fraction's last digits).
// Anything else, or a time implausibly far from now, gives the zero time.
func parseUnixSeconds(s string) time.Time {
	whole, frac, _ := strings.Cut(s, ".")
	secs, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || secs <= 0 || secs > 1<<40 || whole[0] == '+' {
		return time.Time{}
	}

	var nanos int64
	for i, scale := 0, int64(1e8); i < len(frac); i++ {
		d := frac[i]
		if d < '0' || d > '9' {
			return time.Time{}
		}
		nanos += int64(d-'0') * scale
		scale /= 10
	}

	return time.Unix(secs, nanos).UTC()
}

// parseRetryAfter reads a Retry-After header, in seconds or as an HTTP date,
// and returns how long it asks to wait from now.
func parseRetryAfter(s string, now time.Time) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(s); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(s); err == nil {
		return max(t.Sub(now), 0), true
	}

	return 0, false
}

// rateWindow is the length of a rate-limit window. CareHQ states its limit
// as requests per second and gives each window's end; that the next window
// is one second long is an inference, used only to pace requests between
// answers, and every answer corrects it.
const rateWindow = time.Second

// rateGate holds a client's view of its key's budget. Every answer updates
// it; every attempt passes through wait, which holds the attempt back while
// the window's budget is spent, so that goroutines sharing a client take
// turns instead of collecting 429s.
type rateGate struct {
	mu   sync.Mutex
	last RateLimit // as CareHQ last reported it, for RateLimit()

	// The window the client is pacing itself by: when it ends, and how many
	// more requests it may send before then (-1 when unknown).
	windowEnd time.Time
	budget    int
}

func newRateGate() *rateGate {
	return &rateGate{last: unknownRateLimit, budget: -1}
}

// snapshot returns the last report.
func (g *rateGate) snapshot() RateLimit {
	g.mu.Lock()
	defer g.mu.Unlock()

	return g.last
}

// observe records an answer's report. Answers to concurrent requests arrive
// in any order, so a report replaces the one held only if it belongs to a
// later window or shows fewer requests remaining in the same one.
func (g *rateGate) observe(r RateLimit) {
	if !r.Known() {
		return
	}

	g.mu.Lock()
	defer g.mu.Unlock()

	newer := r.Reset.After(g.last.Reset) || g.last.Remaining < 0 ||
		(r.Reset.Equal(g.last.Reset) && r.Remaining >= 0 && r.Remaining <= g.last.Remaining)
	if !newer {
		return
	}
	g.last = r
	if r.Reset.IsZero() || r.Remaining < 0 {
		return
	}

	switch {
	case r.Reset.After(g.windowEnd):
		g.windowEnd, g.budget = r.Reset, r.Remaining
	case r.Reset.Equal(g.windowEnd) && (g.budget < 0 || r.Remaining < g.budget):
		// Requests this client has sent but CareHQ has not yet counted are
		// already taken from the budget, so only a lower figure, such as
		// one caused by another client of the same key, lowers it.
		g.budget = r.Remaining
	}
}

// delay returns how long an attempt must wait before it may be sent, and
// takes a request from the budget when it may be sent now.
func (g *rateGate) delay(now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()

	if g.windowEnd.IsZero() || g.budget < 0 {
		return 0
	}
	if !now.Before(g.windowEnd) {
		if g.last.Limit <= 0 {
			return 0
		}
		passed := now.Sub(g.windowEnd)/rateWindow + 1
		g.windowEnd = g.windowEnd.Add(passed * rateWindow)
		g.budget = g.last.Limit
	}
	if g.budget > 0 {
		g.budget--
		return 0
	}

	return g.windowEnd.Sub(now)
}

// wait blocks until the budget allows an attempt, for at most limit. It
// returns early with the context's error when ctx is done.
func (g *rateGate) wait(ctx context.Context, limit time.Duration) error {
	for {
		d := g.delay(time.Now())
		if d <= 0 {
			return nil
		}
		if d > limit {
			// The window ends later than the caller is willing to wait: send
			// anyway and let CareHQ decide, rather than stall.
			return nil
		}
		if err := sleepContext(ctx, d); err != nil {
			return err
		}
		limit -= d
	}
}

// sleepContext waits for d, or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
