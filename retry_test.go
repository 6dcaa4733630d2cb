package carehq

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// script answers a client's attempts in order with the steps given, and
// records when each attempt arrived and with which headers. The last step
// repeats.
type script struct {
	mu       sync.Mutex
	steps    []step
	attempts []attempt
}

type step func(req *http.Request) (*http.Response, error)

type attempt struct {
	at     time.Time
	header http.Header
}

func newScript(steps ...step) *script { return &script{steps: steps} }

func (s *script) responder(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	n := len(s.attempts)
	s.attempts = append(s.attempts, attempt{at: time.Now(), header: req.Header.Clone()})
	next := s.steps[min(n, len(s.steps)-1)]
	s.mu.Unlock()

	return next(req)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()

	return len(s.attempts)
}

func (s *script) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()

	var out []time.Time
	for _, a := range s.attempts {
		out = append(out, a.at)
	}
	return out
}

// status answers with the status, a CareHQ-style JSON body and headers given
// as name, value pairs.
func status(code int, headers ...string) step {
	return func(req *http.Request) (*http.Response, error) {
		body := `{}`
		if code >= 400 {
			body = fmt.Sprintf(`{"hint": "answer %d"}`, code)
		}
		return jsonResponder(code, body, headers...)(req)
	}
}

// resetIn returns the rate-limit headers of an exhausted window that resets
// d from now.
func resetIn(d time.Duration) []string {
	reset := time.Now().Add(d)
	return []string{
		"X-CareHQ-RateLimit-Limit", "5",
		"X-CareHQ-RateLimit-Remaining", "0",
		"X-CareHQ-RateLimit-Reset", fmt.Sprintf("%d.%03d", reset.Unix(), reset.Nanosecond()/1e6),
	}
}

func fail(err error) step {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

var (
	errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	errReset   = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
)

// hang waits until the attempt's context ends, like a server that never
// answers.
func hang(req *http.Request) (*http.Response, error) {
	<-req.Context().Done()
	return nil, req.Context().Err()
}

const listURL = testBaseURL + "/v1/service-users"

var (
	getCall    = Call{Method: "GET", Path: "service-users", Idempotent: true}
	createCall = Call{Method: "PUT", Path: "service-users"}
)

func TestRateLimitedCallWaitsUntilTheReset(t *testing.T) {
	for _, call := range []Call{getCall, createCall} {
		t.Run(call.Method, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockClient(t)
				start := time.Now()
				s := newScript(status(429, resetIn(1500*time.Millisecond)...), status(200))
				mt.RegisterResponder(call.Method, listURL, s.responder)

				err := c.Do(context.Background(), call, nil)

				require.NoError(t, err)
				require.Equal(t, 2, s.count())
				assert.False(t, s.times()[1].Before(start.Add(1500*time.Millisecond)),
					"retry sent before the reset")
				assert.Equal(t, 1500*time.Millisecond, time.Since(start))
			})
		})
	}
}

func TestRateLimitedCallFallsBackToRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		start := time.Now()
		s := newScript(status(429, "Retry-After", "2"), status(200))
		mt.RegisterResponder("GET", listURL, s.responder)

		require.NoError(t, c.Do(context.Background(), getCall, nil))

		assert.Equal(t, 2, s.count())
		assert.Equal(t, 2*time.Second, time.Since(start))
	})
}

func TestRateLimitBeyondTheWaitBudgetFailsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithMaxRateLimitWait(5*time.Second))
		start := time.Now()
		s := newScript(status(429, resetIn(time.Minute)...))
		mt.RegisterResponder("GET", listURL, s.responder)

		err := c.Do(context.Background(), getCall, nil)

		require.ErrorIs(t, err, ErrRateLimited)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 1, apiErr.Attempts)
		assert.Equal(t, 0, apiErr.RateLimit.Remaining)
		assert.Equal(t, 5, apiErr.RateLimit.Limit)
		assert.WithinDuration(t, start.Add(time.Minute), apiErr.RateLimit.Reset, time.Millisecond)
		assert.Zero(t, time.Since(start), "gave up without waiting")
	})
}

func TestRateLimitWaitsAreBoundedInTotal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithMaxRateLimitWait(5*time.Second))
		start := time.Now()
		s := newScript(status(429, "Retry-After", "2"))
		mt.RegisterResponder("GET", listURL, s.responder)

		err := c.Do(context.Background(), getCall, nil)

		require.ErrorIs(t, err, ErrRateLimited)
		assert.Equal(t, 3, s.count(), "two waits of 2 s fit in 5 s, a third does not")
		assert.Equal(t, 4*time.Second, time.Since(start))
	})
}

func TestServerFailureIsRetriedForReadsWithFreshSignatures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithRetryBackoff(time.Second, 4*time.Second))
		s := newScript(status(503), status(502), status(504), status(200))
		mt.RegisterResponder("GET", listURL, s.responder)

		require.NoError(t, c.Do(context.Background(), getCall, nil))

		require.Equal(t, 4, s.count())
		nonces := map[string]bool{}
		signatures := map[string]bool{}
		for _, a := range s.attempts {
			nonces[a.header.Get("X-CareHQ-Nonce")] = true
			signatures[a.header.Get("X-CareHQ-Signature")] = true
			ts, err := strconv.ParseInt(a.header.Get("X-CareHQ-Timestamp"), 10, 64)
			require.NoError(t, err)
			assert.Equal(t, a.at.Unix(), ts, "timestamp taken when the attempt was sent")
		}
		assert.Len(t, nonces, 4, "every attempt has its own nonce")
		assert.Len(t, signatures, 4, "every attempt is signed afresh")
	})
}

func TestServerFailureOfACreateIsNotRetried(t *testing.T) {
	for _, code := range []int{500, 502, 503, 504} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockClient(t)
				s := newScript(status(code), status(200))
				mt.RegisterResponder("PUT", listURL, s.responder)

				err := c.Do(context.Background(), createCall, nil)

				require.Error(t, err)
				assert.Equal(t, 1, s.count())
				assert.ErrorIs(t, err, ErrServer)
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				assert.Contains(t, err.Error(), "outcome unknown")
			})
		})
	}
}

func TestNotImplementedIsNeverRetriedNorUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		s := newScript(status(501))
		mt.RegisterResponder("GET", listURL, s.responder)
		mt.RegisterResponder("PUT", listURL, s.responder)

		errGet := c.Do(context.Background(), getCall, nil)
		errPut := c.Do(context.Background(), createCall, nil)

		assert.Equal(t, 2, s.count())
		assert.ErrorIs(t, errGet, ErrServer)
		assert.NotErrorIs(t, errPut, ErrOutcomeUnknown)
	})
}

func TestRetriesStopAtTheMaximum(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		first    step
		attempts int
	}{
		{"default is 3 retries", nil, status(503), 4},
		{"custom maximum", []Option{WithMaxRetries(1)}, status(503), 2},
		{"zero turns retries off", []Option{WithMaxRetries(0)}, status(503), 1},
		{"zero turns rate-limit retries off", []Option{WithMaxRetries(0)},
			status(429, "Retry-After", "1"), 1},
		{"zero turns connect retries off", []Option{WithMaxRetries(0)}, fail(errRefused), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockClient(t, tt.opts...)
				s := newScript(tt.first)
				mt.RegisterResponder("GET", listURL, s.responder)

				err := c.Do(context.Background(), getCall, nil)

				require.Error(t, err)
				assert.Equal(t, tt.attempts, s.count())
				var apiErr *APIError
				if errors.As(err, &apiErr) {
					assert.Equal(t, tt.attempts, apiErr.Attempts)
				}
			})
		})
	}
}

func TestConnectFailureIsRetriedEvenForACreate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		s := newScript(fail(errRefused), fail(&net.DNSError{Err: "no such host"}), status(200))
		mt.RegisterResponder("PUT", listURL, s.responder)

		require.NoError(t, c.Do(context.Background(), createCall, nil))
		assert.Equal(t, 3, s.count())
	})
}

func TestBrokenConnectionIsRetriedOnlyForReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		get := newScript(fail(errReset), fail(io.ErrUnexpectedEOF), status(200))
		put := newScript(fail(errReset), status(200))
		mt.RegisterResponder("GET", listURL, get.responder)
		mt.RegisterResponder("PUT", listURL, put.responder)

		require.NoError(t, c.Do(context.Background(), getCall, nil))
		err := c.Do(context.Background(), createCall, nil)

		assert.Equal(t, 3, get.count())
		assert.Equal(t, 1, put.count(), "a create that may have arrived is not repeated")
		var tErr *TransportError
		require.ErrorAs(t, err, &tErr)
		assert.True(t, tErr.OutcomeUnknown)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.ErrorIs(t, err, syscall.ECONNRESET)
		assert.Equal(t, "PUT", tErr.Method)
		assert.Equal(t, "/v1/service-users", tErr.Path)
	})
}

func TestAttemptTimeoutIsRetriedOnlyForReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithTimeout(2*time.Second), WithMaxRetries(2),
			WithRetryBackoff(0, 0))
		s := newScript(hang)
		mt.RegisterResponder("GET", listURL, s.responder)
		mt.RegisterResponder("PUT", listURL, s.responder)
		start := time.Now()

		errGet := c.Do(context.Background(), getCall, nil)
		assert.Equal(t, 3, s.count())
		assert.Equal(t, 6*time.Second, time.Since(start), "three attempts of 2 s")

		errPut := c.Do(context.Background(), createCall, nil)
		assert.Equal(t, 4, s.count(), "the create is sent once")

		var tErr *TransportError
		require.ErrorAs(t, errGet, &tErr)
		assert.False(t, tErr.OutcomeUnknown)
		assert.Equal(t, 3, tErr.Attempts)
		assert.ErrorIs(t, errPut, ErrOutcomeUnknown)
	})
}

func TestBackoffIsExponentialWithFullJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithMaxRetries(6),
			WithRetryBackoff(time.Second, 8*time.Second))
		s := newScript(status(503))
		mt.RegisterResponder("GET", listURL, s.responder)

		_ = c.Do(context.Background(), getCall, nil)

		times := s.times()
		require.Len(t, times, 7)
		for i := 1; i < len(times); i++ {
			ceiling := min(time.Second<<(i-1), 8*time.Second)
			assert.LessOrEqual(t, times[i].Sub(times[i-1]), ceiling, "wait %d", i)
		}
	})
}

func TestFullJitterStaysWithinItsCeiling(t *testing.T) {
	c, _ := newMockClient(t)
	for attempt := range 40 {
		ceiling := min(time.Second<<min(attempt, 30), 8*time.Second)
		var largest time.Duration
		for range 200 {
			d := c.fullJitter(time.Second, 8*time.Second, attempt)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceiling)
			largest = max(largest, d)
		}
		assert.Greater(t, largest, ceiling/2, "waits spread over the whole range")
	}
	assert.Zero(t, c.fullJitter(0, 0, 3))
}

func TestCancelDuringBackoffReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithRetryBackoff(10*time.Second, 10*time.Second))
		c.jitter = func(n time.Duration) time.Duration { return n - 1 }
		s := newScript(status(503))
		mt.RegisterResponder("GET", listURL, s.responder)
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(time.Second, cancel)

		err := c.Do(ctx, getCall, nil)

		assert.Equal(t, context.Canceled, err, "a read returns the context's own error")
		assert.Equal(t, time.Second, time.Since(start))
		assert.Equal(t, 1, s.count())
	})
}

func TestCancelDuringRateLimitWaitReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		s := newScript(status(429, resetIn(10*time.Second)...))
		mt.RegisterResponder("GET", listURL, s.responder)
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(time.Second, cancel)

		err := c.Do(ctx, getCall, nil)

		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, time.Second, time.Since(start))
	})
}

func TestDeadlineBoundsAllRetriesTogether(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithMaxRetries(100),
			WithRetryBackoff(time.Second, time.Second))
		s := newScript(status(503))
		mt.RegisterResponder("GET", listURL, s.responder)
		ctx, cancel := context.WithTimeout(context.Background(), 3500*time.Millisecond)
		defer cancel()
		start := time.Now()

		err := c.Do(ctx, getCall, nil)

		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.LessOrEqual(t, time.Since(start), 3500*time.Millisecond)
		assert.Less(t, s.count(), 100)
	})
}

func TestCancelledCreateInFlightSaysTheOutcomeIsUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("PUT", listURL, hang)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)

		err := c.Do(ctx, createCall, nil)

		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
	})
}

func TestCallWaitsWhileTheSharedBudgetIsSpent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		start := time.Now()
		s := newScript(status(200, resetIn(800*time.Millisecond)...), status(200))
		mt.RegisterResponder("GET", listURL, s.responder)

		require.NoError(t, c.Do(context.Background(), getCall, nil))
		require.NoError(t, c.Do(context.Background(), getCall, nil))

		times := s.times()
		require.Len(t, times, 2)
		assert.Equal(t, 800*time.Millisecond, times[1].Sub(start),
			"the second call waits for the window to reset instead of drawing a 429")
	})
}

func TestFinalFailedAnswerKeepsItsStatusAndBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithRetryBackoff(0, 0))
		body := `{"hint": "Down for maintenance."}`
		mt.RegisterResponder("GET", listURL, httpmock.NewStringResponder(503, body))

		err := c.Do(context.Background(), getCall, nil)

		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 503, apiErr.StatusCode)
		assert.Equal(t, body, string(apiErr.Body))
		assert.Equal(t, "Down for maintenance.", apiErr.Hint)
		assert.Equal(t, 4, apiErr.Attempts)
	})
}
