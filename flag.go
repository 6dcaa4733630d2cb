package carehq

import (
	"fmt"
	"net/url"
)

// Flag is a yes/no value that may also be unknown. CareHQ sends many flags
// as null, meaning nobody has recorded an answer, which is not the same as
// "no": a resident whose dementia flag is unknown has not been assessed as
// free of dementia. The zero value, FlagUnknown, keeps that difference.
//
// In parameters, FlagUnknown means "not given" and is left out of the
// request; FlagYes and FlagNo are sent as yes and no.
type Flag uint8

// The values of a Flag.
const (
	FlagUnknown Flag = iota // null, or not given
	FlagNo                  // recorded as no
	FlagYes                 // recorded as yes
)

// FlagOf returns FlagYes for true and FlagNo for false.
func FlagOf(b bool) Flag {
	if b {
		return FlagYes
	}

	return FlagNo
}

// Known reports whether the flag holds an answer, yes or no.
func (f Flag) Known() bool { return f == FlagYes || f == FlagNo }

// Bool returns the flag as a bool; ok is false when the flag is unknown.
func (f Flag) Bool() (value, ok bool) { return f == FlagYes, f.Known() }

// IsZero reports whether the flag is unknown, so that an unknown flag is
// left out of a request.
func (f Flag) IsZero() bool { return f == FlagUnknown }

// String returns "yes", "no" or "unknown".
func (f Flag) String() string {
	switch f {
	case FlagYes:
		return "yes"
	case FlagNo:
		return "no"
	case FlagUnknown:
		return "unknown"
	}

	return fmt.Sprintf("Flag(%d)", uint8(f))
}

// EncodeValues adds the flag to a request as yes or no, and leaves an
// unknown flag out. It implements go-querystring's Encoder.
func (f Flag) EncodeValues(key string, v *url.Values) error {
	switch f {
	case FlagYes, FlagNo:
		v.Set(key, f.String())
	case FlagUnknown:
	default:
		return fmt.Errorf("carehq: parameter %s: %v is not a valid flag", key, f)
	}

	return nil
}

// MarshalJSON writes the flag as true or false, and an unknown flag as null.
func (f Flag) MarshalJSON() ([]byte, error) {
	switch f {
	case FlagYes:
		return []byte("true"), nil
	case FlagNo:
		return []byte("false"), nil
	case FlagUnknown:
		return []byte("null"), nil
	}

	return nil, fmt.Errorf("carehq: %v is not a valid flag", f)
}

// UnmarshalJSON reads a flag as leniently as CareHQ writes them: true and
// false; the strings yes, no, true and false in any case; 1 and 0 as numbers
// or strings. Null and the empty string give FlagUnknown. Anything else is an
// error and leaves the flag unchanged.
func (f *Flag) UnmarshalJSON(b []byte) error {
	d := decoder{data: b}
	v, err := d.document()
	if err != nil {
		return err
	}

	parsed, ok := d.flagOf(v)
	if !ok {
		return fmt.Errorf("carehq: flag: %s", reasonFlag)
	}
	*f = parsed

	return nil
}
