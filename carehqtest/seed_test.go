package carehqtest

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var seedClock = time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)

func newSeededServer(t *testing.T, n int, seed uint64) *Server {
	t.Helper()

	return newTestServer(t, WithSeed(seed), WithServiceUsers(n),
		WithClock(func() time.Time { return seedClock }))
}

func TestSeedingIsRepeatable(t *testing.T) {
	first := newSeededServer(t, 200, 3).ServiceUsers()
	again := newSeededServer(t, 200, 3).ServiceUsers()
	other := newSeededServer(t, 200, 4).ServiceUsers()

	assert.Equal(t, first, again)
	assert.NotEqual(t, first, other)
}

func TestSeedingDoesNotDependOnTheClocksFinerDigits(t *testing.T) {
	summary := func(clock time.Time) []string {
		srv := newTestServer(t, WithServiceUsers(300),
			WithClock(func() time.Time { return clock }))
		var out []string
		for _, u := range srv.ServiceUsers() {
			out = append(out, fmt.Sprint(u["first_name"], u["last_name"], u["status"],
				u["service"], u["funding_type"], u["dementia"]))
		}
		return out
	}

	first := summary(seedClock)
	for _, shift := range []time.Duration{1, 123456789, 17 * time.Hour} {
		assert.Equal(t, first, summary(seedClock.Add(shift)), "clock moved by %v", shift)
	}
}

func TestSeededServiceUsersAreVariedAndWellFormed(t *testing.T) {
	srv := newSeededServer(t, 3000, DefaultSeed)
	users := srv.ServiceUsers()
	require.Len(t, users, 3000)

	nhsNumber := regexp.MustCompile(`^\d{3} \d{3} \d{4}$`)
	hexID := regexp.MustCompile(`^[0-9a-f]{24}$`)
	seen := map[string]map[any]bool{}
	note := func(name string, v any) {
		if seen[name] == nil {
			seen[name] = map[any]bool{}
		}
		seen[name][v] = true
	}
	ids, refs, codes := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, u := range users {
		require.Len(t, u, 72)
		id := u["_id"].(string)
		assert.Regexp(t, hexID, id)
		assert.False(t, ids[id] || refs[u["ref"].(string)] || codes[u["account_code"].(string)],
			"Ids, refs and account codes are unique")
		ids[id], refs[u["ref"].(string)], codes[u["account_code"].(string)] = true, true, true

		for _, name := range []string{
			"status", "service", "funding_type", "day_care_use", "dementia",
			"end_of_life_care", "billing_comms_preference", "payment_method",
		} {
			note(name, u[name])
		}
		note("anonymized", u["anonymized"] != nil)
		note("has dob", u["dob"] != nil)
		note("has given_age", u["given_age"] != nil)
		note("has lon_lat", u["lon_lat"] != nil)

		if nhs, ok := u["nhs_number"].(string); ok {
			assert.Regexp(t, nhsNumber, nhs)
			assert.True(t, validNHSNumber(nhs), "check digit of %s", nhs)
		}
		created, err := parseDateTime(u["created"].(string))
		require.NoError(t, err)
		modified, err := parseDateTime(u["modified"].(string))
		require.NoError(t, err)
		assert.False(t, modified.Before(created))
		assert.False(t, modified.After(seedClock))
		assert.Equal(t, srv.LocationID, u["location"])
	}

	assert.Len(t, seen["status"], 3)
	assert.GreaterOrEqual(t, len(seen["service"]), 8)
	assert.GreaterOrEqual(t, len(seen["funding_type"]), 8)
	assert.Len(t, seen["day_care_use"], 3)
	for _, name := range []string{"dementia", "end_of_life_care"} {
		assert.Equal(t, map[any]bool{true: true, false: true, nil: true}, seen[name], name)
	}
	for _, name := range []string{"anonymized", "has dob", "has given_age", "has lon_lat"} {
		assert.Len(t, seen[name], 2, name)
	}
	assert.Contains(t, seen["billing_comms_preference"], nil)
}

// validNHSNumber checks the modulus 11 check digit, written apart from the
// seeder's.
func validNHSNumber(s string) bool {
	digits := regexp.MustCompile(`\D`).ReplaceAllString(s, "")
	sum := 0
	for i := range 9 {
		d, _ := strconv.Atoi(digits[i : i+1])
		sum += d * (10 - i)
	}
	want := 11 - sum%11
	if want == 11 {
		want = 0
	}

	return strconv.Itoa(want) == digits[9:]
}

func TestSeedingSpreadsOverLocations(t *testing.T) {
	srv := newTestServer(t)
	other := srv.AddLocation()

	srv.SeedServiceUsers(400)

	counts := map[any]int{}
	for _, u := range srv.ServiceUsers() {
		counts[u["location"]]++
	}
	assert.Len(t, counts, 2)
	assert.Greater(t, counts[other], 100)
}

func TestSeedingContinuesTheRefs(t *testing.T) {
	srv := newTestServer(t, WithServiceUsers(10))
	client := newTestClient(t, srv)

	created := create(t, client, createParamsFor(srv, "Gordon", "Smith"))

	assert.Equal(t, "11", created["ref"])
}

func TestSeedingAHundredThousandIsQuick(t *testing.T) {
	srv := newTestServer(t)

	start := time.Now()
	srv.SeedServiceUsers(100_000)
	elapsed := time.Since(start)

	assert.Equal(t, 100_000, srv.ServiceUserCount())
	limit := 8 * time.Second
	if raceEnabled {
		limit = 30 * time.Second
	}
	assert.Less(t, elapsed, limit)
	t.Logf("seeded 100,000 service users in %v", elapsed)
}

func BenchmarkSeedServiceUsers(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	for b.Loop() {
		srv.SeedServiceUsers(1000)
	}
}
