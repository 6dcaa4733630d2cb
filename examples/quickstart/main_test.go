package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/carehq-go/carehq/carehqtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func clearEnv(t *testing.T) {
	for _, name := range []string{"CAREHQ_ACCOUNT_ID", "CAREHQ_API_KEY", "CAREHQ_API_SECRET",
		"CAREHQ_BASE_URL", "CAREHQ_LOCATION_ID", "CAREHQ_LOG"} {
		t.Setenv(name, "")
	}
}

func TestRunsAgainstAnEmbeddedFakeWithoutCredentials(t *testing.T) {
	clearEnv(t)
	var stdout, stderr bytes.Buffer

	require.NoError(t, run(context.Background(), &stdout, &stderr))

	assert.Contains(t, stderr.String(), "No CAREHQ_* credentials set: using a fake CareHQ server")
	out := stdout.String()
	assert.Contains(t, out, "Created Margaret Thompson")
	assert.Contains(t, out, "born 1932-05-03, service nursing_home, funding private")
	assert.Regexp(t, `\n\d+ pending or active service users, for example: \w+ \w+, `, out)
}

func TestRunsAgainstTheServerInTheEnvironment(t *testing.T) {
	clearEnv(t)
	srv := carehqtest.NewServer()
	defer srv.Close()
	t.Setenv("CAREHQ_ACCOUNT_ID", srv.AccountID)
	t.Setenv("CAREHQ_API_KEY", srv.APIKey)
	t.Setenv("CAREHQ_API_SECRET", srv.APISecret)
	t.Setenv("CAREHQ_BASE_URL", srv.URL)
	t.Setenv("CAREHQ_LOCATION_ID", srv.LocationID)
	t.Setenv("CAREHQ_LOG", "debug")
	var stdout, stderr bytes.Buffer

	require.NoError(t, run(context.Background(), &stdout, &stderr))

	assert.Equal(t, 1, srv.ServiceUserCount())
	assert.Contains(t, stdout.String(), "1 pending or active service users")
	assert.Contains(t, stderr.String(), "carehq attempt")
	assert.NotContains(t, stderr.String(), srv.APISecret)
	assert.NotContains(t, stderr.String(), "fake CareHQ server at")
}

func TestFailsWithTheErrorWhenAStepFails(t *testing.T) {
	clearEnv(t)
	srv := carehqtest.NewServer()
	defer srv.Close()
	t.Setenv("CAREHQ_ACCOUNT_ID", srv.AccountID)
	t.Setenv("CAREHQ_API_KEY", srv.APIKey)
	t.Setenv("CAREHQ_API_SECRET", "wrong")
	t.Setenv("CAREHQ_BASE_URL", srv.URL)
	t.Setenv("CAREHQ_LOCATION_ID", srv.LocationID)
	var stdout, stderr bytes.Buffer

	err := run(context.Background(), &stdout, &stderr)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "creating the example service user")
	assert.Contains(t, err.Error(), "401")

	t.Setenv("CAREHQ_LOCATION_ID", "")
	err = run(context.Background(), &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CAREHQ_LOCATION_ID")
}
