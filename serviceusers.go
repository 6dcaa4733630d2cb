package carehq

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// ServiceUsersService reaches CareHQ's service users: the residents of a
// care home, or the clients of a home-care or live-in-care service. Use it
// through Client.ServiceUsers.
type ServiceUsersService struct {
	client *Client
}

// CreateServiceUserParams are the details of a new service user. FirstName,
// LastName and Location are required, and DOB or GivenAge. Fields left at
// their zero value are not sent: "" for text, FlagUnknown for a flag, the
// zero Date, nil for a pointer or list.
type CreateServiceUserParams struct {
	// FirstName and LastName are the service user's names. Required.
	FirstName string `url:"first_name,omitempty"`
	LastName  string `url:"last_name,omitempty"`

	// Location is the Id of the location the service user is a client of.
	// Required.
	Location string `url:"location,omitempty"`

	// DOB is the date of birth. It, or GivenAge, is required; it may not
	// be in the future.
	DOB Date `url:"dob,omitempty"`

	// GivenAge is the estimated age in years, 0 to 130, when the date of
	// birth is not known.
	GivenAge *int `url:"given_age,omitempty"`

	// Title is the service user's title, such as Mr, Mrs, Miss, Dr or Rev.
	Title string `url:"title,omitempty"`

	// PreferredName is the name the service user likes to be called by.
	PreferredName string `url:"preferred_name,omitempty"`

	// Genders are the service user's genders from the documented set, and
	// GendersOther any terms outside it.
	Genders      []Gender `url:"genders,omitempty"`
	GendersOther string   `url:"genders_other,omitempty"`

	// Religions are the service user's religions from the documented set.
	Religions []Religion `url:"religions,omitempty"`

	// Service is the care the service user needs.
	Service Service `url:"service,omitempty"`

	// FundingType is how the care is paid for.
	FundingType FundingType `url:"funding_type,omitempty"`

	// FNCApplicationStatus is the state of an application for NHS-funded
	// nursing care; only for the nursing_home service.
	FNCApplicationStatus FNCApplicationStatus `url:"fnc_application_status,omitempty"`

	// FNCApplicationDate is when FNC was applied for; only with the status
	// applied_for.
	FNCApplicationDate Date `url:"fnc_application_date,omitempty"`

	// DayCareUse is how the service user uses day care. A day-care user
	// (exclusive or inclusive) needs a Phone.
	DayCareUse DayCareUse `url:"day_care_use,omitempty"`

	// AccountCode is a unique code for exporting invoices to an accounts
	// package; CareHQ makes one up when it is empty.
	AccountCode string `url:"account_code,omitempty"`

	// Ref is a unique numeric reference for the service user.
	Ref string `url:"ref,omitempty"`

	// BroadcareNumber, PatientID, NHSNumber and NationalInsuranceNumber
	// identify the service user in other systems.
	BroadcareNumber         string `url:"broadcare_number,omitempty"`
	PatientID               string `url:"patient_id,omitempty"`
	NHSNumber               string `url:"nhs_number,omitempty"`
	NationalInsuranceNumber string `url:"national_insurance_number,omitempty"`

	// Mobile is the service user's mobile number; Phone their phone number,
	// required for day-care users and only allowed for them.
	Mobile string `url:"mobile,omitempty"`
	Phone  string `url:"phone,omitempty"`

	// StreetAddress is where the service user lives.
	StreetAddress *Address `url:"street_address,omitempty"`

	// Notes are any further notes about the service user.
	Notes string `url:"notes,omitempty"`

	// The care needs: assistance, dementia, end of life care, sight.
	AssistanceWithDressing       Flag `url:"assistance_with_dressing,omitempty"`
	AssistanceWithEating         Flag `url:"assistance_with_eating,omitempty"`
	AssistanceWithMedication     Flag `url:"assistance_with_medication,omitempty"`
	AssistanceWithPersonalCare   Flag `url:"assistance_with_personal_care,omitempty"`
	Dementia                     Flag `url:"dementia,omitempty"`
	DementiaChallengingBehaviour Flag `url:"dementia_challenging_behaviour,omitempty"`
	DementiaProneToWander        Flag `url:"dementia_prone_to_wander,omitempty"`
	EndOfLifeCare                Flag `url:"end_of_life_care,omitempty"`
	RegisteredBlind              Flag `url:"registered_blind,omitempty"`
	VisuallyImpaired             Flag `url:"visually_impaired,omitempty"`

	// The service user's mobility.
	MobilityBedBound           Flag `url:"mobility_bed_bound,omitempty"`
	MobilityCanWalkUnaided     Flag `url:"mobility_can_walk_unaided,omitempty"`
	MobilityRequiresAidOrHoist Flag `url:"mobility_requires_aid_or_hoist,omitempty"`
	MobilityUsesStick          Flag `url:"mobility_uses_stick,omitempty"`
	MobilityUsesWheelchair     Flag `url:"mobility_uses_wheelchair,omitempty"`
}

// Ptr returns a pointer to v, for optional parameters such as
// CreateServiceUserParams.GivenAge: GivenAge: carehq.Ptr(84).
func Ptr[T any](v T) *T { return &v }

// validate checks the parameters as CareHQ would, adding every problem.
// today is the date a date of birth may not be after; enums says whether to
// check enum values against the documented sets.
func (p *CreateServiceUserParams) validate(today Date, enums bool) error {
	var problems ValidationError
	for _, required := range []struct{ param, value string }{
		{"first_name", p.FirstName}, {"last_name", p.LastName}, {"location", p.Location},
	} {
		if strings.TrimSpace(required.value) == "" {
			problems.add(required.param, "is required")
		}
	}
	if p.Location != "" && !isID(p.Location) {
		problems.add("location", reasonID)
	}

	switch {
	case p.DOB.IsZero() && p.GivenAge == nil:
		problems.add("dob", "is required when given_age is not given")
	case !p.DOB.IsZero() && !p.DOB.Valid():
		problems.add("dob", "is not a real date")
	case !p.DOB.IsZero() && p.DOB.After(today):
		problems.add("dob", "is in the future")
	}
	if p.GivenAge != nil && (*p.GivenAge < 0 || *p.GivenAge > 130) {
		problems.add("given_age", "must be from 0 to 130")
	}

	if !p.FNCApplicationDate.IsZero() {
		if !p.FNCApplicationDate.Valid() {
			problems.add("fnc_application_date", "is not a real date")
		}
		if p.FNCApplicationStatus != FNCApplicationStatusAppliedFor {
			problems.add("fnc_application_date", "is only allowed when "+
				"fnc_application_status is applied_for")
		}
	}
	if p.FNCApplicationStatus != "" && p.Service != ServiceNursingHome {
		problems.add("fnc_application_status", "is only allowed for the nursing_home service")
	}
	dayCare := p.DayCareUse == DayCareUseExclusive || p.DayCareUse == DayCareUseInclusive
	switch {
	case dayCare && strings.TrimSpace(p.Phone) == "":
		problems.add("phone", "is required for day-care users")
	case !dayCare && p.Phone != "":
		problems.add("phone", "is only allowed for day-care users")
	}

	for param, f := range map[string]Flag{
		"assistance_with_dressing":       p.AssistanceWithDressing,
		"assistance_with_eating":         p.AssistanceWithEating,
		"assistance_with_medication":     p.AssistanceWithMedication,
		"assistance_with_personal_care":  p.AssistanceWithPersonalCare,
		"dementia":                       p.Dementia,
		"dementia_challenging_behaviour": p.DementiaChallengingBehaviour,
		"dementia_prone_to_wander":       p.DementiaProneToWander,
		"end_of_life_care":               p.EndOfLifeCare,
		"registered_blind":               p.RegisteredBlind,
		"visually_impaired":              p.VisuallyImpaired,
		"mobility_bed_bound":             p.MobilityBedBound,
		"mobility_can_walk_unaided":      p.MobilityCanWalkUnaided,
		"mobility_requires_aid_or_hoist": p.MobilityRequiresAidOrHoist,
		"mobility_uses_stick":            p.MobilityUsesStick,
		"mobility_uses_wheelchair":       p.MobilityUsesWheelchair,
	} {
		checkFlag(&problems, param, f)
	}

	if enums {
		checkEnums(&problems, "genders", p.Genders, knownGenders)
		checkEnums(&problems, "religions", p.Religions, knownReligions)
		checkEnum(&problems, "service", p.Service, knownServices)
		checkEnum(&problems, "funding_type", p.FundingType, knownFundingTypes)
		checkEnum(&problems, "fnc_application_status", p.FNCApplicationStatus,
			knownFNCApplicationStatuses)
		checkEnum(&problems, "day_care_use", p.DayCareUse, knownDayCareUses)
	}

	return problems.err()
}

// Create registers a new service user and returns the record CareHQ made.
// The parameters are checked first (see CreateServiceUserParams): a
// *ValidationError lists every problem, and nothing is sent.
//
// A create is never retried once it may have reached CareHQ: if the answer
// is lost (a timeout, a broken connection, a 5xx), the error matches
// ErrOutcomeUnknown and the service user may exist. Look it up, for example
// with List and a Q filter, before creating it again.
//
// CareHQ's answer to a create holds a subset of the attributes; Get returns
// them all.
func (s *ServiceUsersService) Create(ctx context.Context,
	params *CreateServiceUserParams) (*ServiceUser, error) {
	if params == nil {
		return nil, &ValidationError{Fields: map[string][]string{
			"params": {"are required"},
		}}
	}
	if s.client.validate {
		today := DateOf(time.Now().UTC())
		if err := params.validate(today, true); err != nil {
			return nil, err
		}
	}

	return s.one(ctx, Call{Method: http.MethodPut, Path: "service-users", Params: params})
}

// Get returns the service user with the given Id, with every attribute. An
// Id that is not 24 hex characters is a *ValidationError, and nothing is
// sent; an Id CareHQ does not know is an *APIError matching ErrNotFound.
func (s *ServiceUsersService) Get(ctx context.Context, id string) (*ServiceUser, error) {
	if !isID(id) {
		return nil, &ValidationError{Fields: map[string][]string{"id": {reasonID}}}
	}

	return s.one(ctx, Call{Method: http.MethodGet, Path: "service-users/" + id,
		Idempotent: true})
}

// one sends a call whose answer is a single service user, and decodes it.
func (s *ServiceUsersService) one(ctx context.Context, call Call) (*ServiceUser, error) {
	resp, err := s.client.send(ctx, call)
	if err != nil {
		return nil, err
	}

	su := new(ServiceUser)
	if err := decodeServiceUser(resp.body, su); err != nil {
		return nil, decodeError(call, err)
	}

	return su, nil
}

// List returns one page of service users, with CareHQ's counts. params may
// be nil for the first page of everyone; it is never changed. To walk every
// page, use All or Pages.
func (s *ServiceUsersService) List(ctx context.Context,
	params *ListServiceUsersParams) (*Page[ServiceUser], error) {
	if err := s.checkList(params); err != nil {
		return nil, err
	}

	return s.fetchPage(ctx, params, 0)
}

// checkList validates list parameters, unless validation is off.
func (s *ServiceUsersService) checkList(params *ListServiceUsersParams) error {
	var problems ValidationError
	params.validate(&problems, s.client.validate)

	return problems.err()
}

// fetchPage fetches one page; page 0 means the one params names.
func (s *ServiceUsersService) fetchPage(ctx context.Context, params *ListServiceUsersParams,
	page int) (*Page[ServiceUser], error) {
	query := params.listQuery(page)
	call := Call{Method: http.MethodGet, Path: "service-users", Params: &query, Idempotent: true}
	resp, err := s.client.send(ctx, call)
	if err != nil {
		return nil, err
	}

	p := new(Page[ServiceUser])
	if err := decodeServiceUserPage(resp.body, p); err != nil {
		return nil, decodeError(call, err)
	}

	return p, nil
}
