package carehq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file turns CareHQ's JSON into ServiceUser values by hand, without
// reflection, because lists of service users are large and decoded often.
//
// CareHQ's payloads do not always match its documented types, so every
// attribute is read leniently: a value that cannot be interpreted leaves its
// field at the zero value and is recorded as a FieldProblem, and the rest of
// the record still decodes. Only JSON that is not well formed, or a document
// that is not an object, fails.

// Reasons recorded in FieldProblem. None quotes the value.
const (
	reasonText        = "want text"
	reasonFlag        = "want true, false, yes, no, 1 or 0"
	reasonWhole       = "want a whole number in range"
	reasonDate        = "want a date as YYYY-MM-DD"
	reasonDateTime    = "want a date and time as YYYY-MM-DD HH:MM:SS"
	reasonList        = "want a list of text"
	reasonAddress     = "want an address object"
	reasonLonLat      = "want [longitude, latitude]"
	reasonLonLatRange = "longitude or latitude out of range"
)

// maxPageHint is the most items the decoder makes room for before it has
// seen them. CareHQ's documentation gives no maximum page size, but its other
// lists cap a page at 100 items.
const maxPageHint = 100

// decodeServiceUser fills su from one JSON object, replacing what it held.
// It returns an error only if data is not well-formed JSON or not an object;
// odd values are recorded in su.Problems instead. On error su is left zero.
func decodeServiceUser(data []byte, su *ServiceUser) error {
	*su = ServiceUser{}
	d := decoder{data: data}

	err := d.topObject("service user")
	if err == nil {
		err = d.serviceUser(su)
	}
	if err == nil {
		err = d.end()
	}
	if err != nil {
		*su = ServiceUser{}
	}

	return err
}

// decodeServiceUserPage fills page from a list response, replacing what it
// held. Keys other than the page's five are ignored, and the counts may be
// numbers or numeric strings. It returns an error if data is not well-formed
// JSON, or if the page itself cannot be read: items that are not objects, or
// a count that is not a whole number. On error page is left zero.
func decodeServiceUserPage(data []byte, page *Page[ServiceUser]) error {
	*page = Page[ServiceUser]{}
	d := decoder{data: data}

	err := d.topObject("service user page")
	if err == nil {
		err = d.serviceUserPage(page)
	}
	if err == nil {
		err = d.end()
	}
	if err != nil {
		*page = Page[ServiceUser]{}
	}

	return err
}

// UnmarshalJSON decodes a service user leniently, as the SDK's own decoder
// does: see ServiceUser. JSON null leaves su unchanged.
func (su *ServiceUser) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}

	return decodeServiceUser(b, su)
}

// topObject reads the start of the document and checks that it is an
// object.
func (d *decoder) topObject(what string) error {
	t, err := d.next()
	if err != nil {
		return err
	}
	if t.kind != kindObject {
		return fmt.Errorf("carehq: %s: want a JSON object, got %v", what, t.kind)
	}

	return nil
}

func (d *decoder) serviceUserPage(page *Page[ServiceUser]) error {
	empty, err := d.open('}')
	if err != nil || empty {
		return err
	}

	for {
		key, err := d.key()
		if err != nil {
			return err
		}

		switch string(key) {
		case "item_count":
			err = d.count(&page.ItemCount, "item_count")
		case "items":
			err = d.serviceUsers(page)
		case "page":
			err = d.count(&page.Page, "page")
		case "page_count":
			err = d.count(&page.PageCount, "page_count")
		case "per_page":
			err = d.count(&page.PerPage, "per_page")
		default:
			err = d.skip()
		}
		if err != nil {
			return err
		}

		more, err := d.more('}')
		if err != nil || !more {
			return err
		}
	}
}

// count reads one of a page's counts. Unlike a service user's attributes, a
// count that cannot be read fails the page: paging on a guess could skip or
// repeat records.
func (d *decoder) count(dst *int, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	var b []byte
	switch t.kind {
	case kindNull:
		*dst = 0
		return nil
	case kindNumber:
		b = d.data[t.start:t.end]
	case kindString:
		b = d.textOf(t)
		if len(b) == 0 {
			*dst = 0
			return nil
		}
	}

	if n, ok := wholeOf(b); ok && n >= 0 && int64(int(n)) == n {
		*dst = int(n)
		return nil
	}
	if _, err := d.finish(t); err != nil {
		return err
	}

	return fmt.Errorf("carehq: service user page: %s is not a count (a whole number, 0 or more)",
		field)
}

// serviceUsers reads the items of a page.
func (d *decoder) serviceUsers(page *Page[ServiceUser]) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	switch t.kind {
	case kindNull:
		page.Items = nil
		return nil
	case kindArray:
	default:
		if _, err := d.finish(t); err != nil {
			return err
		}
		return fmt.Errorf("carehq: service user page: items is %v, not a list", t.kind)
	}

	// CareHQ sends item_count before items. A page holds no more items than
	// that, and no more than CareHQ's largest page, so this is usually the
	// exact size when a caller pages through with a large per_page.
	items := make([]ServiceUser, 0, min(max(page.ItemCount, 1), maxPageHint))
	defer func() {
		// A short page (the last, or a small per_page) would keep the room
		// it did not use for as long as the caller keeps the items.
		if unused := cap(items) - len(items); unused > 4 && unused > len(items)/4 {
			items = slices.Clone(items)
		}
		page.Items = items
	}()

	empty, err := d.open(']')
	if err != nil || empty {
		return err
	}

	for {
		item, err := d.next()
		if err != nil {
			return err
		}
		if item.kind != kindObject {
			if _, err := d.finish(item); err != nil {
				return err
			}
			return fmt.Errorf("carehq: service user page: item %d is %v, not an object",
				len(items), item.kind)
		}

		items = append(items, ServiceUser{})
		if err := d.serviceUser(&items[len(items)-1]); err != nil {
			return err
		}

		more, err := d.more(']')
		if err != nil || !more {
			return err
		}
	}
}

// serviceUser reads the object at pos into su, which must be zero.
func (d *decoder) serviceUser(su *ServiceUser) error {
	d.problems = nil
	defer func() { su.Problems = d.problems }()

	empty, err := d.open('}')
	if err != nil || empty {
		return err
	}

	for {
		key, err := d.key()
		if err != nil {
			return err
		}

		// With a key repeated, the last value wins, so an earlier value's
		// problem no longer applies.
		if len(d.problems) > 0 {
			d.forget(key)
		}
		if err := d.serviceUserField(su, key); err != nil {
			return err
		}

		more, err := d.more('}')
		if err != nil || !more {
			return err
		}
	}
}

// serviceUserField reads the value of the attribute named key into su.
func (d *decoder) serviceUserField(su *ServiceUser, key []byte) error {
	switch string(key) {
	case "_id":
		return d.textField(&su.ID, "_id")
	case "account_code":
		return d.textField(&su.AccountCode, "account_code")
	case "anonymized":
		return d.timeField(&su.Anonymized, "anonymized")
	case "assistance_with_dressing":
		return d.flagField(&su.AssistanceWithDressing, "assistance_with_dressing")
	case "assistance_with_eating":
		return d.flagField(&su.AssistanceWithEating, "assistance_with_eating")
	case "assistance_with_medication":
		return d.flagField(&su.AssistanceWithMedication, "assistance_with_medication")
	case "assistance_with_personal_care":
		return d.flagField(&su.AssistanceWithPersonalCare, "assistance_with_personal_care")
	case "bill_self_for_expenses":
		return d.flagField(&su.BillSelfForExpenses, "bill_self_for_expenses")
	case "billing_comms_preference":
		return enumField(d, &su.BillingCommsPreference, knownBillingCommsPreferences,
			"billing_comms_preference")
	case "billing_enabled":
		return d.flagField(&su.BillingEnabled, "billing_enabled")
	case "broadcare_number":
		return d.textField(&su.BroadcareNumber, "broadcare_number")
	case "created":
		return d.timeField(&su.Created, "created")
	case "day_care_deactivated":
		return d.timeField(&su.DayCareDeactivated, "day_care_deactivated")
	case "day_care_leaving_notes":
		return d.textField(&su.DayCareLeavingNotes, "day_care_leaving_notes")
	case "day_care_reason_for_leaving":
		return d.textField(&su.DayCareReasonForLeaving, "day_care_reason_for_leaving")
	case "day_care_status":
		return enumField(d, &su.DayCareStatus, knownDayCareStatuses, "day_care_status")
	case "day_care_use":
		return enumField(d, &su.DayCareUse, knownDayCareUses, "day_care_use")
	case "deactivated":
		return d.timeField(&su.Deactivated, "deactivated")
	case "dementia":
		return d.flagField(&su.Dementia, "dementia")
	case "dementia_challenging_behaviour":
		return d.flagField(&su.DementiaChallengingBehaviour, "dementia_challenging_behaviour")
	case "dementia_prone_to_wander":
		return d.flagField(&su.DementiaProneToWander, "dementia_prone_to_wander")
	case "dob":
		return d.dateField(&su.DOB, "dob")
	case "dob_str": // the create response's name for dob
		return d.dateField(&su.DOB, "dob_str")
	case "email_invoices_to":
		return listField(d, &su.EmailInvoicesTo, nil, "email_invoices_to")
	case "end_of_life_care":
		return d.flagField(&su.EndOfLifeCare, "end_of_life_care")
	case "first_name":
		return d.textField(&su.FirstName, "first_name")
	case "fnc_application_date":
		return d.dateField(&su.FNCApplicationDate, "fnc_application_date")
	case "fnc_application_date_str": // the create response's name
		return d.dateField(&su.FNCApplicationDate, "fnc_application_date_str")
	case "fnc_application_status":
		return enumField(d, &su.FNCApplicationStatus, knownFNCApplicationStatuses,
			"fnc_application_status")
	case "funding_at_risk":
		return d.timeField(&su.FundingAtRisk, "funding_at_risk")
	case "funding_type":
		return enumField(d, &su.FundingType, knownFundingTypes, "funding_type")
	case "future_billing_disabled":
		return d.flagField(&su.FutureBillingDisabled, "future_billing_disabled")
	case "genders":
		return listField(d, &su.Genders, knownGenders, "genders")
	case "genders_other":
		return d.otherTermsField(&su.GendersOther, "genders_other")
	case "given_age":
		return wholeField(d, &su.GivenAge, "given_age")
	case "has_direct_debit_mandate":
		return d.flagField(&su.HasDirectDebitMandate, "has_direct_debit_mandate")
	case "invoices_service_user_id_fields":
		return listField(d, &su.InvoiceIDFields, knownInvoiceServiceUserIDFields,
			"invoices_service_user_id_fields")
	case "large_print_requested_for_billing":
		return d.flagField(&su.LargePrintRequestedForBilling,
			"large_print_requested_for_billing")
	case "last_name":
		return d.textField(&su.LastName, "last_name")
	case "leaving_notes":
		return d.textField(&su.LeavingNotes, "leaving_notes")
	case "location":
		return d.textField(&su.Location, "location")
	case "location_contact_for_expenses":
		return d.textField(&su.LocationContactForExpenses, "location_contact_for_expenses")
	case "lon_lat":
		return d.lonLat(&su.LonLat, "lon_lat")
	case "min_ledger_balance":
		return wholeField(d, &su.MinLedgerBalance, "min_ledger_balance")
	case "mobile":
		return d.textField(&su.Mobile, "mobile")
	case "mobility_bed_bound":
		return d.flagField(&su.MobilityBedBound, "mobility_bed_bound")
	case "mobility_can_walk_unaided":
		return d.flagField(&su.MobilityCanWalkUnaided, "mobility_can_walk_unaided")
	case "mobility_requires_aid_or_hoist":
		return d.flagField(&su.MobilityRequiresAidOrHoist, "mobility_requires_aid_or_hoist")
	case "mobility_uses_stick":
		return d.flagField(&su.MobilityUsesStick, "mobility_uses_stick")
	case "mobility_uses_wheelchair":
		return d.flagField(&su.MobilityUsesWheelchair, "mobility_uses_wheelchair")
	case "modified":
		return d.timeField(&su.Modified, "modified")
	case "national_insurance_number":
		return d.textField(&su.NationalInsuranceNumber, "national_insurance_number")
	case "nhs_number":
		return d.textField(&su.NHSNumber, "nhs_number")
	case "notes":
		return d.textField(&su.Notes, "notes")
	case "partner_in_care_home":
		return d.textField(&su.PartnerInCareHome, "partner_in_care_home")
	case "patient_id":
		return d.textField(&su.PatientID, "patient_id")
	case "payment_method":
		return enumField(d, &su.PaymentMethod, knownPaymentMethods, "payment_method")
	case "postal_address":
		return d.address(&su.PostalAddress, &postalAddressParts)
	case "preferred_name":
		return d.textField(&su.PreferredName, "preferred_name")
	case "reason_for_leaving":
		return d.textField(&su.ReasonForLeaving, "reason_for_leaving")
	case "ref":
		return d.textField(&su.Ref, "ref")
	case "registered_blind":
		return d.flagField(&su.RegisteredBlind, "registered_blind")
	case "religions":
		return listField(d, &su.Religions, knownReligions, "religions")
	case "religions_other":
		return d.otherTermsField(&su.ReligionsOther, "religions_other")
	case "send_balance_alert":
		return d.flagField(&su.SendBalanceAlert, "send_balance_alert")
	case "service":
		return enumField(d, &su.Service, knownServices, "service")
	case "service_user_contact_for_expenses":
		return d.textField(&su.ServiceUserContactForExpenses,
			"service_user_contact_for_expenses")
	case "source_care_enquiry":
		return d.textField(&su.SourceCareEnquiry, "source_care_enquiry")
	case "statement_ref":
		return d.textField(&su.StatementRef, "statement_ref")
	case "status":
		return enumField(d, &su.Status, knownServiceUserStatuses, "status")
	case "street_address":
		return d.address(&su.StreetAddress, &streetAddressParts)
	case "title":
		return d.textField(&su.Title, "title")
	case "transferred_from":
		return d.textField(&su.TransferredFrom, "transferred_from")
	case "visually_impaired":
		return d.flagField(&su.VisuallyImpaired, "visually_impaired")
	}

	return d.extra(su, key)
}

// extra keeps an attribute the SDK does not know, as raw JSON.
func (d *decoder) extra(su *ServiceUser, key []byte) error {
	name := string(key)

	t, err := d.next()
	if err != nil {
		return err
	}
	if t, err = d.finish(t); err != nil {
		return err
	}

	if su.Extra == nil {
		su.Extra = make(map[string]json.RawMessage, 1)
	}
	su.Extra[name] = bytes.Clone(d.data[t.start:t.end])

	return nil
}

// reject records that the value t of field could not be interpreted, after
// passing over the rest of it unless the caller already has (t.end is set).
func (d *decoder) reject(t token, field, reason string) error {
	if t.end == 0 {
		var err error
		if t, err = d.finish(t); err != nil {
			return err
		}
	}

	d.problems = append(d.problems, FieldProblem{
		Field:  field,
		Value:  bytes.Clone(d.data[t.start:t.end]),
		Reason: reason,
	})

	return nil
}

// forget drops the problems recorded for the attribute key and its parts.
func (d *decoder) forget(key []byte) {
	kept := d.problems[:0]
	for _, p := range d.problems {
		name, _, _ := strings.Cut(p.Field, ".")
		if name != string(key) {
			kept = append(kept, p)
		}
	}
	clear(d.problems[len(kept):])

	d.problems = kept
	if len(kept) == 0 {
		d.problems = nil
	}
}

// textField reads text. A number is kept as the text CareHQ wrote, because
// some text attributes, such as ref, are sometimes sent as numbers.
func (d *decoder) textField(dst *string, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	switch t.kind {
	case kindString:
		*dst = d.stringOf(t)
	case kindNumber:
		*dst = string(d.data[t.start:t.end])
	case kindNull:
		*dst = ""
	default:
		*dst = ""
		return d.reject(t, field, reasonText)
	}

	return nil
}

// enumField reads one value of an enumeration. A documented value costs no
// allocation; any other text is kept as it is.
func enumField[E ~string](d *decoder, dst *E, known []E, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	switch t.kind {
	case kindString:
		*dst = enumOf(known, d.textOf(t))
	case kindNumber:
		*dst = E(d.data[t.start:t.end])
	case kindNull:
		*dst = ""
	default:
		*dst = ""
		return d.reject(t, field, reasonText)
	}

	return nil
}

func (d *decoder) flagField(dst *Flag, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	f, ok := d.flagOf(t)
	*dst = f
	if !ok {
		return d.reject(t, field, reasonFlag)
	}

	return nil
}

// flagOf interprets a scalar as a flag. CareHQ sends booleans, but an empty
// string has been seen in place of one, and yes/no, 1/0 are what its forms
// use.
func (d *decoder) flagOf(t token) (Flag, bool) {
	switch t.kind {
	case kindTrue:
		return FlagYes, true
	case kindFalse:
		return FlagNo, true
	case kindNull:
		return FlagUnknown, true
	case kindNumber:
		return flagOfText(d.data[t.start:t.end])
	case kindString:
		return flagOfText(d.textOf(t))
	}

	return FlagUnknown, false
}

func flagOfText(b []byte) (Flag, bool) {
	switch {
	case len(b) == 0:
		return FlagUnknown, true
	case string(b) == "1", equalFold(b, "yes"), equalFold(b, "true"):
		return FlagYes, true
	case string(b) == "0", equalFold(b, "no"), equalFold(b, "false"):
		return FlagNo, true
	}

	return FlagUnknown, false
}

// equalFold reports whether b equals the lower-case ASCII word, ignoring
// case.
func equalFold(b []byte, word string) bool {
	if len(b) != len(word) {
		return false
	}
	for i := range len(b) {
		if b[i]|0x20 != word[i] {
			return false
		}
	}

	return true
}

// wholeField reads a whole number, written as a number or a numeric string.
func wholeField[T int | int64](d *decoder, dst **T, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	var n int64
	ok := false
	switch t.kind {
	case kindNull:
		*dst = nil
		return nil
	case kindNumber:
		n, ok = wholeOf(d.data[t.start:t.end])
	case kindString:
		b := d.textOf(t)
		if len(b) == 0 {
			*dst = nil
			return nil
		}
		if isNumber(b) {
			n, ok = wholeOf(b)
		}
	}

	if !ok || int64(T(n)) != n {
		*dst = nil
		return d.reject(t, field, reasonWhole)
	}
	v := T(n)
	*dst = &v

	return nil
}

// wholeOf returns the value of a JSON number if it is a whole number that
// fits in an int64. A zero fraction, as in 100.0, is allowed.
func wholeOf(b []byte) (int64, bool) {
	if !isNumber(b) {
		return 0, false
	}

	i := 0
	neg := b[0] == '-'
	if neg {
		i++
	}

	var n uint64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digit := uint64(b[i] - '0')
		if n > (math.MaxUint64-digit)/10 {
			return 0, false
		}
		n = n*10 + digit
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] == '0'; i++ {
		}
	}

	if i < len(b) {
		// An exponent or a non-zero fraction: exact only up to 2^53.
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false
		}
		return int64(f), true
	}

	switch {
	case neg && n <= 1<<63:
		return int64(-n), true
	case !neg && n <= math.MaxInt64:
		return int64(n), true
	}

	return 0, false
}

// dateField reads a calendar date. A date and time is accepted too, and its
// date taken as written, before any zone conversion.
//
// Each date attribute has a second name in the create response (dob_str for
// dob), and both may come, so a null, empty or bad value never clears a date
// already read under the other name.
func (d *decoder) dateField(dst *Date, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	switch t.kind {
	case kindNull:
		return nil
	case kindString:
		b := d.textOf(t)
		if len(b) == 0 {
			return nil
		}
		if date, _, ok := parseDateTime(b); ok {
			*dst = date
			return nil
		}
	}

	return d.reject(t, field, reasonDate)
}

// timeField reads a date and time into UTC.
func (d *decoder) timeField(dst *time.Time, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	*dst = time.Time{}
	switch t.kind {
	case kindNull:
		return nil
	case kindString:
		b := d.textOf(t)
		if len(b) == 0 {
			return nil
		}
		if _, moment, ok := parseDateTime(b); ok {
			*dst = moment
			return nil
		}
	}

	return d.reject(t, field, reasonDateTime)
}

// parseDateTime reads CareHQ's YYYY-MM-DD HH:MM:SS, taken to be UTC, and
// also RFC 3339 (a T between date and time, a fraction of a second, a zone
// as Z or ±HH:MM) and a bare date, taken as midnight UTC. It returns the
// date as written and the moment in UTC. ok is false for anything else, and
// for a moment whose year in UTC falls outside 0 to 9999, which time.Time
// could not write back as JSON.
func parseDateTime(b []byte) (date Date, moment time.Time, ok bool) {
	if len(b) < 10 {
		return Date{}, time.Time{}, false
	}
	date, ok = splitDate(b[:10])
	if !ok || !date.Valid() {
		return Date{}, time.Time{}, false
	}
	if len(b) == 10 {
		return date, date.In(time.UTC), true
	}

	if len(b) < 19 || (b[10] != ' ' && b[10] != 'T' && b[10] != 't') ||
		b[13] != ':' || b[16] != ':' {
		return Date{}, time.Time{}, false
	}
	hour, ok1 := digits(b[11:13])
	minute, ok2 := digits(b[14:16])
	second, ok3 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || second > 59 {
		return Date{}, time.Time{}, false
	}

	i := 19
	nanos := 0
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			// Digits past the ninth are below a nanosecond: dropped.
			if i-start < 9 {
				nanos = nanos*10 + int(b[i]-'0')
			}
		}
		if i == start {
			return Date{}, time.Time{}, false
		}
		for n := i - start; n < 9; n++ {
			nanos *= 10
		}
	}

	offset, ok := zoneOffset(b[i:])
	if !ok {
		return Date{}, time.Time{}, false
	}

	moment = time.Date(date.Year, date.Month, date.Day, hour, minute, second, nanos, time.UTC)
	if offset != 0 {
		moment = moment.Add(-time.Duration(offset) * time.Second)
		if y := moment.Year(); y < 0 || y > 9999 {
			return Date{}, time.Time{}, false
		}
	}

	return date, moment, true
}

// zoneOffset reads the zone at the end of a date and time, in seconds east
// of UTC: nothing or Z for UTC, or ±HH:MM.
func zoneOffset(b []byte) (int, bool) {
	switch {
	case len(b) == 0:
		return 0, true
	case len(b) == 1 && (b[0] == 'Z' || b[0] == 'z'):
		return 0, true
	case len(b) != 6 || (b[0] != '+' && b[0] != '-') || b[3] != ':':
		return 0, false
	}

	hours, ok1 := digits(b[1:3])
	minutes, ok2 := digits(b[4:6])
	if !ok1 || !ok2 || hours > 23 || minutes > 59 {
		return 0, false
	}

	offset := hours*3600 + minutes*60
	if b[0] == '-' {
		offset = -offset
	}

	return offset, true
}

// listField reads a list of text into a slice of E. A single string is read
// as a list of one, and an empty string as no list. Any item that is not
// text makes the whole attribute a problem.
func listField[E ~string](d *decoder, dst *[]E, known []E, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	*dst = nil
	switch t.kind {
	case kindNull:
		return nil
	case kindString:
		if b := d.textOf(t); len(b) > 0 {
			*dst = []E{enumOf(known, b)}
		}
		return nil
	case kindArray:
		items, ok, err := textItems(d, known)
		if err != nil {
			return err
		}
		if ok {
			*dst = items
			return nil
		}
		t.end = d.pos
	}

	return d.reject(t, field, reasonList)
}

// textItems reads the array at pos as a list of text. ok is false if any
// item is not a string; the array has been read to its end either way. An
// empty array gives an empty, non-nil slice.
func textItems[E ~string](d *decoder, known []E) (items []E, ok bool, err error) {
	items = []E{}
	empty, err := d.open(']')
	if err != nil || empty {
		return items, err == nil, err
	}

	ok = true
	for {
		t, err := d.next()
		if err != nil {
			return nil, false, err
		}
		switch {
		case t.kind != kindString:
			ok = false
			if _, err := d.finish(t); err != nil {
				return nil, false, err
			}
		case ok:
			items = append(items, enumOf(known, d.textOf(t)))
		}

		more, err := d.more(']')
		if err != nil {
			return nil, false, err
		}
		if !more {
			break
		}
	}
	if !ok {
		items = nil
	}

	return items, ok, nil
}

// otherTermsField reads free text that CareHQ documents as text but might
// send as a list; a list's items are joined with ", ".
func (d *decoder) otherTermsField(dst *string, field string) error {
	if d.peek() != '[' {
		return d.textField(dst, field)
	}

	t, err := d.next()
	if err != nil {
		return err
	}
	items, ok, err := textItems[string](d, nil)
	if err != nil {
		return err
	}
	if !ok {
		*dst = ""
		t.end = d.pos
		return d.reject(t, field, reasonText)
	}
	*dst = strings.Join(items, ", ")

	return nil
}

// peek returns the first byte of the next value, or 0 at the end.
func (d *decoder) peek() byte {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return 0
	}

	return d.data[d.pos]
}

// addressParts names an address's parts for FieldProblem, in the order
// Address1, Address2, Town, County, Postcode, Country, after the attribute
// name at index 6.
type addressParts [7]string

func namesForAddress(attribute string) addressParts {
	return addressParts{
		attribute + ".address_1",
		attribute + ".address_2",
		attribute + ".town",
		attribute + ".county",
		attribute + ".postcode",
		attribute + ".country",
		attribute,
	}
}

var (
	streetAddressParts = namesForAddress("street_address")
	postalAddressParts = namesForAddress("postal_address")
)

// address reads an address object. Null and "" mean no address; parts the
// SDK does not know are ignored.
//
// The six parts share one allocation: their text is gathered in a buffer on
// the stack and copied once, and each part is a slice of that copy.
func (d *decoder) address(dst **Address, names *addressParts) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	*dst = nil
	switch t.kind {
	case kindNull:
		return nil
	case kindString:
		if len(d.textOf(t)) == 0 {
			return nil
		}
		return d.reject(t, names[6], reasonAddress)
	case kindObject:
	default:
		return d.reject(t, names[6], reasonAddress)
	}

	var spans [6]struct{ start, end int }
	var buf [256]byte
	text := buf[:0]
	empty, err := d.open('}')
	if err != nil {
		return err
	}

	for !empty {
		key, err := d.key()
		if err != nil {
			return err
		}

		part := addressPart(key)
		t, err := d.next()
		if err != nil {
			return err
		}
		switch {
		case part < 0:
			_, err = d.finish(t)
		case t.kind == kindString, t.kind == kindNumber:
			start := len(text)
			if t.kind == kindString {
				text = append(text, d.textOf(t)...)
			} else {
				text = append(text, d.data[t.start:t.end]...)
			}
			spans[part].start, spans[part].end = start, len(text)
		default:
			spans[part].start, spans[part].end = 0, 0
			if t.kind != kindNull {
				err = d.reject(t, names[part], reasonText)
			}
		}
		if err != nil {
			return err
		}

		more, err := d.more('}')
		if err != nil {
			return err
		}
		empty = !more
	}

	whole := string(text)
	*dst = &Address{
		Address1: whole[spans[0].start:spans[0].end],
		Address2: whole[spans[1].start:spans[1].end],
		Town:     whole[spans[2].start:spans[2].end],
		County:   whole[spans[3].start:spans[3].end],
		Postcode: whole[spans[4].start:spans[4].end],
		Country:  whole[spans[5].start:spans[5].end],
	}

	return nil
}

// addressPart returns the index of an address part in addressParts, or -1.
func addressPart(key []byte) int {
	switch string(key) {
	case "address_1":
		return 0
	case "address_2":
		return 1
	case "town":
		return 2
	case "county":
		return 3
	case "postcode":
		return 4
	case "country":
		return 5
	}

	return -1
}

// lonLat reads a position: [longitude, latitude] as numbers or numeric
// strings, or an object with lon (or lng) and lat.
func (d *decoder) lonLat(dst **LonLat, field string) error {
	t, err := d.next()
	if err != nil {
		return err
	}

	*dst = nil
	var pos LonLat
	ok := false
	switch t.kind {
	case kindNull:
		return nil
	case kindArray:
		ok, err = d.lonLatPair(&pos)
	case kindObject:
		ok, err = d.lonLatObject(&pos)
	}
	if err != nil {
		return err
	}
	if t.kind == kindArray || t.kind == kindObject {
		t.end = d.pos
	}

	switch {
	case !ok:
		return d.reject(t, field, reasonLonLat)
	case !pos.Valid():
		return d.reject(t, field, reasonLonLatRange)
	}
	*dst = &pos

	return nil
}

func (d *decoder) lonLatPair(pos *LonLat) (bool, error) {
	empty, err := d.open(']')
	if err != nil || empty {
		return false, err
	}

	var values [2]float64
	n := 0
	ok := true
	for {
		t, err := d.next()
		if err != nil {
			return false, err
		}
		if t, err = d.finish(t); err != nil {
			return false, err
		}

		v, good := d.degrees(t)
		if n < len(values) {
			values[n] = v
		}
		ok = ok && good
		n++

		more, err := d.more(']')
		if err != nil {
			return false, err
		}
		if !more {
			break
		}
	}
	pos.Lon, pos.Lat = values[0], values[1]

	return ok && n == 2, nil
}

func (d *decoder) lonLatObject(pos *LonLat) (bool, error) {
	empty, err := d.open('}')
	if err != nil || empty {
		return false, err
	}

	var haveLon, haveLat, ok = false, false, true
	for {
		key, err := d.key()
		if err != nil {
			return false, err
		}

		var dst *float64
		switch string(key) {
		case "lon", "lng":
			dst, haveLon = &pos.Lon, true
		case "lat":
			dst, haveLat = &pos.Lat, true
		}

		t, err := d.next()
		if err != nil {
			return false, err
		}
		if t, err = d.finish(t); err != nil {
			return false, err
		}
		if dst != nil {
			v, good := d.degrees(t)
			*dst = v
			ok = ok && good
		}

		more, err := d.more('}')
		if err != nil {
			return false, err
		}
		if !more {
			break
		}
	}

	return ok && haveLon && haveLat, nil
}

// degrees reads a coordinate written as a number or a numeric string.
func (d *decoder) degrees(t token) (float64, bool) {
	var b []byte
	switch t.kind {
	case kindNumber:
		b = d.data[t.start:t.end]
	case kindString:
		b = d.textOf(t)
		if !isNumber(b) {
			return 0, false
		}
	default:
		return 0, false
	}

	v, err := strconv.ParseFloat(string(b), 64)

	return v, err == nil
}
