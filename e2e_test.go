package carehq_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

// These tests run the SDK against the fake CareHQ server over loopback HTTP:
// the server, not a mock, checks every signature.

// newFake starts a fake server and returns it with a client for it; both
// stop when the test ends.
func newFake(t *testing.T, serverOpts []carehqtest.Option,
	clientOpts ...carehq.Option) (*carehqtest.Server, *carehq.Client) {
	t.Helper()
	srv := carehqtest.NewServer(serverOpts...)
	client, err := srv.Client(clientOpts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		client.CloseIdleConnections()
		srv.Close()
	})

	return srv, client
}

func TestEndToEndCreateGetAndList(t *testing.T) {
	srv, client := newFake(t, nil)
	ctx := context.Background()

	created, err := client.ServiceUsers.Create(ctx, &carehq.CreateServiceUserParams{
		Location:                     srv.LocationID,
		Title:                        "Mrs",
		FirstName:                    "Margaret",
		LastName:                     "Thompson",
		DOB:                          carehq.NewDate(1932, time.May, 3),
		Genders:                      []carehq.Gender{carehq.GenderFemale},
		Religions:                    []carehq.Religion{carehq.ReligionChristian},
		Service:                      carehq.ServiceNursingHome,
		FNCApplicationStatus:         carehq.FNCApplicationStatusAppliedFor,
		FNCApplicationDate:           carehq.NewDate(2025, time.April, 2),
		Dementia:                     carehq.FlagYes,
		DementiaChallengingBehaviour: carehq.FlagNo,
		NHSNumber:                    "485 777 3456",
		Notes:                        "Enjoys knitting & classical music = 100% happy",
		StreetAddress:                &carehq.Address{Address1: "1 Royal Crescent", Postcode: "BA1 2LR"},
	})
	require.NoError(t, err)
	assert.Equal(t, carehq.NewDate(1932, time.May, 3), created.DOB)

	stored, ok := srv.ServiceUser(created.ID)
	require.True(t, ok)
	assert.Equal(t, "Margaret", stored["first_name"])
	assert.Equal(t, "1932-05-03", stored["dob"])
	assert.Equal(t, true, stored["dementia"])
	assert.Equal(t, false, stored["dementia_challenging_behaviour"])
	assert.Equal(t, "Enjoys knitting & classical music = 100% happy", stored["notes"])

	got, err := client.ServiceUsers.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "Thompson", got.LastName)
	assert.Equal(t, carehq.FlagYes, got.Dementia)
	assert.Equal(t, carehq.FlagNo, got.DementiaChallengingBehaviour)
	assert.Equal(t, carehq.FlagUnknown, got.EndOfLifeCare, "never given, so unknown")
	assert.Equal(t, carehq.NewDate(2025, time.April, 2), got.FNCApplicationDate)
	require.NotNil(t, got.StreetAddress)
	assert.Equal(t, "BA1 2LR", got.StreetAddress.Postcode)
	assert.Empty(t, got.Problems)

	page, err := client.ServiceUsers.List(ctx, &carehq.ListServiceUsersParams{
		Filters: carehq.ServiceUserFilters{Q: "thompson"},
	})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, created.ID, page.Items[0].ID)
	assert.Equal(t, "485 777 3456", page.Items[0].NHSNumber, "every attribute by default")

	for _, req := range srv.Requests() {
		assert.True(t, req.Authenticated, "%s %s", req.Method, req.Path)
	}
	assert.Len(t, srv.Requests(), 3)
}

func TestEndToEndWrongSecretIsUnauthorized(t *testing.T) {
	srv, _ := newFake(t, nil)
	client, err := carehq.New(srv.AccountID, srv.APIKey, "not-the-secret",
		carehq.WithBaseURL(srv.URL), carehq.WithHTTPClient(srv.HTTPClient()))
	require.NoError(t, err)
	defer client.CloseIdleConnections()

	_, err = client.ServiceUsers.List(context.Background(), nil)

	var apiErr *carehq.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, carehq.ErrUnauthorized)
	assert.NotEmpty(t, apiErr.Hint)
	assert.Equal(t, 1, apiErr.Attempts, "a 401 is not retried")
	assert.NotContains(t, err.Error(), "not-the-secret")
}

func TestEndToEndServerValidationReachesTheCaller(t *testing.T) {
	srv, client := newFake(t, nil, carehq.WithoutValidation())

	_, err := client.ServiceUsers.Create(context.Background(), &carehq.CreateServiceUserParams{
		Location:    srv.LocationID,
		FirstName:   "Ann",
		DOB:         carehq.NewDate(1950, 1, 1),
		FundingType: "lottery",
	})

	var apiErr *carehq.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, carehq.ErrInvalidRequest)
	assert.Contains(t, apiErr.ArgErrors, "last_name")
	assert.Contains(t, apiErr.ArgErrors, "funding_type")
	assert.Zero(t, srv.ServiceUserCount())
}

func TestEndToEndWalkMatchesTheServer(t *testing.T) {
	srv, client := newFake(t, []carehqtest.Option{carehqtest.WithServiceUsers(137)})
	ctx := context.Background()

	var all []string
	for su, err := range client.ServiceUsers.All(ctx, &carehq.ListServiceUsersParams{
		Attributes: []string{"_id"}, PerPage: 25}) {
		require.NoError(t, err)
		all = append(all, su.ID)
	}
	var stored []string
	active := 0
	for _, u := range srv.ServiceUsers() {
		stored = append(stored, u["_id"].(string))
		if u["status"] == "active" {
			active++
		}
	}
	slices.Sort(stored)
	assert.Equal(t, stored, all, "every record once, in Id order")

	var activeSeen int
	var lastNames []string
	for su, err := range client.ServiceUsers.All(ctx, &carehq.ListServiceUsersParams{
		Filters: carehq.ServiceUserFilters{
			Statuses: []carehq.ServiceUserStatus{carehq.ServiceUserStatusActive}},
		SortBy:  []carehq.Sort{carehq.Descending("last_name")},
		PerPage: 40,
	}, carehq.Prefetch()) {
		require.NoError(t, err)
		assert.Equal(t, carehq.ServiceUserStatusActive, su.Status)
		activeSeen++
		lastNames = append(lastNames, strings.ToLower(su.LastName))
	}
	assert.Equal(t, active, activeSeen)
	assert.True(t, slices.IsSortedFunc(lastNames, func(a, b string) int {
		return strings.Compare(b, a)
	}), "sorted by last name, descending")
}

func TestEndToEndMessyPayloadsDecode(t *testing.T) {
	srv, client := newFake(t, []carehqtest.Option{carehqtest.WithServiceUsers(60)})
	srv.SetQuirks(true)

	n := 0
	for su, err := range client.ServiceUsers.All(context.Background(),
		&carehq.ListServiceUsersParams{PerPage: 100}) {
		require.NoError(t, err, "odd values never fail the page")
		n++
		assert.Contains(t, su.Extra, "preferred_language", "unknown fields are kept")
		assert.Empty(t, su.Problems, "every quirk is understood")
		if !su.DOB.IsZero() {
			assert.True(t, su.DOB.Valid())
		}
		if su.BillingCommsPreference != "" && !su.BillingCommsPreference.Known() {
			assert.Equal(t, carehq.BillingCommsPreference("sms"), su.BillingCommsPreference)
		}
	}
	assert.Equal(t, 60, n)
}

// TestTransportResendIsSignedAfresh drops a GET on a connection the client
// had used before. net/http's transport then sends it again by itself; the
// resend must carry a new nonce, or the server rejects it as a replay.
func TestTransportResendIsSignedAfresh(t *testing.T) {
	srv, client := newFake(t, []carehqtest.Option{carehqtest.WithServiceUsers(3)},
		carehq.WithMaxRetries(0))
	ctx := context.Background()
	_, err := client.ServiceUsers.List(ctx, nil)
	require.NoError(t, err, "opens the connection the next call reuses")
	srv.AddFault(carehqtest.Fault{Method: "GET", Drop: true, Times: 1})

	_, err = client.ServiceUsers.List(ctx, nil)

	require.NoError(t, err, "the transport's own resend succeeds, though retries are off")
	requests := srv.Requests()
	require.Len(t, requests, 3)
	assert.True(t, requests[1].Faulted)
	assert.Equal(t, 200, requests[2].Status)
	assert.True(t, requests[2].Authenticated)
}
