package carehqtest

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// seeder makes realistic service users from a seeded random source, so
// that the same seed and clock give the same records. Its contact details
// are plainly fake: NHS numbers start 999, National Insurance numbers start
// QQ (a prefix never issued), mobiles are in Ofcom's 07700 900xxx drama
// range and emails are at the example domains.
type seeder struct {
	mu   sync.Mutex
	rand *rand.Rand
}

func newSeeder(seed uint64) *seeder {
	return &seeder{rand: rand.New(rand.NewPCG(seed, 0x5eed))}
}

// SeedServiceUsers adds n service users with varied, realistic, made-up
// details (UK names and addresses, statuses, services, funding, flags that
// are true, false or null, notes), spread over the server's locations and
// created up to six years before the server's clock. The same seed (see
// WithSeed) and clock give the same records. 100,000 take about a second;
// the server answers no request meanwhile.
func (s *Server) SeedServiceUsers(n int) {
	if n <= 0 {
		return
	}
	now := s.now()
	locations := s.store.locationIDs()

	s.seeder.mu.Lock()
	defer s.seeder.mu.Unlock()
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	st.reserve(n)

	var previous *serviceUser
	for range n {
		u := s.seeder.serviceUser(st, now, locations)

		// About one resident in a hundred shares a room with a partner;
		// partners are seeded one after the other.
		if previous != nil && previous.values[atPartnerInCareHome] == nil &&
			s.seeder.chance(1) {
			u.values[atPartnerInCareHome] = previous.id()
			previous.values[atPartnerInCareHome] = u.id()
		}

		st.put(u)
		previous = u
	}
}

func (sd *seeder) chance(percent int) bool {
	return sd.rand.IntN(100) < percent
}

func (sd *seeder) pick(list []string) string {
	return list[sd.rand.IntN(len(list))]
}

func (sd *seeder) pickBoxed(list []any) any {
	return list[sd.rand.IntN(len(list))]
}

// weighted returns a value chosen by weight.
func (sd *seeder) weighted(choices []weighted) any {
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := sd.rand.IntN(total)
	for _, c := range choices {
		if n < c.weight {
			return c.value
		}
		n -= c.weight
	}

	return nil
}

// flag returns true, false or nil (unknown) with the given percentages
// for true and false.
func (sd *seeder) flag(truePercent, falsePercent int) any {
	n := sd.rand.IntN(100)
	switch {
	case n < truePercent:
		return true
	case n < truePercent+falsePercent:
		return false
	}

	return nil
}

// between returns a whole-second time from from up to to. It draws exactly
// one number whatever the span, so that the records after it do not depend
// on the clock's reading to the nanosecond (Int64N draws again for some
// spans).
func (sd *seeder) between(from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	offset, _ := bits.Mul64(sd.rand.Uint64(), uint64(span))

	return from.Add(time.Duration(offset)).Truncate(time.Second)
}

func (sd *seeder) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + sd.rand.IntN(10))
	}

	return string(b)
}

// nhsNumber returns a number with a valid check digit, written as CareHQ's
// example is: 999 123 4567.
func (sd *seeder) nhsNumber() string {
	for {
		d := "999" + sd.digits(6)
		sum := 0
		for i := range 9 {
			sum += int(d[i]-'0') * (10 - i)
		}
		check := (11 - sum%11) % 11
		if check == 10 {
			continue
		}
		d += strconv.Itoa(check)
		return d[:3] + " " + d[3:6] + " " + d[6:]
	}
}

func (sd *seeder) postcode(t town) string {
	return t.postcodeArea + strconv.Itoa(1+sd.rand.IntN(20)) + " " +
		strconv.Itoa(sd.rand.IntN(10)) +
		string(postcodeLetters[sd.rand.IntN(len(postcodeLetters))]) +
		string(postcodeLetters[sd.rand.IntN(len(postcodeLetters))])
}

func (sd *seeder) address(t town) address {
	a := address{
		Address1: strconv.Itoa(1 + sd.rand.IntN(140)),
		Address2: sd.pick(streetNames) + " " + sd.pick(streetKinds),
		Country:  "United Kingdom",
		County:   t.county,
		Postcode: sd.postcode(t),
		Town:     t.name,
	}
	if sd.chance(8) {
		a.Address1 = sd.pick(houseNames)
	}

	return a
}

func (sd *seeder) notes() string {
	n := 1 + sd.rand.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = sd.pick(noteSentences)
	}

	return strings.Join(parts, " ")
}

// emailFor returns a relative's address for invoices.
func (sd *seeder) emailFor(lastName string) string {
	first := sd.pick(femaleFirstNames)
	if sd.chance(50) {
		first = sd.pick(maleFirstNames)
	}
	last := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, strings.ToLower(lastName))

	return strings.ToLower(first) + "." + last + "@" + sd.pick(emailDomains)
}

// serviceUser makes one record, with its Id, ref and account code taken
// from st, whose lock the caller holds.
func (sd *seeder) serviceUser(st *store, now time.Time, locations []string) *serviceUser {
	u := &serviceUser{}
	v := &u.values

	created := sd.between(now.Add(-6*365*24*time.Hour), now)
	v[atID] = st.newID(created)
	v[atCreated] = formatDateTime(created)
	v[atModified] = formatDateTime(sd.between(created, now))
	v[atLocation] = sd.pick(locations)
	sd.identity(u, now)
	v[atRef] = st.nextRef()
	v[atAccountCode] = st.accountCodeFor(u)

	status := sd.weighted(statusWeights).(string)
	v[atStatus] = status
	service := sd.weighted(serviceWeights).(string)
	v[atService] = service
	sd.care(u, service)
	sd.billing(u)
	sd.contact(u, service)
	sd.dayCare(u, created, now)
	if status == "inactive" {
		sd.departure(u, created, now)
	}

	return u
}

// The attributes only seeding sets.
var (
	atAssistance = []int{
		mustAttribute("assistance_with_dressing"), mustAttribute("assistance_with_eating"),
		mustAttribute("assistance_with_medication"),
		mustAttribute("assistance_with_personal_care"),
	}
	atBillSelf            = mustAttribute("bill_self_for_expenses")
	atBillingEnabled      = mustAttribute("billing_enabled")
	atBroadcare           = mustAttribute("broadcare_number")
	atDayCareDeactivated  = mustAttribute("day_care_deactivated")
	atDayCareLeavingNotes = mustAttribute("day_care_leaving_notes")
	atDayCareReason       = mustAttribute("day_care_reason_for_leaving")
	atDeactivated         = mustAttribute("deactivated")
	atDementia            = mustAttribute("dementia")
	atDementiaChallenging = mustAttribute("dementia_challenging_behaviour")
	atDementiaWander      = mustAttribute("dementia_prone_to_wander")
	atEmailInvoicesTo     = mustAttribute("email_invoices_to")
	atFundingAtRisk       = mustAttribute("funding_at_risk")
	atFundingType         = mustAttribute("funding_type")
	atFutureBilling       = mustAttribute("future_billing_disabled")
	atGenders             = mustAttribute("genders")
	atGendersOther        = mustAttribute("genders_other")
	atDirectDebit         = mustAttribute("has_direct_debit_mandate")
	atInvoiceIDFields     = mustAttribute("invoices_service_user_id_fields")
	atLargePrint          = mustAttribute("large_print_requested_for_billing")
	atLeavingNotes        = mustAttribute("leaving_notes")
	atLocationContact     = mustAttribute("location_contact_for_expenses")
	atLonLat              = mustAttribute("lon_lat")
	atMobile              = mustAttribute("mobile")
	atBedBound            = mustAttribute("mobility_bed_bound")
	atWalksUnaided        = mustAttribute("mobility_can_walk_unaided")
	atHoist               = mustAttribute("mobility_requires_aid_or_hoist")
	atStick               = mustAttribute("mobility_uses_stick")
	atWheelchair          = mustAttribute("mobility_uses_wheelchair")
	atNINumber            = mustAttribute("national_insurance_number")
	atNHSNumber           = mustAttribute("nhs_number")
	atNotes               = mustAttribute("notes")
	atPatientID           = mustAttribute("patient_id")
	atPaymentMethod       = mustAttribute("payment_method")
	atPostalAddress       = mustAttribute("postal_address")
	atPreferredName       = mustAttribute("preferred_name")
	atReasonForLeaving    = mustAttribute("reason_for_leaving")
	atRegisteredBlind     = mustAttribute("registered_blind")
	atReligions           = mustAttribute("religions")
	atReligionsOther      = mustAttribute("religions_other")
	atSendBalanceAlert    = mustAttribute("send_balance_alert")
	atContactForExpenses  = mustAttribute("service_user_contact_for_expenses")
	atSourceCareEnquiry   = mustAttribute("source_care_enquiry")
	atStatementRef        = mustAttribute("statement_ref")
	atTitle               = mustAttribute("title")
	atTransferredFrom     = mustAttribute("transferred_from")
	atVisuallyImpaired    = mustAttribute("visually_impaired")

	atMobility = []int{atWalksUnaided, atStick, atWheelchair, atBedBound, atHoist}

	// atPersonal are the attributes anonymizing clears, besides the name.
	atPersonal = []int{
		atDOB, atNHSNumber, atNINumber, atMobile, atNotes, atEmailInvoicesTo,
		atPreferredName, atPostalAddress, atLonLat,
	}
)

// identity sets the name, gender, title, age and religion.
func (sd *seeder) identity(u *serviceUser, now time.Time) {
	v := &u.values
	var titles []weighted
	switch n := sd.rand.IntN(100); {
	case n < 62:
		v[atFirstName], titles = sd.pickBoxed(boxedFemaleFirstNames), femaleTitleWeights
		v[atGenders] = genderLists["female"]
	case n < 97:
		v[atFirstName], titles = sd.pickBoxed(boxedMaleFirstNames), maleTitleWeights
		v[atGenders] = genderLists["male"]
	case n < 99:
		v[atFirstName], titles = sd.pickBoxed(boxedNeutralFirstNames), otherTitleWeights
		v[atGenders] = genderLists["non_binary"]
		if sd.chance(40) {
			v[atGendersOther] = sd.pickBoxed(boxedGendersOther)
		}
	default:
		v[atFirstName], titles = sd.pickBoxed(boxedNeutralFirstNames), otherTitleWeights
	}
	v[atLastName] = sd.pickBoxed(boxedLastNames)
	if title := sd.weighted(titles); title != nil {
		v[atTitle] = title
	} else if sd.chance(50) {
		v[atTitle] = boxedEmpty
	}
	if nick, ok := nicknames[u.text(atFirstName)]; ok && sd.chance(40) {
		v[atPreferredName] = nick
	}

	if sd.chance(88) {
		age := 58 + sd.rand.IntN(45)
		v[atDOB] = formatDate(now.AddDate(-age, 0, -sd.rand.IntN(365)))
	} else {
		v[atGivenAge] = 65 + sd.rand.IntN(36)
	}

	if religion := sd.weighted(religionWeights); religion != nil {
		v[atReligions] = religionLists[religion]
	}
	if sd.chance(3) {
		v[atReligionsOther] = sd.pickBoxed(boxedReligionsOther)
	}
}

// care sets the care needs: assistance, dementia, mobility, sight, FNC.
func (sd *seeder) care(u *serviceUser, service string) {
	v := &u.values
	for _, at := range atAssistance {
		v[at] = sd.flag(45, 40)
	}
	v[atDementia] = sd.flag(40, 45)
	if v[atDementia] == true {
		v[atDementiaChallenging] = sd.flag(25, 60)
		v[atDementiaWander] = sd.flag(30, 55)
	}
	v[atEndOfLifeCare] = sd.flag(6, 70)
	v[atRegisteredBlind] = sd.flag(3, 70)
	v[atVisuallyImpaired] = sd.flag(12, 60)

	switch n := sd.rand.IntN(100); {
	case n < 15:
		// Nobody has assessed mobility yet: every flag stays null.
	default:
		for _, at := range atMobility {
			v[at] = false
		}
		switch {
		case n < 45:
			v[atWalksUnaided] = true
		case n < 65:
			v[atStick] = true
		case n < 90:
			v[atWheelchair] = true
		default:
			v[atBedBound], v[atHoist] = true, true
		}
	}

	if service == "nursing_home" {
		status := sd.weighted(fncStatusWeights)
		v[atFNCStatus] = status
		if status == "applied_for" {
			v[atFNCDate] = u.text(atCreated)[:10]
		}
	}
	if sd.chance(75) {
		v[atNotes] = sd.notes()
	}
}

// billing sets funding, payment and invoicing.
func (sd *seeder) billing(u *serviceUser) {
	v := &u.values
	v[atFundingType] = sd.weighted(fundingTypeWeights)
	v[atBillingEnabled] = sd.flag(80, 10)
	v[atBillSelf] = sd.flag(30, 50)
	v[atBillingCommsPref] = sd.weighted(billingCommsWeights)
	v[atPaymentMethod] = sd.weighted(paymentMethodWeights)
	v[atDirectDebit] = sd.flag(0, 60)
	if v[atPaymentMethod] == "direct_debit" {
		v[atDirectDebit] = true
	}
	v[atFutureBilling] = sd.flag(4, 60)
	v[atLargePrint] = sd.flag(6, 60)
	v[atSendBalanceAlert] = sd.flag(15, 50)
	if sd.chance(10) {
		v[atMinLedgerBalance] = sd.pickBoxed(minLedgerBalances)
	}
	if sd.chance(35) {
		v[atEmailInvoicesTo] = []string{sd.emailFor(u.text(atLastName))}
		if sd.chance(20) {
			v[atEmailInvoicesTo] = append(v[atEmailInvoicesTo].([]string),
				sd.emailFor(u.text(atLastName)))
		}
	}
	if sd.chance(25) {
		v[atInvoiceIDFields] = sd.pickBoxed(invoiceIDFieldLists)
	}
	if sd.chance(3) {
		v[atFundingAtRisk] = u.text(atModified)
	}
	if sd.chance(10) {
		v[atStatementRef] = "SU-" + u.text(atRef)
	}
	if sd.chance(20) {
		v[atBroadcare] = sd.digits(10)
	}
	if sd.chance(30) {
		v[atPatientID] = "P" + sd.digits(6)
	}
	if sd.chance(8) {
		v[atLocationContact] = sd.referenceID()
	}
	if v[atBillSelf] != true && sd.chance(15) {
		v[atContactForExpenses] = sd.referenceID()
	}
	if sd.chance(40) {
		v[atSourceCareEnquiry] = sd.referenceID()
	}
	if sd.chance(1) {
		v[atTransferredFrom] = sd.referenceID()
	}
}

// referenceID returns an Id of a record of another resource (a contact, a
// care enquiry), which this server does not hold.
func (sd *seeder) referenceID() string {
	const hexDigits = "0123456789abcdef"
	b := make([]byte, 24)
	for i := range b {
		b[i] = hexDigits[sd.rand.IntN(16)]
	}

	return string(b)
}

// contact sets the identifiers, phone and addresses.
func (sd *seeder) contact(u *serviceUser, service string) {
	v := &u.values
	if sd.chance(92) {
		v[atNHSNumber] = sd.nhsNumber()
	}
	if sd.chance(70) {
		v[atNINumber] = "QQ" + sd.digits(6) + string("ABCD"[sd.rand.IntN(4)])
	}
	if sd.chance(35) {
		v[atMobile] = "07700900" + sd.digits(3)
	}

	t := towns[sd.rand.IntN(len(towns))]
	home := service == "home_care" || service == "live_in_care"
	switch {
	case home || sd.chance(50):
		v[atStreetAddress] = sd.address(t)
	default:
		v[atStreetAddress] = address{}
	}
	if sd.chance(15) {
		v[atPostalAddress] = sd.address(towns[sd.rand.IntN(len(towns))])
	}
	if home || sd.chance(40) {
		v[atLonLat] = [2]float64{
			t.lon + (sd.rand.Float64()-0.5)*0.1,
			t.lat + (sd.rand.Float64()-0.5)*0.1,
		}
	}
}

// dayCare sets the use of day care, and its end for some who used it.
func (sd *seeder) dayCare(u *serviceUser, created, now time.Time) {
	v := &u.values
	use := sd.weighted(dayCareUseWeights)
	v[atDayCareUse] = use
	v[atDayCareStatus] = "inactive"
	if use == "not_used" {
		return
	}
	v[atDayCareStatus] = "active"
	if sd.chance(20) {
		v[atDayCareStatus] = "inactive"
		v[atDayCareDeactivated] = formatDateTime(sd.between(created, now))
		v[atDayCareReason] = sd.pickBoxed(boxedDayCareReasons)
		v[atDayCareLeavingNotes] = boxedEmpty
	}
}

// departure sets when and why an inactive service user left, and
// anonymizes some of those who left, as CareHQ does with old records.
func (sd *seeder) departure(u *serviceUser, created, now time.Time) {
	v := &u.values
	left := sd.between(created, now)
	v[atDeactivated] = formatDateTime(left)
	v[atReasonForLeaving] = sd.pickBoxed(boxedReasons)
	v[atLeavingNotes] = boxedEmpty
	if sd.chance(60) {
		v[atLeavingNotes] = sd.pickBoxed(boxedLeavingNotes)
	}

	if !sd.chance(30) {
		return
	}
	v[atAnonymized] = formatDateTime(sd.between(left, now))
	v[atFirstName] = "Anonymized"
	v[atLastName] = "Service User"
	for _, at := range atPersonal {
		v[at] = nil
	}
	v[atStreetAddress] = address{}
}
