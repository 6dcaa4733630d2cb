package carehq

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden files in testdata are CareHQ's documented examples, unchanged.

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	require.True(t, json.Valid(b), "%s is not valid JSON", name)

	return b
}

func ptr[T any](v T) *T { return &v }

func utc(year int, month time.Month, day, hour, minute, second int) time.Time {
	return time.Date(year, month, day, hour, minute, second, 0, time.UTC)
}

func TestServiceUserHasOneFieldPerDocumentedAttribute(t *testing.T) {
	var example map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(readTestdata(t, "service_user_retrieve.json"), &example))

	var tags []string
	typ := reflect.TypeFor[ServiceUser]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name != "-" {
			tags = append(tags, name)
		}
	}
	slices.Sort(tags)

	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range example {
			if !yield(k) {
				return
			}
		}
	})
	assert.Len(t, keys, 72)
	assert.Equal(t, keys, tags)
}

func TestDecodeRetrieveExample(t *testing.T) {
	var got ServiceUser
	require.NoError(t, decodeServiceUser(readTestdata(t, "service_user_retrieve.json"), &got))

	// Every one of the 72 attributes, including those sent as null.
	want := ServiceUser{
		ID:                            "69a9e47783e6ab081d8eda64",
		AccountCode:                   "AM0404",
		Anonymized:                    time.Time{},
		AssistanceWithDressing:        FlagYes,
		AssistanceWithEating:          FlagYes,
		AssistanceWithMedication:      FlagNo,
		AssistanceWithPersonalCare:    FlagYes,
		BillSelfForExpenses:           FlagYes,
		BillingCommsPreference:        "",
		BillingEnabled:                FlagYes,
		BroadcareNumber:               "",
		Created:                       utc(2026, 3, 5, 20, 15, 51),
		DayCareDeactivated:            time.Time{},
		DayCareLeavingNotes:           "",
		DayCareReasonForLeaving:       "",
		DayCareStatus:                 DayCareStatusInactive,
		DayCareUse:                    DayCareUseNotUsed,
		Deactivated:                   time.Time{},
		Dementia:                      FlagNo,
		DementiaChallengingBehaviour:  FlagUnknown,
		DementiaProneToWander:         FlagUnknown,
		DOB:                           Date{},
		EmailInvoicesTo:               nil,
		EndOfLifeCare:                 FlagNo,
		FirstName:                     "Anna",
		FNCApplicationDate:            Date{},
		FNCApplicationStatus:          "",
		FundingAtRisk:                 time.Time{},
		FundingType:                   FundingTypeCHC,
		FutureBillingDisabled:         FlagUnknown,
		Genders:                       []Gender{GenderFemale},
		GendersOther:                  "",
		GivenAge:                      ptr(100),
		HasDirectDebitMandate:         FlagUnknown,
		InvoiceIDFields:               nil,
		LargePrintRequestedForBilling: FlagUnknown,
		LastName:                      "Murphy",
		LeavingNotes:                  "",
		Location:                      "69a9e47283e6ab081d8ecbca",
		LocationContactForExpenses:    "",
		LonLat:                        nil,
		MinLedgerBalance:              nil,
		Mobile:                        "",
		MobilityBedBound:              FlagUnknown,
		MobilityCanWalkUnaided:        FlagYes,
		MobilityRequiresAidOrHoist:    FlagUnknown,
		MobilityUsesStick:             FlagUnknown,
		MobilityUsesWheelchair:        FlagUnknown,
		Modified:                      utc(2026, 3, 5, 20, 15, 51),
		NationalInsuranceNumber:       "",
		NHSNumber:                     "",
		Notes: "Anna is mobile but her legs feel heavy and she tends to shuffle/furniture" +
			" walk. Anna prefers not to use a frame but does have one and she will need" +
			" help standing as it is an effort.\n\nAnna needs support with personal care" +
			" and dressing.",
		PartnerInCareHome:             "",
		PatientID:                     "",
		PaymentMethod:                 PaymentMethodCash,
		PostalAddress:                 nil,
		PreferredName:                 "",
		ReasonForLeaving:              "",
		Ref:                           "404",
		RegisteredBlind:               FlagUnknown,
		Religions:                     []Religion{ReligionJewish},
		ReligionsOther:                "",
		SendBalanceAlert:              FlagUnknown,
		Service:                       ServiceNursingHome,
		ServiceUserContactForExpenses: "",
		SourceCareEnquiry:             "",
		StatementRef:                  "",
		Status:                        ServiceUserStatusActive,
		StreetAddress:                 &Address{},
		Title:                         "",
		TransferredFrom:               "",
		VisuallyImpaired:              FlagNo,
		Problems:                      nil,
		Extra:                         nil,
	}
	assert.Equal(t, want, got)
}

func TestDecodeCreateExample(t *testing.T) {
	var got ServiceUser
	require.NoError(t, decodeServiceUser(readTestdata(t, "service_user_create.json"), &got))

	// The create response carries 41 attributes; the rest stay zero.
	want := ServiceUser{
		ID:                           "69a9e48f9c07865d03f62a4f",
		AccountCode:                  "MT123",
		AssistanceWithDressing:       FlagYes,
		AssistanceWithEating:         FlagNo,
		AssistanceWithMedication:     FlagYes,
		AssistanceWithPersonalCare:   FlagYes,
		BroadcareNumber:              "4857773456",
		Created:                      utc(2026, 3, 5, 20, 16, 15),
		DayCareStatus:                DayCareStatusInactive,
		DayCareUse:                   DayCareUseNotUsed,
		Dementia:                     FlagYes,
		DementiaChallengingBehaviour: FlagYes,
		DementiaProneToWander:        FlagNo,
		DOB:                          NewDate(1946, time.March, 25),
		EndOfLifeCare:                FlagUnknown, // sent as ""
		FirstName:                    "Margaret",
		FNCApplicationDate:           NewDate(2026, time.February, 17),
		FNCApplicationStatus:         FNCApplicationStatusAppliedFor,
		FundingType:                  FundingTypePrivate,
		Genders:                      []Gender{GenderFemale},
		GendersOther:                 "",
		GivenAge:                     nil,
		LastName:                     "Thompson",
		Location:                     "69a9e47283e6ab081d8ecbca",
		Mobile:                       "07969813976",
		MobilityCanWalkUnaided:       FlagNo,
		Modified:                     utc(2026, 3, 5, 20, 16, 15),
		NationalInsuranceNumber:      "QQ123456B",
		NHSNumber:                    "485 777 3456",
		Notes: "Requires support with morning and evening routines. Mild vascular" +
			" dementia diagnosed in the last year. Daughter visits weekly. Enjoys" +
			" knitting and listening to classical music.",
		PatientID:        "",
		PreferredName:    "Maggie",
		Ref:              "123",
		RegisteredBlind:  FlagNo,
		Religions:        []Religion{ReligionChristian},
		ReligionsOther:   "",
		Service:          ServiceNursingHome,
		Status:           ServiceUserStatusPending,
		StreetAddress:    &Address{},
		Title:            "Mrs",
		VisuallyImpaired: FlagYes,
	}
	assert.Equal(t, want, got)
	assert.Nil(t, got.Problems, "the create response decodes without problems")
	assert.Nil(t, got.Extra, "dob_str and fnc_application_date_str are known names")
}

func TestDecodeListExample(t *testing.T) {
	var page Page[ServiceUser]
	require.NoError(t, decodeServiceUserPage(readTestdata(t, "service_users_list.json"), &page))

	assert.Equal(t, 62, page.ItemCount)
	assert.Equal(t, 1, page.Page)
	assert.Equal(t, 7, page.PageCount)
	assert.Equal(t, 10, page.PerPage)

	want := []struct{ id, first, last, ref string }{
		{"69a9e47783e6ab081d8eda64", "Anna", "Murphy", "404"},
		{"69a9e47783e6ab081d8eda4e", "Barry", "Taylor", "398"},
		{"69a9e47783e6ab081d8eda1c", "Beth", "Bishop", "385"},
		{"69a9e47783e6ab081d8edb08", "Brian", "Shaw", "455"},
		{"69a9e47783e6ab081d8eda4a", "Bruce", "Bruce", "397"},
		{"69a9e47783e6ab081d8edabc", "Carol", "Watson", "430"},
		{"69a9e47783e6ab081d8eda86", "Carol", "Wilson", "413"},
		{"69a9e47783e6ab081d8eda3c", "Carolyn", "Moss", "393"},
		{"69a9e47783e6ab081d8eda18", "Charlene", "Evans", "384"},
		{"69a9e47783e6ab081d8eda46", "Damien", "Ali", "396"},
	}
	require.Len(t, page.Items, len(want))
	for i, w := range want {
		assert.Equal(t, ServiceUser{ID: w.id, FirstName: w.first, LastName: w.last, Ref: w.ref},
			page.Items[i], "item %d", i)
	}
}

func TestJSONUnmarshalUsesTheLenientDecoder(t *testing.T) {
	var wrapper struct {
		ServiceUser *ServiceUser `json:"service_user"`
		Missing     ServiceUser  `json:"missing"`
	}
	body := `{"service_user": {"_id": "x1", "dementia": "yes", "given_age": "x"},
		"missing": null}`
	require.NoError(t, json.Unmarshal([]byte(body), &wrapper))

	require.NotNil(t, wrapper.ServiceUser)
	assert.Equal(t, "x1", wrapper.ServiceUser.ID)
	assert.Equal(t, FlagYes, wrapper.ServiceUser.Dementia)
	assert.Equal(t, []FieldProblem{{Field: "given_age", Value: json.RawMessage(`"x"`),
		Reason: reasonWhole}}, wrapper.ServiceUser.Problems)
	assert.Equal(t, ServiceUser{}, wrapper.Missing)
}

func TestMarshalWritesCareHQNames(t *testing.T) {
	var su ServiceUser
	require.NoError(t, decodeServiceUser(readTestdata(t, "service_user_create.json"), &su))

	b, err := json.Marshal(su)
	require.NoError(t, err)

	var written map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &written))
	assert.JSONEq(t, `"1946-03-25"`, string(written["dob"]))
	assert.JSONEq(t, `"2026-03-05T20:16:15Z"`, string(written["created"]))
	assert.JSONEq(t, `true`, string(written["dementia"]))
	assert.JSONEq(t, `false`, string(written["registered_blind"]))
	assert.NotContains(t, written, "end_of_life_care", "an unknown flag is left out")
	assert.NotContains(t, written, "given_age", "a nil pointer is left out")
	assert.JSONEq(t, `{"address_1": "", "address_2": "", "town": "", "county": "",
		"postcode": "", "country": ""}`, string(written["street_address"]))

	var again ServiceUser
	require.NoError(t, decodeServiceUser(b, &again))
	assert.Equal(t, su, again)
}
