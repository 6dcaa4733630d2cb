package carehqtest

import (
	"net/http"
	"net/url"
)

// createAnswerFields are the fields of the answer to a create, as CareHQ's
// documented example has them: a subset of the record, not all of it.
var createAnswerFields = []string{
	"_id", "account_code", "assistance_with_dressing", "assistance_with_eating",
	"assistance_with_medication", "assistance_with_personal_care", "broadcare_number",
	"created", "day_care_status", "day_care_use", "dementia", "dementia_challenging_behaviour",
	"dementia_prone_to_wander", "dob", "end_of_life_care", "first_name",
	"fnc_application_date", "fnc_application_status", "funding_type", "genders",
	"genders_other", "given_age", "last_name", "location", "mobile",
	"mobility_can_walk_unaided", "modified", "national_insurance_number", "nhs_number",
	"notes", "patient_id", "preferred_name", "ref", "registered_blind", "religions",
	"religions_other", "service", "status", "street_address", "title", "visually_impaired",
}

// createServiceUser answers PUT /v1/service-users.
func (s *Server) createServiceUser(params url.Values) answer {
	now := s.now()
	u, errs := readCreate(params, now, s.store.knownLocation)
	if errs != nil {
		return invalidAnswer(errs)
	}

	// Day care is inferred to be active for a service user who uses it;
	// CareHQ's example shows only the not_used case.
	if u.values[atDayCareUse] == nil {
		u.values[atDayCareUse] = "not_used"
	}
	u.values[atDayCareStatus] = "inactive"
	if u.values[atDayCareUse] != "not_used" {
		u.values[atDayCareStatus] = "active"
	}

	if errs := s.store.insertNew(u, now); errs != nil {
		return invalidAnswer(errs)
	}

	return answer{status: http.StatusOK, body: s.withQuirks(createAnswer(u))}
}

// createAnswer renders a new record the way CareHQ answers a create: dates
// named dob_str and fnc_application_date_str, unset flags as false except
// end_of_life_care, which is "", unset text as "" and unset lists as [].
func createAnswer(u *serviceUser) map[string]any {
	m := make(map[string]any, len(createAnswerFields))
	for _, name := range createAnswerFields {
		at := attributeIndex[name]
		v := u.values[at]
		if v == nil {
			switch attributes[at].kind {
			case kindFlag:
				v = false
				if at == atEndOfLifeCare {
					v = ""
				}
			case kindText:
				v = ""
			case kindList:
				v = []string{}
			}
		}
		switch at {
		case atDOB:
			name = "dob_str"
		case atFNCDate:
			name = "fnc_application_date_str"
		}
		m[name] = v
	}

	return m
}

// retrieveServiceUser answers GET /v1/service-users/{id}.
func (s *Server) retrieveServiceUser(id string) answer {
	var u *serviceUser
	if normal, ok := normalID(id); ok {
		u = s.store.get(normal)
	}
	if u == nil {
		return hintAnswer(http.StatusNotFound, "No service user with this Id.")
	}

	return answer{status: http.StatusOK, body: s.withQuirks(u.object(allAttributes))}
}

// ServiceUsers returns a copy of every stored service user in the shape of
// a retrieve answer, in the order they were stored. Each map holds all 72
// attributes: nil for null, string for text, Ids, enum values, dates and
// date/times, bool for flags, int for given_age and min_ledger_balance,
// []string for lists, map[string]string for addresses and a []float64
// longitude/latitude pair for lon_lat. The caller may change the copies.
func (s *Server) ServiceUsers() []map[string]any {
	users := s.store.snapshot()
	out := make([]map[string]any, len(users))
	for i, u := range users {
		out[i] = u.export()
	}

	return out
}

// ServiceUser returns a copy of the service user with the given Id, as
// ServiceUsers does, and whether there is one.
func (s *Server) ServiceUser(id string) (map[string]any, bool) {
	normal, ok := normalID(id)
	if !ok {
		return nil, false
	}
	u := s.store.get(normal)
	if u == nil {
		return nil, false
	}

	return u.export(), true
}

// ServiceUserCount returns the number of stored service users.
func (s *Server) ServiceUserCount() int {
	return s.store.count()
}
