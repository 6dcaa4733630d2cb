package carehq

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests compare the hand-written decoder with encoding/json on many
// generated inputs. The generator is seeded, so a failure repeats.

// randomServiceUser fills every attribute, each one null (zero) about one
// time in five, with text that exercises escaping and Unicode.
type userGenerator struct{ rng *rand.Rand }

func (g userGenerator) sometimes() bool { return g.rng.IntN(5) != 0 }

// Pieces that random text is made of: plain words, characters JSON must
// escape, characters json.Marshal escapes for HTML, and multi-byte runes up
// to ones that need a surrogate pair in a \u escape.
var textPieces = []string{
	"Anna", "Murphy", " ", "O'Neill", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
	"\x00", "\x1f", "\x7f", "<", ">", "&", "\u2028", "\u2029", "é", "Siân", "Zoë",
	"–", "€", "\uFFFD", "\U0001F600", "\U0001F3F4\U000E0067\U000E0062", "日本",
}

func (g userGenerator) text() string {
	if !g.sometimes() {
		return ""
	}

	var b strings.Builder
	for range g.rng.IntN(8) + 1 {
		b.WriteString(textPieces[g.rng.IntN(len(textPieces))])
	}

	return b.String()
}

func (g userGenerator) flag() Flag { return Flag(g.rng.IntN(3)) }

func (g userGenerator) date() Date {
	if !g.sometimes() {
		return Date{}
	}
	month := time.Month(1 + g.rng.IntN(12))
	year := g.rng.IntN(10000)

	return NewDate(year, month, 1+g.rng.IntN(daysIn(month, year)))
}

func (g userGenerator) moment() time.Time {
	if !g.sometimes() {
		return time.Time{}
	}
	t := time.Unix(g.rng.Int64N(253402300800), 0).UTC() // 1970 to 9999
	if g.rng.IntN(2) == 0 {
		t = t.Add(time.Duration(g.rng.IntN(1e9)))
	}

	return t
}

func pickEnum[E ~string](g userGenerator, known []E) E {
	switch g.rng.IntN(5) {
	case 0:
		return ""
	case 1:
		return E(g.text()) // undocumented, possibly odd
	}

	return known[g.rng.IntN(len(known))]
}

func pickList[E ~string](g userGenerator, known []E) []E {
	switch g.rng.IntN(5) {
	case 0:
		return nil
	case 1:
		return []E{}
	}

	list := make([]E, 1+g.rng.IntN(3))
	for i := range list {
		list[i] = pickEnum(g, known)
	}

	return list
}

func (g userGenerator) address() *Address {
	if !g.sometimes() {
		return nil
	}

	return &Address{g.text(), g.text(), g.text(), g.text(), g.text(), g.text()}
}

func (g userGenerator) serviceUser() ServiceUser {
	var age *int
	if g.sometimes() {
		age = ptr(g.rng.IntN(130) - 10)
	}
	var balance *int64
	if g.sometimes() {
		choices := []int64{0, math.MaxInt64, math.MinInt64, g.rng.Int64() - g.rng.Int64()}
		balance = ptr(choices[g.rng.IntN(len(choices))])
	}
	var position *LonLat
	if g.sometimes() {
		position = &LonLat{Lon: g.rng.Float64()*360 - 180, Lat: g.rng.Float64()*180 - 90}
	}

	return ServiceUser{
		ID: g.text(), Ref: g.text(), AccountCode: g.text(), BroadcareNumber: g.text(),
		PatientID: g.text(), NHSNumber: g.text(), NationalInsuranceNumber: g.text(),
		Location: g.text(), Status: pickEnum(g, knownServiceUserStatuses),
		Service: pickEnum(g, knownServices), Created: g.moment(), Modified: g.moment(),
		Deactivated: g.moment(), Anonymized: g.moment(), ReasonForLeaving: g.text(),
		LeavingNotes: g.text(), TransferredFrom: g.text(), SourceCareEnquiry: g.text(),
		PartnerInCareHome: g.text(), Title: g.text(), FirstName: g.text(),
		LastName: g.text(), PreferredName: g.text(), DOB: g.date(), GivenAge: age,
		Genders: pickList(g, knownGenders), GendersOther: g.text(),
		Religions: pickList(g, knownReligions), ReligionsOther: g.text(),
		Mobile: g.text(), StreetAddress: g.address(), PostalAddress: g.address(),
		LonLat: position, Notes: g.text(),
		AssistanceWithDressing: g.flag(), AssistanceWithEating: g.flag(),
		AssistanceWithMedication: g.flag(), AssistanceWithPersonalCare: g.flag(),
		Dementia: g.flag(), DementiaChallengingBehaviour: g.flag(),
		DementiaProneToWander: g.flag(), EndOfLifeCare: g.flag(),
		MobilityBedBound: g.flag(), MobilityCanWalkUnaided: g.flag(),
		MobilityRequiresAidOrHoist: g.flag(), MobilityUsesStick: g.flag(),
		MobilityUsesWheelchair: g.flag(), RegisteredBlind: g.flag(),
		VisuallyImpaired: g.flag(), DayCareStatus: pickEnum(g, knownDayCareStatuses),
		DayCareUse: pickEnum(g, knownDayCareUses), DayCareDeactivated: g.moment(),
		DayCareReasonForLeaving: g.text(), DayCareLeavingNotes: g.text(),
		FundingType: pickEnum(g, knownFundingTypes), FundingAtRisk: g.moment(),
		FNCApplicationStatus: pickEnum(g, knownFNCApplicationStatuses),
		FNCApplicationDate:   g.date(), BillingEnabled: g.flag(),
		FutureBillingDisabled:         g.flag(),
		BillingCommsPreference:        pickEnum(g, knownBillingCommsPreferences),
		LargePrintRequestedForBilling: g.flag(),
		EmailInvoicesTo:               pickList[string](g, []string{"a@example.com"}),
		PaymentMethod:                 pickEnum(g, knownPaymentMethods),
		HasDirectDebitMandate:         g.flag(), StatementRef: g.text(),
		InvoiceIDFields:     pickList(g, knownInvoiceServiceUserIDFields),
		BillSelfForExpenses: g.flag(), LocationContactForExpenses: g.text(),
		ServiceUserContactForExpenses: g.text(), MinLedgerBalance: balance,
		SendBalanceAlert: g.flag(),
	}
}

func TestDecodeReadsBackWhatMarshalWrites(t *testing.T) {
	g := userGenerator{rand.New(rand.NewPCG(1, 2))}
	for i := range 2000 {
		want := g.serviceUser()
		b, err := json.Marshal(want)
		require.NoError(t, err)

		var got ServiceUser
		require.NoError(t, decodeServiceUser(b, &got), "record %d", i)
		if !assert.Equal(t, want, got, "record %d: %s", i, b) {
			return
		}
	}
}

func TestDecodePageReadsBackWhatMarshalWrites(t *testing.T) {
	g := userGenerator{rand.New(rand.NewPCG(3, 4))}
	for i := range 50 {
		want := Page[ServiceUser]{ItemCount: g.rng.IntN(1000), Page: g.rng.IntN(10),
			PageCount: g.rng.IntN(10), PerPage: g.rng.IntN(100)}
		for range g.rng.IntN(20) {
			want.Items = append(want.Items, g.serviceUser())
		}
		b, err := json.Marshal(want)
		require.NoError(t, err)

		var got Page[ServiceUser]
		require.NoError(t, decodeServiceUserPage(b, &got), "page %d", i)
		if !assert.Equal(t, want, got, "page %d", i) {
			return
		}
	}
}

// randomStringLiteral writes a JSON string literal from random pieces:
// escapes of every kind, valid and broken surrogate pairs, raw UTF-8 and
// bytes that are not UTF-8, and now and then a mistake that makes the
// literal malformed.
func randomStringLiteral(rng *rand.Rand) []byte {
	pieces := []string{
		"a", "Z", " ", "é", "日", "\U0001F600", `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
		`\r`, `\t`, `\u0041`, `\u00e9`, `\u2028`, `\uFFFD`, `\ud83d\ude00`, `\uD83D\uDE00`,
		`\ud83d`, `\ude00`, `\ud83d\u0041`, `\ud83d\ud83d`, `\udbff\udfff`, `\u0000`,
		"\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x7f",
	}
	broken := []string{`\x`, `\u12`, `\uZZZZ`, "\x01", "\n", `\`}

	b := []byte{'"'}
	for range rng.IntN(12) {
		if rng.IntN(40) == 0 {
			b = append(b, broken[rng.IntN(len(broken))]...)
			continue
		}
		b = append(b, pieces[rng.IntN(len(pieces))]...)
	}

	return append(b, '"')
}

func TestDecodeStringsLikeEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		literal := randomStringLiteral(rng)
		doc := append(append([]byte(`{"notes":`), literal...), '}')

		var want string
		wantErr := json.Unmarshal(literal, &want)

		var su ServiceUser
		err := decodeServiceUser(doc, &su)
		if wantErr != nil {
			require.Error(t, err, "literal %q", literal)
			continue
		}
		require.NoError(t, err, "literal %q", literal)
		require.Equal(t, want, su.Notes, "literal %q", literal)
		require.True(t, utf8.ValidString(su.Notes))
	}
}
