package carehq

import (
	"slices"
	"strings"
)

// ValidationError lists every problem the client found in a request's
// parameters before sending it, by CareHQ's parameter name. Nothing was
// sent. It matches ErrInvalidRequest with errors.Is, as CareHQ's own 400
// does, and its messages never repeat the values given, which may be
// personal data.
type ValidationError struct {
	// Fields maps each parameter with a problem to its messages.
	Fields map[string][]string
}

// Error lists the problems, by parameter name in alphabetical order.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("carehq: invalid parameters, nothing sent")
	writeFieldMessages(&b, e.Fields)

	return b.String()
}

// Is matches ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// add records a problem with a parameter.
func (e *ValidationError) add(param, message string) {
	if e.Fields == nil {
		e.Fields = map[string][]string{}
	}
	e.Fields[param] = append(e.Fields[param], message)
}

// err returns e when it holds a problem, else nil.
func (e *ValidationError) err() error {
	if len(e.Fields) == 0 {
		return nil
	}

	return e
}

// reasonID is the message for an Id that is not 24 hex characters.
const reasonID = "must be an Id of 24 hexadecimal characters"

// isID reports whether s has the form of a CareHQ Id: 24 hex characters.
func isID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}

	return true
}

// checkFlag reports a Flag holding none of its three values.
func checkFlag(problems *ValidationError, param string, f Flag) {
	if f != FlagUnknown && !f.Known() {
		problems.add(param, "must be FlagYes, FlagNo or FlagUnknown")
	}
}

// checkEnum reports a value outside the documented set; "" is not given.
func checkEnum[E ~string](problems *ValidationError, param string, v E, known []E) {
	if v != "" && !slices.Contains(known, v) {
		problems.add(param, describeKnown(known))
	}
}

// checkEnums reports a list holding a value outside the documented set.
func checkEnums[E ~string](problems *ValidationError, param string, vs []E, known []E) {
	for _, v := range vs {
		if !slices.Contains(known, v) {
			problems.add(param, describeKnown(known))
			return
		}
	}
}
