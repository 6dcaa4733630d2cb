package carehqtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The rate-limit headers, as CareHQ documents them.
const (
	headerRateLimit     = "X-CareHQ-RateLimit-Limit"
	headerRateRemaining = "X-CareHQ-RateLimit-Remaining"
	headerRateReset     = "X-CareHQ-RateLimit-Reset"
)

// rateLimiter counts requests in one-second windows. A window opens with
// the first request after the previous one closed, so its end is rarely a
// whole second: hence CareHQ's decimal reset times.
type rateLimiter struct {
	limit int

	mu    sync.Mutex
	start time.Time
	used  int
}

// rateState is what one response says about the limit.
type rateState struct {
	limit     int
	remaining int
	reset     time.Time
	exceeded  bool
}

// take counts one request at now.
func (l *rateLimiter) take(now time.Time) rateState {
	l.mu.Lock()
	defer l.mu.Unlock()

	if l.start.IsZero() || now.Before(l.start) || !now.Before(l.start.Add(time.Second)) {
		l.start, l.used = now, 0
	}
	l.used++

	return rateState{
		limit:     l.limit,
		remaining: max(l.limit-l.used, 0),
		reset:     l.start.Add(time.Second),
		exceeded:  l.used > l.limit,
	}
}

func (st rateState) write(h http.Header) {
	h.Set(headerRateLimit, strconv.Itoa(st.limit))
	h.Set(headerRateRemaining, strconv.Itoa(st.remaining))
	h.Set(headerRateReset, unixSeconds(st.reset))
}

// unixSeconds writes t as Unix seconds with up to three decimals, such as
// 1764770000.25. It rounds up, so that a client waiting until then finds
// the window closed.
func unixSeconds(t time.Time) string {
	secs := t.Unix()
	millis := (int64(t.Nanosecond()) + 999_999) / 1_000_000
	if millis == 1000 {
		secs, millis = secs+1, 0
	}
	if millis == 0 {
		return strconv.FormatInt(secs, 10)
	}

	return strconv.FormatInt(secs, 10) + "." +
		strings.TrimRight(fmt.Sprintf("%03d", millis), "0")
}
