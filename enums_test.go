package carehq

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// knownAs converts an enum's list of known values to plain strings.
func knownAs[E ~string](known []E) []string {
	out := make([]string, len(known))
	for i, v := range known {
		out[i] = string(v)
	}

	return out
}

func TestEnumsListTheDocumentedValues(t *testing.T) {
	tests := []struct {
		name  string
		known []string
		want  []string
	}{
		{"billing comms preference", knownAs(knownBillingCommsPreferences),
			[]string{"email", "post", "do_not_send"}},
		{"day care status", knownAs(knownDayCareStatuses), []string{"active", "inactive"}},
		{"day care use", knownAs(knownDayCareUses),
			[]string{"exclusive", "inclusive", "not_used"}},
		{"FNC application status", knownAs(knownFNCApplicationStatuses),
			[]string{"not_applicable", "applied_for", "granted", "declined"}},
		{"funding type", knownAs(knownFundingTypes), []string{"private", "local_authority",
			"local_authority_top_up", "chc", "chc_lifestyle", "block_bed", "dta_spot",
			"not_sure"}},
		{"gender", knownAs(knownGenders),
			[]string{"male", "female", "non_binary", "transgender", "intersex"}},
		{"invoice service user id field", knownAs(knownInvoiceServiceUserIDFields),
			[]string{"account_code", "broadcare_number", "full_name", "initials",
				"nhs_number", "patient_id", "ref"}},
		{"payment method", knownAs(knownPaymentMethods),
			[]string{"card", "cash", "cheque", "standing_order", "direct_debit", "bac"}},
		{"religion", knownAs(knownReligions), []string{"no_religion", "christian",
			"buddhist", "hindu", "jewish", "muslim", "sikh"}},
		{"service", knownAs(knownServices), []string{"assisted_living", "residential_home",
			"nursing_home", "independent_living", "learning_disability_care",
			"bariatric_care", "specialist_care", "home_care", "live_in_care"}},
		{"service user status", knownAs(knownServiceUserStatuses),
			[]string{"pending", "active", "inactive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.known)
		})
	}
}

func TestEnumConstantsHaveTheirDocumentedText(t *testing.T) {
	tests := []struct {
		constant string
		want     string
		known    bool
	}{
		{string(BillingCommsPreferenceDoNotSend), "do_not_send",
			BillingCommsPreferenceDoNotSend.Known()},
		{string(DayCareStatusActive), "active", DayCareStatusActive.Known()},
		{string(DayCareUseNotUsed), "not_used", DayCareUseNotUsed.Known()},
		{string(FNCApplicationStatusAppliedFor), "applied_for",
			FNCApplicationStatusAppliedFor.Known()},
		{string(FundingTypeLocalAuthorityTopUp), "local_authority_top_up",
			FundingTypeLocalAuthorityTopUp.Known()},
		{string(FundingTypeDTASpot), "dta_spot", FundingTypeDTASpot.Known()},
		{string(GenderNonBinary), "non_binary", GenderNonBinary.Known()},
		{string(InvoiceServiceUserIDFieldNHSNumber), "nhs_number",
			InvoiceServiceUserIDFieldNHSNumber.Known()},
		{string(PaymentMethodBAC), "bac", PaymentMethodBAC.Known()},
		{string(ReligionNoReligion), "no_religion", ReligionNoReligion.Known()},
		{string(ServiceNursingHome), "nursing_home", ServiceNursingHome.Known()},
		{string(ServiceUserStatusActive), "active", ServiceUserStatusActive.Known()},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.constant)
			assert.True(t, tt.known)
		})
	}
}

func TestUndocumentedValuesAreNotKnown(t *testing.T) {
	tests := []struct {
		name  string
		known bool
	}{
		{"empty", FundingType("").Known()},
		{"a new funding type", FundingType("council_funded").Known()},
		{"a different case", ServiceUserStatus("Active").Known()},
		{"a new gender term", Gender("agender").Known()},
		{"a new service", Service("respite_care").Known()},
		{"a new payment method", PaymentMethod("bacs").Known()},
		{"a new religion", Religion("pagan").Known()},
		{"a new preference", BillingCommsPreference("sms").Known()},
		{"a new day care status", DayCareStatus("suspended").Known()},
		{"a new day care use", DayCareUse("occasional").Known()},
		{"a new FNC status", FNCApplicationStatus("withdrawn").Known()},
		{"a new invoice field", InvoiceServiceUserIDField("room").Known()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.False(t, tt.known)
		})
	}
}

func TestEnumOfReusesTheConstant(t *testing.T) {
	b := []byte("nursing_home")
	allocs := testing.AllocsPerRun(100, func() {
		if enumOf(knownServices, b) != ServiceNursingHome {
			t.Fatal("not matched")
		}
	})
	assert.Zero(t, allocs)

	b = []byte("respite_care")
	got := enumOf(knownServices, b)
	b[0] = 'X'
	assert.Equal(t, Service("respite_care"), got, "an undocumented value is copied")
}
