package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// output collects what run writes and tells when the first line is
// complete.
type output struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	firstLine chan string
	sent      bool
}

func newOutput() *output {
	return &output{firstLine: make(chan string, 1)}
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()

	n, err := o.buf.Write(p)
	if line, _, found := strings.Cut(o.buf.String(), "\n"); found && !o.sent {
		o.sent = true
		o.firstLine <- line
	}

	return n, err
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()

	return o.buf.String()
}

// start runs the command in the background and returns the base URL it
// printed and a function that stops it and returns run's error.
func start(t *testing.T, args ...string) (string, *output, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newOutput(), newOutput()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stdout, stderr) }()

	var baseURL string
	select {
	case baseURL = <-stdout.firstLine:
	case err := <-done:
		cancel()
		t.Fatalf("run ended early: %v; stderr: %s", err, stderr)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("run printed nothing")
	}

	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("run did not stop when its context ended")
			return nil
		}
	}

	return baseURL, stdout, stop
}

func TestRunServesUntilItsContextEnds(t *testing.T) {
	baseURL, stdout, stop := start(t, "-addr", "127.0.0.1:0", "-account-id", "acc-1",
		"-api-key", "key-1", "-api-secret", "secret-1", "-service-users", "25",
		"-location-id", "6724fbc74f73a2cebf6377fb", "-rate-limit", "500")

	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, baseURL)
	client, err := carehq.New("acc-1", "key-1", "secret-1", carehq.WithBaseURL(baseURL))
	require.NoError(t, err)
	var page struct {
		ItemCount int `json:"item_count"`
	}
	err = client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users", Idempotent: true,
	}, &page)
	client.CloseIdleConnections()

	require.NoError(t, err)
	assert.Equal(t, 25, page.ItemCount)
	assert.Contains(t, stdout.String(), carehq.EnvAPISecret+"=secret-1\n")
	assert.Contains(t, stdout.String(), "6724fbc74f73a2cebf6377fb")
	assert.Equal(t, 500, client.RateLimit().Limit)
	require.NoError(t, stop())

	_, err = net.DialTimeout("tcp", strings.TrimPrefix(baseURL, "http://"), time.Second)
	assert.Error(t, err, "the port is closed once run returns")
}

func TestRunUsesTheDefaultCredentials(t *testing.T) {
	baseURL, _, stop := start(t, "-addr", "127.0.0.1:0", "-service-users", "0")
	defer func() { require.NoError(t, stop()) }()

	client, err := carehq.New(carehqtest.DefaultAccountID, carehqtest.DefaultAPIKey,
		carehqtest.DefaultAPISecret, carehq.WithBaseURL(baseURL))
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	err = client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users", Idempotent: true,
	}, nil)

	assert.NoError(t, err)
}

func TestRunLogsRequestsWhenAsked(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newOutput(), newOutput()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-log"}, stdout, stderr)
	}()
	baseURL := <-stdout.firstLine

	resp, err := http.Get(baseURL + "/v1/service-users?filters-q=Thompson")
	require.NoError(t, err)
	resp.Body.Close()
	cancel()
	require.NoError(t, <-done)

	assert.Contains(t, stderr.String(), "status=401")
	assert.NotContains(t, stderr.String(), "Thompson")
	http.DefaultClient.CloseIdleConnections()
}

func TestRunRefusesRemoteAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:8085",
		"example.com:8085"} {
		stdout := newOutput()

		err := run(context.Background(), []string{"-addr", addr}, stdout, newOutput())

		require.Error(t, err, addr)
		assert.Contains(t, err.Error(), "-allow-remote", addr)
		assert.Empty(t, stdout.String(), "nothing was served on %s", addr)
	}
}

func TestRunAcceptsLoopbackNames(t *testing.T) {
	for _, addr := range []string{"localhost:0", "[::1]:0", "127.0.0.2:0"} {
		probe, err := net.Listen("tcp", addr)
		if err != nil {
			t.Logf("skipping %s: %v", addr, err)
			continue
		}
		probe.Close()
		_, _, stop := start(t, "-addr", addr, "-service-users", "0")
		assert.NoError(t, stop(), addr)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown flag", []string{"-colour", "blue"}, "flag provided but not defined"},
		{"an extra argument", []string{"serve"}, "unexpected arguments"},
		{"a bad location", []string{"-location-id", "home"}, "-location-id"},
		{"no rate", []string{"-rate-limit", "0"}, "-rate-limit"},
		{"negative seeding", []string{"-service-users", "-5"}, "-service-users"},
		{"an empty secret", []string{"-api-secret", " "}, "must not be empty"},
		{"an address without a port", []string{"-addr", "127.0.0.1"}, "-addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, newOutput(), newOutput())

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestRunPrintsUsageForHelp(t *testing.T) {
	stderr := newOutput()

	err := run(context.Background(), []string{"-h"}, newOutput(), stderr)

	assert.NoError(t, err)
	assert.Contains(t, stderr.String(), "-allow-remote")
	assert.Contains(t, stderr.String(), "-service-users")
}

func TestRunFailsWhenThePortIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()

	err = run(context.Background(), []string{"-addr", taken.Addr().String()}, newOutput(),
		newOutput())

	assert.Error(t, err)
}
