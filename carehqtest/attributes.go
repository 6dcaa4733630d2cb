package carehqtest

import (
	"fmt"
	"slices"
)

// kind is how an attribute's value is held, compared and written.
type kind uint8

const (
	kindText    kind = iota // string
	kindID                  // string: 24 lower-case hex characters
	kindEnum                // string: one of the attribute's choices
	kindDate                // string: YYYY-MM-DD
	kindTime                // string: YYYY-MM-DD HH:MM:SS, UTC
	kindFlag                // bool
	kindInt                 // int
	kindList                // []string, from the choices when there are any
	kindAddress             // address
	kindLonLat              // [2]float64: longitude, then latitude
)

// The documented value sets. Real payloads may carry values outside them;
// the server itself only ever stores these.
var (
	genderChoices   = []string{"male", "female", "non_binary", "transgender", "intersex"}
	religionChoices = []string{
		"no_religion", "christian", "buddhist", "hindu", "jewish", "muslim", "sikh",
	}
	fundingTypeChoices = []string{
		"private", "local_authority", "local_authority_top_up", "chc", "chc_lifestyle",
		"block_bed", "dta_spot", "not_sure",
	}
	serviceChoices = []string{
		"assisted_living", "residential_home", "nursing_home", "independent_living",
		"learning_disability_care", "bariatric_care", "specialist_care", "home_care",
		"live_in_care",
	}
	statusChoices        = []string{"pending", "active", "inactive"}
	dayCareStatusChoices = []string{"active", "inactive"}
	dayCareUseChoices    = []string{"exclusive", "inclusive", "not_used"}
	fncStatusChoices     = []string{"not_applicable", "applied_for", "granted", "declined"}
	billingCommsChoices  = []string{"email", "post", "do_not_send"}
	paymentMethodChoices = []string{
		"card", "cash", "cheque", "standing_order", "direct_debit", "bac",
	}
	invoiceIDFieldChoices = []string{
		"account_code", "broadcare_number", "full_name", "initials", "nhs_number", "patient_id",
		"ref",
	}
)

// attribute is one field of a service user as CareHQ returns it.
type attribute struct {
	name    string
	kind    kind
	choices []string
}

// attributes are the 72 fields of a service user, in the order CareHQ
// writes them (by name). A record holds its values in the same order.
var attributes = [...]attribute{
	{"_id", kindID, nil},
	{"account_code", kindText, nil},
	{"anonymized", kindTime, nil},
	{"assistance_with_dressing", kindFlag, nil},
	{"assistance_with_eating", kindFlag, nil},
	{"assistance_with_medication", kindFlag, nil},
	{"assistance_with_personal_care", kindFlag, nil},
	{"bill_self_for_expenses", kindFlag, nil},
	{"billing_comms_preference", kindEnum, billingCommsChoices},
	{"billing_enabled", kindFlag, nil},
	{"broadcare_number", kindText, nil},
	{"created", kindTime, nil},
	{"day_care_deactivated", kindTime, nil},
	{"day_care_leaving_notes", kindText, nil},
	{"day_care_reason_for_leaving", kindText, nil},
	{"day_care_status", kindEnum, dayCareStatusChoices},
	{"day_care_use", kindEnum, dayCareUseChoices},
	{"deactivated", kindTime, nil},
	{"dementia", kindFlag, nil},
	{"dementia_challenging_behaviour", kindFlag, nil},
	{"dementia_prone_to_wander", kindFlag, nil},
	{"dob", kindDate, nil},
	{"email_invoices_to", kindList, nil},
	{"end_of_life_care", kindFlag, nil},
	{"first_name", kindText, nil},
	{"fnc_application_date", kindDate, nil},
	{"fnc_application_status", kindEnum, fncStatusChoices},
	{"funding_at_risk", kindTime, nil},
	{"funding_type", kindEnum, fundingTypeChoices},
	{"future_billing_disabled", kindFlag, nil},
	{"genders", kindList, genderChoices},
	{"genders_other", kindText, nil},
	{"given_age", kindInt, nil},
	{"has_direct_debit_mandate", kindFlag, nil},
	{"invoices_service_user_id_fields", kindList, invoiceIDFieldChoices},
	{"large_print_requested_for_billing", kindFlag, nil},
	{"last_name", kindText, nil},
	{"leaving_notes", kindText, nil},
	{"location", kindID, nil},
	{"location_contact_for_expenses", kindID, nil},
	{"lon_lat", kindLonLat, nil},
	{"min_ledger_balance", kindInt, nil},
	{"mobile", kindText, nil},
	{"mobility_bed_bound", kindFlag, nil},
	{"mobility_can_walk_unaided", kindFlag, nil},
	{"mobility_requires_aid_or_hoist", kindFlag, nil},
	{"mobility_uses_stick", kindFlag, nil},
	{"mobility_uses_wheelchair", kindFlag, nil},
	{"modified", kindTime, nil},
	{"national_insurance_number", kindText, nil},
	{"nhs_number", kindText, nil},
	{"notes", kindText, nil},
	{"partner_in_care_home", kindID, nil},
	{"patient_id", kindText, nil},
	{"payment_method", kindEnum, paymentMethodChoices},
	{"postal_address", kindAddress, nil},
	{"preferred_name", kindText, nil},
	{"reason_for_leaving", kindText, nil},
	{"ref", kindText, nil},
	{"registered_blind", kindFlag, nil},
	{"religions", kindList, religionChoices},
	{"religions_other", kindText, nil},
	{"send_balance_alert", kindFlag, nil},
	{"service", kindEnum, serviceChoices},
	{"service_user_contact_for_expenses", kindID, nil},
	{"source_care_enquiry", kindID, nil},
	{"statement_ref", kindText, nil},
	{"status", kindEnum, statusChoices},
	{"street_address", kindAddress, nil},
	{"title", kindText, nil},
	{"transferred_from", kindID, nil},
	{"visually_impaired", kindFlag, nil},
}

// attributeCount is the number of attributes of a service user.
const attributeCount = len(attributes)

// attributeIndex maps an attribute's name to its position.
var attributeIndex = func() map[string]int {
	m := make(map[string]int, attributeCount)
	for i, a := range attributes {
		m[a.name] = i
	}

	return m
}()

// mustAttribute returns the position of a named attribute. It panics at
// start-up on a misspelt name, so that a typo cannot pass unnoticed.
func mustAttribute(name string) int {
	i, ok := attributeIndex[name]
	if !ok {
		panic(fmt.Sprintf("carehqtest: no attribute %q", name))
	}

	return i
}

// The attributes the server's own logic reads or writes.
var (
	atID                = mustAttribute("_id")
	atAccountCode       = mustAttribute("account_code")
	atAnonymized        = mustAttribute("anonymized")
	atCreated           = mustAttribute("created")
	atDayCareStatus     = mustAttribute("day_care_status")
	atDayCareUse        = mustAttribute("day_care_use")
	atDOB               = mustAttribute("dob")
	atEndOfLifeCare     = mustAttribute("end_of_life_care")
	atFirstName         = mustAttribute("first_name")
	atFNCDate           = mustAttribute("fnc_application_date")
	atFNCStatus         = mustAttribute("fnc_application_status")
	atGivenAge          = mustAttribute("given_age")
	atLastName          = mustAttribute("last_name")
	atLocation          = mustAttribute("location")
	atMinLedgerBalance  = mustAttribute("min_ledger_balance")
	atModified          = mustAttribute("modified")
	atRef               = mustAttribute("ref")
	atService           = mustAttribute("service")
	atStatus            = mustAttribute("status")
	atStreetAddress     = mustAttribute("street_address")
	atBillingCommsPref  = mustAttribute("billing_comms_preference")
	atPartnerInCareHome = mustAttribute("partner_in_care_home")
)

// address is a postal or street address. CareHQ writes every part, empty
// or not.
type address struct {
	Address1 string `json:"address_1"`
	Address2 string `json:"address_2"`
	Country  string `json:"country"`
	County   string `json:"county"`
	Postcode string `json:"postcode"`
	Town     string `json:"town"`
}

// asMap returns the address as the map ServiceUsers hands out.
func (a address) asMap() map[string]string {
	return map[string]string{
		"address_1": a.Address1, "address_2": a.Address2, "country": a.Country,
		"county": a.County, "postcode": a.Postcode, "town": a.Town,
	}
}

// serviceUser is one stored record. A stored record is never changed, so
// it may be read without a lock once it is published.
type serviceUser struct {
	// values holds each attribute by position: nil for null, else the Go
	// type of its kind.
	values [attributeCount]any

	// fullName is "first last" in lower case, for filters-q and sorting.
	fullName string
}

func (u *serviceUser) text(at int) string {
	s, _ := u.values[at].(string)

	return s
}

func (u *serviceUser) id() string { return u.text(atID) }

// exportValue returns a copy of an attribute's value that the caller may
// keep and change: lists and addresses are copied, the pair of lon_lat
// becomes a []float64.
func exportValue(v any) any {
	switch v := v.(type) {
	case []string:
		return slices.Clone(v)
	case address:
		return v.asMap()
	case [2]float64:
		return []float64{v[0], v[1]}
	}

	return v
}

// export returns the record in the shape of a retrieve response.
func (u *serviceUser) export() map[string]any {
	m := make(map[string]any, attributeCount)
	for i, a := range attributes {
		m[a.name] = exportValue(u.values[i])
	}

	return m
}

// object returns the record's attributes at the given positions, ready for
// encoding/json, which writes map keys in CareHQ's order (by name). Lists,
// addresses and pairs are shared with the record: the result must only be
// encoded.
func (u *serviceUser) object(fields []int) map[string]any {
	m := make(map[string]any, len(fields))
	for _, at := range fields {
		m[attributes[at].name] = u.values[at]
	}

	return m
}

// allAttributes lists every attribute's position, for a retrieve response.
var allAttributes = func() []int {
	all := make([]int, attributeCount)
	for i := range all {
		all[i] = i
	}

	return all
}()
