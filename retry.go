package carehq

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"
)

// maxRateLimitRetries bounds the retries after 429s within one call, in case
// CareHQ answers 429 with a reset time already past, again and again. The
// real bound is the time waited (WithMaxRateLimitWait).
const maxRateLimitRetries = 50

// checkRetry is the retry policy, written for CareHQ rather than taken from
// retryablehttp. It retries:
//   - a 429, for every call: CareHQ did nothing, so repeating is safe. The
//     wait is until the window resets, within the call's rate-limit budget;
//   - a connection that could not be made, for every call: nothing was sent;
//   - a 5xx other than 501, a timeout or a broken connection, only for an
//     idempotent call. A create that may have reached CareHQ is never
//     retried: CareHQ cannot recognise a repeat, so a retried create could
//     register a resident twice.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := callStateFrom(ctx)
	if st == nil || c.maxRetries == 0 {
		return false, nil
	}

	if err != nil {
		if permanent(err) || !(notSent(err) || st.idempotent) {
			return false, nil
		}
		return c.useRetry(st), nil
	}

	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait, ok := c.waitAfter429(resp, st)
		if !ok || st.rateLimitRetries >= maxRateLimitRetries ||
			st.rateLimitWaited+wait > c.maxRateLimitWait {
			return false, nil
		}
		st.rateLimitRetries++
		st.rateLimitWaited += wait
		st.rateLimitWait = wait
		return true, nil
	case serverFailure(resp.StatusCode):
		if !st.idempotent {
			return false, nil
		}
		return c.useRetry(st), nil
	}

	return false, nil
}

// useRetry spends one transient retry, if any are left.
func (c *Client) useRetry(st *callState) bool {
	if st.retries >= c.maxRetries {
		return false
	}
	st.retries++

	return true
}

// backoff returns the wait before the next attempt: for a 429, until the
// rate-limit window resets; otherwise exponential backoff with full jitter.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int,
	resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		if st := callStateFrom(resp.Request.Context()); st != nil {
			return st.rateLimitWait
		}
	}

	return c.fullJitter(minWait, maxWait, attempt)
}

// waitAfter429 returns how long to wait after a 429: until
// X-CareHQ-RateLimit-Reset, else for Retry-After, else the backoff. ok is
// false when retrying is pointless: the wait exceeds the call's budget.
func (c *Client) waitAfter429(resp *http.Response, st *callState) (time.Duration, bool) {
	now := time.Now()
	var wait time.Duration
	if reset := parseRateLimit(resp.Header).Reset; !reset.IsZero() && reset.After(now) {
		wait = reset.Sub(now)
	} else if after, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		wait = after
	} else {
		wait = max(c.fullJitter(c.http.RetryWaitMin, c.http.RetryWaitMax, st.rateLimitRetries),
			c.http.RetryWaitMin)
	}

	return wait, st.rateLimitWaited+wait <= c.maxRateLimitWait
}

// fullJitter returns a random wait in [0, min(maxWait, minWait*2^attempt)].
func (c *Client) fullJitter(minWait, maxWait time.Duration, attempt int) time.Duration {
	ceiling := maxWait
	if attempt < 32 && minWait<<attempt > 0 && minWait<<attempt < maxWait {
		ceiling = minWait << attempt
	}
	if ceiling <= 0 {
		return 0
	}

	return c.jitter(ceiling + 1)
}

// prepareRetry holds a retry back while the key's rate-limit budget, as
// other calls on the client have seen it, is spent.
func (c *Client) prepareRetry(req *http.Request) error {
	st := callStateFrom(req.Context())
	budget := c.maxRateLimitWait
	if st != nil {
		budget -= st.rateLimitWaited
	}

	return c.gate.wait(req.Context(), budget)
}

// notSent reports whether err shows that the request never left this
// machine: the connection could not be made. Such a failure is safe to
// retry for any call.
func notSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError

	return errors.As(err, &dnsErr)
}

// permanent reports whether err will not pass on a retry.
func permanent(err error) bool {
	var certErr *tls.CertificateVerificationError

	return errors.Is(err, ErrResponseTooLarge) || errors.As(err, &certErr) ||
		errors.Is(err, context.Canceled)
}

// failureKind names a failed attempt's cause for the log, without the
// error's text, which a caller's transport might fill with a URL.
func failureKind(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrResponseTooLarge):
		return "response too large"
	case notSent(err):
		return "connect failed"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	}

	return "connection broken"
}
