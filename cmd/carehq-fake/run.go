package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

// requestLogLimit is how many requests the server keeps for inspection.
// Nothing in this process inspects them, so it keeps none and its memory
// stays flat however long it runs.
const requestLogLimit = 0

// run parses the flags, starts the server and serves until ctx is done.
// The first line written to stdout is the server's base URL.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("carehq-fake", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8085", "`host:port` to listen on")
	accountID := flags.String("account-id", carehqtest.DefaultAccountID,
		"account `Id` the server accepts")
	apiKey := flags.String("api-key", carehqtest.DefaultAPIKey, "API `key` the server accepts")
	apiSecret := flags.String("api-secret", carehqtest.DefaultAPISecret,
		"API `secret` the server checks signatures with")
	locationID := flags.String("location-id", carehqtest.DefaultLocationID,
		"`Id` of the location service users are created at (24 hex characters)")
	serviceUsers := flags.Int("service-users", 50, "`number` of made-up service users to seed")
	rateLimit := flags.Int("rate-limit", carehqtest.DefaultRateLimit,
		"`requests` per second before the server answers 429")
	seed := flags.Uint64("seed", carehqtest.DefaultSeed, "`seed` of the made-up data")
	quirks := flags.Bool("quirks", false, "answer with the quirks real CareHQ payloads have")
	allowRemote := flags.Bool("allow-remote", false,
		"allow listening on addresses other than loopback")
	logRequests := flags.Bool("log", false,
		"log each request to stderr: method, path, status (never parameters or bodies)")

	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
	}
	if err := checkSettings(*accountID, *apiKey, *apiSecret, *locationID, *serviceUsers,
		*rateLimit); err != nil {
		return err
	}

	listener, err := listen(*addr, *allowRemote)
	if err != nil {
		return err
	}

	opts := []carehqtest.Option{
		carehqtest.WithListener(listener),
		carehqtest.WithCredentials(*accountID, *apiKey, *apiSecret),
		carehqtest.WithLocationID(*locationID),
		carehqtest.WithRateLimit(*rateLimit),
		carehqtest.WithSeed(*seed),
		carehqtest.WithServiceUsers(*serviceUsers),
		carehqtest.WithRequestLogLimit(requestLogLimit),
	}
	if *quirks {
		opts = append(opts, carehqtest.WithQuirks())
	}
	if *logRequests {
		opts = append(opts, carehqtest.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))
	}
	srv := carehqtest.NewServer(opts...)
	defer srv.Close()

	// The test credentials are printed on purpose: they only open this
	// fake server, and a user needs them to point a client at it.
	// One write, so that whoever has read the first line can read the rest.
	fmt.Fprintf(stdout, "%s\n%s=%s\n%s=%s\n%s=%s\n%s=%s\nCAREHQ_LOCATION_ID=%s\n",
		srv.URL, carehq.EnvBaseURL, srv.URL, carehq.EnvAccountID, srv.AccountID,
		carehq.EnvAPIKey, srv.APIKey, carehq.EnvAPISecret, srv.APISecret, srv.LocationID)

	<-ctx.Done()

	return nil
}

// checkSettings checks the flags that NewServer would otherwise panic on,
// so that a mistake gets a plain error.
func checkSettings(accountID, apiKey, apiSecret, locationID string, serviceUsers,
	rateLimit int) error {
	switch {
	case strings.TrimSpace(accountID) == "" || strings.TrimSpace(apiKey) == "" ||
		strings.TrimSpace(apiSecret) == "":
		return errors.New("-account-id, -api-key and -api-secret must not be empty")
	case !isID(locationID):
		return errors.New("-location-id must be 24 hexadecimal characters")
	case serviceUsers < 0:
		return errors.New("-service-users must not be negative")
	case rateLimit < 1:
		return errors.New("-rate-limit must be at least 1")
	}

	return nil
}

func isID(s string) bool {
	return len(s) == 24 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// listen listens on addr, refusing an address that is not loopback unless
// remote connections are allowed: the fake server accepts published test
// credentials and must not be reachable from elsewhere by accident.
func listen(addr string, allowRemote bool) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %w", addr, err)
	}
	if !allowRemote && !loopbackHost(host) {
		return nil, fmt.Errorf("-addr %q is not a loopback address (such as 127.0.0.1 or "+
			"[::1]); the fake server accepts test credentials, so give -allow-remote to "+
			"listen there", addr)
	}

	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if tcp, ok := listener.Addr().(*net.TCPAddr); ok && !allowRemote && !tcp.IP.IsLoopback() {
		listener.Close()
		return nil, fmt.Errorf("-addr %q resolved to a non-loopback address; give "+
			"-allow-remote to listen there", addr)
	}

	return listener, nil
}

// loopbackHost reports whether host is localhost or a loopback IP address.
// An empty host means every interface, which is not loopback.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)

	return ip != nil && ip.IsLoopback()
}
