package carehqtest

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// page is a list answer as a client decodes it.
type page struct {
	ItemCount int              `json:"item_count"`
	Items     []map[string]any `json:"items"`
	Page      int              `json:"page"`
	PageCount int              `json:"page_count"`
	PerPage   int              `json:"per_page"`
}

func list(t *testing.T, client *carehq.Client, params url.Values) page {
	t.Helper()
	var p page
	err := client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users", Params: params, Idempotent: true,
	}, &p)
	require.NoError(t, err)

	return p
}

// listAll fetches every matching Id, 100 a page.
func listAll(t *testing.T, client *carehq.Client, params url.Values) []string {
	t.Helper()
	var ids []string
	for n := 1; ; n++ {
		p := url.Values{"page": {strconv.Itoa(n)}, "per_page": {"100"}}
		for k, v := range params {
			p[k] = v
		}
		got := list(t, client, p)
		for _, item := range got.Items {
			ids = append(ids, item["_id"].(string))
		}
		if n >= got.PageCount {
			return ids
		}
	}
}

// idsWhere returns, sorted, the Ids of the stored service users keep
// accepts: the expected answer, computed apart from the server's filters.
func idsWhere(srv *Server, keep func(map[string]any) bool) []string {
	var ids []string
	for _, u := range srv.ServiceUsers() {
		if keep(u) {
			ids = append(ids, u["_id"].(string))
		}
	}
	slices.Sort(ids)

	return ids
}

func newListServer(t *testing.T) (*Server, *carehq.Client) {
	t.Helper()
	srv := newTestServer(t, WithRateLimit(1_000_000), WithServiceUsers(300))

	return srv, newTestClient(t, srv)
}

func TestListByDefaultGivesTenIdsSortedByID(t *testing.T) {
	srv, client := newListServer(t)

	got := list(t, client, nil)

	assert.Equal(t, 300, got.ItemCount)
	assert.Equal(t, 1, got.Page)
	assert.Equal(t, 30, got.PageCount)
	assert.Equal(t, 10, got.PerPage)
	all := idsWhere(srv, func(map[string]any) bool { return true })
	require.Len(t, got.Items, 10)
	for i, item := range got.Items {
		assert.Equal(t, map[string]any{"_id": all[i]}, item)
	}
}

func TestListGivesTheAttributesAskedFor(t *testing.T) {
	srv, client := newListServer(t)

	got := list(t, client, url.Values{
		"attributes": {"ref", "first_name", "last_name", "street_address"},
		"per_page":   {"1"},
	})

	require.Len(t, got.Items, 1)
	item := got.Items[0]
	assert.Len(t, item, 5)
	stored, ok := srv.ServiceUser(item["_id"].(string))
	require.True(t, ok)
	assert.Equal(t, stored["ref"], item["ref"])
	assert.Equal(t, stored["first_name"], item["first_name"])
	assert.Contains(t, item, "street_address")
}

func TestListFilters(t *testing.T) {
	srv, client := newListServer(t)
	users := srv.ServiceUsers()
	someIDs := []string{
		users[3]["_id"].(string), users[77]["_id"].(string), users[150]["_id"].(string),
	}
	modified := make([]string, len(users))
	for i, u := range users {
		modified[i] = u["modified"].(string)
	}
	slices.Sort(modified)
	middle := modified[len(modified)/2]

	tests := []struct {
		name   string
		params url.Values
		keep   func(map[string]any) bool
	}{
		{
			name:   "anonymized yes",
			params: url.Values{"filters-anonymized": {"yes"}},
			keep:   func(u map[string]any) bool { return u["anonymized"] != nil },
		},
		{
			name:   "anonymized no",
			params: url.Values{"filters-anonymized": {"no"}},
			keep:   func(u map[string]any) bool { return u["anonymized"] == nil },
		},
		{
			name:   "anonymized unset",
			params: url.Values{"filters-anonymized": {"unset"}},
			keep:   func(map[string]any) bool { return true },
		},
		{
			name:   "status pending or inactive",
			params: url.Values{"filters-status": {"pending", "inactive"}},
			keep: func(u map[string]any) bool {
				return u["status"] == "pending" || u["status"] == "inactive"
			},
		},
		{
			name:   "day care status",
			params: url.Values{"filters-day_care_status": {"active"}},
			keep:   func(u map[string]any) bool { return u["day_care_status"] == "active" },
		},
		{
			name:   "day care use",
			params: url.Values{"filters-day_care_use": {"exclusive", "inclusive"}},
			keep:   func(u map[string]any) bool { return u["day_care_use"] != "not_used" },
		},
		{
			name:   "ids",
			params: url.Values{"filters-ids": someIDs},
			keep: func(u map[string]any) bool {
				return slices.Contains(someIDs, u["_id"].(string))
			},
		},
		{
			name:   "locations",
			params: url.Values{"filters-locations": {srv.LocationID}},
			keep:   func(map[string]any) bool { return true },
		},
		{
			name:   "modified after",
			params: url.Values{"filters-modified_after": {middle}},
			keep:   func(u map[string]any) bool { return u["modified"].(string) > middle },
		},
		{
			name:   "modified before",
			params: url.Values{"filters-modified_before": {middle}},
			keep:   func(u map[string]any) bool { return u["modified"].(string) < middle },
		},
		{
			name:   "keyword over the full name, any case",
			params: url.Values{"filters-q": {"ARET SMI"}},
			keep: func(u map[string]any) bool {
				full := strings.ToLower(u["first_name"].(string) + " " + u["last_name"].(string))
				return strings.Contains(full, "aret smi")
			},
		},
		{
			name:   "keyword over the ref",
			params: url.Values{"filters-q": {"12"}},
			keep: func(u map[string]any) bool {
				full := u["first_name"].(string) + " " + u["last_name"].(string)
				return strings.Contains(u["ref"].(string), "12") || strings.Contains(full, "12")
			},
		},
		{
			name: "several filters together",
			params: url.Values{
				"filters-status":     {"active"},
				"filters-anonymized": {"no"},
				"filters-q":          {"an"},
			},
			keep: func(u map[string]any) bool {
				full := strings.ToLower(u["first_name"].(string) + " " + u["last_name"].(string))
				return u["status"] == "active" && u["anonymized"] == nil &&
					strings.Contains(full, "an")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := idsWhere(srv, tt.keep)

			got := listAll(t, client, tt.params)

			assert.Equal(t, want, got)
		})
	}
}

func TestListFilterOnAnotherLocation(t *testing.T) {
	srv, client := newListServer(t)
	other := srv.AddLocation()
	params := createParamsFor(srv, "Vera", "Lynn")
	params.Set("location", other)
	created := create(t, client, params)

	got := listAll(t, client, url.Values{"filters-locations": {other}})

	assert.Equal(t, []string{created["_id"].(string)}, got)
	assert.Equal(t, []string{srv.LocationID, other}, srv.Locations())
}

func TestListSorts(t *testing.T) {
	srv, client := newListServer(t)
	byID := map[string]map[string]any{}
	for _, u := range srv.ServiceUsers() {
		byID[u["_id"].(string)] = u
	}

	t.Run("by full name", func(t *testing.T) {
		ids := listAll(t, client, url.Values{"sort_by": {"full_name"}})
		require.Len(t, ids, 300)
		for i := 1; i < len(ids); i++ {
			a, b := byID[ids[i-1]], byID[ids[i]]
			fa := strings.ToLower(a["first_name"].(string) + " " + a["last_name"].(string))
			fb := strings.ToLower(b["first_name"].(string) + " " + b["last_name"].(string))
			assert.LessOrEqual(t, fa, fb)
		}
	})

	t.Run("by ref descending, as numbers", func(t *testing.T) {
		ids := listAll(t, client, url.Values{"sort_by": {"-ref"}})
		require.Len(t, ids, 300)
		assert.Equal(t, "300", byID[ids[0]]["ref"])
		assert.Equal(t, "1", byID[ids[299]]["ref"])
	})

	t.Run("by status, then last name descending", func(t *testing.T) {
		ids := listAll(t, client, url.Values{"sort_by": {"status", "-last_name"}})
		for i := 1; i < len(ids); i++ {
			a, b := byID[ids[i-1]], byID[ids[i]]
			require.LessOrEqual(t, a["status"], b["status"])
			if a["status"] == b["status"] {
				assert.GreaterOrEqual(t, strings.ToLower(a["last_name"].(string)),
					strings.ToLower(b["last_name"].(string)))
			}
		}
	})

	t.Run("nulls first", func(t *testing.T) {
		ids := listAll(t, client, url.Values{"sort_by": {"given_age"}})
		assert.Nil(t, byID[ids[0]]["given_age"])
		assert.NotNil(t, byID[ids[len(ids)-1]]["given_age"])
	})
}

func TestListPages(t *testing.T) {
	_, client := newListServer(t)
	all := listAll(t, client, nil)

	second := list(t, client, url.Values{"page": {"2"}, "per_page": {"7"}})
	last := list(t, client, url.Values{"page": {"43"}, "per_page": {"7"}})
	beyond := list(t, client, url.Values{"page": {"44"}, "per_page": {"7"}})

	assert.Equal(t, 43, second.PageCount)
	require.Len(t, second.Items, 7)
	assert.Equal(t, all[7], second.Items[0]["_id"])
	require.Len(t, last.Items, 6)
	assert.Equal(t, all[299], last.Items[5]["_id"])
	assert.Empty(t, beyond.Items)
	assert.Equal(t, 44, beyond.Page)
	assert.Equal(t, 300, beyond.ItemCount)
}

func TestListOfNothing(t *testing.T) {
	srv := newTestServer(t)
	client := newTestClient(t, srv)

	got := list(t, client, nil)

	assert.Equal(t, page{Items: []map[string]any{}, Page: 1, PerPage: 10}, got)
}

func TestListRejectsInvalidParameters(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		want   map[string][]string
	}{
		{"too many per page", url.Values{"per_page": {"101"}},
			map[string][]string{"per_page": {msgPerPage}}},
		{"no items per page", url.Values{"per_page": {"0"}},
			map[string][]string{"per_page": {msgPerPage}}},
		{"page zero", url.Values{"page": {"0"}}, map[string][]string{"page": {msgPage}}},
		{"a page in words", url.Values{"page": {"two"}}, map[string][]string{"page": {msgPage}}},
		{"an unknown filter", url.Values{"filters-colour": {"blue"}},
			map[string][]string{"filters-colour": {msgFilter}}},
		{"an unknown attribute", url.Values{"attributes": {"first_name", "shoe_size"}},
			map[string][]string{"attributes": {msgAttribute}}},
		{"attributes joined by commas", url.Values{"attributes": {"first_name,last_name"}},
			map[string][]string{"attributes": {msgAttribute}}},
		{"sorting by a list", url.Values{"sort_by": {"genders"}},
			map[string][]string{"sort_by": {msgSortBy}}},
		{"an unknown status", url.Values{"filters-status": {"archived"}},
			map[string][]string{"filters-status": {msgChoice}}},
		{"an Id that is not one", url.Values{"filters-ids": {"123"}},
			map[string][]string{"filters-ids": {msgID}}},
		{"a bad anonymized value", url.Values{"filters-anonymized": {"maybe"}},
			map[string][]string{"filters-anonymized": {msgChoice}}},
		{"a date instead of a date/time", url.Values{"filters-modified_after": {"2025-01-01"}},
			map[string][]string{"filters-modified_after": {msgDateTime}}},
		{"two keywords", url.Values{"filters-q": {"a", "b"}},
			map[string][]string{"filters-q": {msgSingle}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t)
			client := newTestClient(t, srv)

			err := client.Do(context.Background(), carehq.Call{
				Method: http.MethodGet, Path: "service-users", Params: tt.params,
			}, nil)

			var apiErr *carehq.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.Equal(t, tt.want, apiErr.ArgErrors)
		})
	}
}

func TestListOfManyIsQuick(t *testing.T) {
	srv := newTestServer(t, WithServiceUsers(20_000))
	client := newTestClient(t, srv)

	start := time.Now()
	got := list(t, client, url.Values{
		"sort_by": {"full_name", "-created"}, "filters-q": {"a"}, "per_page": {"100"},
		"attributes": {"first_name", "last_name"},
	})

	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Greater(t, got.ItemCount, 1000)
	assert.Len(t, got.Items, 100)
}
