package carehq

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeMessyRecord(t *testing.T) {
	data := readTestdata(t, "service_user_messy.json")
	var got ServiceUser
	require.NoError(t, decodeServiceUser(data, &got))

	want := ServiceUser{
		ID:                            "69a9e47783e6ab081d8eda99",
		AccountCode:                   "ZZ001",     // \u escapes
		Anonymized:                    time.Time{}, // ""
		AssistanceWithDressing:        FlagYes,     // "yes"
		AssistanceWithEating:          FlagNo,      // "NO"
		AssistanceWithMedication:      FlagYes,     // "True"
		AssistanceWithPersonalCare:    FlagNo,      // "false"
		BillSelfForExpenses:           FlagYes,     // 1
		BillingCommsPreference:        BillingCommsPreferenceDoNotSend,
		BillingEnabled:                FlagNo,                      // 0
		BroadcareNumber:               "4857773456",                // a number
		Created:                       utc(2026, 3, 5, 19, 15, 51), // +01:00
		DayCareDeactivated:            time.Time{},                 // problem
		DayCareLeavingNotes:           "",                          // null
		DayCareReasonForLeaving:       "",                          // problem
		DayCareStatus:                 "suspended",                 // undocumented
		DayCareUse:                    "",                          // null
		Deactivated:                   utc(2026, 3, 6, 0, 0, 0),    // a bare date
		Dementia:                      FlagYes,                     // "1"
		DementiaChallengingBehaviour:  FlagNo,                      // "0"
		DementiaProneToWander:         FlagUnknown,                 // ""
		DOB:                           NewDate(1946, time.March, 25),
		EmailInvoicesTo:               []string{"family@example.com"},
		EndOfLifeCare:                 FlagUnknown, // problem
		FirstName:                     "Anna",      // the last of two
		FNCApplicationDate:            Date{},      // problem
		FNCApplicationStatus:          FNCApplicationStatusGranted,
		FundingAtRisk:                 time.Time{},      // problem
		FundingType:                   "council_funded", // undocumented
		FutureBillingDisabled:         FlagUnknown,      // null
		Genders:                       []Gender{GenderFemale},
		GendersOther:                  "agender, two-spirit",
		GivenAge:                      ptr(87),
		HasDirectDebitMandate:         FlagUnknown, // problem
		InvoiceIDFields:               nil,         // problem
		LargePrintRequestedForBilling: FlagUnknown, // problem
		LastName:                      "O\u2019Neill \U0001F600 \uFFFD",
		LeavingNotes:                  "",
		Location:                      "69a9e47283e6ab081d8ecbca",
		LocationContactForExpenses:    "",
		LonLat:                        &LonLat{Lon: -1.5491, Lat: 53.8008},
		MinLedgerBalance:              ptr(int64(-1500)),
		Mobile:                        "", // problem
		MobilityBedBound:              FlagNo,
		MobilityCanWalkUnaided:        FlagYes,
		MobilityRequiresAidOrHoist:    FlagYes,
		MobilityUsesStick:             FlagNo,
		MobilityUsesWheelchair:        FlagYes,
		Modified:                      utc(2026, 3, 5, 20, 15, 51).Add(250 * time.Millisecond),
		NationalInsuranceNumber:       "QQ123456B",
		NHSNumber:                     "4857773456",
		Notes:                         "Line one\nLine two\t\"quoted\" \\ back/slash",
		PartnerInCareHome:             "",
		PatientID:                     "", // problem
		PaymentMethod:                 "", // problem
		PostalAddress:                 nil,
		PreferredName:                 "Nan", // a list first, then text
		ReasonForLeaving:              "",
		Ref:                           "404",
		RegisteredBlind:               FlagNo,
		Religions:                     []Religion{ReligionChristian, "pagan"},
		ReligionsOther:                "42",
		SendBalanceAlert:              FlagNo,
		Service:                       "respite_care",
		ServiceUserContactForExpenses: "",
		SourceCareEnquiry:             "69a9e47283e6ab081d8ec000",
		StatementRef:                  "",
		Status:                        ServiceUserStatusActive,
		StreetAddress: &Address{
			Address1: "12",
			Address2: "Harewood Road",
			Town:     "Leeds",
			County:   "",
			Postcode: "12345",
			Country:  "", // problem
		},
		Title:            "Mrs",
		TransferredFrom:  "",
		VisuallyImpaired: FlagNo,
	}

	problems := got.Problems
	extra := got.Extra
	got.Problems, got.Extra = nil, nil
	assert.Equal(t, want, got)

	assert.False(t, got.DayCareStatus.Known())
	assert.False(t, got.FundingType.Known())
	assert.False(t, got.Service.Known())
	assert.False(t, got.Religions[1].Known())
	assert.True(t, got.Religions[0].Known())

	wantProblems := []FieldProblem{
		{"day_care_deactivated", json.RawMessage(`"yesterday"`), reasonDateTime},
		{"day_care_reason_for_leaving", json.RawMessage(`["moved"]`), reasonText},
		{"end_of_life_care", json.RawMessage(`"maybe"`), reasonFlag},
		{"fnc_application_date", json.RawMessage(`"2026-02-30"`), reasonDate},
		{"funding_at_risk", json.RawMessage(`1772740551`), reasonDateTime},
		{"has_direct_debit_mandate", json.RawMessage(`2`), reasonFlag},
		{"invoices_service_user_id_fields", json.RawMessage(`["ref", 7]`), reasonList},
		{"large_print_requested_for_billing", json.RawMessage(`[]`), reasonFlag},
		{"mobile", json.RawMessage(`{"number": "07969813976"}`), reasonText},
		{"patient_id", json.RawMessage(`true`), reasonText},
		{"payment_method", json.RawMessage(`{"kind": "card"}`), reasonText},
		{"street_address.country", json.RawMessage(`true`), reasonText},
	}
	assert.Equal(t, wantProblems, problems)

	wantExtra := map[string]json.RawMessage{
		"billing_party_for_expenses": json.RawMessage(`"69a9e47283e6ab081d8ec111"`),
		"room":                       json.RawMessage(`{"_id": "r1", "name": "Rose"}`),
		"tags":                       json.RawMessage(`[1, "two", null]`),
	}
	assert.Equal(t, wantExtra, extra)

	// Problems and Extra hold copies: the caller may reuse its buffer.
	clear(data)
	assert.Equal(t, wantProblems, problems)
	assert.Equal(t, wantExtra, extra)
}

// decodeAttribute decodes a record holding one attribute with the given raw
// JSON value.
func decodeAttribute(t *testing.T, name, value string) ServiceUser {
	t.Helper()
	var su ServiceUser
	require.NoError(t, decodeServiceUser([]byte(`{"`+name+`": `+value+`}`), &su))

	return su
}

// assertProblem checks that su holds exactly one problem, for field, with
// the value as sent, or none when wantProblem is false.
func assertProblem(t *testing.T, su ServiceUser, field, value string, wantProblem bool) {
	t.Helper()
	if !wantProblem {
		assert.Nil(t, su.Problems)
		return
	}
	if assert.Len(t, su.Problems, 1) {
		assert.Equal(t, field, su.Problems[0].Field)
		assert.Equal(t, value, string(su.Problems[0].Value))
		assert.NotEmpty(t, su.Problems[0].Reason)
	}
}

func TestDecodeFlags(t *testing.T) {
	tests := []struct {
		name, value string
		want        Flag
		problem     bool
	}{
		{"true is yes", `true`, FlagYes, false},
		{"false is no", `false`, FlagNo, false},
		{"null stays unknown, not no", `null`, FlagUnknown, false},
		{"yes in any case", `"YeS"`, FlagYes, false},
		{"no in any case", `"nO"`, FlagNo, false},
		{"true as text", `"true"`, FlagYes, false},
		{"false as text in capitals", `"FALSE"`, FlagNo, false},
		{"1 as a number", `1`, FlagYes, false},
		{"0 as a number", `0`, FlagNo, false},
		{"1 as text", `"1"`, FlagYes, false},
		{"0 as text", `"0"`, FlagNo, false},
		{"empty text is unknown", `""`, FlagUnknown, false},
		{"escaped yes", `"\u0079es"`, FlagYes, false},
		{"other text is a problem", `"y"`, FlagUnknown, true},
		{"text with spaces is a problem", `" yes"`, FlagUnknown, true},
		{"another number is a problem", `2`, FlagUnknown, true},
		{"a fractional one is a problem", `1.0`, FlagUnknown, true},
		{"a list is a problem", `[true]`, FlagUnknown, true},
		{"an object is a problem", `{"value": true}`, FlagUnknown, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "dementia", tt.value)
			assert.Equal(t, tt.want, su.Dementia)
			assertProblem(t, su, "dementia", tt.value, tt.problem)
		})
	}
}

func TestDecodeWholeNumbers(t *testing.T) {
	tests := []struct {
		name, attribute, value string
		want                   *int64
		problem                bool
	}{
		{"a number", "given_age", `100`, ptr(int64(100)), false},
		{"a numeric string", "given_age", `"100"`, ptr(int64(100)), false},
		{"a zero fraction", "given_age", `100.0`, ptr(int64(100)), false},
		{"an exponent", "given_age", `1e2`, ptr(int64(100)), false},
		{"zero differs from nil", "min_ledger_balance", `0`, ptr(int64(0)), false},
		{"negative pence", "min_ledger_balance", `-250000`, ptr(int64(-250000)), false},
		{"the largest int64", "min_ledger_balance", `9223372036854775807`,
			ptr(int64(9223372036854775807)), false},
		{"the smallest int64", "min_ledger_balance", `-9223372036854775808`,
			ptr(int64(-9223372036854775808)), false},
		{"null is nil", "given_age", `null`, nil, false},
		{"empty text is nil", "min_ledger_balance", `""`, nil, false},
		{"a fraction is a problem", "given_age", `100.5`, nil, true},
		{"past int64 is a problem", "min_ledger_balance", `9223372036854775808`, nil, true},
		{"a huge exponent is a problem", "min_ledger_balance", `1e300`, nil, true},
		{"words are a problem", "given_age", `"ninety"`, nil, true},
		{"hex is a problem", "given_age", `"0x10"`, nil, true},
		{"padding is a problem", "given_age", `" 10"`, nil, true},
		{"a boolean is a problem", "given_age", `true`, nil, true},
		{"a list is a problem", "given_age", `[1]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, tt.attribute, tt.value)
			var got *int64
			if tt.attribute == "given_age" {
				if su.GivenAge != nil {
					got = ptr(int64(*su.GivenAge))
				}
			} else {
				got = su.MinLedgerBalance
			}
			assert.Equal(t, tt.want, got)
			assertProblem(t, su, tt.attribute, tt.value, tt.problem)
		})
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name, value, want string
		problem           bool
	}{
		{"text", `"Murphy"`, "Murphy", false},
		{"null is empty", `null`, "", false},
		{"a number keeps its digits", `404`, "404", false},
		{"a number keeps its form", `-1.50e3`, "-1.50e3", false},
		{"escapes", `"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t", false},
		{"a surrogate pair", `"\ud83d\ude00"`, "\U0001F600", false},
		{"a lone high surrogate", `"\ud83dx"`, "\uFFFDx", false},
		{"a lone low surrogate", `"\ude00"`, "\uFFFD", false},
		{"a high surrogate then a letter", `"\ud83d\u0041"`, "\uFFFDA", false},
		{"raw UTF-8", `"Siân Zoë"`, "Siân Zoë", false},
		{"invalid UTF-8", "\"a\xffb\"", "a\uFFFDb", false},
		{"true is a problem", `true`, "", true},
		{"an object is a problem", `{"a": 1}`, "", true},
		{"a list is a problem", `["a"]`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "last_name", tt.value)
			assert.Equal(t, tt.want, su.LastName)
			assertProblem(t, su, "last_name", tt.value, tt.problem)
		})
	}
}

func TestDecodeEnums(t *testing.T) {
	tests := []struct {
		name, value string
		want        FundingType
		known       bool
		problem     bool
	}{
		{"a documented value", `"local_authority_top_up"`, FundingTypeLocalAuthorityTopUp,
			true, false},
		{"an undocumented value is kept", `"council"`, "council", false, false},
		{"case matters", `"CHC"`, "CHC", false, false},
		{"null is empty", `null`, "", false, false},
		{"a number is kept as text", `5`, "5", false, false},
		{"a boolean is a problem", `false`, "", false, true},
		{"a list is a problem", `["chc"]`, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "funding_type", tt.value)
			assert.Equal(t, tt.want, su.FundingType)
			assert.Equal(t, tt.known, su.FundingType.Known())
			assertProblem(t, su, "funding_type", tt.value, tt.problem)
		})
	}
}

func TestDecodeDates(t *testing.T) {
	tests := []struct {
		name, value string
		want        Date
		problem     bool
	}{
		{"a date", `"1946-03-25"`, NewDate(1946, time.March, 25), false},
		{"a leap day", `"2024-02-29"`, NewDate(2024, time.February, 29), false},
		{"the date of a date and time", `"1946-03-25 10:30:00"`,
			NewDate(1946, time.March, 25), false},
		{"the date as written, not in UTC", `"1946-03-25T23:30:00-05:00"`,
			NewDate(1946, time.March, 25), false},
		{"empty text is no date", `""`, Date{}, false},
		{"null is no date", `null`, Date{}, false},
		{"an impossible day is a problem", `"2023-02-29"`, Date{}, true},
		{"another layout is a problem", `"25/03/1946"`, Date{}, true},
		{"trailing text is a problem", `"1946-03-25x"`, Date{}, true},
		{"a number is a problem", `19460325`, Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "dob", tt.value)
			assert.Equal(t, tt.want, su.DOB)
			assertProblem(t, su, "dob", tt.value, tt.problem)
		})
	}
}

func TestDecodeCreateResponseDateNames(t *testing.T) {
	su := decodeAttribute(t, "fnc_application_date_str", `"2026-02-17"`)
	assert.Equal(t, NewDate(2026, time.February, 17), su.FNCApplicationDate)

	su = decodeAttribute(t, "dob_str", `"not a date"`)
	assertProblem(t, su, "dob_str", `"not a date"`, true)
}

func TestDecodeTimes(t *testing.T) {
	tests := []struct {
		name, value string
		want        time.Time
		problem     bool
	}{
		{"CareHQ's form, read as UTC", `"2026-03-05 20:15:51"`,
			utc(2026, 3, 5, 20, 15, 51), false},
		{"RFC 3339 in UTC", `"2026-03-05T20:15:51Z"`, utc(2026, 3, 5, 20, 15, 51), false},
		{"lower-case t and z", `"2026-03-05t20:15:51z"`, utc(2026, 3, 5, 20, 15, 51), false},
		{"an offset converts to UTC", `"2026-03-05T20:15:51-05:30"`,
			utc(2026, 3, 6, 1, 45, 51), false},
		{"a fraction", `"2026-03-05 20:15:51.5"`,
			utc(2026, 3, 5, 20, 15, 51).Add(500 * time.Millisecond), false},
		{"nanoseconds", `"2026-03-05T20:15:51.123456789Z"`,
			utc(2026, 3, 5, 20, 15, 51).Add(123456789), false},
		{"digits past nanoseconds are dropped", `"2026-03-05T20:15:51.1234567899Z"`,
			utc(2026, 3, 5, 20, 15, 51).Add(123456789), false},
		{"a bare date is midnight UTC", `"2026-03-05"`, utc(2026, 3, 5, 0, 0, 0), false},
		{"empty text is zero", `""`, time.Time{}, false},
		{"null is zero", `null`, time.Time{}, false},
		{"an hour out of range is a problem", `"2026-03-05 24:00:00"`, time.Time{}, true},
		{"no seconds is a problem", `"2026-03-05 20:15"`, time.Time{}, true},
		{"an empty fraction is a problem", `"2026-03-05 20:15:51."`, time.Time{}, true},
		{"an offset without a colon is a problem", `"2026-03-05T20:15:51+0100"`,
			time.Time{}, true},
		{"a year before 0 in UTC is a problem", `"0000-01-01T00:00:00+01:00"`,
			time.Time{}, true},
		{"Unix seconds are a problem", `1772740551`, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "modified", tt.value)
			assert.Equal(t, tt.want, su.Modified)
			assertProblem(t, su, "modified", tt.value, tt.problem)
		})
	}
}

func TestDecodeLists(t *testing.T) {
	tests := []struct {
		name, value string
		want        []Gender
		problem     bool
	}{
		{"a list", `["female", "non_binary"]`, []Gender{GenderFemale, GenderNonBinary}, false},
		{"an undocumented item is kept", `["agender"]`, []Gender{"agender"}, false},
		{"one string is a list of one", `"male"`, []Gender{GenderMale}, false},
		{"empty text is no list", `""`, nil, false},
		{"null is no list", `null`, nil, false},
		{"an empty list stays empty", `[]`, []Gender{}, false},
		{"a null item is a problem", `["female", null]`, nil, true},
		{"a number item is a problem", `[1]`, nil, true},
		{"a nested list is a problem", `[["female"]]`, nil, true},
		{"an object is a problem", `{"0": "female"}`, nil, true},
		{"a boolean is a problem", `true`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "genders", tt.value)
			assert.Equal(t, tt.want, su.Genders)
			assertProblem(t, su, "genders", tt.value, tt.problem)
		})
	}
}

func TestDecodeOtherTerms(t *testing.T) {
	tests := []struct {
		name, value, want string
		problem           bool
	}{
		{"text", `"Quaker"`, "Quaker", false},
		{"empty text", `""`, "", false},
		{"a list is joined", `["Quaker", "Pagan"]`, "Quaker, Pagan", false},
		{"an empty list", `[]`, "", false},
		{"a list with a number is a problem", `["Quaker", 1]`, "", true},
		{"an object is a problem", `{}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "religions_other", tt.value)
			assert.Equal(t, tt.want, su.ReligionsOther)
			assertProblem(t, su, "religions_other", tt.value, tt.problem)
		})
	}
}

func TestDecodeAddresses(t *testing.T) {
	tests := []struct {
		name, value  string
		want         *Address
		problemField string
	}{
		{"all six parts", `{"address_1": "1", "address_2": "Mill Lane", "town": "Ripon",
			"county": "North Yorkshire", "postcode": "HG4 1AA", "country": "UK"}`,
			&Address{"1", "Mill Lane", "Ripon", "North Yorkshire", "HG4 1AA", "UK"}, ""},
		{"an empty object is an empty address", `{}`, &Address{}, ""},
		{"null is no address", `null`, nil, ""},
		{"empty text is no address", `""`, nil, ""},
		{"numbers become text", `{"address_1": 12}`, &Address{Address1: "12"}, ""},
		{"unknown parts are ignored", `{"town": "York", "flat": {"no": 3}}`,
			&Address{Town: "York"}, ""},
		{"a bad part is that part's problem", `{"town": ["York"]}`, &Address{},
			"postal_address.town"},
		{"a repeated part keeps its last value", `{"town": "York", "county": "N",
			"town": "Leeds"}`, &Address{Town: "Leeds", County: "N"}, ""},
		{"a null part after a value clears it", `{"town": "York", "town": null}`,
			&Address{}, ""},
		{"escaped and non-ASCII parts", `{"address_1": "Tŷ \"Gwyn\"", "town": "Ynys M\u00f4n"}`,
			&Address{Address1: "Tŷ \"Gwyn\"", Town: "Ynys Môn"}, ""},
		{"text is a problem", `"1 Mill Lane"`, nil, "postal_address"},
		{"a list is a problem", `["1 Mill Lane"]`, nil, "postal_address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "postal_address", tt.value)
			assert.Equal(t, tt.want, su.PostalAddress)
			if tt.problemField == "" {
				assert.Nil(t, su.Problems)
			} else if assert.Len(t, su.Problems, 1) {
				assert.Equal(t, tt.problemField, su.Problems[0].Field)
			}
		})
	}
}

func TestDecodeLonLat(t *testing.T) {
	tests := []struct {
		name, value string
		want        *LonLat
		problem     bool
	}{
		{"a pair of numbers", `[-1.5491, 53.8008]`, &LonLat{-1.5491, 53.8008}, false},
		{"a pair of numeric strings", `["-1.5491", "53.8008"]`,
			&LonLat{-1.5491, 53.8008}, false},
		{"an object with lon", `{"lat": 53.8, "lon": -1.5}`, &LonLat{-1.5, 53.8}, false},
		{"an object with lng", `{"lng": "-1.5", "lat": 53.8}`, &LonLat{-1.5, 53.8}, false},
		{"null is no position", `null`, nil, false},
		{"an empty list is a problem", `[]`, nil, true},
		{"one number is a problem", `[1]`, nil, true},
		{"three numbers are a problem", `[1, 2, 3]`, nil, true},
		{"a longitude past 180 is a problem", `[200, 10]`, nil, true},
		{"a latitude past 90 is a problem", `[10, -95]`, nil, true},
		{"a word is a problem", `["west", 53.8]`, nil, true},
		{"NaN is a problem", `["NaN", 53.8]`, nil, true},
		{"an object without lat is a problem", `{"lon": 1}`, nil, true},
		{"text is a problem", `"-1.5,53.8"`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			su := decodeAttribute(t, "lon_lat", tt.value)
			assert.Equal(t, tt.want, su.LonLat)
			assertProblem(t, su, "lon_lat", tt.value, tt.problem)
		})
	}
}

func TestDecodeRepeatedKeys(t *testing.T) {
	tests := []struct {
		name, doc string
		check     func(t *testing.T, su ServiceUser)
	}{
		{"the last value wins", `{"ref": "1", "ref": "2"}`, func(t *testing.T, su ServiceUser) {
			assert.Equal(t, "2", su.Ref)
		}},
		{"a good value clears an earlier problem", `{"dementia": "x", "dementia": true}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, FlagYes, su.Dementia)
				assert.Nil(t, su.Problems)
			}},
		{"a bad value clears an earlier value", `{"dementia": true, "dementia": "x"}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, FlagUnknown, su.Dementia)
				assert.Len(t, su.Problems, 1)
			}},
		{"a new address clears the old one's problems",
			`{"street_address": {"town": true}, "street_address": {"town": "Leeds"}}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, &Address{Town: "Leeds"}, su.StreetAddress)
				assert.Nil(t, su.Problems)
			}},
		{"an unknown key keeps its last value", `{"x": 1, "x": [2]}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, map[string]json.RawMessage{"x": json.RawMessage(`[2]`)}, su.Extra)
			}},
		{"dob_str and dob fill the same field", `{"dob": "2000-01-01", "dob_str": "2001-02-03"}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, NewDate(2001, time.February, 3), su.DOB)
			}},
		{"an empty dob_str keeps the dob", `{"dob": "2000-01-01", "dob_str": ""}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, NewDate(2000, time.January, 1), su.DOB)
			}},
		{"a null fnc_application_date keeps the _str one",
			`{"fnc_application_date_str": "2026-02-17", "fnc_application_date": null}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, NewDate(2026, time.February, 17), su.FNCApplicationDate)
			}},
		{"a bad dob_str keeps the dob and is a problem", `{"dob": "2000-01-01", "dob_str": 5}`,
			func(t *testing.T, su ServiceUser) {
				assert.Equal(t, NewDate(2000, time.January, 1), su.DOB)
				assert.Len(t, su.Problems, 1)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var su ServiceUser
			require.NoError(t, decodeServiceUser([]byte(tt.doc), &su))
			tt.check(t, su)
		})
	}
}

func TestDecodeReplacesThePreviousRecord(t *testing.T) {
	su := ServiceUser{FirstName: "Old", Problems: []FieldProblem{{Field: "x"}}}
	require.NoError(t, decodeServiceUser([]byte(`{"last_name": "New"}`), &su))

	assert.Equal(t, ServiceUser{LastName: "New"}, su)
}

func TestDecodePageCounts(t *testing.T) {
	tests := []struct {
		name, doc string
		want      Page[ServiceUser]
	}{
		{"numbers", `{"item_count": 62, "page": 2, "page_count": 7, "per_page": 10,
			"items": []}`, Page[ServiceUser]{Items: []ServiceUser{}, ItemCount: 62, Page: 2,
			PageCount: 7, PerPage: 10}},
		{"numeric strings", `{"item_count": "62", "page": "2", "page_count": 7.0,
			"per_page": "10"}`, Page[ServiceUser]{ItemCount: 62, Page: 2, PageCount: 7,
			PerPage: 10}},
		{"null and empty counts are zero", `{"item_count": null, "page": ""}`,
			Page[ServiceUser]{}},
		{"unknown keys are ignored", `{"next": {"page": 3}, "items": null, "page": 1}`,
			Page[ServiceUser]{Page: 1}},
		{"items keep their problems", `{"items": [{"dementia": "x"}]}`,
			Page[ServiceUser]{Items: []ServiceUser{{Problems: []FieldProblem{
				{Field: "dementia", Value: json.RawMessage(`"x"`), Reason: reasonFlag}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var page Page[ServiceUser]
			require.NoError(t, decodeServiceUserPage([]byte(tt.doc), &page))
			assert.Equal(t, tt.want, page)
		})
	}
}

func TestDecodePageRejectsWhatCannotBeAPage(t *testing.T) {
	tests := []struct{ name, doc, message string }{
		{"a list at the top", `[]`, "want a JSON object, got an array"},
		{"items as an object", `{"items": {}}`, "items is an object, not a list"},
		{"an item that is not an object", `{"items": [{}, "x"]}`, "item 1 is a string"},
		{"a count in words", `{"item_count": "many"}`, "item_count is not a count"},
		{"a negative count", `{"page": -1}`, "page is not a count"},
		{"a fractional count", `{"per_page": 2.5}`, "per_page is not a count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := Page[ServiceUser]{Page: 9}
			err := decodeServiceUserPage([]byte(tt.doc), &page)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)
			assert.Equal(t, Page[ServiceUser]{}, page, "a failed page is left zero")

			var syntax *syntaxError
			assert.False(t, errors.As(err, &syntax), "the JSON itself is well formed")
		})
	}
}

func TestDecodeRejectsMalformedJSON(t *testing.T) {
	tests := []struct {
		name, doc string
		offset    int
	}{
		{"nothing", ``, 0},
		{"only space", "  \n", 3},
		{"an unclosed object", `{`, 1},
		{"a key without a value", `{"a"`, 4},
		{"a missing colon", `{"a" 1}`, 5},
		{"a missing value", `{"a":}`, 5},
		{"a trailing comma", `{"a":1,}`, 7},
		{"a missing comma", `{"a":1 "b":2}`, 7},
		{"a bad literal", `{"a":tru}`, 8},
		{"a leading zero", `{"a":01}`, 6},
		{"a lone minus", `{"a":-}`, 6},
		{"a bare decimal point", `{"a":1.}`, 7},
		{"an empty exponent", `{"a":1e}`, 7},
		{"a raw control character", "{\"a\":\"x\x01\"}", 7},
		{"an unknown escape", `{"a":"\q"}`, 7},
		{"a short \\u escape", `{"a":"\u12G4"}`, 10},
		{"an unterminated string", `{"nhs_number":"485 777`, 22},
		{"a mismatched bracket", `{"a":[1,2}`, 9},
		{"a key that is not a string", `{a:1}`, 1},
		{"data after the object", `{"a":1} x`, 8},
		{"two objects", `{}{}`, 2},
		{"a byte order mark", "\xef\xbb\xbf{}", 0},
		{"a broken skipped value", `{"unknown": [1, {"x": }]}`, 22},
		{"a broken address", `{"street_address": {"town" "Leeds"}}`, 27},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.False(t, json.Valid([]byte(tt.doc)), "encoding/json agrees it is malformed")

			su := ServiceUser{ID: "kept?"}
			err := decodeServiceUser([]byte(tt.doc), &su)
			var syntax *syntaxError
			require.ErrorAs(t, err, &syntax)
			assert.Equal(t, tt.offset, syntax.offset)
			assert.Equal(t, ServiceUser{}, su, "a failed record is left zero")
			assert.NotContains(t, err.Error(), "485", "errors never quote the document")

			var page Page[ServiceUser]
			assert.Error(t, decodeServiceUserPage([]byte(tt.doc), &page))
		})
	}
}

func TestDecodeTopLevelMustBeAnObject(t *testing.T) {
	for _, doc := range []string{`[]`, `"x"`, `1`, `null`, `true`} {
		var su ServiceUser
		err := decodeServiceUser([]byte(doc), &su)
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), "want a JSON object", doc)
	}
}

func TestDecodeNestingLimitMatchesEncodingJSON(t *testing.T) {
	for _, depth := range []int{maxDepth - 1, maxDepth, maxDepth + 1} {
		// The record's own braces count as one level.
		doc := `{"x":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `}`
		var su ServiceUser
		err := decodeServiceUser([]byte(doc), &su)
		assert.Equal(t, json.Valid([]byte(doc)), err == nil, "depth %d: %v", depth, err)
	}
}

func TestDecodeKnownValuesWithoutAllocating(t *testing.T) {
	doc := []byte(`{"status": "active", "service": "nursing_home", "funding_type": "chc",
		"genders": [], "dementia": "yes", "end_of_life_care": false, "dob": "1946-03-25",
		"created": "2026-03-05 20:15:51", "modified": "2026-03-05T20:15:51.5+01:00",
		"payment_method": "direct_debit", "day_care_use": "not_used", "title": ""}`)
	var su ServiceUser
	allocs := testing.AllocsPerRun(100, func() {
		if err := decodeServiceUser(doc, &su); err != nil {
			t.Fatal(err)
		}
	})

	assert.Zero(t, allocs)
	assert.Equal(t, ServiceUserStatusActive, su.Status)
}

func TestDecodeAddressAllocatesOnceForItsText(t *testing.T) {
	doc := []byte(`{"street_address": {"address_1": "12", "address_2": "Harewood Road",
		"town": "Leeds", "county": "West Yorkshire", "postcode": "LS17 9LF",
		"country": "United Kingdom"}}`)
	var su ServiceUser
	allocs := testing.AllocsPerRun(100, func() {
		if err := decodeServiceUser(doc, &su); err != nil {
			t.Fatal(err)
		}
	})

	assert.Equal(t, 2.0, allocs, "the Address and one string for its six parts")
	assert.Equal(t, &Address{"12", "Harewood Road", "Leeds", "West Yorkshire", "LS17 9LF",
		"United Kingdom"}, su.StreetAddress)
}
