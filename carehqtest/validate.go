package carehqtest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The messages a 400 carries per parameter. None holds the submitted value:
// service-user records hold personal data, and error bodies end up in logs.
const (
	msgRequired     = "This field is required."
	msgSingle       = "Give a single value."
	msgChoice       = "Not a valid choice."
	msgFlag         = "Must be yes or no."
	msgDate         = "Not a valid date; use YYYY-MM-DD."
	msgDateTime     = "Not a valid date/time; use YYYY-MM-DD HH:MM:SS."
	msgFutureDOB    = "A date of birth cannot be in the future."
	msgAge          = "Must be a whole number from 0 to 130."
	msgID           = "Not a valid Id; use 24 hexadecimal characters."
	msgLocation     = "No location with this Id."
	msgDOBOrAge     = "Give a date of birth or a given age."
	msgFNCDate      = "Only applicable when fnc_application_status is applied_for."
	msgFNCStatus    = "Only applicable when service is nursing_home."
	msgPhone        = "Required for day care service users."
	msgPhoneNotUsed = "Only applicable for day care service users."
	msgRef          = "Must be a whole number."
	msgTaken        = "Already used by another service user."
	msgFilter       = "Not a known filter."
	msgAttribute    = "Not a known attribute."
	msgSortBy       = "Not a field the list can be sorted by."
	msgPage         = "Must be a whole number of at least 1."
	msgPerPage      = "Must be a whole number from 1 to 100."
)

// form reads parameters and collects the messages for those that are
// invalid. A parameter given as an empty string counts as not given, as
// form handlers usually treat it.
type form struct {
	params url.Values
	errs   map[string][]string
}

func newForm(params url.Values) *form {
	return &form{params: params, errs: make(map[string][]string)}
}

func (f *form) fail(name, message string) {
	if !slices.Contains(f.errs[name], message) {
		f.errs[name] = append(f.errs[name], message)
	}
}

// values returns the non-empty values given for name.
func (f *form) values(name string) []string {
	var out []string
	for _, v := range f.params[name] {
		if v != "" {
			out = append(out, v)
		}
	}

	return out
}

// single returns the one value given for name; ok is false when there is
// none, or more than one (which is also recorded as an error).
func (f *form) single(name string) (string, bool) {
	vs := f.values(name)
	switch len(vs) {
	case 0:
		return "", false
	case 1:
		return vs[0], true
	}
	f.fail(name, msgSingle)

	return "", false
}

// flag reads yes or no as a bool.
func (f *form) flag(name string) (any, bool) {
	v, ok := f.single(name)
	if !ok {
		return nil, false
	}
	switch v {
	case "yes":
		return true, true
	case "no":
		return false, true
	}
	f.fail(name, msgFlag)

	return nil, false
}

func (f *form) choice(name string, choices []string) (any, bool) {
	v, ok := f.single(name)
	if !ok {
		return nil, false
	}
	if !slices.Contains(choices, v) {
		f.fail(name, msgChoice)
		return nil, false
	}

	return v, true
}

// list reads a repeated key. With choices, every value must be one of
// them; repeats are dropped.
func (f *form) list(name string, choices []string) (any, bool) {
	vs := f.values(name)
	if len(vs) == 0 {
		return nil, false
	}
	var out []string
	for _, v := range vs {
		if choices != nil && !slices.Contains(choices, v) {
			f.fail(name, msgChoice)
			return nil, false
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}

	return out, true
}

func (f *form) date(name string) (any, bool) {
	v, ok := f.single(name)
	if !ok {
		return nil, false
	}
	if _, err := parseDate(v); err != nil {
		f.fail(name, msgDate)
		return nil, false
	}

	return v, true
}

// parseDate reads a YYYY-MM-DD date that exists in the calendar.
func parseDate(s string) (time.Time, error) {
	return time.Parse(dateLayout, s)
}

// parseDateTime reads a YYYY-MM-DD HH:MM:SS date/time as UTC.
func parseDateTime(s string) (time.Time, error) {
	return time.Parse(dateTimeLayout, s)
}

func (f *form) id(name string) (any, bool) {
	v, ok := f.single(name)
	if !ok {
		return nil, false
	}
	id, valid := normalID(v)
	if !valid {
		f.fail(name, msgID)
		return nil, false
	}

	return id, true
}

// wholeNumber reads a decimal number made of digits only: no sign, no
// spaces, at most nine digits.
func wholeNumber(s string) (int, bool) {
	if s == "" || len(s) > 9 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)

	return n, err == nil
}

// createParams are the create parameters that set the attribute of the
// same name, read according to its kind. given_age, phone and the street
// address have rules of their own.
var createParams = []string{
	"account_code", "assistance_with_dressing", "assistance_with_eating",
	"assistance_with_medication", "assistance_with_personal_care", "broadcare_number",
	"day_care_use", "dementia", "dementia_challenging_behaviour", "dementia_prone_to_wander",
	"dob", "end_of_life_care", "first_name", "fnc_application_date", "fnc_application_status",
	"funding_type", "genders", "genders_other", "last_name", "location", "mobile",
	"mobility_bed_bound", "mobility_can_walk_unaided", "mobility_requires_aid_or_hoist",
	"mobility_uses_stick", "mobility_uses_wheelchair", "national_insurance_number",
	"nhs_number", "notes", "patient_id", "preferred_name", "ref", "registered_blind",
	"religions", "religions_other", "service", "title", "visually_impaired",
}

// streetAddressParams maps the dash-joined create parameters of the street
// address to the part each sets.
var streetAddressParams = []struct {
	name string
	part func(*address) *string
}{
	{"street_address-address_1", func(a *address) *string { return &a.Address1 }},
	{"street_address-address_2", func(a *address) *string { return &a.Address2 }},
	{"street_address-country", func(a *address) *string { return &a.Country }},
	{"street_address-county", func(a *address) *string { return &a.County }},
	{"street_address-postcode", func(a *address) *string { return &a.Postcode }},
	{"street_address-town", func(a *address) *string { return &a.Town }},
}

// readCreate validates the parameters of a create and returns the new
// record's values, or the messages per parameter. Uniqueness of the account
// code and ref is left to the store. Parameters it does not know are
// ignored, as form handlers do.
func readCreate(params url.Values, today time.Time, knownLocation func(string) bool) (
	*serviceUser, map[string][]string) {
	f := newForm(params)
	u := &serviceUser{}

	for _, name := range createParams {
		at := mustAttribute(name)
		var v any
		switch a := attributes[at]; a.kind {
		case kindFlag:
			v, _ = f.flag(name)
		case kindEnum:
			v, _ = f.choice(name, a.choices)
		case kindList:
			v, _ = f.list(name, a.choices)
		case kindDate:
			v, _ = f.date(name)
		case kindID:
			v, _ = f.id(name)
		default:
			if s, ok := f.single(name); ok {
				v = s
			}
		}
		u.values[at] = v
	}

	var street address
	for _, p := range streetAddressParams {
		if s, ok := f.single(p.name); ok {
			*p.part(&street) = s
		}
	}
	u.values[atStreetAddress] = street

	if s, ok := f.single("given_age"); ok {
		if age, valid := wholeNumber(s); valid && age <= 130 {
			u.values[atGivenAge] = age
		} else {
			f.fail("given_age", msgAge)
		}
	}

	checkCreateRules(f, u, today, knownLocation)
	if len(f.errs) > 0 {
		return nil, f.errs
	}

	return u, nil
}

// checkCreateRules applies the rules that tie parameters together or need
// more than the value's shape.
func checkCreateRules(f *form, u *serviceUser, today time.Time,
	knownLocation func(string) bool) {
	for _, name := range []string{"first_name", "last_name", "location"} {
		if len(f.values(name)) == 0 {
			f.fail(name, msgRequired)
		}
	}
	if loc, ok := u.values[atLocation].(string); ok && !knownLocation(loc) {
		f.fail("location", msgLocation)
	}

	if len(f.values("dob")) == 0 && len(f.values("given_age")) == 0 {
		f.fail("dob", msgDOBOrAge)
		f.fail("given_age", msgDOBOrAge)
	}
	if dob, ok := u.values[atDOB].(string); ok && dob > today.Format(dateLayout) {
		f.fail("dob", msgFutureDOB)
	}

	if ref, ok := u.values[atRef].(string); ok {
		if _, valid := wholeNumber(ref); !valid {
			f.fail("ref", msgRef)
		}
	}

	if len(f.values("fnc_application_date")) > 0 && u.values[atFNCStatus] != "applied_for" {
		f.fail("fnc_application_date", msgFNCDate)
	}
	if len(f.values("fnc_application_status")) > 0 && u.values[atService] != "nursing_home" {
		f.fail("fnc_application_status", msgFNCStatus)
	}

	dayCare := u.values[atDayCareUse] == "exclusive" || u.values[atDayCareUse] == "inclusive"
	_, phoneGiven := f.single("phone")
	switch {
	case dayCare && !phoneGiven:
		f.fail("phone", msgPhone)
	case !dayCare && phoneGiven:
		f.fail("phone", msgPhoneNotUsed)
	}
}
