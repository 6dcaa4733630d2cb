package carehqtest

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// The credentials and location a Server has unless options say otherwise.
// They are fixed so that a fake server started by a separate process, such
// as cmd/carehq-fake, can be reached without passing secrets around.
const (
	// DefaultAccountID is the account Id the server accepts by default.
	DefaultAccountID = "6724fbc74f73a2cebf6377f0"

	// DefaultAPIKey is the API key the server accepts by default.
	DefaultAPIKey = "carehqtest-api-key"

	// DefaultAPISecret is the API secret the server checks signatures with
	// by default. It is a test value: never use it for a real account.
	DefaultAPISecret = "carehqtest-api-secret"

	// DefaultLocationID is the Id of the location the server knows from
	// the start; service users are created at it.
	DefaultLocationID = "6724fbc74f73a2cebf6377fa"
)

// Limits and defaults of a Server's behaviour.
const (
	// DefaultRateLimit is the number of requests per second the server
	// answers before it answers 429: high enough that ordinary tests never
	// meet it.
	DefaultRateLimit = 100

	// DefaultSignatureWindow is how far a request's timestamp may be from
	// the server's clock, either way, before the request is refused with
	// 401.
	DefaultSignatureWindow = 5 * time.Minute

	// DefaultSeed seeds the server's random choices: generated Ids, seeded
	// service users and faults with a probability.
	DefaultSeed uint64 = 1

	// MaxPerPage is the largest per_page a list accepts; more is a 400.
	MaxPerPage = 100
)

// An Option configures a Server. NewServer panics when an option is
// invalid, as httptest.NewServer panics when it cannot listen: a test
// cannot go on without its server.
type Option func(*config)

// config collects the options before NewServer builds a Server.
type config struct {
	accountID    string
	apiKey       string
	apiSecret    string
	locationID   string
	now          func() time.Time
	window       time.Duration
	rateLimit    int
	inMemory     bool
	listener     net.Listener
	seed         uint64
	serviceUsers int
	quirks       bool
	logger       *slog.Logger
	requestLimit int
	problems     []string
}

func defaultConfig() config {
	return config{
		accountID:    DefaultAccountID,
		apiKey:       DefaultAPIKey,
		apiSecret:    DefaultAPISecret,
		locationID:   DefaultLocationID,
		now:          time.Now,
		window:       DefaultSignatureWindow,
		rateLimit:    DefaultRateLimit,
		seed:         DefaultSeed,
		requestLimit: -1,
	}
}

func (c *config) invalid(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// WithCredentials sets the account Id, API key and API secret the server
// accepts, in place of DefaultAccountID, DefaultAPIKey and
// DefaultAPISecret. None may be empty.
func WithCredentials(accountID, apiKey, apiSecret string) Option {
	return func(c *config) {
		if strings.TrimSpace(accountID) == "" || strings.TrimSpace(apiKey) == "" ||
			strings.TrimSpace(apiSecret) == "" {
			c.invalid("WithCredentials: the account Id, API key and secret must not be empty")
			return
		}
		c.accountID, c.apiKey, c.apiSecret = accountID, apiKey, apiSecret
	}
}

// WithLocationID sets the Id of the location the server knows from the
// start (Server.LocationID), in place of DefaultLocationID. It must be 24
// hexadecimal characters.
func WithLocationID(id string) Option {
	return func(c *config) {
		normal, ok := normalID(id)
		if !ok {
			c.invalid("WithLocationID: want 24 hexadecimal characters")
			return
		}
		c.locationID = normal
	}
}

// WithClock sets the server's clock, time.Now by default. The clock stamps
// created and modified times, checks request timestamps and runs the
// rate-limit windows. A clock that stands still (to check published
// signatures, say) also stops the rate-limit window from ever resetting.
// Latency faults wait on real timers, which a testing/synctest bubble
// fakes.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.invalid("WithClock: the clock is nil")
			return
		}
		c.now = now
	}
}

// WithSignatureWindow sets how far a request's timestamp may be from the
// server's clock, either way: DefaultSignatureWindow (5 minutes) by
// default. Nonces are remembered for twice as long, so that no nonce can
// be replayed while its timestamp is still accepted.
func WithSignatureWindow(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.invalid("WithSignatureWindow: %v is not positive", d)
			return
		}
		c.window = d
	}
}

// WithRateLimit sets how many requests the server answers in each
// one-second window before it answers 429: DefaultRateLimit (100) by
// default. Every request counts, refused ones included.
func WithRateLimit(perSecond int) Option {
	return func(c *config) {
		if perSecond < 1 {
			c.invalid("WithRateLimit: %d is less than 1", perSecond)
			return
		}
		c.rateLimit = perSecond
	}
}

// WithInMemoryNetwork makes the server listen on an in-process network
// built on net.Pipe instead of a loopback socket. Server.HTTPClient and
// Server.Client dial it; nothing else can reach it. Everything then runs on
// goroutines and channels, so a server created inside a testing/synctest
// bubble works there: rate-limit waits, retries and latency faults pass in
// fake time, at once. Such a server must be used and closed inside the
// bubble that created it.
func WithInMemoryNetwork() Option {
	return func(c *config) {
		c.inMemory = true
	}
}

// WithListener makes the server accept connections from l, which it then
// owns and closes, instead of a new listener on 127.0.0.1. The server's URL
// is http:// followed by l's address. It cannot be combined with
// WithInMemoryNetwork.
func WithListener(l net.Listener) Option {
	return func(c *config) {
		if l == nil {
			c.invalid("WithListener: the listener is nil")
			return
		}
		c.listener = l
	}
}

// WithSeed seeds the server's random choices (DefaultSeed by default), so
// that two servers with the same seed and clock generate the same Ids, seed
// the same service users and fire probabilistic faults on the same
// requests.
func WithSeed(seed uint64) Option {
	return func(c *config) {
		c.seed = seed
	}
}

// WithServiceUsers seeds n service users when the server starts, as
// SeedServiceUsers does.
func WithServiceUsers(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.invalid("WithServiceUsers: %d is negative", n)
			return
		}
		c.serviceUsers = n
	}
}

// WithQuirks starts the server with quirks on; see Server.SetQuirks.
func WithQuirks() Option {
	return func(c *config) {
		c.quirks = true
	}
}

// WithLogger makes the server write one record per request to logger, at
// level Info: method, path without the query string, status, duration and
// whether authentication passed; net/http's own reports of broken
// connections go to it at level Warn. Parameters, bodies and credentials
// are never logged. Without this option the server logs nothing.
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) {
		c.logger = logger
	}
}

// WithRequestLogLimit keeps only the last n requests for Server.Requests,
// so that a long-running server does not grow without bound; 0 keeps none.
// By default every request is kept.
func WithRequestLogLimit(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.invalid("WithRequestLogLimit: %d is negative", n)
			return
		}
		c.requestLimit = n
	}
}
