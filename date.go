package carehq

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Date is a calendar day with no time of day and no time zone, such as a
// date of birth. CareHQ writes dates as YYYY-MM-DD.
//
// The zero Date means "no date". A Date built by hand may name a day that
// does not exist, such as 30 February; Valid reports whether it does, and
// the encoding methods refuse such a date.
type Date struct {
	Year  int        // the year, 0 to 9999 for a valid date
	Month time.Month // January is 1
	Day   int        // the day of the month, from 1
}

// NewDate returns the date year-month-day exactly as given. Unlike time.Date
// it does not roll an impossible day into the next month: check Valid.
func NewDate(year int, month time.Month, day int) Date {
	return Date{Year: year, Month: month, Day: day}
}

// DateOf returns the calendar day on which t falls in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()

	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written YYYY-MM-DD, the form CareHQ uses. It
// returns an error for any other form and for a day that does not exist,
// such as 2023-02-30.
func ParseDate(s string) (Date, error) {
	d, err := parseCivilDate(s)
	if err != nil {
		return Date{}, fmt.Errorf("carehq: invalid date: %w", err)
	}

	return d, nil
}

// errDateLayout and the errors from Date.check never quote the text they
// were given, which may be a date of birth.
var errDateLayout = errors.New("want the form YYYY-MM-DD")

// parseCivilDate reads YYYY-MM-DD and explains what is wrong with anything
// else.
func parseCivilDate[T string | []byte](s T) (Date, error) {
	d, ok := splitDate(s)
	if !ok {
		return Date{}, errDateLayout
	}
	if !d.Valid() {
		return Date{}, d.check()
	}

	return d, nil
}

// splitDate reads the three numbers of YYYY-MM-DD without allocating. It
// does not check that the day exists.
func splitDate[T string | []byte](s T) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}

	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])

	return Date{Year: year, Month: time.Month(month), Day: day}, ok1 && ok2 && ok3
}

// digits returns the value of a run of ASCII decimal digits; ok is false if
// any byte is not a digit.
func digits[T string | []byte](s T) (n int, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}

	return n, len(s) > 0
}

// check returns why d is not a real calendar day, or nil.
func (d Date) check() error {
	if d.Year < 0 || d.Year > 9999 {
		return fmt.Errorf("year %d is outside 0 to 9999", d.Year)
	}
	if d.Month < time.January || d.Month > time.December {
		return errors.New("month is out of range")
	}
	if n := daysIn(d.Month, d.Year); d.Day < 1 || d.Day > n {
		return fmt.Errorf("day %d is out of range for %v %04d", d.Day, d.Month, d.Year)
	}

	return nil
}

// daysIn returns the number of days in the month of the proleptic Gregorian
// calendar.
func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}

	return 31
}

// IsZero reports whether d is the zero Date, meaning no date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a day that exists, with a year from 0 to 9999.
// The zero Date is not valid.
func (d Date) Valid() bool {
	return d.Year >= 0 && d.Year <= 9999 && d.Month >= time.January &&
		d.Month <= time.December && d.Day >= 1 && d.Day <= daysIn(d.Month, d.Year)
}

// String returns the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}

	return string(d.appendTo(make([]byte, 0, 10)))
}

// appendTo appends the date as YYYY-MM-DD. A year or day outside the valid
// range is written in full so that the mistake stays visible.
func (d Date) appendTo(b []byte) []byte {
	if d.Year >= 0 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 99 &&
		d.Day >= 0 && d.Day <= 99 {
		y, m := d.Year, int(d.Month)
		return append(b,
			byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
			byte('0'+m/10), byte('0'+m%10), '-',
			byte('0'+d.Day/10), byte('0'+d.Day%10))
	}

	return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Compare returns -1 if d is before other, +1 if it is after, and 0 if they
// are the same day.
func (d Date) Compare(other Date) int {
	switch {
	case d.Year != other.Year:
		return compareInts(d.Year, other.Year)
	case d.Month != other.Month:
		return compareInts(int(d.Month), int(other.Month))
	}

	return compareInts(d.Day, other.Day)
}

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}

	return 0
}

// Before reports whether d is an earlier day than other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is a later day than other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// In returns the moment the day starts (midnight) in loc. The zero Date
// gives the zero time.Time.
func (d Date) In(loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}

	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText writes the date as YYYY-MM-DD, and the zero Date as empty
// text. It returns an error for a day that does not exist.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("carehq: invalid date: %w", err)
	}

	return d.appendTo(make([]byte, 0, 10)), nil
}

// UnmarshalText reads a date written YYYY-MM-DD; empty text gives the zero
// Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}

	parsed, err := parseCivilDate(text)
	if err != nil {
		return fmt.Errorf("carehq: invalid date: %w", err)
	}
	*d = parsed

	return nil
}

// EncodeValues adds the date to a request as key=YYYY-MM-DD, and leaves the
// zero Date out. It returns an error for a day that does not exist. It
// implements go-querystring's Encoder.
func (d Date) EncodeValues(key string, v *url.Values) error {
	if d.IsZero() {
		return nil
	}
	if err := d.check(); err != nil {
		return fmt.Errorf("carehq: parameter %s: invalid date: %w", key, err)
	}
	v.Set(key, d.String())

	return nil
}
