package carehqtest

import "strconv"

// The values quirks add. Both are invented: real payloads have carried
// fields and enum values that the documentation of the day did not list.
const (
	quirkField        = "preferred_language"
	quirkFieldValue   = "English"
	quirkBillingComms = "sms"
)

// withQuirks returns obj as it goes out: unchanged when quirks are off,
// else with the quirks real payloads have (see SetQuirks). obj is changed
// in place.
func (s *Server) withQuirks(obj map[string]any) map[string]any {
	if !s.quirks.Load() {
		return obj
	}

	for name, v := range obj {
		at, ok := attributeIndex[name]
		if !ok {
			continue
		}
		switch {
		case attributes[at].kind == kindFlag && v == nil:
			obj[name] = ""
		case at == atGivenAge || at == atMinLedgerBalance:
			if n, isInt := v.(int); isInt {
				obj[name] = strconv.Itoa(n)
			}
		case at == atBillingCommsPref && v == nil:
			obj[name] = quirkBillingComms
		case at == atDOB || at == atFNCDate:
			delete(obj, name)
			obj[name+"_str"] = v
		}
	}
	obj[quirkField] = quirkFieldValue

	return obj
}
