package carehq

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// serviceUserAttributes are the names of every documented service-user
// attribute, in CareHQ's order. List asks for all of them unless the caller
// narrows the set, because CareHQ sends only _id by default.
var serviceUserAttributes = []string{
	"_id", "account_code", "anonymized", "assistance_with_dressing",
	"assistance_with_eating", "assistance_with_medication", "assistance_with_personal_care",
	"bill_self_for_expenses", "billing_comms_preference", "billing_enabled",
	"broadcare_number", "created", "day_care_deactivated", "day_care_leaving_notes",
	"day_care_reason_for_leaving", "day_care_status", "day_care_use", "deactivated",
	"dementia", "dementia_challenging_behaviour", "dementia_prone_to_wander", "dob",
	"email_invoices_to", "end_of_life_care", "first_name", "fnc_application_date",
	"fnc_application_status", "funding_at_risk", "funding_type", "future_billing_disabled",
	"genders", "genders_other", "given_age", "has_direct_debit_mandate",
	"invoices_service_user_id_fields", "large_print_requested_for_billing", "last_name",
	"leaving_notes", "location", "location_contact_for_expenses", "lon_lat",
	"min_ledger_balance", "mobile", "mobility_bed_bound", "mobility_can_walk_unaided",
	"mobility_requires_aid_or_hoist", "mobility_uses_stick", "mobility_uses_wheelchair",
	"modified", "national_insurance_number", "nhs_number", "notes", "partner_in_care_home",
	"patient_id", "payment_method", "postal_address", "preferred_name",
	"reason_for_leaving", "ref", "registered_blind", "religions", "religions_other",
	"send_balance_alert", "service", "service_user_contact_for_expenses",
	"source_care_enquiry", "statement_ref", "status", "street_address", "title",
	"transferred_from", "visually_impaired",
}

// ServiceUserAttributes returns the names of every documented service-user
// attribute, the set List asks for by default. Narrow it in
// ListServiceUsersParams.Attributes to fetch less.
func ServiceUserAttributes() []string {
	return slices.Clone(serviceUserAttributes)
}

// ListServiceUsersParams selects, sorts and pages service users for List,
// All and Pages. The zero value lists every service user, 10 to a page,
// with every attribute, sorted by Id.
type ListServiceUsersParams struct {
	// Attributes names the attributes each service user carries. Nil asks
	// for every documented attribute (ServiceUserAttributes), so that the
	// records are complete; a shorter list makes pages smaller and faster.
	// CareHQ always includes _id.
	Attributes []string `url:"attributes,omitempty"`

	// Filters narrows the service users returned.
	Filters ServiceUserFilters `url:"filters"`

	// SortBy orders the results; the first entry sorts first. Empty sorts by
	// Id, ascending.
	SortBy []Sort `url:"sort_by,omitempty"`

	// Page is the page to fetch, from 1; 0 means the first. The iterators
	// start from it.
	Page int `url:"page,omitempty"`

	// PerPage is how many service users a page holds, 1 to 100; 0 means
	// CareHQ's default, 10.
	PerPage int `url:"per_page,omitempty"`
}

// ServiceUserFilters narrows a list of service users. Every filter left at
// its zero value is not sent; a list filter matches any of its values; the
// filters combine with AND.
type ServiceUserFilters struct {
	// Anonymized keeps only anonymized service users (FlagYes) or only the
	// others (FlagNo); FlagUnknown keeps both.
	Anonymized Flag `url:"anonymized,omitempty"`

	// DayCareStatuses keeps service users in any of these day-care
	// statuses.
	DayCareStatuses []DayCareStatus `url:"day_care_status,omitempty"`

	// DayCareUses keeps service users with any of these uses of day care.
	DayCareUses []DayCareUse `url:"day_care_use,omitempty"`

	// IDs keeps the service users with these Ids.
	IDs []string `url:"ids,omitempty"`

	// Locations keeps service users who are clients of these locations.
	Locations []string `url:"locations,omitempty"`

	// ModifiedAfter keeps service users modified after this time. It is sent
	// in UTC, to the second, as CareHQ reads it.
	ModifiedAfter time.Time `url:"modified_after,omitempty" layout:"2006-01-02 15:04:05"`

	// ModifiedBefore keeps service users modified before this time. It is
	// sent in UTC, to the second.
	ModifiedBefore time.Time `url:"modified_before,omitempty" layout:"2006-01-02 15:04:05"`

	// Q keeps service users whose reference or full name contains it,
	// ignoring case.
	Q string `url:"q,omitempty"`

	// Statuses keeps service users in any of these statuses.
	Statuses []ServiceUserStatus `url:"status,omitempty"`
}

// EncodeValues adds the filters under CareHQ's dash-joined names
// (filters-status), with times in UTC. It implements go-querystring's
// Encoder.
func (f ServiceUserFilters) EncodeValues(key string, v *url.Values) error {
	f.ModifiedAfter = f.ModifiedAfter.UTC()
	f.ModifiedBefore = f.ModifiedBefore.UTC()

	return encodeNested(key, f, v)
}

// Sort is one sort key of a list: an attribute name and a direction.
type Sort struct {
	// Field is the attribute to sort by, such as "last_name".
	Field string

	// Descending sorts from the largest value down.
	Descending bool
}

// Ascending sorts by field from the smallest value up.
func Ascending(field string) Sort { return Sort{Field: field} }

// Descending sorts by field from the largest value down.
func Descending(field string) Sort { return Sort{Field: field, Descending: true} }

// String returns the sort key as CareHQ reads it: the field, after a minus
// sign when descending.
func (s Sort) String() string {
	if s.Descending {
		return "-" + s.Field
	}

	return s.Field
}

// listQuery returns the parameters actually sent: a copy of p with the
// default attributes filled in. The caller's value is never changed.
func (p *ListServiceUsersParams) listQuery(page int) ListServiceUsersParams {
	var q ListServiceUsersParams
	if p != nil {
		q = *p
	}
	if q.Attributes == nil {
		q.Attributes = serviceUserAttributes
	}
	if page > 0 {
		q.Page = page
	}

	return q
}

// validate checks the list parameters, adding each problem to problems.
// enums says whether to check enum values against the documented sets.
func (p *ListServiceUsersParams) validate(problems *ValidationError, enums bool) {
	if p == nil {
		return
	}
	if p.Page < 0 {
		problems.add("page", "must be 1 or more")
	}
	if p.PerPage < 0 || p.PerPage > 100 {
		problems.add("per_page", "must be from 1 to 100")
	}
	for _, a := range p.Attributes {
		if strings.TrimSpace(a) == "" {
			problems.add("attributes", "must not hold an empty name")
			break
		}
	}
	for _, s := range p.SortBy {
		if s.Field == "" || strings.HasPrefix(s.Field, "-") {
			problems.add("sort_by", "needs a field name without a leading minus; "+
				"use Descending for the order")
			break
		}
	}

	f := p.Filters
	checkFlag(problems, "filters-anonymized", f.Anonymized)
	for _, id := range f.IDs {
		if !isID(id) {
			problems.add("filters-ids", reasonID)
			break
		}
	}
	for _, id := range f.Locations {
		if !isID(id) {
			problems.add("filters-locations", reasonID)
			break
		}
	}
	if !f.ModifiedAfter.IsZero() && !f.ModifiedBefore.IsZero() &&
		!f.ModifiedAfter.Before(f.ModifiedBefore) {
		problems.add("filters-modified_before", "must be later than filters-modified_after")
	}
	if enums {
		checkEnums(problems, "filters-day_care_status", f.DayCareStatuses, knownDayCareStatuses)
		checkEnums(problems, "filters-day_care_use", f.DayCareUses, knownDayCareUses)
		checkEnums(problems, "filters-status", f.Statuses, knownServiceUserStatuses)
	}
}

// describeKnown lists the documented values of an enum for an error message.
func describeKnown[E ~string](known []E) string {
	names := make([]string, len(known))
	for i, v := range known {
		names[i] = string(v)
	}

	return fmt.Sprintf("must be one of %s", strings.Join(names, ", "))
}
