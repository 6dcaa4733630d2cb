package carehqtest

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The list filters, as CareHQ documents them for service users.
const (
	filterAnonymized     = "filters-anonymized"
	filterDayCareStatus  = "filters-day_care_status"
	filterDayCareUse     = "filters-day_care_use"
	filterIDs            = "filters-ids"
	filterLocations      = "filters-locations"
	filterModifiedAfter  = "filters-modified_after"
	filterModifiedBefore = "filters-modified_before"
	filterQ              = "filters-q"
	filterStatus         = "filters-status"
)

var knownFilters = []string{
	filterAnonymized, filterDayCareStatus, filterDayCareUse, filterIDs, filterLocations,
	filterModifiedAfter, filterModifiedBefore, filterQ, filterStatus,
}

// defaultPerPage is the page size of a list that does not give per_page.
const defaultPerPage = 10

// fullNameSort stands for full_name among sort fields: it is not an
// attribute, but CareHQ sorts by it.
const fullNameSort = -1

// listQuery is a validated list request.
type listQuery struct {
	fields []int // attributes of each item, _id first

	anonymized     string          // "yes", "no" or "" for either
	dayCareStatus  map[string]bool // nil: any
	dayCareUse     map[string]bool
	ids            map[string]bool
	locations      map[string]bool
	status         map[string]bool
	modifiedAfter  string // YYYY-MM-DD HH:MM:SS, or "" for none
	modifiedBefore string
	q              string // lower case

	sorts   []sortKey
	page    int
	perPage int
}

type sortKey struct {
	at   int // attribute position, or fullNameSort
	desc bool
}

// readList validates the parameters of a list. Parameters it does not know
// are ignored, except filters, which are refused by name so that a
// misspelt filter cannot silently return everything.
func readList(params url.Values) (*listQuery, map[string][]string) {
	f := newForm(params)
	q := &listQuery{fields: []int{atID}, page: 1, perPage: defaultPerPage}

	for _, name := range f.values("attributes") {
		at, ok := attributeIndex[name]
		switch {
		case !ok:
			f.fail("attributes", msgAttribute)
		case !slices.Contains(q.fields, at):
			q.fields = append(q.fields, at)
		}
	}

	for key := range params {
		if strings.HasPrefix(key, "filters-") && !slices.Contains(knownFilters, key) {
			f.fail(key, msgFilter)
		}
	}
	if v, ok := f.choice(filterAnonymized, []string{"yes", "no", "unset"}); ok && v != "unset" {
		q.anonymized = v.(string)
	}
	q.dayCareStatus = f.set(filterDayCareStatus, dayCareStatusChoices, nil)
	q.dayCareUse = f.set(filterDayCareUse, dayCareUseChoices, nil)
	q.status = f.set(filterStatus, statusChoices, nil)
	q.ids = f.set(filterIDs, nil, normalID)
	q.locations = f.set(filterLocations, nil, normalID)
	q.modifiedAfter = f.dateTime(filterModifiedAfter)
	q.modifiedBefore = f.dateTime(filterModifiedBefore)
	if v, ok := f.single(filterQ); ok {
		q.q = strings.ToLower(v)
	}

	for _, field := range f.values("sort_by") {
		name, desc := strings.CutPrefix(field, "-")
		at, ok := attributeIndex[name]
		switch {
		case name == "full_name":
			q.sorts = append(q.sorts, sortKey{at: fullNameSort, desc: desc})
		case ok && sortable(attributes[at].kind):
			q.sorts = append(q.sorts, sortKey{at: at, desc: desc})
		default:
			f.fail("sort_by", msgSortBy)
		}
	}

	if v, ok := f.single("page"); ok {
		if n, valid := wholeNumber(v); valid && n >= 1 {
			q.page = n
		} else {
			f.fail("page", msgPage)
		}
	}
	if v, ok := f.single("per_page"); ok {
		if n, valid := wholeNumber(v); valid && n >= 1 && n <= MaxPerPage {
			q.perPage = n
		} else {
			f.fail("per_page", msgPerPage)
		}
	}

	if len(f.errs) > 0 {
		return nil, f.errs
	}

	return q, nil
}

// set reads a list filter into a set: from choices when they are given,
// else through normal, which returns a value's canonical form. nil means
// the filter was not given.
func (f *form) set(name string, choices []string,
	normal func(string) (string, bool)) map[string]bool {
	vs := f.values(name)
	if len(vs) == 0 {
		return nil
	}
	set := make(map[string]bool, len(vs))
	for _, v := range vs {
		switch {
		case choices != nil && !slices.Contains(choices, v):
			f.fail(name, msgChoice)
		case normal != nil:
			n, ok := normal(v)
			if !ok {
				f.fail(name, msgID)
			}
			set[n] = true
		default:
			set[v] = true
		}
	}

	return set
}

// dateTime reads a YYYY-MM-DD HH:MM:SS filter, "" when not given.
func (f *form) dateTime(name string) string {
	v, ok := f.single(name)
	if !ok {
		return ""
	}
	t, err := parseDateTime(v)
	if err != nil {
		f.fail(name, msgDateTime)
		return ""
	}

	return t.Format(dateTimeLayout)
}

func sortable(k kind) bool {
	return k != kindList && k != kindAddress && k != kindLonLat
}

// keep reports whether a service user passes every filter.
func (q *listQuery) keep(u *serviceUser) bool {
	switch {
	case q.anonymized == "yes" && u.values[atAnonymized] == nil,
		q.anonymized == "no" && u.values[atAnonymized] != nil,
		q.dayCareStatus != nil && !q.dayCareStatus[u.text(atDayCareStatus)],
		q.dayCareUse != nil && !q.dayCareUse[u.text(atDayCareUse)],
		q.ids != nil && !q.ids[u.id()],
		q.locations != nil && !q.locations[u.text(atLocation)],
		q.status != nil && !q.status[u.text(atStatus)],
		q.modifiedAfter != "" && !(u.text(atModified) > q.modifiedAfter),
		q.modifiedBefore != "" && !(u.text(atModified) < q.modifiedBefore):
		return false
	case q.q != "":
		return strings.Contains(u.fullName, q.q) ||
			strings.Contains(strings.ToLower(u.text(atRef)), q.q)
	}

	return true
}

// compare orders two service users by the sort fields, then by Id.
func (q *listQuery) compare(a, b *serviceUser) int {
	for _, k := range q.sorts {
		var c int
		if k.at == fullNameSort {
			c = strings.Compare(a.fullName, b.fullName)
		} else {
			c = compareValues(a.values[k.at], b.values[k.at])
		}
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}

	return strings.Compare(a.id(), b.id())
}

// compareValues orders two values of one attribute: null first, then by
// value. Text compares without regard to ASCII case, and numbers written
// as digits (refs) by their value.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}

	switch a := a.(type) {
	case string:
		return compareText(a, b.(string))
	case bool:
		return cmp.Compare(boolRank(a), boolRank(b.(bool)))
	case int:
		return cmp.Compare(a, b.(int))
	}

	return 0
}

func boolRank(b bool) int {
	if b {
		return 1
	}

	return 0
}

// compareText compares without regard to ASCII case, without allocating:
// lists of 100,000 records sort on it.
func compareText(a, b string) int {
	if isDigits(a) && isDigits(b) {
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmp.Compare(lowerASCII(a[i]), lowerASCII(b[i])); c != 0 {
			return c
		}
	}

	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}

	return c
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// listPage is the answer to a list.
type listPage struct {
	ItemCount int              `json:"item_count"`
	Items     []map[string]any `json:"items"`
	Page      int              `json:"page"`
	PageCount int              `json:"page_count"`
	PerPage   int              `json:"per_page"`
}

// listServiceUsers answers GET /v1/service-users.
func (s *Server) listServiceUsers(params url.Values) answer {
	q, errs := readList(params)
	if errs != nil {
		return invalidAnswer(errs)
	}

	matches := s.store.filter(q.keep)
	slices.SortFunc(matches, q.compare)

	// With no match there are no pages: page_count is 0. This is a guess;
	// CareHQ's documentation does not say.
	page := listPage{
		ItemCount: len(matches),
		Items:     []map[string]any{},
		Page:      q.page,
		PageCount: (len(matches) + q.perPage - 1) / q.perPage,
		PerPage:   q.perPage,
	}
	first := min((q.page-1)*q.perPage, len(matches))
	last := min(first+q.perPage, len(matches))
	for _, u := range matches[first:last] {
		page.Items = append(page.Items, s.withQuirks(u.object(q.fields)))
	}

	return answer{status: http.StatusOK, body: page}
}
