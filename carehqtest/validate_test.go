package carehqtest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateRejectsInvalidParameters(t *testing.T) {
	// The submitted values are distinctive, so that the test can check the
	// answer never repeats them.
	tests := []struct {
		name   string
		change func(p url.Values)
		want   map[string][]string
	}{
		{
			name:   "no first name",
			change: func(p url.Values) { p.Del("first_name") },
			want:   map[string][]string{"first_name": {msgRequired}},
		},
		{
			name:   "an empty last name",
			change: func(p url.Values) { p.Set("last_name", "") },
			want:   map[string][]string{"last_name": {msgRequired}},
		},
		{
			name:   "no location",
			change: func(p url.Values) { p.Del("location") },
			want:   map[string][]string{"location": {msgRequired}},
		},
		{
			name:   "an unknown location",
			change: func(p url.Values) { p.Set("location", "aaaaaaaaaaaaaaaaaaaa7341") },
			want:   map[string][]string{"location": {msgLocation}},
		},
		{
			name:   "a location that is not an Id",
			change: func(p url.Values) { p.Set("location", "Zebedee-7341") },
			want:   map[string][]string{"location": {msgID}},
		},
		{
			name:   "neither a date of birth nor an age",
			change: func(p url.Values) { p.Del("dob") },
			want:   map[string][]string{"dob": {msgDOBOrAge}, "given_age": {msgDOBOrAge}},
		},
		{
			name:   "a date of birth not in the calendar",
			change: func(p url.Values) { p.Set("dob", "1937-02-30") },
			want:   map[string][]string{"dob": {msgDate}},
		},
		{
			name:   "a date of birth in another format",
			change: func(p url.Values) { p.Set("dob", "12/03/1937") },
			want:   map[string][]string{"dob": {msgDate}},
		},
		{
			name:   "a date of birth in the future",
			change: func(p url.Values) { p.Set("dob", "2999-01-01") },
			want:   map[string][]string{"dob": {msgFutureDOB}},
		},
		{
			name:   "an age over 130",
			change: func(p url.Values) { p.Set("given_age", "1317") },
			want:   map[string][]string{"given_age": {msgAge}},
		},
		{
			name:   "a negative age",
			change: func(p url.Values) { p.Set("given_age", "-7341") },
			want:   map[string][]string{"given_age": {msgAge}},
		},
		{
			name:   "an age in words",
			change: func(p url.Values) { p.Set("given_age", "Zebedee") },
			want:   map[string][]string{"given_age": {msgAge}},
		},
		{
			name: "an FNC date without an application",
			change: func(p url.Values) {
				p.Set("service", "nursing_home")
				p.Set("fnc_application_status", "granted")
				p.Set("fnc_application_date", "1999-07-13")
			},
			want: map[string][]string{"fnc_application_date": {msgFNCDate}},
		},
		{
			name: "an FNC status outside nursing",
			change: func(p url.Values) {
				p.Set("service", "residential_home")
				p.Set("fnc_application_status", "granted")
			},
			want: map[string][]string{"fnc_application_status": {msgFNCStatus}},
		},
		{
			name:   "a day care user without a phone",
			change: func(p url.Values) { p.Set("day_care_use", "inclusive") },
			want:   map[string][]string{"phone": {msgPhone}},
		},
		{
			name:   "a phone for someone who does not use day care",
			change: func(p url.Values) { p.Set("phone", "07700900734") },
			want:   map[string][]string{"phone": {msgPhoneNotUsed}},
		},
		{
			name:   "an unknown gender",
			change: func(p url.Values) { p["genders"] = []string{"female", "Zebedee"} },
			want:   map[string][]string{"genders": {msgChoice}},
		},
		{
			name: "unknown enum values",
			change: func(p url.Values) {
				p.Set("religions", "Zebedee-r")
				p.Set("funding_type", "Zebedee-f")
				p.Set("service", "Zebedee-s")
				p.Set("day_care_use", "Zebedee-d")
			},
			want: map[string][]string{
				"religions": {msgChoice}, "funding_type": {msgChoice},
				"service": {msgChoice}, "day_care_use": {msgChoice},
			},
		},
		{
			name: "an unknown FNC status",
			change: func(p url.Values) {
				p.Set("service", "nursing_home")
				p.Set("fnc_application_status", "Zebedee")
			},
			want: map[string][]string{"fnc_application_status": {msgChoice}},
		},
		{
			name:   "a flag that is not yes or no",
			change: func(p url.Values) { p.Set("dementia", "true") },
			want:   map[string][]string{"dementia": {msgFlag}},
		},
		{
			name:   "a repeated single value",
			change: func(p url.Values) { p["first_name"] = []string{"Zebedee", "Zebedee2"} },
			want:   map[string][]string{"first_name": {msgSingle}},
		},
		{
			name:   "a ref that is not a number",
			change: func(p url.Values) { p.Set("ref", "Zebedee") },
			want:   map[string][]string{"ref": {msgRef}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			client := newTestClient(t, srv)
			params := createParamsFor(srv, "Gordon", "Smith")
			tt.change(params)

			err := client.Do(context.Background(), carehq.Call{
				Method: http.MethodPut, Path: "service-users", Params: params,
			}, nil)

			var apiErr *carehq.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.NotEmpty(t, apiErr.Hint)
			assert.Equal(t, tt.want, apiErr.ArgErrors)
			for _, values := range params {
				for _, v := range values {
					if len(v) >= 6 {
						assert.NotContains(t, string(apiErr.Body), v, "the answer echoes a value")
					}
				}
			}
			assert.Zero(t, srv.ServiceUserCount())
		})
	}
}

func TestCreateRejectsATakenAccountCodeOrRef(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	params := createParamsFor(srv, "Gordon", "Smith")
	params.Set("account_code", "GS7341")
	params.Set("ref", "7341")
	create(t, client, params)

	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodPut, Path: "service-users", Params: params,
	}, nil)

	var apiErr *carehq.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, map[string][]string{
		"account_code": {msgTaken}, "ref": {msgTaken},
	}, apiErr.ArgErrors)
	assert.NotContains(t, string(apiErr.Body), "7341")
	assert.Equal(t, 1, srv.ServiceUserCount())
}

func TestCreateAcceptsTheRulesWhenMet(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	params := url.Values{
		"first_name":          {"Joan"},
		"last_name":           {"Evans"},
		"location":            {strings.ToUpper(srv.LocationID)},
		"given_age":           {"130"},
		"day_care_use":        {"exclusive"},
		"phone":               {"07700900123"},
		"genders":             {"female", "transgender", "female"},
		"unknown_parameter":   {"ignored"},
		"street_address-town": {"York"},
	}

	got := create(t, client, params)

	assert.EqualValues(t, 130, got["given_age"])
	assert.Nil(t, got["dob_str"])
	assert.Equal(t, "active", got["day_care_status"])
	assert.Equal(t, []any{"female", "transgender"}, got["genders"])
	assert.Equal(t, srv.LocationID, got["location"])
	assert.Equal(t, 1, srv.ServiceUserCount())
}

func TestCreateAcceptsADateOfBirthOfToday(t *testing.T) {
	today := time.Date(2025, 6, 1, 23, 59, 0, 0, time.UTC)
	srv := newTestServer(t, fixedClock(today)...)
	client := newTestClient(t, srv)
	params := createParamsFor(srv, "Baby", "Evans")
	params.Set("dob", "2025-06-01")

	got := create(t, client, params)

	assert.Equal(t, "2025-06-01", got["dob_str"])
}
