package carehq_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

// These tests put the SDK under the faults a production integration meets,
// using the fake server's fault injection. They run inside testing/synctest
// bubbles on the fake's in-memory network, so backoffs, rate-limit waits,
// slow answers and timeouts pass in fake time, at once; and a bubble cannot
// end while a goroutine it started is still running, so they also prove
// nothing leaks. RELIABILITY.md records their figures.

// callKey marks a context with the number of the call it belongs to, so
// that attemptLog can group attempts by call.
type callKey struct{}

func forCall(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, callKey{}, n)
}

// attemptLog is a transport that records every attempt the client sends:
// which call it belongs to, when it left, and what came back.
type attemptLog struct {
	base http.RoundTripper

	mu       sync.Mutex
	attempts []attemptRecord
}

type attemptRecord struct {
	call      int
	sent      time.Time
	status    int // 0 when no answer came
	reset     time.Time
	signature string
	query     string
}

func (l *attemptLog) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := attemptRecord{sent: time.Now(), signature: req.Header.Get("X-CareHQ-Signature"),
		query: req.URL.RawQuery}
	rec.call, _ = req.Context().Value(callKey{}).(int)

	resp, err := l.base.RoundTrip(req)
	if err == nil {
		rec.status = resp.StatusCode
		if secs, err := strconv.ParseFloat(resp.Header.Get("X-CareHQ-RateLimit-Reset"),
			64); err == nil {
			rec.reset = time.Unix(0, int64(secs*1e9))
		}
	}
	l.mu.Lock()
	l.attempts = append(l.attempts, rec)
	l.mu.Unlock()

	return resp, err
}

func (l *attemptLog) all() []attemptRecord {
	l.mu.Lock()
	defer l.mu.Unlock()

	return slices.Clone(l.attempts)
}

// newFaultyFake starts an in-memory fake server (inside the caller's synctest
// bubble) and a client for it whose attempts are logged.
func newFaultyFake(t *testing.T, serverOpts []carehqtest.Option,
	clientOpts ...carehq.Option) (*carehqtest.Server, *carehq.Client, *attemptLog) {
	t.Helper()
	srv := carehqtest.NewServer(append([]carehqtest.Option{carehqtest.WithInMemoryNetwork()},
		serverOpts...)...)
	log := &attemptLog{base: srv.HTTPClient().Transport}
	client, err := srv.Client(append([]carehq.Option{carehq.WithTransport(log)},
		clientOpts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	return srv, client, log
}

// transientFaults fails a fraction of matching requests, split evenly over
// the kinds of transient failure: 429 with a reset time, 502, 503, 504, a
// dropped connection, and an answer slower than the client's timeout.
func transientFaults(srv *carehqtest.Server, method string, fraction float64,
	applyFirst bool) {
	kinds := []carehqtest.Fault{
		{Status: http.StatusTooManyRequests, ResetAfter: 700 * time.Millisecond},
		{Status: http.StatusBadGateway},
		{Status: http.StatusServiceUnavailable},
		{Status: http.StatusGatewayTimeout},
		{Drop: true},
		{Latency: 5 * time.Second},
	}
	// The faults are tried in turn, so each hits with the probability that
	// makes the chance of any one hitting equal to fraction.
	each := 1 - math.Pow(1-fraction, 1/float64(len(kinds)))
	for _, f := range kinds {
		f.Method = method
		f.Probability = each
		f.ApplyThenFail = applyFirst && f.Status != http.StatusTooManyRequests &&
			f.Latency == 0
		srv.AddFault(f)
	}
}

// readOutcome classifies the result of one read.
type readOutcome struct {
	ok, typedErr, wrong, untyped int
}

func (o *readOutcome) record(t *testing.T, err error, correct bool) {
	var apiErr *carehq.APIError
	var tErr *carehq.TransportError
	switch {
	case err == nil && correct:
		o.ok++
	case err == nil:
		o.wrong++
	case errors.As(err, &apiErr), errors.As(err, &tErr):
		o.typedErr++
	default:
		o.untyped++
		t.Errorf("untyped error: %v", err)
	}
}

func TestReadsSurviveTransientFaults(t *testing.T) {
	const reads = 2000
	synctest.Test(t, func(t *testing.T) {
		srv, client, log := newFaultyFake(t,
			[]carehqtest.Option{carehqtest.WithServiceUsers(300),
				carehqtest.WithRateLimit(1_000_000)},
			carehq.WithTimeout(time.Second))
		records := map[string]map[string]any{}
		var ids []string
		for _, u := range srv.ServiceUsers() {
			id := u["_id"].(string)
			records[id] = u
			ids = append(ids, id)
		}
		slices.Sort(ids)
		transientFaults(srv, "GET", 0.20, false)
		ctx := context.Background()

		var gets, lists readOutcome
		for i := range reads {
			if i%4 == 3 {
				page := (i/4)%12 + 1
				got, err := client.ServiceUsers.List(forCall(ctx, i),
					&carehq.ListServiceUsersParams{PerPage: 25, Page: page})
				correct := err == nil && len(got.Items) == 25
				for j := 0; correct && j < 25; j++ {
					want := records[ids[(page-1)*25+j]]
					correct = got.Items[j].ID == want["_id"] &&
						got.Items[j].LastName == want["last_name"]
				}
				lists.record(t, err, correct)
				continue
			}
			id := ids[(i*7)%len(ids)]
			got, err := client.ServiceUsers.Get(forCall(ctx, i), id)
			correct := err == nil && got.ID == id &&
				got.FirstName == records[id]["first_name"] &&
				got.NHSNumber == fmt.Sprint(orEmpty(records[id]["nhs_number"])) &&
				got.Notes == fmt.Sprint(orEmpty(records[id]["notes"]))
			gets.record(t, err, correct)
		}

		faulted := 0
		requests := srv.Requests()
		for _, r := range requests {
			if r.Faulted {
				faulted++
			}
		}
		attempts := len(log.all())
		t.Logf("reads %d: gets ok %d, typed errors %d; lists ok %d, typed errors %d",
			reads, gets.ok, gets.typedErr, lists.ok, lists.typedErr)
		t.Logf("attempts %d, requests reaching the server %d, faulted %d (%.1f%%)",
			attempts, len(requests), faulted, 100*float64(faulted)/float64(len(requests)))

		assert.Zero(t, gets.wrong+lists.wrong, "no read returns wrong data")
		assert.Zero(t, gets.untyped+lists.untyped)
		assert.Equal(t, reads, gets.ok+gets.typedErr+lists.ok+lists.typedErr)
		assert.InDelta(t, 0.20, float64(faulted)/float64(len(requests)), 0.03)
		assert.LessOrEqual(t, gets.typedErr+lists.typedErr, 20,
			"retries carry almost every read through")
	})
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func TestCreatesUnderFaultsNeverDuplicate(t *testing.T) {
	const creates = 400
	synctest.Test(t, func(t *testing.T) {
		srv, client, _ := newFaultyFake(t,
			[]carehqtest.Option{carehqtest.WithRateLimit(1_000_000)},
			carehq.WithTimeout(time.Second))
		// Half the faults fail before the create is stored, half after it
		// ("stored, then answered 503", "stored, then connection dropped").
		transientFaults(srv, "PUT", 0.15, false)
		transientFaults(srv, "PUT", 0.15, true)
		ctx := context.Background()

		errs := make([]error, creates)
		ids := make([]string, creates)
		for i := range creates {
			su, err := client.ServiceUsers.Create(ctx, &carehq.CreateServiceUserParams{
				Location:  srv.LocationID,
				FirstName: "Test",
				LastName:  "Resident",
				GivenAge:  carehq.Ptr(80),
				Notes:     fmt.Sprintf("create-%04d", i),
			})
			errs[i] = err
			if err == nil {
				ids[i] = su.ID
			}
		}

		stored := map[string][]string{} // marker -> ids stored with it
		for _, u := range srv.ServiceUsers() {
			marker := u["notes"].(string)
			stored[marker] = append(stored[marker], u["_id"].(string))
		}
		var ok, unknownStored, unknownNotStored, failedNotStored int
		for i, err := range errs {
			copies := stored[fmt.Sprintf("create-%04d", i)]
			require.LessOrEqual(t, len(copies), 1, "create %d stored twice", i)
			switch {
			case err == nil:
				ok++
				assert.Equal(t, []string{ids[i]}, copies, "create %d", i)
			case errors.Is(err, carehq.ErrOutcomeUnknown):
				if len(copies) == 1 {
					unknownStored++
				} else {
					unknownNotStored++
				}
			default:
				failedNotStored++
				assert.Empty(t, copies, "create %d failed for sure, yet was stored: %v", i, err)
			}
		}
		t.Logf("creates %d: ok %d, outcome unknown and stored %d, outcome unknown and "+
			"not stored %d, failed and not stored %d; records stored %d",
			creates, ok, unknownStored, unknownNotStored, failedNotStored,
			srv.ServiceUserCount())

		assert.Equal(t, ok+unknownStored, srv.ServiceUserCount(), "no duplicates")
		assert.LessOrEqual(t, srv.ServiceUserCount(), creates)
		assert.Positive(t, unknownStored, "the store-then-fail faults were exercised")
	})
}

func TestRateLimitStormOnASharedClient(t *testing.T) {
	const goroutines, callsEach = 8, 6
	synctest.Test(t, func(t *testing.T) {
		srv, client, log := newFaultyFake(t, []carehqtest.Option{
			carehqtest.WithServiceUsers(20), carehqtest.WithRateLimit(3)})
		id := srv.ServiceUsers()[0]["_id"].(string)
		ctx := context.Background()
		start := time.Now()

		var wg sync.WaitGroup
		errs := make(chan error, goroutines*callsEach)
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c := range callsEach {
					_, err := client.ServiceUsers.Get(forCall(ctx, g*callsEach+c+1), id)
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)

		for err := range errs {
			assert.NoError(t, err, "no call fails for the rate limit alone")
		}
		attempts := log.all()
		byCall := map[int][]attemptRecord{}
		limited := 0
		for _, a := range attempts {
			byCall[a.call] = append(byCall[a.call], a)
			if a.status == http.StatusTooManyRequests {
				limited++
			}
		}
		for call, as := range byCall {
			for i := 1; i < len(as); i++ {
				if as[i-1].status == http.StatusTooManyRequests {
					assert.False(t, as[i].sent.Before(as[i-1].reset),
						"call %d sent attempt %d before the reset it was told", call, i+1)
				}
			}
		}
		elapsed := time.Since(start)
		t.Logf("%d calls from %d goroutines at 3 requests/s: %d attempts, %d answered 429, "+
			"%v of fake time", goroutines*callsEach, goroutines, len(attempts), limited, elapsed)
		assert.Len(t, byCall, goroutines*callsEach)
		assert.LessOrEqual(t, limited, goroutines,
			"after the first answer the client paces itself; only the blind first "+
				"window draws 429s")
		assert.GreaterOrEqual(t, elapsed, time.Duration(goroutines*callsEach/3-1)*time.Second,
			"the calls were spread over the windows")
	})
}

func TestCancellingReturnsPromptly(t *testing.T) {
	tests := []struct {
		name  string
		fault carehqtest.Fault
		walk  bool
	}{
		{"during a backoff wait", carehqtest.Fault{Method: "GET", Status: 503}, false},
		{"during a rate-limit wait", carehqtest.Fault{Method: "GET", Status: 429,
			ResetAfter: 20 * time.Second}, false},
		{"during a prefetch", carehqtest.Fault{Method: "GET", Latency: time.Minute,
			Path: "service-users"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, client, _ := newFaultyFake(t,
					[]carehqtest.Option{carehqtest.WithServiceUsers(30)},
					carehq.WithRetryBackoff(10*time.Second, 10*time.Second),
					carehq.WithTimeout(2*time.Minute))
				id := srv.ServiceUsers()[0]["_id"].(string)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var cancelled time.Time
				time.AfterFunc(3*time.Second, func() {
					cancelled = time.Now()
					cancel()
				})

				var err error
				if tt.walk {
					first := true
					for _, err = range client.ServiceUsers.All(ctx,
						&carehq.ListServiceUsersParams{PerPage: 10}, carehq.Prefetch()) {
						if err != nil {
							break
						}
						if first {
							// The first page is in hand: slow every page from now on.
							srv.AddFault(tt.fault)
							first = false
						}
					}
				} else {
					srv.AddFault(tt.fault)
					_, err = client.ServiceUsers.Get(ctx, id)
				}

				assert.ErrorIs(t, err, context.Canceled)
				assert.Less(t, time.Since(cancelled), 50*time.Millisecond)
			})
		})
	}
}

func TestDeadlineBoundsEveryRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client, log := newFaultyFake(t, []carehqtest.Option{carehqtest.WithServiceUsers(5)},
			carehq.WithMaxRetries(1000), carehq.WithRetryBackoff(time.Second, 4*time.Second))
		srv.AddFault(carehqtest.Fault{Method: "GET", Status: 502})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()

		_, err := client.ServiceUsers.List(ctx, nil)

		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.LessOrEqual(t, time.Since(start), 10*time.Second)
		assert.Less(t, len(log.all()), 1000)
	})
}

// TestInvalidCreatesSendNothing covers every client-side rule, and several
// at once, against the fake server.
func TestInvalidCreatesSendNothing(t *testing.T) {
	srv, client := newFake(t, nil)
	age := 200
	valid := func() *carehq.CreateServiceUserParams {
		return &carehq.CreateServiceUserParams{Location: srv.LocationID, FirstName: "Ann",
			LastName: "Lee", DOB: carehq.NewDate(1950, 1, 2)}
	}
	tests := []struct {
		name   string
		change func(p *carehq.CreateServiceUserParams)
		fields []string
	}{
		{"no first name", func(p *carehq.CreateServiceUserParams) { p.FirstName = "" },
			[]string{"first_name"}},
		{"no last name", func(p *carehq.CreateServiceUserParams) { p.LastName = " " },
			[]string{"last_name"}},
		{"no location", func(p *carehq.CreateServiceUserParams) { p.Location = "" },
			[]string{"location"}},
		{"location not an id", func(p *carehq.CreateServiceUserParams) { p.Location = "x1" },
			[]string{"location"}},
		{"no age at all", func(p *carehq.CreateServiceUserParams) { p.DOB = carehq.Date{} },
			[]string{"dob"}},
		{"impossible dob", func(p *carehq.CreateServiceUserParams) {
			p.DOB = carehq.NewDate(1950, 2, 29)
		}, []string{"dob"}},
		{"future dob", func(p *carehq.CreateServiceUserParams) {
			p.DOB = carehq.DateOf(time.Now().AddDate(1, 0, 0))
		}, []string{"dob"}},
		{"age out of range", func(p *carehq.CreateServiceUserParams) { p.GivenAge = &age },
			[]string{"given_age"}},
		{"fnc date without applied_for", func(p *carehq.CreateServiceUserParams) {
			p.Service = carehq.ServiceNursingHome
			p.FNCApplicationDate = carehq.NewDate(2025, 1, 1)
		}, []string{"fnc_application_date"}},
		{"fnc status outside nursing", func(p *carehq.CreateServiceUserParams) {
			p.FNCApplicationStatus = carehq.FNCApplicationStatusGranted
		}, []string{"fnc_application_status"}},
		{"day care without phone", func(p *carehq.CreateServiceUserParams) {
			p.DayCareUse = carehq.DayCareUseInclusive
		}, []string{"phone"}},
		{"undocumented enums", func(p *carehq.CreateServiceUserParams) {
			p.Service, p.FundingType, p.DayCareUse = "spa", "gift", "sometimes"
			p.Genders, p.Religions = []carehq.Gender{"x"}, []carehq.Religion{"y"}
		}, []string{"service", "funding_type", "day_care_use", "genders", "religions"}},
		{"a bad flag", func(p *carehq.CreateServiceUserParams) { p.Dementia = 9 },
			[]string{"dementia"}},
		{"several at once", func(p *carehq.CreateServiceUserParams) {
			p.FirstName, p.LastName, p.Location, p.DOB = "", "", "nowhere", carehq.Date{}
			p.GivenAge = &age
			p.FundingType = "gift"
		}, []string{"first_name", "last_name", "location", "given_age", "funding_type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.change(p)

			_, err := client.ServiceUsers.Create(context.Background(), p)

			var vErr *carehq.ValidationError
			require.ErrorAs(t, err, &vErr)
			assert.ErrorIs(t, err, carehq.ErrInvalidRequest)
			var got []string
			for field := range vErr.Fields {
				got = append(got, field)
			}
			assert.ElementsMatch(t, tt.fields, got)
			for _, field := range tt.fields {
				assert.Contains(t, err.Error(), field+": ")
			}
		})
	}
	assert.Empty(t, srv.Requests(), "the server received nothing")
	assert.Zero(t, srv.ServiceUserCount())

	_, err := client.ServiceUsers.Create(context.Background(), valid())
	assert.NoError(t, err, "the valid base case is accepted")
}

func TestEndlessBodyIsCutOff(t *testing.T) {
	srv := newEndlessServer(t)
	client, err := carehq.New("a", "k", "s", carehq.WithBaseURL(srv),
		carehq.WithMaxResponseBytes(1<<20))
	require.NoError(t, err)
	defer client.CloseIdleConnections()

	_, err = client.ServiceUsers.List(context.Background(), nil)

	assert.ErrorIs(t, err, carehq.ErrResponseTooLarge)
	assert.True(t, strings.Contains(err.Error(), "1048576"))
}

// newEndlessServer starts a loopback server whose answer never ends, like a
// broken proxy, and returns its URL.
func newEndlessServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(`{"items": [`, 1000))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)

	return srv.URL
}

// TestNoSecretOrPersonalDataInLogsOrErrors runs creates, gets, lists,
// errors and retries with a debug logger attached, then searches the log and
// every error text for the secret, every signature sent, every query string,
// and every field value of every service user involved.
func TestNoSecretOrPersonalDataInLogsOrErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs strings.Builder
		logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{
			Level: slog.LevelDebug}))
		srv, client, log := newFaultyFake(t,
			[]carehqtest.Option{carehqtest.WithServiceUsers(40)},
			carehq.WithLogger(logger), carehq.WithoutValidation())
		ctx := context.Background()
		var errs []error
		keep := func(err error) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		margaret := &carehq.CreateServiceUserParams{
			Location: srv.LocationID, FirstName: "Margaret", LastName: "Thompson",
			DOB: carehq.NewDate(1932, 5, 3), NHSNumber: "485 777 3456",
			NationalInsuranceNumber: "QQ123456B", Mobile: "07969813976",
			Notes: "Mild vascular dementia; daughter visits weekly",
		}

		created, err := client.ServiceUsers.Create(ctx, margaret)
		require.NoError(t, err)
		invalid := *margaret
		invalid.LastName, invalid.FundingType = "", "lottery"
		_, err = client.ServiceUsers.Create(ctx, &invalid)
		keep(err)
		srv.AddFault(carehqtest.Fault{Method: "PUT", Status: 503, ApplyThenFail: true,
			Times: 1})
		_, err = client.ServiceUsers.Create(ctx, margaret)
		keep(err)

		srv.AddFault(carehqtest.Fault{Method: "GET", Status: 503, Times: 2})
		srv.AddFault(carehqtest.Fault{Method: "GET", Status: 429, Times: 1})
		_, err = client.ServiceUsers.Get(ctx, created.ID)
		keep(err)
		_, err = client.ServiceUsers.Get(ctx, "69a9e47783e6ab081d8eda64")
		keep(err)
		srv.AddFault(carehqtest.Fault{Method: "GET", Drop: true, Times: 1})
		for _, err := range client.ServiceUsers.All(ctx, &carehq.ListServiceUsersParams{
			Filters: carehq.ServiceUserFilters{Q: "Thompson"}, PerPage: 5}) {
			keep(err)
		}
		for _, err := range client.ServiceUsers.All(ctx,
			&carehq.ListServiceUsersParams{PerPage: 100}) {
			keep(err)
		}
		srv.AddFault(carehqtest.Fault{Method: "GET", Status: 502})
		_, err = client.ServiceUsers.List(ctx, &carehq.ListServiceUsersParams{
			Filters: carehq.ServiceUserFilters{Q: "Thompson"}})
		keep(err)

		require.Len(t, errs, 4, "the invalid create, the unknown outcome, the 404, the 502")
		text := logs.String()
		for _, err := range errs {
			text += "\n" + err.Error()
		}
		forbidden := []string{srv.APISecret, srv.APIKey, "Thompson", "Margaret",
			"485 777 3456", "QQ123456B", "07969813976", "vascular"}
		for _, a := range log.all() {
			forbidden = append(forbidden, a.signature)
			if a.query != "" {
				forbidden = append(forbidden, a.query)
			}
		}
		for _, u := range srv.ServiceUsers() {
			for _, field := range []string{"first_name", "last_name", "nhs_number",
				"national_insurance_number", "notes", "mobile"} {
				if v, ok := u[field].(string); ok && len(v) >= 4 {
					forbidden = append(forbidden, v)
				}
			}
		}
		for _, s := range forbidden {
			assert.NotContains(t, text, s)
		}
		assert.GreaterOrEqual(t, strings.Count(logs.String(), `"msg":"carehq attempt"`), 10)
		t.Logf("searched %d log bytes and %d error texts for %d values", logs.Len(),
			len(errs), len(forbidden))
	})
}

// TestNothingLeaksAfterEarlyBreaksCancelsAndFailures runs, over loopback,
// the ways a caller leaves a call or a walk early, then checks that no
// goroutine of the SDK is left behind.
func TestNothingLeaksAfterEarlyBreaksCancelsAndFailures(t *testing.T) {
	defer goleak.VerifyNone(t)
	srv := carehqtest.NewServer(carehqtest.WithServiceUsers(120))
	defer srv.Close()
	client, err := srv.Client(carehq.WithRetryBackoff(0, 0), carehq.WithMaxRetries(1))
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	ctx := context.Background()

	for _, opts := range [][]carehq.WalkOption{nil, {carehq.Prefetch()}} {
		n := 0
		for _, err := range client.ServiceUsers.All(ctx,
			&carehq.ListServiceUsersParams{PerPage: 10}, opts...) {
			require.NoError(t, err)
			if n++; n == 15 {
				break
			}
		}
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = client.ServiceUsers.List(cancelled, nil)
	assert.ErrorIs(t, err, context.Canceled)
	for _, err := range client.ServiceUsers.All(cancelled, nil, carehq.Prefetch()) {
		assert.ErrorIs(t, err, context.Canceled)
	}

	srv.AddFault(carehqtest.Fault{Method: "GET", Status: 500})
	_, err = client.ServiceUsers.List(ctx, nil)
	assert.ErrorIs(t, err, carehq.ErrServer)
	srv.AddFault(carehqtest.Fault{Method: "GET", Drop: true})
	for _, err := range client.ServiceUsers.All(ctx, nil, carehq.Prefetch()) {
		assert.Error(t, err)
	}
	srv.ClearFaults()
}
