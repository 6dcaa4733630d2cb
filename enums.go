package carehq

import "slices"

// The enumerated attributes of CareHQ are typed strings. Each type lists the
// values CareHQ's documentation names, but CareHQ adds values over time, so a
// decoded value that the SDK does not know is kept as CareHQ sent it rather
// than rejected. Known reports whether a value is one of the documented ones.

// BillingCommsPreference is how the billing party wants to receive invoices,
// statements and other billing letters.
type BillingCommsPreference string

// The documented billing communication preferences.
const (
	// BillingCommsPreferenceEmail sends billing documents by email.
	BillingCommsPreferenceEmail BillingCommsPreference = "email"
	// BillingCommsPreferencePost sends billing documents by post.
	BillingCommsPreferencePost BillingCommsPreference = "post"
	// BillingCommsPreferenceDoNotSend sends no billing documents at all.
	BillingCommsPreferenceDoNotSend BillingCommsPreference = "do_not_send"
)

var knownBillingCommsPreferences = []BillingCommsPreference{
	BillingCommsPreferenceEmail,
	BillingCommsPreferencePost,
	BillingCommsPreferenceDoNotSend,
}

// Known reports whether p is one of the preferences CareHQ documents.
func (p BillingCommsPreference) Known() bool {
	return slices.Contains(knownBillingCommsPreferences, p)
}

// DayCareStatus says whether a service user currently attends day care.
type DayCareStatus string

// The documented day care statuses.
const (
	// DayCareStatusActive marks a service user who attends day care.
	DayCareStatusActive DayCareStatus = "active"
	// DayCareStatusInactive marks a service user who does not, or no longer,
	// attends day care.
	DayCareStatusInactive DayCareStatus = "inactive"
)

var knownDayCareStatuses = []DayCareStatus{
	DayCareStatusActive,
	DayCareStatusInactive,
}

// Known reports whether s is one of the day care statuses CareHQ documents.
func (s DayCareStatus) Known() bool { return slices.Contains(knownDayCareStatuses, s) }

// DayCareUse says how a service user uses day care alongside, or instead of,
// the location's main service.
type DayCareUse string

// The documented uses of day care.
const (
	// DayCareUseExclusive is for someone who only uses day care.
	DayCareUseExclusive DayCareUse = "exclusive"
	// DayCareUseInclusive is for someone who uses day care as well as the
	// location's main service.
	DayCareUseInclusive DayCareUse = "inclusive"
	// DayCareUseNotUsed is for someone who does not use day care.
	DayCareUseNotUsed DayCareUse = "not_used"
)

var knownDayCareUses = []DayCareUse{
	DayCareUseExclusive,
	DayCareUseInclusive,
	DayCareUseNotUsed,
}

// Known reports whether u is one of the day care uses CareHQ documents.
func (u DayCareUse) Known() bool { return slices.Contains(knownDayCareUses, u) }

// FNCApplicationStatus is where an application for NHS-funded nursing care
// (FNC) stands. It applies to nursing home residents.
type FNCApplicationStatus string

// The documented FNC application statuses.
const (
	// FNCApplicationStatusNotApplicable means FNC does not apply.
	FNCApplicationStatusNotApplicable FNCApplicationStatus = "not_applicable"
	// FNCApplicationStatusAppliedFor means an application awaits a decision.
	FNCApplicationStatusAppliedFor FNCApplicationStatus = "applied_for"
	// FNCApplicationStatusGranted means the NHS agreed to fund nursing care.
	FNCApplicationStatusGranted FNCApplicationStatus = "granted"
	// FNCApplicationStatusDeclined means the application was turned down.
	FNCApplicationStatusDeclined FNCApplicationStatus = "declined"
)

var knownFNCApplicationStatuses = []FNCApplicationStatus{
	FNCApplicationStatusNotApplicable,
	FNCApplicationStatusAppliedFor,
	FNCApplicationStatusGranted,
	FNCApplicationStatusDeclined,
}

// Known reports whether s is one of the FNC statuses CareHQ documents.
func (s FNCApplicationStatus) Known() bool {
	return slices.Contains(knownFNCApplicationStatuses, s)
}

// FundingType is who pays for a service user's care, and how.
type FundingType string

// The documented funding types.
const (
	// FundingTypePrivate is care paid for by the service user or family.
	FundingTypePrivate FundingType = "private"
	// FundingTypeLocalAuthority is care paid for by a local council.
	FundingTypeLocalAuthority FundingType = "local_authority"
	// FundingTypeLocalAuthorityTopUp is council funding with a top-up paid
	// by someone else, often the family.
	FundingTypeLocalAuthorityTopUp FundingType = "local_authority_top_up"
	// FundingTypeCHC is NHS Continuing Healthcare.
	FundingTypeCHC FundingType = "chc"
	// FundingTypeCHCLifestyle is NHS Continuing Healthcare with a lifestyle
	// payment on top.
	FundingTypeCHCLifestyle FundingType = "chc_lifestyle"
	// FundingTypeBlockBed is a bed bought in advance under a block contract.
	FundingTypeBlockBed FundingType = "block_bed"
	// FundingTypeDTASpot is a spot-purchased discharge-to-assess placement.
	FundingTypeDTASpot FundingType = "dta_spot"
	// FundingTypeNotSure records that the funding is not yet known.
	FundingTypeNotSure FundingType = "not_sure"
)

var knownFundingTypes = []FundingType{
	FundingTypePrivate,
	FundingTypeLocalAuthority,
	FundingTypeLocalAuthorityTopUp,
	FundingTypeCHC,
	FundingTypeCHCLifestyle,
	FundingTypeBlockBed,
	FundingTypeDTASpot,
	FundingTypeNotSure,
}

// Known reports whether t is one of the funding types CareHQ documents.
func (t FundingType) Known() bool { return slices.Contains(knownFundingTypes, t) }

// Gender is one of CareHQ's predefined genders. A service user may have
// several; terms outside this set go in ServiceUser.GendersOther.
type Gender string

// The documented genders.
const (
	// GenderMale is male.
	GenderMale Gender = "male"
	// GenderFemale is female.
	GenderFemale Gender = "female"
	// GenderNonBinary is non-binary.
	GenderNonBinary Gender = "non_binary"
	// GenderTransgender is transgender.
	GenderTransgender Gender = "transgender"
	// GenderIntersex is intersex.
	GenderIntersex Gender = "intersex"
)

var knownGenders = []Gender{
	GenderMale,
	GenderFemale,
	GenderNonBinary,
	GenderTransgender,
	GenderIntersex,
}

// Known reports whether g is one of the genders CareHQ documents.
func (g Gender) Known() bool { return slices.Contains(knownGenders, g) }

// InvoiceServiceUserIDField names an attribute used to identify a service
// user on the invoice lines billed for them.
type InvoiceServiceUserIDField string

// The documented identifying fields for invoice lines.
const (
	// InvoiceServiceUserIDFieldAccountCode shows the account code.
	InvoiceServiceUserIDFieldAccountCode InvoiceServiceUserIDField = "account_code"
	// InvoiceServiceUserIDFieldBroadcareNumber shows the Broadcare number.
	InvoiceServiceUserIDFieldBroadcareNumber InvoiceServiceUserIDField = "broadcare_number"
	// InvoiceServiceUserIDFieldFullName shows the full name.
	InvoiceServiceUserIDFieldFullName InvoiceServiceUserIDField = "full_name"
	// InvoiceServiceUserIDFieldInitials shows the initials.
	InvoiceServiceUserIDFieldInitials InvoiceServiceUserIDField = "initials"
	// InvoiceServiceUserIDFieldNHSNumber shows the NHS number.
	InvoiceServiceUserIDFieldNHSNumber InvoiceServiceUserIDField = "nhs_number"
	// InvoiceServiceUserIDFieldPatientID shows the patient Id.
	InvoiceServiceUserIDFieldPatientID InvoiceServiceUserIDField = "patient_id"
	// InvoiceServiceUserIDFieldRef shows the numeric reference.
	InvoiceServiceUserIDFieldRef InvoiceServiceUserIDField = "ref"
)

var knownInvoiceServiceUserIDFields = []InvoiceServiceUserIDField{
	InvoiceServiceUserIDFieldAccountCode,
	InvoiceServiceUserIDFieldBroadcareNumber,
	InvoiceServiceUserIDFieldFullName,
	InvoiceServiceUserIDFieldInitials,
	InvoiceServiceUserIDFieldNHSNumber,
	InvoiceServiceUserIDFieldPatientID,
	InvoiceServiceUserIDFieldRef,
}

// Known reports whether f is one of the invoice identifying fields CareHQ
// documents.
func (f InvoiceServiceUserIDField) Known() bool {
	return slices.Contains(knownInvoiceServiceUserIDFields, f)
}

// PaymentMethod is how the billing party is expected to pay.
type PaymentMethod string

// The documented payment methods.
const (
	// PaymentMethodCard is payment by debit or credit card.
	PaymentMethodCard PaymentMethod = "card"
	// PaymentMethodCash is payment in cash.
	PaymentMethodCash PaymentMethod = "cash"
	// PaymentMethodCheque is payment by cheque.
	PaymentMethodCheque PaymentMethod = "cheque"
	// PaymentMethodStandingOrder is a standing order set up by the payer.
	PaymentMethodStandingOrder PaymentMethod = "standing_order"
	// PaymentMethodDirectDebit is a Direct Debit collected by the provider.
	PaymentMethodDirectDebit PaymentMethod = "direct_debit"
	// PaymentMethodBAC is a one-off bank transfer (BACS).
	PaymentMethodBAC PaymentMethod = "bac"
)

var knownPaymentMethods = []PaymentMethod{
	PaymentMethodCard,
	PaymentMethodCash,
	PaymentMethodCheque,
	PaymentMethodStandingOrder,
	PaymentMethodDirectDebit,
	PaymentMethodBAC,
}

// Known reports whether m is one of the payment methods CareHQ documents.
func (m PaymentMethod) Known() bool { return slices.Contains(knownPaymentMethods, m) }

// Religion is one of CareHQ's predefined religions. A service user may have
// several; terms outside this set go in ServiceUser.ReligionsOther.
type Religion string

// The documented religions.
const (
	// ReligionNoReligion records that the service user has no religion.
	ReligionNoReligion Religion = "no_religion"
	// ReligionChristian is Christianity.
	ReligionChristian Religion = "christian"
	// ReligionBuddhist is Buddhism.
	ReligionBuddhist Religion = "buddhist"
	// ReligionHindu is Hinduism.
	ReligionHindu Religion = "hindu"
	// ReligionJewish is Judaism.
	ReligionJewish Religion = "jewish"
	// ReligionMuslim is Islam.
	ReligionMuslim Religion = "muslim"
	// ReligionSikh is Sikhism.
	ReligionSikh Religion = "sikh"
)

var knownReligions = []Religion{
	ReligionNoReligion,
	ReligionChristian,
	ReligionBuddhist,
	ReligionHindu,
	ReligionJewish,
	ReligionMuslim,
	ReligionSikh,
}

// Known reports whether r is one of the religions CareHQ documents.
func (r Religion) Known() bool { return slices.Contains(knownReligions, r) }

// Service is the kind of care a service user receives.
type Service string

// The documented services.
const (
	// ServiceAssistedLiving is assisted living.
	ServiceAssistedLiving Service = "assisted_living"
	// ServiceResidentialHome is a place in a residential care home.
	ServiceResidentialHome Service = "residential_home"
	// ServiceNursingHome is a place in a nursing home; only these residents
	// can have FNC.
	ServiceNursingHome Service = "nursing_home"
	// ServiceIndependentLiving is independent living.
	ServiceIndependentLiving Service = "independent_living"
	// ServiceLearningDisabilityCare is care for people with a learning
	// disability.
	ServiceLearningDisabilityCare Service = "learning_disability_care"
	// ServiceBariatricCare is care for people living with severe obesity.
	ServiceBariatricCare Service = "bariatric_care"
	// ServiceSpecialistCare is other specialist care.
	ServiceSpecialistCare Service = "specialist_care"
	// ServiceHomeCare is care given in the service user's own home by
	// visiting carers.
	ServiceHomeCare Service = "home_care"
	// ServiceLiveInCare is a carer living in the service user's home.
	ServiceLiveInCare Service = "live_in_care"
)

var knownServices = []Service{
	ServiceAssistedLiving,
	ServiceResidentialHome,
	ServiceNursingHome,
	ServiceIndependentLiving,
	ServiceLearningDisabilityCare,
	ServiceBariatricCare,
	ServiceSpecialistCare,
	ServiceHomeCare,
	ServiceLiveInCare,
}

// Known reports whether s is one of the services CareHQ documents.
func (s Service) Known() bool { return slices.Contains(knownServices, s) }

// ServiceUserStatus is where a service user stands with the provider.
type ServiceUserStatus string

// The documented service user statuses.
const (
	// ServiceUserStatusPending is a service user who has not yet started
	// receiving care.
	ServiceUserStatusPending ServiceUserStatus = "pending"
	// ServiceUserStatusActive is a service user who currently receives care.
	ServiceUserStatusActive ServiceUserStatus = "active"
	// ServiceUserStatusInactive is a service user who has left.
	ServiceUserStatusInactive ServiceUserStatus = "inactive"
)

var knownServiceUserStatuses = []ServiceUserStatus{
	ServiceUserStatusPending,
	ServiceUserStatusActive,
	ServiceUserStatusInactive,
}

// Known reports whether s is one of the statuses CareHQ documents.
func (s ServiceUserStatus) Known() bool {
	return slices.Contains(knownServiceUserStatuses, s)
}

// enumOf returns the known value whose text is b without allocating, or a
// new value holding a copy of b when CareHQ sent something undocumented.
func enumOf[E ~string](known []E, b []byte) E {
	for _, v := range known {
		if string(v) == string(b) {
			return v
		}
	}

	return E(b)
}
