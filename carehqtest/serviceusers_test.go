package carehqtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentedCreateAnswerKeys are the keys of the create answer in CareHQ's
// documentation, copied from there rather than from the server's code.
var documentedCreateAnswerKeys = []string{
	"_id", "account_code", "assistance_with_dressing", "assistance_with_eating",
	"assistance_with_medication", "assistance_with_personal_care", "broadcare_number",
	"created", "day_care_status", "day_care_use", "dementia", "dementia_challenging_behaviour",
	"dementia_prone_to_wander", "dob_str", "end_of_life_care", "first_name",
	"fnc_application_date_str", "fnc_application_status", "funding_type", "genders",
	"genders_other", "given_age", "last_name", "location", "mobile",
	"mobility_can_walk_unaided", "modified", "national_insurance_number", "nhs_number",
	"notes", "patient_id", "preferred_name", "ref", "registered_blind", "religions",
	"religions_other", "service", "status", "street_address", "title", "visually_impaired",
}

// documentedExampleParams are the parameters of CareHQ's documented create
// example.
func documentedExampleParams(locationID string) url.Values {
	return url.Values{
		"account_code":                   {"MT123"},
		"assistance_with_dressing":       {"yes"},
		"assistance_with_medication":     {"yes"},
		"assistance_with_personal_care":  {"yes"},
		"broadcare_number":               {"4857773456"},
		"day_care_use":                   {"not_used"},
		"dementia":                       {"yes"},
		"dementia_challenging_behaviour": {"yes"},
		"dob":                            {"1932-05-03"},
		"first_name":                     {"Margaret"},
		"fnc_application_date":           {"2025-04-02"},
		"fnc_application_status":         {"applied_for"},
		"funding_type":                   {"private"},
		"genders":                        {"female"},
		"last_name":                      {"Thompson"},
		"location":                       {locationID},
		"mobile":                         {"07969813976"},
		"mobility_uses_stick":            {"yes"},
		"national_insurance_number":      {"QQ123456B"},
		"nhs_number":                     {"485 777 3456"},
		"notes":                          {"Requires support with morning and evening routines."},
		"preferred_name":                 {"Maggie"},
		"ref":                            {"123"},
		"religions":                      {"christian"},
		"service":                        {"nursing_home"},
		"title":                          {"Mrs"},
		"visually_impaired":              {"yes"},
		"street_address-postcode":        {"LS6 2AB"},
		"street_address-town":            {"Leeds"},
	}
}

// fixedClock stops the server's clock at t, and widens the signature
// window so that the SDK's real-time signatures still pass.
func fixedClock(t time.Time) []Option {
	return []Option{
		WithClock(func() time.Time { return t }),
		WithSignatureWindow(100 * 365 * 24 * time.Hour),
	}
}

func TestCreateAnswersLikeTheDocumentedExample(t *testing.T) {
	created := time.Date(2026, 3, 5, 20, 16, 15, 0, time.UTC)
	srv := newTestServer(t, fixedClock(created)...)
	client := newTestClient(t, srv)

	got := create(t, client, documentedExampleParams(srv.LocationID))

	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, documentedCreateAnswerKeys, keys)
	assert.Len(t, got["_id"], 24)
	assert.Equal(t, "MT123", got["account_code"])
	assert.Equal(t, "2026-03-05 20:16:15", got["created"])
	assert.Equal(t, "2026-03-05 20:16:15", got["modified"])
	assert.Equal(t, "pending", got["status"])
	assert.Equal(t, "1932-05-03", got["dob_str"])
	assert.Equal(t, "2025-04-02", got["fnc_application_date_str"])
	assert.Equal(t, "", got["end_of_life_care"], "unset end_of_life_care is \"\"")
	assert.Equal(t, false, got["assistance_with_eating"], "unset flags are false")
	assert.Equal(t, true, got["dementia"])
	assert.Equal(t, "", got["patient_id"], "unset text is \"\"")
	assert.Nil(t, got["given_age"])
	assert.Equal(t, []any{"female"}, got["genders"])
	assert.Equal(t, "inactive", got["day_care_status"])
	assert.Equal(t, map[string]any{
		"address_1": "", "address_2": "", "country": "", "county": "",
		"postcode": "LS6 2AB", "town": "Leeds",
	}, got["street_address"])
}

func TestCreateGeneratesRefAndAccountCode(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)

	first := create(t, client, createParamsFor(srv, "Gordon", "Smith"))
	second := create(t, client, createParamsFor(srv, "anna", "murphy"))

	assert.Equal(t, "1", first["ref"])
	assert.Equal(t, "GS0001", first["account_code"])
	assert.Equal(t, "2", second["ref"])
	assert.Equal(t, "AM0002", second["account_code"])
	assert.NotEqual(t, first["_id"], second["_id"])
}

func TestRetrieveReturnsEveryAttribute(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	created := create(t, client, documentedExampleParams(srv.LocationID))

	var got map[string]any
	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users/" + created["_id"].(string),
		Idempotent: true,
	}, &got)

	require.NoError(t, err)
	assert.Len(t, got, 72)
	for _, a := range attributes {
		assert.Contains(t, got, a.name)
	}
	assert.Equal(t, "1932-05-03", got["dob"])
	assert.Equal(t, "2025-04-02", got["fnc_application_date"])
	assert.Nil(t, got["end_of_life_care"], "a flag never given is null")
	assert.Nil(t, got["anonymized"])
	assert.Nil(t, got["postal_address"])
	assert.Equal(t, true, got["mobility_uses_stick"])
	assert.Equal(t, "Margaret", got["first_name"])
	assert.Equal(t, srv.LocationID, got["location"])
}

func TestRetrieveOfAnUnknownIDIsNotFound(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)

	for _, id := range []string{"6724fbca4f73a2cebf638579", "not-an-id"} {
		err := client.Do(context.Background(), carehq.Call{
			Method: http.MethodGet, Path: "service-users/" + id, Idempotent: true,
		}, nil)

		var apiErr *carehq.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
		assert.True(t, errors.Is(err, carehq.ErrNotFound))
		assert.Equal(t, "No service user with this Id.", apiErr.Hint)
	}
}

func TestServiceUsersReturnsCopies(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	created := create(t, client, documentedExampleParams(srv.LocationID))
	id := created["_id"].(string)

	users := srv.ServiceUsers()
	require.Len(t, users, 1)
	users[0]["first_name"] = "Changed"
	users[0]["genders"].([]string)[0] = "male"
	users[0]["street_address"].(map[string]string)["town"] = "Nowhere"

	again, ok := srv.ServiceUser(id)
	require.True(t, ok)
	assert.Equal(t, "Margaret", again["first_name"])
	assert.Equal(t, []string{"female"}, again["genders"])
	assert.Equal(t, "Leeds", again["street_address"].(map[string]string)["town"])
	assert.Equal(t, 1, srv.ServiceUserCount())
	_, ok = srv.ServiceUser("6724fbca4f73a2cebf638579")
	assert.False(t, ok)
}

func TestConcurrentCreatesAreAllStored(t *testing.T) {
	srv := newTestServer(t, WithRateLimit(10_000))
	client := newTestClient(t, srv)
	const n = 40

	ids := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			var out map[string]any
			params := createParamsFor(srv, "Resident", fmt.Sprintf("Number %d", i))
			err := client.Do(context.Background(), carehq.Call{
				Method: http.MethodPut, Path: "service-users", Params: params,
			}, &out)
			if err != nil {
				errs <- err
				return
			}
			ids <- out["_id"].(string)
		}()
	}

	var got []string
	for range n {
		select {
		case id := <-ids:
			got = append(got, id)
		case err := <-errs:
			t.Fatal(err)
		}
	}
	slices.Sort(got)
	assert.Len(t, slices.Compact(got), n, "every Id is unique")
	assert.Equal(t, n, srv.ServiceUserCount())
}
