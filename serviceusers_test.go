package carehq

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

const testLocation = "69a9e47283e6ab081d8ecbca"

// margaret returns the documented example resident's parameters.
func margaret() *CreateServiceUserParams {
	return &CreateServiceUserParams{
		AccountCode:                  "MT123",
		AssistanceWithDressing:       FlagYes,
		AssistanceWithMedication:     FlagYes,
		AssistanceWithPersonalCare:   FlagYes,
		BroadcareNumber:              "4857773456",
		DayCareUse:                   DayCareUseNotUsed,
		Dementia:                     FlagYes,
		DementiaChallengingBehaviour: FlagYes,
		DOB:                          NewDate(1932, time.May, 3),
		FirstName:                    "Margaret",
		FNCApplicationDate:           NewDate(2025, time.April, 2),
		FNCApplicationStatus:         FNCApplicationStatusAppliedFor,
		FundingType:                  FundingTypePrivate,
		Genders:                      []Gender{GenderFemale},
		LastName:                     "Thompson",
		Location:                     testLocation,
		Mobile:                       "07969813976",
		MobilityUsesStick:            FlagYes,
		NationalInsuranceNumber:      "QQ123456B",
		NHSNumber:                    "485 777 3456",
		Notes:                        "Requires support with morning and evening routines.",
		PreferredName:                "Maggie",
		Ref:                          "123",
		Religions:                    []Religion{ReligionChristian},
		Service:                      ServiceNursingHome,
		Title:                        "Mrs",
		VisuallyImpaired:             FlagYes,
	}
}

func TestCreateSendsTheDocumentedForm(t *testing.T) {
	c, mt := newMockClient(t)
	var form string
	mt.RegisterResponder("PUT", listURL, func(req *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(req.Body)
		form = string(body)
		return jsonResponder(200, string(readFixture(t, "service_user_create.json")))(req)
	})
	p := margaret()
	p.StreetAddress = &Address{Address1: "1 High St", Postcode: "BA1 1AA"}

	su, err := c.ServiceUsers.Create(context.Background(), p)
	require.NoError(t, err)

	want := "account_code=MT123&assistance_with_dressing=yes&assistance_with_medication=yes" +
		"&assistance_with_personal_care=yes&broadcare_number=4857773456" +
		"&day_care_use=not_used&dementia=yes&dementia_challenging_behaviour=yes" +
		"&dob=1932-05-03&first_name=Margaret&fnc_application_date=2025-04-02" +
		"&fnc_application_status=applied_for&funding_type=private&genders=female" +
		"&last_name=Thompson&location=69a9e47283e6ab081d8ecbca&mobile=07969813976" +
		"&mobility_uses_stick=yes&national_insurance_number=QQ123456B" +
		"&nhs_number=485+777+3456" +
		"&notes=Requires+support+with+morning+and+evening+routines." +
		"&preferred_name=Maggie&ref=123&religions=christian&service=nursing_home" +
		"&street_address-address_1=1+High+St&street_address-postcode=BA1+1AA" +
		"&title=Mrs&visually_impaired=yes"
	assert.Equal(t, want, form)
	assert.Equal(t, "69a9e48f9c07865d03f62a4f", su.ID)
	assert.Equal(t, NewDate(1946, time.March, 25), su.DOB, "dob_str fills DOB")
	assert.Equal(t, FlagUnknown, su.EndOfLifeCare, `"" is unknown, not false`)
}

func TestCreateValidatesEveryRuleBeforeSending(t *testing.T) {
	age := Ptr[int]
	tests := []struct {
		name   string
		change func(p *CreateServiceUserParams)
		want   map[string][]string
	}{
		{"names and location required", func(p *CreateServiceUserParams) {
			p.FirstName, p.LastName, p.Location = " ", "", ""
		}, map[string][]string{"first_name": {"is required"}, "last_name": {"is required"},
			"location": {"is required"}}},
		{"dob or given age", func(p *CreateServiceUserParams) { p.DOB = Date{} },
			map[string][]string{"dob": {"is required when given_age is not given"}}},
		{"dob a real date", func(p *CreateServiceUserParams) { p.DOB = NewDate(1940, 2, 30) },
			map[string][]string{"dob": {"is not a real date"}}},
		{"dob not in the future", func(p *CreateServiceUserParams) {
			p.DOB = DateOf(time.Now().AddDate(0, 0, 2))
		}, map[string][]string{"dob": {"is in the future"}}},
		{"given age in range", func(p *CreateServiceUserParams) {
			p.DOB, p.GivenAge = Date{}, age(131)
		}, map[string][]string{"given_age": {"must be from 0 to 130"}}},
		{"given age not negative", func(p *CreateServiceUserParams) { p.GivenAge = age(-1) },
			map[string][]string{"given_age": {"must be from 0 to 130"}}},
		{"fnc date only when applied for", func(p *CreateServiceUserParams) {
			p.FNCApplicationStatus = FNCApplicationStatusGranted
		}, map[string][]string{"fnc_application_date": {
			"is only allowed when fnc_application_status is applied_for"}}},
		{"fnc status only for nursing homes", func(p *CreateServiceUserParams) {
			p.Service = ServiceResidentialHome
		}, map[string][]string{"fnc_application_status": {
			"is only allowed for the nursing_home service"}}},
		{"phone for day-care users", func(p *CreateServiceUserParams) {
			p.DayCareUse = DayCareUseExclusive
		}, map[string][]string{"phone": {"is required for day-care users"}}},
		{"phone only for day-care users", func(p *CreateServiceUserParams) {
			p.Phone = "01225 000000"
		}, map[string][]string{"phone": {"is only allowed for day-care users"}}},
		{"enum values documented", func(p *CreateServiceUserParams) {
			p.FundingType = "lottery"
			p.Genders = []Gender{GenderFemale, "other"}
		}, map[string][]string{
			"funding_type": {describeKnown(knownFundingTypes)},
			"genders":      {describeKnown(knownGenders)},
		}},
		{"location an id", func(p *CreateServiceUserParams) { p.Location = "home-1" },
			map[string][]string{"location": {reasonID}}},
		{"flag values", func(p *CreateServiceUserParams) { p.Dementia = Flag(7) },
			map[string][]string{"dementia": {"must be FlagYes, FlagNo or FlagUnknown"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			p := margaret()
			tt.change(p)

			su, err := c.ServiceUsers.Create(context.Background(), p)

			assert.Nil(t, su)
			var vErr *ValidationError
			require.ErrorAs(t, err, &vErr)
			assert.Equal(t, tt.want, vErr.Fields)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")
			assert.NotContains(t, err.Error(), "Margaret")
		})
	}
}

func TestCreateValidationCanBeTurnedOff(t *testing.T) {
	c, mt := newMockClient(t, WithoutValidation())
	mt.RegisterResponder("PUT", listURL, jsonResponder(200, `{"_id": "69a9e48f9c07865d03f62a4f",
		"funding_type": "lottery"}`))
	p := margaret()
	p.FundingType = "lottery"

	su, err := c.ServiceUsers.Create(context.Background(), p)

	require.NoError(t, err)
	assert.Equal(t, FundingType("lottery"), su.FundingType)
	assert.False(t, su.FundingType.Known())
}

func TestCreateReportsCareHQsFieldErrors(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("PUT", listURL, jsonResponder(400, `{"hint": "Invalid data.",
		"arg_errors": {"location": ["Not a valid location."]}}`))

	_, err := c.ServiceUsers.Create(context.Background(), margaret())

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, map[string][]string{"location": {"Not a valid location."}}, apiErr.ArgErrors)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}

func TestGetRejectsABadIDBeforeSending(t *testing.T) {
	c, mt := newMockClient(t)
	for _, id := range []string{"", "abc", "69a9e47783e6ab081d8eda6", "69a9e47783e6ab081d8eda6g",
		"../locations/69a9e47283e6ab081d8ecbca"} {
		_, err := c.ServiceUsers.Get(context.Background(), id)
		var vErr *ValidationError
		require.ErrorAs(t, err, &vErr, id)
		assert.Contains(t, vErr.Fields, "id")
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestGetReturnsEveryAttributeAndNotFound(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", listURL+"/69a9e47783e6ab081d8eda64",
		jsonResponder(200, string(readFixture(t, "service_user_retrieve.json"))))
	mt.RegisterResponder("GET", listURL+"/69a9e47783e6ab081d8eda65",
		jsonResponder(404, `{"hint": "No service user with that Id."}`))

	su, err := c.ServiceUsers.Get(context.Background(), "69a9e47783e6ab081d8eda64")
	require.NoError(t, err)
	assert.Equal(t, "Anna", su.FirstName)
	assert.Equal(t, FundingTypeCHC, su.FundingType)

	_, err = c.ServiceUsers.Get(context.Background(), "69a9e47783e6ab081d8eda65")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "No service user with that Id.")
}

func TestListSendsEveryAttributeByDefault(t *testing.T) {
	c, mt := newMockClient(t)
	var query url.Values
	mt.RegisterResponder("GET", listURL, func(req *http.Request) (*http.Response, error) {
		query = req.URL.Query()
		return jsonResponder(200, string(readFixture(t, "service_users_list.json")))(req)
	})

	page, err := c.ServiceUsers.List(context.Background(), nil)
	require.NoError(t, err)

	assert.Equal(t, serviceUserAttributes, query["attributes"])
	assert.Len(t, query["attributes"], 72)
	assert.Equal(t, 62, page.ItemCount)
	assert.Equal(t, 7, page.PageCount)
	assert.Len(t, page.Items, 10)
}

func TestListParametersGolden(t *testing.T) {
	c, mt := newMockClient(t)
	var raw string
	mt.RegisterResponder("GET", listURL, func(req *http.Request) (*http.Response, error) {
		raw = req.URL.RawQuery
		return jsonResponder(200, `{"item_count": 0, "items": [], "page": 3,
			"page_count": 0, "per_page": 50}`)(req)
	})
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	params := &ListServiceUsersParams{
		Attributes: []string{"first_name", "last_name"},
		Filters: ServiceUserFilters{
			Anonymized:     FlagNo,
			DayCareUses:    []DayCareUse{DayCareUseNotUsed},
			IDs:            []string{"69a9e47783e6ab081d8eda64"},
			Locations:      []string{testLocation},
			ModifiedAfter:  time.Date(2026, 7, 1, 9, 30, 0, 0, london),
			ModifiedBefore: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Q:              "smith & co",
			Statuses:       []ServiceUserStatus{ServiceUserStatusPending, ServiceUserStatusActive},
		},
		SortBy:  []Sort{Ascending("last_name"), Descending("created")},
		Page:    3,
		PerPage: 50,
	}
	before := *params

	_, err = c.ServiceUsers.List(context.Background(), params)
	require.NoError(t, err)

	want := "attributes=first_name&attributes=last_name&filters-anonymized=no" +
		"&filters-day_care_use=not_used&filters-ids=69a9e47783e6ab081d8eda64" +
		"&filters-locations=69a9e47283e6ab081d8ecbca" +
		"&filters-modified_after=2026-07-01+08%3A30%3A00" +
		"&filters-modified_before=2026-12-01+00%3A00%3A00" +
		"&filters-q=smith+%26+co&filters-status=pending&filters-status=active" +
		"&page=3&per_page=50&sort_by=last_name&sort_by=-created"
	assert.Equal(t, want, raw)
	assert.Equal(t, before, *params, "the caller's parameters are unchanged")
}

func TestListValidatesPageSizeAndFilters(t *testing.T) {
	c, mt := newMockClient(t)
	tests := []struct {
		params ListServiceUsersParams
		field  string
	}{
		{ListServiceUsersParams{PerPage: 101}, "per_page"},
		{ListServiceUsersParams{PerPage: -1}, "per_page"},
		{ListServiceUsersParams{Page: -2}, "page"},
		{ListServiceUsersParams{SortBy: []Sort{{Field: "-created"}}}, "sort_by"},
		{ListServiceUsersParams{Attributes: []string{""}}, "attributes"},
		{ListServiceUsersParams{Filters: ServiceUserFilters{IDs: []string{"x"}}}, "filters-ids"},
		{ListServiceUsersParams{Filters: ServiceUserFilters{Locations: []string{"x"}}},
			"filters-locations"},
		{ListServiceUsersParams{Filters: ServiceUserFilters{
			Statuses: []ServiceUserStatus{"asleep"}}}, "filters-status"},
		{ListServiceUsersParams{Filters: ServiceUserFilters{
			ModifiedAfter:  time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
			ModifiedBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
			"filters-modified_before"},
	}
	for _, tt := range tests {
		_, err := c.ServiceUsers.List(context.Background(), &tt.params)
		var vErr *ValidationError
		require.ErrorAs(t, err, &vErr, tt.field)
		assert.Contains(t, vErr.Fields, tt.field)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// pagedList serves total service users in pages, as CareHQ would, and
// counts the pages asked for. change, when set, may alter a page before it
// is sent.
type pagedList struct {
	total  int
	change func(page *pageJSON)

	mu    sync.Mutex
	asked []int
}

// pagesAsked returns the page numbers asked for, in order.
func (l *pagedList) pagesAsked() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.asked)
}

type pageJSON struct {
	ItemCount int      `json:"item_count"`
	Items     []string `json:"-"`
	Page      int      `json:"page"`
	PageCount int      `json:"page_count"`
	PerPage   int      `json:"per_page"`
}

func (l *pagedList) responder(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	page := atoiOr(q.Get("page"), 1)
	perPage := atoiOr(q.Get("per_page"), 10)
	l.mu.Lock()
	l.asked = append(l.asked, page)
	l.mu.Unlock()

	p := pageJSON{ItemCount: l.total, Page: page, PerPage: perPage,
		PageCount: (l.total + perPage - 1) / perPage}
	for i := (page - 1) * perPage; i < min(page*perPage, l.total); i++ {
		p.Items = append(p.Items, fmt.Sprintf("%024x", i))
	}
	if l.change != nil {
		l.change(&p)
	}

	var items []string
	for _, id := range p.Items {
		items = append(items, fmt.Sprintf(`{"_id": %q, "first_name": "N%s"}`, id, id[18:]))
	}
	body := fmt.Sprintf(`{"item_count": %d, "items": [%s], "page": %d, "page_count": %d,
		"per_page": %d}`, p.ItemCount, strings.Join(items, ","), p.Page, p.PageCount, p.PerPage)

	return jsonResponder(200, body)(req)
}

func atoiOr(s string, fallback int) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		return fallback
	}
	return n
}

func collectIDs(t *testing.T, c *Client, params *ListServiceUsersParams,
	opts ...WalkOption) ([]string, error) {
	t.Helper()
	var ids []string
	for su, err := range c.ServiceUsers.All(context.Background(), params, opts...) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, su.ID)
	}
	return ids, nil
}

func TestAllWalksEveryPageOnce(t *testing.T) {
	for _, opts := range [][]WalkOption{nil, {Prefetch()}} {
		c, mt := newMockClient(t)
		l := &pagedList{total: 23}
		mt.RegisterResponder("GET", listURL, l.responder)
		params := &ListServiceUsersParams{PerPage: 5}

		ids, err := collectIDs(t, c, params, opts...)

		require.NoError(t, err)
		require.Len(t, ids, 23)
		for i, id := range ids {
			assert.Equal(t, fmt.Sprintf("%024x", i), id)
		}
		assert.Equal(t, []int{1, 2, 3, 4, 5}, l.pagesAsked(), "each page once, none past the last")
		assert.Equal(t, ListServiceUsersParams{PerPage: 5}, *params)
	}
}

func TestAllSendsNothingUntilRanged(t *testing.T) {
	c, mt := newMockClient(t)
	l := &pagedList{total: 3}
	mt.RegisterResponder("GET", listURL, l.responder)

	seq := c.ServiceUsers.All(context.Background(), nil, Prefetch())
	assert.Zero(t, mt.GetTotalCallCount())

	for range seq {
		break
	}
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestBreakingStopsFetching(t *testing.T) {
	for _, opts := range [][]WalkOption{nil, {Prefetch()}} {
		c, mt := newMockClient(t)
		l := &pagedList{total: 100}
		mt.RegisterResponder("GET", listURL, l.responder)

		n := 0
		for _, err := range c.ServiceUsers.All(context.Background(), nil, opts...) {
			require.NoError(t, err)
			if n++; n == 12 {
				break
			}
		}

		assert.LessOrEqual(t, len(l.pagesAsked()), 3, "at most the page after the one in hand")
		if opts == nil {
			assert.Equal(t, []int{1, 2}, l.pagesAsked())
		}
	}
}

func TestEmptyListYieldsNothing(t *testing.T) {
	c, mt := newMockClient(t)
	l := &pagedList{total: 0}
	mt.RegisterResponder("GET", listURL, l.responder)

	ids, err := collectIDs(t, c, nil)

	require.NoError(t, err)
	assert.Empty(t, ids)
	assert.Equal(t, []int{1}, l.pagesAsked())
}

func TestWalkGuardsAgainstAnInconsistentServer(t *testing.T) {
	tests := []struct {
		name    string
		change  func(p *pageJSON)
		wantErr bool
		asked   int
	}{
		{"a page that answers as another", func(p *pageJSON) { p.Page = 1 }, true, 2},
		{"a page that repeats the last", func(p *pageJSON) {
			if p.Page > 1 {
				p.Items = []string{fmt.Sprintf("%024x", 0)}
			}
		}, true, 2},
		{"an empty page before the last ends the walk", func(p *pageJSON) {
			if p.Page == 2 {
				p.Items = nil
			}
		}, false, 2},
		{"a page count that grows without end is not followed", func(p *pageJSON) {
			p.PageCount = p.Page + 1
			p.Items = []string{fmt.Sprintf("%024x", p.Page)}
		}, false, 2},
		{"a page count that shrinks ends the walk sooner", func(p *pageJSON) {
			if p.Page == 2 {
				p.PageCount = 2
			}
		}, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			l := &pagedList{total: 50, change: tt.change}
			mt.RegisterResponder("GET", listURL, l.responder)

			_, err := collectIDs(t, c, &ListServiceUsersParams{PerPage: 10})

			if tt.wantErr {
				assert.ErrorIs(t, err, ErrInconsistentPages)
			} else {
				assert.NoError(t, err)
			}
			assert.Len(t, l.pagesAsked(), tt.asked)
		})
	}
}

func TestPagesYieldsTheCounts(t *testing.T) {
	c, mt := newMockClient(t)
	l := &pagedList{total: 25}
	mt.RegisterResponder("GET", listURL, l.responder)

	var got [][2]int
	for page, err := range c.ServiceUsers.Pages(context.Background(),
		&ListServiceUsersParams{PerPage: 10, Page: 2}) {
		require.NoError(t, err)
		assert.Equal(t, 25, page.ItemCount)
		assert.Equal(t, 3, page.PageCount)
		got = append(got, [2]int{page.Page, len(page.Items)})
	}

	assert.Equal(t, [][2]int{{2, 10}, {3, 5}}, got, "the walk starts at the page asked for")
}

func TestWalkStopsAtTheFirstError(t *testing.T) {
	c, mt := newMockClient(t, WithMaxRetries(0))
	l := &pagedList{total: 30}
	mt.RegisterResponder("GET", listURL, func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("page") == "2" {
			return jsonResponder(403, `{"hint": "No read permission."}`)(req)
		}
		return l.responder(req)
	})

	ids, err := collectIDs(t, c, nil, Prefetch())

	assert.Len(t, ids, 10)
	assert.ErrorIs(t, err, ErrForbidden)
}

func TestWalkReportsInvalidParametersFirst(t *testing.T) {
	c, mt := newMockClient(t)

	_, err := collectIDs(t, c, &ListServiceUsersParams{PerPage: 500})

	var vErr *ValidationError
	require.True(t, errors.As(err, &vErr))
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestPrefetchIsCancelledWithTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		l := &pagedList{total: 30}
		mt.RegisterResponder("GET", listURL, func(req *http.Request) (*http.Response, error) {
			if req.URL.Query().Get("page") == "2" {
				return hang(req)
			}
			return l.responder(req)
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()

		var err error
		n := 0
		for _, err = range c.ServiceUsers.All(ctx, nil, Prefetch()) {
			if err != nil {
				break
			}
			if n++; n == 5 {
				time.AfterFunc(time.Second, cancel)
			}
		}

		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 10, n)
		assert.Equal(t, time.Second, time.Since(start), "returned as soon as it was cancelled")
		synctest.Wait()
	})
	goleak.VerifyNone(t)
}

func TestPrefetchOverlapsFetchingWithTheCallersWork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		l := &pagedList{total: 50}
		mt.RegisterResponder("GET", listURL, func(req *http.Request) (*http.Response, error) {
			time.Sleep(5 * time.Millisecond) // the server's time per page
			return l.responder(req)
		})
		walkTime := func(opts ...WalkOption) time.Duration {
			start := time.Now()
			for page, err := range c.ServiceUsers.Pages(context.Background(),
				&ListServiceUsersParams{PerPage: 10}, opts...) {
				require.NoError(t, err)
				require.NotEmpty(t, page.Items)
				time.Sleep(5 * time.Millisecond) // the caller's work per page
			}
			return time.Since(start)
		}

		plain := walkTime()
		ahead := walkTime(Prefetch())

		assert.Equal(t, 50*time.Millisecond, plain)
		assert.Equal(t, 30*time.Millisecond, ahead, "fetches overlap the caller's work")
	})
}

// readFixture returns a file from testdata.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}
