package carehq

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// ServiceUser is a person who receives care from a provider: a resident of
// a residential or nursing home, or a client of a home care or live-in care
// service. It holds health and personal data; do not log it.
//
// CareHQ returns only the attributes a request asks for, and almost any of
// them may be null, so every field has a zero value meaning "not sent or not
// recorded": "" for text, FlagUnknown for a flag (never the same as FlagNo),
// the zero Date and the zero time.Time, and nil for pointers and lists.
//
// Times are in UTC. CareHQ writes them as YYYY-MM-DD HH:MM:SS without a
// zone; the SDK takes that to be UTC.
//
// Decoding is lenient: a value the SDK cannot interpret leaves its field at
// the zero value and is recorded in Problems, and attributes the SDK does
// not know are kept in Extra. json.Marshal writes the attributes under
// CareHQ's names and leaves out fields at their zero value; it writes times
// in RFC 3339, which the decoder reads too, and writes neither Problems nor
// Extra.
type ServiceUser struct {
	// ID is CareHQ's unique Id for the service user, 24 hex characters.
	ID string `json:"_id,omitzero"`

	// Ref is the provider's unique numeric reference for the service user,
	// held as text (CareHQ sometimes sends it as a number).
	Ref string `json:"ref,omitzero"`

	// AccountCode identifies the service user in an accounts package when
	// invoices are exported. CareHQ makes one up if none was given.
	AccountCode string `json:"account_code,omitzero"`

	// BroadcareNumber is the service user's number in Broadcare.
	BroadcareNumber string `json:"broadcare_number,omitzero"`

	// PatientID is any other identifier, code or reference the provider
	// keeps for the service user.
	PatientID string `json:"patient_id,omitzero"`

	// NHSNumber is the service user's NHS number, as entered (it may contain
	// spaces).
	NHSNumber string `json:"nhs_number,omitzero"`

	// NationalInsuranceNumber is the service user's National Insurance
	// number.
	NationalInsuranceNumber string `json:"national_insurance_number,omitzero"`

	// Location is the Id of the location (care home or branch) whose client
	// the service user is.
	Location string `json:"location,omitzero"`

	// Status says whether the service user is yet to start, receiving care,
	// or has left.
	Status ServiceUserStatus `json:"status,omitzero"`

	// Service is the kind of care the service user needs.
	Service Service `json:"service,omitzero"`

	// Created is when the record was created, in UTC.
	Created time.Time `json:"created,omitzero"`

	// Modified is when the record last changed, in UTC.
	Modified time.Time `json:"modified,omitzero"`

	// Deactivated is when the service user left the location, in UTC; zero
	// if they have not left.
	Deactivated time.Time `json:"deactivated,omitzero"`

	// Anonymized is when the record's personal details were erased, in UTC;
	// zero if they have not been.
	Anonymized time.Time `json:"anonymized,omitzero"`

	// ReasonForLeaving is the reason recorded when the service user was
	// discharged.
	ReasonForLeaving string `json:"reason_for_leaving,omitzero"`

	// LeavingNotes holds any notes written at discharge.
	LeavingNotes string `json:"leaving_notes,omitzero"`

	// TransferredFrom is the Id of the record at another location that this
	// one was copied from when the service user moved here.
	TransferredFrom string `json:"transferred_from,omitzero"`

	// SourceCareEnquiry is the Id of the care enquiry that was converted into
	// this service user.
	SourceCareEnquiry string `json:"source_care_enquiry,omitzero"`

	// PartnerInCareHome is the Id of the service user's partner in the same
	// home; partners may share a room.
	PartnerInCareHome string `json:"partner_in_care_home,omitzero"`

	// Title is the service user's title, such as Mr, Mrs, Miss, Dr or Rev.
	Title string `json:"title,omitzero"`

	// FirstName is the service user's first name.
	FirstName string `json:"first_name,omitzero"`

	// LastName is the service user's last name.
	LastName string `json:"last_name,omitzero"`

	// PreferredName is the name the service user likes to be called by.
	PreferredName string `json:"preferred_name,omitzero"`

	// DOB is the service user's date of birth. CareHQ's create response
	// names it dob_str; the SDK reads either name, and an empty value under
	// one name does not clear a date given under the other.
	DOB Date `json:"dob,omitzero"`

	// GivenAge is an estimated age in years, used when the date of birth is
	// not known; nil if none was recorded.
	GivenAge *int `json:"given_age,omitzero"`

	// Genders lists the service user's genders from CareHQ's predefined set.
	Genders []Gender `json:"genders,omitzero"`

	// GendersOther holds gender terms outside the predefined set, as free
	// text. If CareHQ sends a list, its items are joined with ", ".
	GendersOther string `json:"genders_other,omitzero"`

	// Religions lists the service user's religions from CareHQ's predefined
	// set.
	Religions []Religion `json:"religions,omitzero"`

	// ReligionsOther holds religion terms outside the predefined set, as
	// free text. If CareHQ sends a list, its items are joined with ", ".
	ReligionsOther string `json:"religions_other,omitzero"`

	// Mobile is the service user's mobile phone number.
	Mobile string `json:"mobile,omitzero"`

	// StreetAddress is where the service user lives; nil if not sent.
	StreetAddress *Address `json:"street_address,omitzero"`

	// PostalAddress is where the service user's post should go, when it
	// differs from the street address; nil if not sent.
	PostalAddress *Address `json:"postal_address,omitzero"`

	// LonLat is the service user's position on the map; nil if unknown.
	LonLat *LonLat `json:"lon_lat,omitzero"`

	// Notes holds any other notes about the service user, as free text.
	Notes string `json:"notes,omitzero"`

	// AssistanceWithDressing records whether the service user needs help to
	// dress.
	AssistanceWithDressing Flag `json:"assistance_with_dressing,omitzero"`

	// AssistanceWithEating records whether the service user needs help to
	// eat.
	AssistanceWithEating Flag `json:"assistance_with_eating,omitzero"`

	// AssistanceWithMedication records whether the service user needs help
	// to take their medication.
	AssistanceWithMedication Flag `json:"assistance_with_medication,omitzero"`

	// AssistanceWithPersonalCare records whether the service user needs help
	// with personal care.
	AssistanceWithPersonalCare Flag `json:"assistance_with_personal_care,omitzero"`

	// Dementia records whether the service user lives with dementia.
	Dementia Flag `json:"dementia,omitzero"`

	// DementiaChallengingBehaviour records whether the service user's
	// dementia comes with behaviour that challenges.
	DementiaChallengingBehaviour Flag `json:"dementia_challenging_behaviour,omitzero"`

	// DementiaProneToWander records whether the service user's dementia
	// makes them likely to wander.
	DementiaProneToWander Flag `json:"dementia_prone_to_wander,omitzero"`

	// EndOfLifeCare records whether the service user receives end of life
	// (palliative) care.
	EndOfLifeCare Flag `json:"end_of_life_care,omitzero"`

	// MobilityBedBound records whether the service user cannot leave bed.
	MobilityBedBound Flag `json:"mobility_bed_bound,omitzero"`

	// MobilityCanWalkUnaided records whether the service user walks without
	// help or aids.
	MobilityCanWalkUnaided Flag `json:"mobility_can_walk_unaided,omitzero"`

	// MobilityRequiresAidOrHoist records whether the service user needs a
	// hoist or another aid to get out of bed.
	MobilityRequiresAidOrHoist Flag `json:"mobility_requires_aid_or_hoist,omitzero"`

	// MobilityUsesStick records whether the service user walks with a
	// stick.
	MobilityUsesStick Flag `json:"mobility_uses_stick,omitzero"`

	// MobilityUsesWheelchair records whether the service user uses a
	// wheelchair.
	MobilityUsesWheelchair Flag `json:"mobility_uses_wheelchair,omitzero"`

	// RegisteredBlind records whether the service user is registered blind.
	RegisteredBlind Flag `json:"registered_blind,omitzero"`

	// VisuallyImpaired records whether the service user has impaired sight.
	VisuallyImpaired Flag `json:"visually_impaired,omitzero"`

	// DayCareStatus says whether the service user currently attends day
	// care at the location.
	DayCareStatus DayCareStatus `json:"day_care_status,omitzero"`

	// DayCareUse says how the service user uses day care.
	DayCareUse DayCareUse `json:"day_care_use,omitzero"`

	// DayCareDeactivated is when the service user stopped attending day care
	// at the location, in UTC; zero if they have not stopped.
	DayCareDeactivated time.Time `json:"day_care_deactivated,omitzero"`

	// DayCareReasonForLeaving is the reason recorded when the service user
	// was discharged from day care.
	DayCareReasonForLeaving string `json:"day_care_reason_for_leaving,omitzero"`

	// DayCareLeavingNotes holds any notes written at discharge from day
	// care.
	DayCareLeavingNotes string `json:"day_care_leaving_notes,omitzero"`

	// FundingType says who pays for the service user's care.
	FundingType FundingType `json:"funding_type,omitzero"`

	// FundingAtRisk is when the service user's funding was marked as at
	// risk, in UTC; zero if it has not been.
	FundingAtRisk time.Time `json:"funding_at_risk,omitzero"`

	// FNCApplicationStatus is where the service user's application for
	// NHS-funded nursing care stands.
	FNCApplicationStatus FNCApplicationStatus `json:"fnc_application_status,omitzero"`

	// FNCApplicationDate is the day FNC was applied for. CareHQ's create
	// response names it fnc_application_date_str; the SDK reads either name,
	// and an empty value under one name does not clear a date given under the
	// other.
	FNCApplicationDate Date `json:"fnc_application_date,omitzero"`

	// BillingEnabled records whether the service user is billed through
	// CareHQ.
	BillingEnabled Flag `json:"billing_enabled,omitzero"`

	// FutureBillingDisabled records whether, although billing is enabled,
	// the service user is kept out of new contracts and invoices.
	FutureBillingDisabled Flag `json:"future_billing_disabled,omitzero"`

	// BillingCommsPreference is how the billing party wants invoices,
	// statements and other billing letters delivered.
	BillingCommsPreference BillingCommsPreference `json:"billing_comms_preference,omitzero"`

	// LargePrintRequestedForBilling records whether the billing party asked
	// for billing letters in large print.
	LargePrintRequestedForBilling Flag `json:"large_print_requested_for_billing,omitzero"`

	// EmailInvoicesTo lists the email addresses that invoices and related
	// documents are sent to.
	EmailInvoicesTo []string `json:"email_invoices_to,omitzero"`

	// PaymentMethod is how the billing party is expected to pay.
	PaymentMethod PaymentMethod `json:"payment_method,omitzero"`

	// HasDirectDebitMandate records whether a Direct Debit mandate exists for
	// the service user, whatever its state (pending, active or being
	// cancelled).
	HasDirectDebitMandate Flag `json:"has_direct_debit_mandate,omitzero"`

	// StatementRef is the reference printed on statements for the billing
	// party.
	StatementRef string `json:"statement_ref,omitzero"`

	// InvoiceIDFields lists the attributes shown to identify the service
	// user on the invoice lines billed for them. CareHQ calls it
	// invoices_service_user_id_fields.
	InvoiceIDFields []InvoiceServiceUserIDField `json:"invoices_service_user_id_fields,omitzero"`

	// BillSelfForExpenses records whether the service user's expenses are
	// invoiced to the service user.
	BillSelfForExpenses Flag `json:"bill_self_for_expenses,omitzero"`

	// LocationContactForExpenses is the Id of the location contact billed for
	// the service user's expenses.
	LocationContactForExpenses string `json:"location_contact_for_expenses,omitzero"`

	// ServiceUserContactForExpenses is the Id of the service user contact
	// billed for the service user's expenses.
	ServiceUserContactForExpenses string `json:"service_user_contact_for_expenses,omitzero"`

	// MinLedgerBalance is the balance, in pence, below which a low balance
	// alert is sent for this service user, overriding the account's own
	// threshold. Nil means no threshold of its own, which is not the same as
	// a threshold of 0.
	MinLedgerBalance *int64 `json:"min_ledger_balance,omitzero"`

	// SendBalanceAlert records whether an alert is sent when the service
	// user's balance runs low.
	SendBalanceAlert Flag `json:"send_balance_alert,omitzero"`

	// Problems lists every value the SDK could not interpret, so that none is
	// dropped silently. The fields concerned are left at their zero value.
	// It is nil when every value was understood.
	Problems []FieldProblem `json:"-"`

	// Extra holds the attributes the SDK does not know, such as ones CareHQ
	// added after this version, as the raw JSON CareHQ sent. It is nil when
	// there are none.
	Extra map[string]json.RawMessage `json:"-"`
}

// FieldProblem records an attribute whose value could not be interpreted.
type FieldProblem struct {
	// Field is CareHQ's name for the attribute, as it appeared in the
	// response. A part of an address is named with a dot, as in
	// "street_address.postcode".
	Field string

	// Value is the JSON value exactly as CareHQ sent it. It may hold personal
	// or health data: keep it out of logs.
	Value json.RawMessage

	// Reason says in a few words what was wrong with the value.
	Reason string
}

// String names the field and the reason but never the value, so that a
// problem can be logged safely.
func (p FieldProblem) String() string { return p.Field + ": " + p.Reason }

// Address is a postal address as CareHQ stores it. Any part may be empty.
type Address struct {
	// Address1 is the first line, such as a house name or number.
	Address1 string `json:"address_1" url:"address_1,omitempty"`

	// Address2 is the second line, such as the street.
	Address2 string `json:"address_2" url:"address_2,omitempty"`

	// Town is the town, city or village.
	Town string `json:"town" url:"town,omitempty"`

	// County is the county.
	County string `json:"county" url:"county,omitempty"`

	// Postcode is the postal code.
	Postcode string `json:"postcode" url:"postcode,omitempty"`

	// Country is the country.
	Country string `json:"country" url:"country,omitempty"`
}

// EncodeValues adds the address's non-empty parts to a request under
// CareHQ's dash-joined names, such as street_address-postcode. It
// implements go-querystring's Encoder.
func (a Address) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

// LonLat is a position on the earth in decimal degrees (WGS 84). CareHQ
// writes it as a two-item list, longitude first.
type LonLat struct {
	// Lon is the longitude, from -180 (west) to 180 (east).
	Lon float64

	// Lat is the latitude, from -90 (south) to 90 (north).
	Lat float64
}

// Valid reports whether the longitude and latitude are finite and in range.
func (p LonLat) Valid() bool {
	return p.Lon >= -180 && p.Lon <= 180 && p.Lat >= -90 && p.Lat <= 90
}

// MarshalJSON writes the position as [longitude, latitude]. It returns an
// error for a position that is not Valid.
func (p LonLat) MarshalJSON() ([]byte, error) {
	if !p.Valid() {
		return nil, fmt.Errorf("carehq: lon_lat: %s", reasonLonLatRange)
	}

	b := append(make([]byte, 0, 48), '[')
	b = strconv.AppendFloat(b, p.Lon, 'g', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p.Lat, 'g', -1, 64)

	return append(b, ']'), nil
}

// UnmarshalJSON reads a position written as [longitude, latitude], with
// numbers or numeric strings, or as an object with lon (or lng) and lat.
// Null leaves p unchanged; anything else is an error.
func (p *LonLat) UnmarshalJSON(b []byte) error {
	d := decoder{data: b}
	var pos *LonLat
	if err := d.lonLat(&pos, "lon_lat"); err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	if len(d.problems) > 0 {
		return fmt.Errorf("carehq: %v", d.problems[0])
	}

	if pos != nil {
		*p = *pos
	}

	return nil
}
