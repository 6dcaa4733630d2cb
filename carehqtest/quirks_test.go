package carehqtest

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func retrieve(t *testing.T, client *carehq.Client, id string) map[string]any {
	t.Helper()
	var out map[string]any
	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users/" + id, Idempotent: true,
	}, &out)
	require.NoError(t, err)

	return out
}

func TestQuirksShapeAnswersLikeRealPayloads(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)
	params := createParamsFor(srv, "Gordon", "Smith")
	params.Set("given_age", "84")
	id := create(t, client, params)["_id"].(string)
	plain := retrieve(t, client, id)

	srv.SetQuirks(true)
	quirky := retrieve(t, client, id)
	listed := list(t, client, url.Values{"attributes": {"given_age", "dob", "dementia"}})

	assert.Nil(t, plain["dementia"])
	assert.Equal(t, "", quirky["dementia"], "a null flag is sent as \"\"")
	assert.Equal(t, float64(84), plain["given_age"])
	assert.Equal(t, "84", quirky["given_age"], "a number is sent as a string")
	assert.NotContains(t, quirky, "dob")
	assert.Equal(t, "1940-03-12", quirky["dob_str"])
	assert.Equal(t, quirkBillingComms, quirky["billing_comms_preference"])
	assert.Equal(t, quirkFieldValue, quirky[quirkField])
	assert.NotContains(t, plain, quirkField)
	require.Len(t, listed.Items, 1)
	assert.Equal(t, map[string]any{
		"_id": id, "given_age": "84", "dob_str": "1940-03-12", "dementia": "",
		quirkField: quirkFieldValue,
	}, listed.Items[0])

	srv.SetQuirks(false)
	assert.Equal(t, plain, retrieve(t, client, id))
}

func TestQuirksOptionTurnsThemOnAtStart(t *testing.T) {
	srv := newTestServer(t, WithQuirks())
	client := newTestClient(t, srv)

	created := create(t, client, createParamsFor(srv, "Gordon", "Smith"))

	assert.Equal(t, quirkFieldValue, created[quirkField])
	assert.Equal(t, "1940-03-12", created["dob_str"])
}
