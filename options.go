package carehq

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Defaults for a new Client.
const (
	// DefaultTimeout bounds each attempt of a request, from sending it to
	// reading the whole answer. A call with retries may take longer; bound
	// the whole call with the context.
	DefaultTimeout = 30 * time.Second

	// DefaultMaxRetries is how many times a failed attempt that may
	// succeed on repeat is retried.
	DefaultMaxRetries = 3

	// DefaultRetryWaitMin and DefaultRetryWaitMax bound the exponential
	// backoff between retries.
	DefaultRetryWaitMin = 250 * time.Millisecond
	DefaultRetryWaitMax = 8 * time.Second

	// DefaultMaxRateLimitWait is the longest a call waits, in total, for
	// CareHQ's rate-limit windows to reset.
	DefaultMaxRateLimitWait = 30 * time.Second

	// DefaultMaxResponseBytes caps the size of a response body. A page of
	// 100 service users with every attribute is about 230 KB.
	DefaultMaxResponseBytes = 32 << 20
)

// An Option configures a Client. Options are checked by New, which reports
// the first one that is invalid.
type Option func(*settings) error

// settings collects the options before New builds a Client from them.
type settings struct {
	baseURL          string
	httpClient       *http.Client
	transport        http.RoundTripper
	timeout          time.Duration
	timeoutSet       bool
	application      string
	logger           *slog.Logger
	maxRetries       int
	retryWaitMin     time.Duration
	retryWaitMax     time.Duration
	maxRateLimitWait time.Duration
	maxResponseBytes int64
	skipValidation   bool
}

func defaultSettings() settings {
	return settings{
		baseURL:          LiveBaseURL,
		maxRetries:       DefaultMaxRetries,
		retryWaitMin:     DefaultRetryWaitMin,
		retryWaitMax:     DefaultRetryWaitMax,
		maxRateLimitWait: DefaultMaxRateLimitWait,
		maxResponseBytes: DefaultMaxResponseBytes,
	}
}

// WithBaseURL sets the API's address: LiveBaseURL (the default),
// SandboxBaseURL, or another such as a fake server's. It must use https,
// except for a loopback host (localhost, 127.0.0.0/8 or ::1), which may use
// http. Any path it has is kept in front of /v1/.
func WithBaseURL(baseURL string) Option {
	return func(s *settings) error {
		s.baseURL = baseURL
		return nil
	}
}

// WithHTTPClient sets the http.Client that carries requests, for its
// transport, proxy or TLS settings. The client is copied, never changed:
// the copy follows no redirects (a redirect could carry the signed
// credentials to another host), and its Timeout applies to each attempt
// unless WithTimeout is also given.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("carehq: WithHTTPClient: the http.Client is nil")
		}
		s.httpClient = hc
		return nil
	}
}

// WithTransport sets the http.RoundTripper that carries requests. It
// replaces the transport of the client given by WithHTTPClient, if any.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) error {
		if rt == nil {
			return errors.New("carehq: WithTransport: the transport is nil")
		}
		s.transport = rt
		return nil
	}
}

// WithTimeout sets how long each attempt may take, from sending the request
// to reading the whole answer; DefaultTimeout (30 s) by default. Zero means
// no limit but the context's. A timed-out read is retried; a timed-out
// write is not (see ErrOutcomeUnknown).
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("carehq: WithTimeout: %v is negative", d)
		}
		s.timeout, s.timeoutSet = d, true
		return nil
	}
}

// WithUserAgent names the application in the User-Agent header, after the
// SDK's own carehq-go/<version>: for example "payroll-sync/2.1".
func WithUserAgent(application string) Option {
	return func(s *settings) error {
		application = strings.TrimSpace(application)
		for _, r := range application {
			if r < 0x20 || r == 0x7f {
				return errors.New("carehq: WithUserAgent: the application name has a " +
					"control character")
			}
		}
		s.application = application
		return nil
	}
}

// WithLogger sets a logger for one debug record per attempt: method, path
// without its query string, status, attempt number, duration and the
// requests remaining in the rate-limit window. Headers, bodies, query values
// and credentials are never logged. Without a logger the client logs
// nothing.
func WithLogger(logger *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = logger
		return nil
	}
}

// WithMaxRetries sets how many times an attempt that failed in a way that
// may pass is retried: DefaultMaxRetries (3) by default, 0 to turn every
// retry off, rate-limited ones included. Which failures are retried depends
// on whether the call is safe to repeat; see the package documentation.
func WithMaxRetries(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return fmt.Errorf("carehq: WithMaxRetries: %d is negative", n)
		}
		s.maxRetries = n
		return nil
	}
}

// WithRetryBackoff sets the bounds of the exponential backoff between
// retries: the first wait is drawn at random from [0, minWait], each later
// one from a range twice as long, up to maxWait (full jitter). The defaults
// are DefaultRetryWaitMin and DefaultRetryWaitMax.
func WithRetryBackoff(minWait, maxWait time.Duration) Option {
	return func(s *settings) error {
		if minWait < 0 || maxWait < minWait {
			return fmt.Errorf("carehq: WithRetryBackoff: want 0 <= min <= max, got %v and %v",
				minWait, maxWait)
		}
		s.retryWaitMin, s.retryWaitMax = minWait, maxWait
		return nil
	}
}

// WithMaxRateLimitWait sets the longest a call waits, in total, for
// rate-limit windows to reset before it gives up with ErrRateLimited:
// DefaultMaxRateLimitWait (30 s) by default. Zero turns the waiting off:
// a 429 is then returned at once.
func WithMaxRateLimitWait(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("carehq: WithMaxRateLimitWait: %v is negative", d)
		}
		s.maxRateLimitWait = d
		return nil
	}
}

// WithMaxResponseBytes caps the size of a response body, so that a broken
// proxy cannot exhaust memory: DefaultMaxResponseBytes (32 MiB) by default.
// A longer body fails the call with ErrResponseTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return fmt.Errorf("carehq: WithMaxResponseBytes: %d is not positive", n)
		}
		s.maxResponseBytes = n
		return nil
	}
}

// WithoutValidation turns off the client's own checks of parameters before
// sending, leaving CareHQ to judge them. Use it when CareHQ accepts a value
// this version of the SDK does not know, such as a new funding type. The
// checks that keep a request well formed (an Id in a path, a page size)
// stay on.
func WithoutValidation() Option {
	return func(s *settings) error {
		s.skipValidation = true
		return nil
	}
}
