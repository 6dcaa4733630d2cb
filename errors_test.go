package carehq

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorMatchesTheSentinelForItsStatus(t *testing.T) {
	sentinels := []error{ErrInvalidRequest, ErrUnauthorized, ErrForbidden, ErrNotFound,
		ErrRateLimited, ErrServer}
	tests := []struct {
		status int
		want   error
	}{
		{400, ErrInvalidRequest},
		{401, ErrUnauthorized},
		{403, ErrForbidden},
		{405, ErrForbidden},
		{404, ErrNotFound},
		{429, ErrRateLimited},
		{500, ErrServer},
		{502, ErrServer},
		{503, ErrServer},
		{599, ErrServer},
		{409, nil},
		{302, nil},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			err := error(newAPIError("GET", "/v1/x", tt.status, "", nil))
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "%v", s)
			}
		})
	}
}

func TestAPIErrorReadsHintAndEveryFieldMessage(t *testing.T) {
	body := `{"hint": "Please correct the errors below.",
		"arg_errors": {
			"first_name": ["This field is required."],
			"dob": "Not a valid date.",
			"genders": ["Not a valid choice.", "Too many values."],
			"ignored_empty": [],
			"odd": {"nested": true}
		}}`

	e := newAPIError("PUT", "/v1/service-users", 400, "application/json", []byte(body))

	assert.Equal(t, "Please correct the errors below.", e.Hint)
	assert.Equal(t, map[string][]string{
		"first_name": {"This field is required."},
		"dob":        {"Not a valid date."},
		"genders":    {"Not a valid choice.", "Too many values."},
		"odd":        {`{"nested": true}`},
	}, e.ArgErrors)
	assert.Equal(t, "carehq: PUT /v1/service-users: 400 Bad Request: "+
		"Please correct the errors below.; dob: Not a valid date.; "+
		"first_name: This field is required.; "+
		"genders: Not a valid choice., Too many values.; odd: {\"nested\": true}", e.Error())
}

func TestAPIErrorFromAProxyPageIsStillUseful(t *testing.T) {
	body := "<html><body><h1>502 Bad Gateway</h1></body></html>"

	e := newAPIError("GET", "/v1/service-users", 502, "text/html; charset=utf-8", []byte(body))

	assert.Empty(t, e.Hint)
	assert.Nil(t, e.ArgErrors)
	assert.ErrorIs(t, e, ErrServer)
	assert.Equal(t, "carehq: GET /v1/service-users: 502 Bad Gateway "+
		"(a 50-byte text/html body, not CareHQ's JSON: likely from a proxy)", e.Error())
	assert.NotContains(t, e.Error(), "<html>")
}

func TestAPIErrorKeepsAtMost64KiBOfBody(t *testing.T) {
	body := make([]byte, 100<<10)

	e := newAPIError("GET", "/v1/x", 500, "", body)

	assert.Len(t, e.Body, 64<<10)
}

func TestAPIErrorWithEmptyOrOddJSON(t *testing.T) {
	for _, body := range []string{"", "null", "[]", `{"hint": 5}`, `{"arg_errors": "x"}`, "{"} {
		e := newAPIError("GET", "/v1/x", 400, "application/json", []byte(body))
		assert.ErrorIs(t, e, ErrInvalidRequest, body)
		assert.Contains(t, e.Error(), "400 Bad Request", body)
	}
}

func TestErrorTextHoldsNoSecretQueryOrBody(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(0))
	mt.RegisterResponder("GET", listURL, jsonResponder(400,
		`{"hint": "Bad filter.", "arg_errors": {"filters-q": ["Too long."]},
		  "echo": "Margaret Thompson 485 777 3456"}`))

	err := c.Do(context.Background(), Call{Method: "GET", Path: "service-users",
		Params: map[string][]string{"filters-q": {"Margaret Thompson"}}}, nil)

	require.Error(t, err)
	text := err.Error()
	assert.Contains(t, text, "Bad filter.")
	assert.Contains(t, text, "filters-q: Too long.")
	for _, secret := range []string{testAPISecret, "Margaret", "485 777", "filters-q=",
		"?", "X-CareHQ-Signature"} {
		assert.NotContains(t, text, secret)
	}
}

func TestTransportErrorTextHoldsNoQuery(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(0))
	mt.RegisterResponder("GET", listURL, func(*http.Request) (*http.Response, error) {
		return nil, errReset
	})

	err := c.Do(context.Background(), Call{Method: "GET", Path: "service-users",
		Params: map[string][]string{"filters-q": {"Thompson"}}, Idempotent: true}, nil)

	var tErr *TransportError
	require.ErrorAs(t, err, &tErr)
	assert.NotContains(t, err.Error(), "Thompson")
	assert.NotContains(t, err.Error(), "?")
	assert.Contains(t, err.Error(), "GET /v1/service-users")
}
