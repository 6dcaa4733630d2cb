package carehq

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// plainServiceUser is the fairest shape encoding/json can decode a service
// user into while keeping what the SDK keeps: pointers where null must stay
// apart from false or 0, and dates and times left as strings, unparsed.
// Its fields are in CareHQ's (alphabetical) order, so that json.Marshal of it
// writes a page the way CareHQ does.
type plainServiceUser struct {
	ID                            string        `json:"_id"`
	AccountCode                   string        `json:"account_code"`
	Anonymized                    *string       `json:"anonymized"`
	AssistanceWithDressing        *bool         `json:"assistance_with_dressing"`
	AssistanceWithEating          *bool         `json:"assistance_with_eating"`
	AssistanceWithMedication      *bool         `json:"assistance_with_medication"`
	AssistanceWithPersonalCare    *bool         `json:"assistance_with_personal_care"`
	BillSelfForExpenses           *bool         `json:"bill_self_for_expenses"`
	BillingCommsPreference        string        `json:"billing_comms_preference"`
	BillingEnabled                *bool         `json:"billing_enabled"`
	BroadcareNumber               string        `json:"broadcare_number"`
	Created                       *string       `json:"created"`
	DayCareDeactivated            *string       `json:"day_care_deactivated"`
	DayCareLeavingNotes           string        `json:"day_care_leaving_notes"`
	DayCareReasonForLeaving       string        `json:"day_care_reason_for_leaving"`
	DayCareStatus                 string        `json:"day_care_status"`
	DayCareUse                    string        `json:"day_care_use"`
	Deactivated                   *string       `json:"deactivated"`
	Dementia                      *bool         `json:"dementia"`
	DementiaChallengingBehaviour  *bool         `json:"dementia_challenging_behaviour"`
	DementiaProneToWander         *bool         `json:"dementia_prone_to_wander"`
	DOB                           *string       `json:"dob"`
	EmailInvoicesTo               []string      `json:"email_invoices_to"`
	EndOfLifeCare                 *bool         `json:"end_of_life_care"`
	FirstName                     string        `json:"first_name"`
	FNCApplicationDate            *string       `json:"fnc_application_date"`
	FNCApplicationStatus          string        `json:"fnc_application_status"`
	FundingAtRisk                 *string       `json:"funding_at_risk"`
	FundingType                   string        `json:"funding_type"`
	FutureBillingDisabled         *bool         `json:"future_billing_disabled"`
	Genders                       []string      `json:"genders"`
	GendersOther                  string        `json:"genders_other"`
	GivenAge                      *int          `json:"given_age"`
	HasDirectDebitMandate         *bool         `json:"has_direct_debit_mandate"`
	InvoiceIDFields               []string      `json:"invoices_service_user_id_fields"`
	LargePrintRequestedForBilling *bool         `json:"large_print_requested_for_billing"`
	LastName                      string        `json:"last_name"`
	LeavingNotes                  string        `json:"leaving_notes"`
	Location                      string        `json:"location"`
	LocationContactForExpenses    string        `json:"location_contact_for_expenses"`
	LonLat                        []float64     `json:"lon_lat"`
	MinLedgerBalance              *int64        `json:"min_ledger_balance"`
	Mobile                        string        `json:"mobile"`
	MobilityBedBound              *bool         `json:"mobility_bed_bound"`
	MobilityCanWalkUnaided        *bool         `json:"mobility_can_walk_unaided"`
	MobilityRequiresAidOrHoist    *bool         `json:"mobility_requires_aid_or_hoist"`
	MobilityUsesStick             *bool         `json:"mobility_uses_stick"`
	MobilityUsesWheelchair        *bool         `json:"mobility_uses_wheelchair"`
	Modified                      *string       `json:"modified"`
	NationalInsuranceNumber       string        `json:"national_insurance_number"`
	NHSNumber                     string        `json:"nhs_number"`
	Notes                         string        `json:"notes"`
	PartnerInCareHome             string        `json:"partner_in_care_home"`
	PatientID                     string        `json:"patient_id"`
	PaymentMethod                 string        `json:"payment_method"`
	PostalAddress                 *plainAddress `json:"postal_address"`
	PreferredName                 string        `json:"preferred_name"`
	ReasonForLeaving              string        `json:"reason_for_leaving"`
	Ref                           string        `json:"ref"`
	RegisteredBlind               *bool         `json:"registered_blind"`
	Religions                     []string      `json:"religions"`
	ReligionsOther                string        `json:"religions_other"`
	SendBalanceAlert              *bool         `json:"send_balance_alert"`
	Service                       string        `json:"service"`
	ServiceUserContactForExpenses string        `json:"service_user_contact_for_expenses"`
	SourceCareEnquiry             string        `json:"source_care_enquiry"`
	StatementRef                  string        `json:"statement_ref"`
	Status                        string        `json:"status"`
	StreetAddress                 *plainAddress `json:"street_address"`
	Title                         string        `json:"title"`
	TransferredFrom               string        `json:"transferred_from"`
	VisuallyImpaired              *bool         `json:"visually_impaired"`
}

type plainAddress struct {
	Address1 string `json:"address_1"`
	Address2 string `json:"address_2"`
	Country  string `json:"country"`
	County   string `json:"county"`
	Postcode string `json:"postcode"`
	Town     string `json:"town"`
}

type plainPage struct {
	ItemCount int                `json:"item_count"`
	Items     []plainServiceUser `json:"items"`
	Page      int                `json:"page"`
	PageCount int                `json:"page_count"`
	PerPage   int                `json:"per_page"`
}

// benchPage returns, built once, a page of 100 service users with every
// attribute set, written as CareHQ writes a list response.
var benchPage = sync.OnceValue(func() []byte {
	rng := rand.New(rand.NewPCG(7, 11))
	page := plainPage{ItemCount: 1234, Page: 3, PageCount: 13, PerPage: 100}
	for i := range 100 {
		page.Items = append(page.Items, realisticServiceUser(rng, i))
	}

	b, err := json.Marshal(page)
	if err != nil {
		panic(err)
	}

	return b
})

var (
	benchFirstNames = []string{"Anna", "Barry", "Beth", "Brian", "Siân", "Zoë", "Ógie", "Carol"}
	benchLastNames  = []string{"Murphy", "O'Neill", "Taylor", "Bishop", "Ó Briain", "Watson"}
	benchTowns      = []string{"Leeds", "Harrogate", "York", "Ripon", "Wetherby"}
	benchReligions  = []string{"christian", "no_religion", "sikh"}
	benchNotes      = []string{
		"Anna is mobile but her legs feel heavy and she tends to shuffle and " +
			"furniture walk. She prefers not to use a frame but has one, and " +
			"needs help standing as it is an effort.\n\n",
		"Needs support with personal care and dressing in the morning; " +
			"prefers a shower to a bath. Likes tea with \"two sugars\" and " +
			"the radio on at breakfast.\n",
		"Mild vascular dementia diagnosed last year. Daughter visits weekly " +
			"and holds lasting power of attorney (health & welfare).\n",
		"Enjoys knitting, crosswords and listening to classical music; " +
			"attends the Thursday café club – favourite seat by the window.\n",
	}
)

func realisticServiceUser(rng *rand.Rand, i int) plainServiceUser {
	yes := func() *bool { v := rng.IntN(2) == 0; return &v }
	stamp := func(daysAgo int) *string {
		t := time.Date(2026, 3, 5, 20, 15, 51, 0, time.UTC).AddDate(0, 0, -daysAgo).
			Add(time.Duration(rng.IntN(86400)) * time.Second)
		s := t.Format("2006-01-02 15:04:05")
		return &s
	}
	day := func(year int) *string {
		s := fmt.Sprintf("%04d-%02d-%02d", year, 1+rng.IntN(12), 1+rng.IntN(28))
		return &s
	}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	id := func() string { return fmt.Sprintf("69a9e4%018x", rng.Uint64()>>8) }
	address := func() *plainAddress {
		return &plainAddress{
			Address1: fmt.Sprintf("%d", 1+rng.IntN(200)),
			Address2: pick([]string{"Harewood Road", "Station Lane", "Church Street"}),
			Country:  "United Kingdom",
			County:   "West Yorkshire",
			Postcode: fmt.Sprintf("LS%d %dAB", 1+rng.IntN(28), rng.IntN(10)),
			Town:     pick(benchTowns),
		}
	}
	age := 70 + rng.IntN(30)
	balance := int64(-rng.IntN(500000))

	var notes strings.Builder
	for range 1 {
		notes.WriteString(pick(benchNotes))
	}
	first, last := pick(benchFirstNames), pick(benchLastNames)

	return plainServiceUser{
		ID:                            id(),
		AccountCode:                   fmt.Sprintf("AM%04d", i),
		Anonymized:                    stamp(1),
		AssistanceWithDressing:        yes(),
		AssistanceWithEating:          yes(),
		AssistanceWithMedication:      yes(),
		AssistanceWithPersonalCare:    yes(),
		BillSelfForExpenses:           yes(),
		BillingCommsPreference:        pick([]string{"email", "post", "do_not_send"}),
		BillingEnabled:                yes(),
		BroadcareNumber:               fmt.Sprintf("48577%05d", rng.IntN(100000)),
		Created:                       stamp(400),
		DayCareDeactivated:            stamp(20),
		DayCareLeavingNotes:           "Moved to full-time residential care.",
		DayCareReasonForLeaving:       "Needs changed",
		DayCareStatus:                 pick([]string{"active", "inactive"}),
		DayCareUse:                    pick([]string{"exclusive", "inclusive", "not_used"}),
		Deactivated:                   stamp(10),
		Dementia:                      yes(),
		DementiaChallengingBehaviour:  yes(),
		DementiaProneToWander:         yes(),
		DOB:                           day(1925 + rng.IntN(30)),
		EmailInvoicesTo:               []string{"family.finance@example.co.uk", "poa@example.com"},
		EndOfLifeCare:                 yes(),
		FirstName:                     first,
		FNCApplicationDate:            day(2025),
		FNCApplicationStatus:          pick([]string{"applied_for", "granted", "declined"}),
		FundingAtRisk:                 stamp(30),
		FundingType:                   pick([]string{"private", "chc", "local_authority_top_up"}),
		FutureBillingDisabled:         yes(),
		Genders:                       []string{pick([]string{"female", "male", "non_binary"})},
		GendersOther:                  "",
		GivenAge:                      &age,
		HasDirectDebitMandate:         yes(),
		InvoiceIDFields:               []string{"full_name", "ref"},
		LargePrintRequestedForBilling: yes(),
		LastName:                      last,
		LeavingNotes:                  "Family to collect belongings.",
		Location:                      "69a9e47283e6ab081d8ecbca",
		LocationContactForExpenses:    id(),
		LonLat:                        []float64{-1.5 + rng.Float64()/10, 53.8 + rng.Float64()/10},
		MinLedgerBalance:              &balance,
		Mobile:                        fmt.Sprintf("0796981%04d", rng.IntN(10000)),
		MobilityBedBound:              yes(),
		MobilityCanWalkUnaided:        yes(),
		MobilityRequiresAidOrHoist:    yes(),
		MobilityUsesStick:             yes(),
		MobilityUsesWheelchair:        yes(),
		Modified:                      stamp(2),
		NationalInsuranceNumber:       fmt.Sprintf("QQ%06dB", rng.IntN(1000000)),
		NHSNumber:                     fmt.Sprintf("485 777 %04d", rng.IntN(10000)),
		Notes:                         notes.String(),
		PartnerInCareHome:             id(),
		PatientID:                     fmt.Sprintf("P-%05d", rng.IntN(100000)),
		PaymentMethod:                 pick([]string{"direct_debit", "standing_order", "bac"}),
		PostalAddress:                 address(),
		PreferredName:                 pick([]string{"Nan", "Maggie", "Bob", "Bea"}),
		ReasonForLeaving:              "Moved closer to family",
		Ref:                           fmt.Sprintf("%d", 300+i),
		RegisteredBlind:               yes(),
		Religions:                     []string{pick(benchReligions)},
		ReligionsOther:                "Quaker",
		SendBalanceAlert:              yes(),
		Service:                       pick([]string{"nursing_home", "residential_home"}),
		ServiceUserContactForExpenses: id(),
		SourceCareEnquiry:             id(),
		StatementRef:                  fmt.Sprintf("ST-%s-%d", last[:1], i),
		Status:                        pick([]string{"pending", "active", "inactive"}),
		StreetAddress:                 address(),
		Title:                         pick([]string{"Mr", "Mrs", "Miss", "Dr", "Rev"}),
		TransferredFrom:               id(),
		VisuallyImpaired:              yes(),
	}
}

func BenchmarkDecodePage(b *testing.B) {
	data := benchPage()

	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var page Page[ServiceUser]
			if err := decodeServiceUserPage(data, &page); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var page plainPage
			if err := json.Unmarshal(data, &page); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestBenchPageIsRealistic keeps the benchmark honest: the page must be of
// the intended size and decode with every attribute set and no problem.
func TestBenchPageIsRealistic(t *testing.T) {
	data := benchPage()
	if len(data) < 200_000 || len(data) > 300_000 {
		t.Fatalf("benchmark page is %d bytes, want 200 to 300 KB", len(data))
	}

	var page Page[ServiceUser]
	if err := decodeServiceUserPage(data, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 100 {
		t.Fatalf("got %d items, want 100", len(page.Items))
	}
	for i, su := range page.Items {
		if su.Problems != nil || su.Extra != nil {
			t.Fatalf("item %d: problems %v, extra %v", i, su.Problems, su.Extra)
		}
		if su.LonLat == nil || su.StreetAddress == nil || su.GivenAge == nil ||
			su.FundingAtRisk.IsZero() || su.DOB.IsZero() || !su.VisuallyImpaired.Known() {
			t.Fatalf("item %d is missing attributes", i)
		}
	}
}
