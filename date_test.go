package carehq

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, text string
		want       Date
		errText    string
	}{
		{"a date of birth", "1946-03-25", NewDate(1946, time.March, 25), ""},
		{"a leap day", "2024-02-29", NewDate(2024, time.February, 29), ""},
		{"a leap day in a year divisible by 400", "2000-02-29", NewDate(2000, 2, 29), ""},
		{"the first year", "0000-01-01", NewDate(0, time.January, 1), ""},
		{"the last day", "9999-12-31", NewDate(9999, time.December, 31), ""},
		{"30 February", "2023-02-30", Date{}, "day 30 is out of range for February 2023"},
		{"29 February in a common year", "2023-02-29", Date{}, "day 29 is out of range"},
		{"29 February in 1900", "1900-02-29", Date{}, "day 29 is out of range"},
		{"31 April", "2026-04-31", Date{}, "day 31 is out of range for April 2026"},
		{"day zero", "2026-04-00", Date{}, "day 0 is out of range"},
		{"month 13", "2026-13-01", Date{}, "month is out of range"},
		{"month zero", "2026-00-01", Date{}, "month is out of range"},
		{"single digits", "2026-3-5", Date{}, "YYYY-MM-DD"},
		{"a two-digit year", "26-03-05", Date{}, "YYYY-MM-DD"},
		{"a signed year", "+026-03-05", Date{}, "YYYY-MM-DD"},
		{"a time after it", "2026-03-05 10:00:00", Date{}, "YYYY-MM-DD"},
		{"slashes", "2026/03/05", Date{}, "YYYY-MM-DD"},
		{"non-ASCII digits", "２０２６-03-05", Date{}, "YYYY-MM-DD"},
		{"empty", "", Date{}, "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.text)
			if tt.errText != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errText)
				assert.Equal(t, Date{}, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.text, got.String())
		})
	}
}

func TestDateValid(t *testing.T) {
	tests := []struct {
		name string
		date Date
		want bool
	}{
		{"a real day", NewDate(1946, time.March, 25), true},
		{"the zero date", Date{}, false},
		{"NewDate does not roll over", NewDate(2023, time.February, 30), false},
		{"a negative year", NewDate(-1, time.January, 1), false},
		{"a five-digit year", NewDate(10000, time.January, 1), false},
		{"month 13", NewDate(2026, 13, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.date.Valid())
		})
	}
}

func TestDateString(t *testing.T) {
	assert.Equal(t, "", Date{}.String())
	assert.Equal(t, "0007-01-02", NewDate(7, time.January, 2).String())
	assert.Equal(t, "2023-02-30", NewDate(2023, time.February, 30).String(),
		"an impossible day is still shown as it is")
	assert.Equal(t, "12345-01-01", NewDate(12345, time.January, 1).String())
}

func TestDateCompare(t *testing.T) {
	dates := []Date{
		NewDate(1945, time.December, 31),
		NewDate(1946, time.January, 1),
		NewDate(1946, time.March, 24),
		NewDate(1946, time.March, 25),
	}
	for i, a := range dates {
		for j, b := range dates {
			want := compareInts(i, j)
			assert.Equal(t, want, a.Compare(b), "%v vs %v", a, b)
			assert.Equal(t, want < 0, a.Before(b))
			assert.Equal(t, want > 0, a.After(b))
		}
	}
}

func TestDateOfAndIn(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone database:", err)
	}

	// Half past midnight in London in summer is still the day before in UTC.
	moment := time.Date(2026, time.July, 1, 0, 30, 0, 0, london)
	assert.Equal(t, NewDate(2026, time.July, 1), DateOf(moment))
	assert.Equal(t, NewDate(2026, time.June, 30), DateOf(moment.UTC()))

	midnight := NewDate(2026, time.July, 1).In(london)
	assert.Equal(t, time.Date(2026, time.July, 1, 0, 0, 0, 0, london), midnight)
	assert.True(t, Date{}.In(london).IsZero(), "the zero date gives the zero time")
}

func TestDateText(t *testing.T) {
	text, err := NewDate(1946, time.March, 25).MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "1946-03-25", string(text))

	text, err = Date{}.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, text)

	_, err = NewDate(2023, time.February, 30).MarshalText()
	assert.ErrorContains(t, err, "day 30 is out of range")

	var d Date
	require.NoError(t, d.UnmarshalText([]byte("2026-02-17")))
	assert.Equal(t, NewDate(2026, time.February, 17), d)
	require.NoError(t, d.UnmarshalText(nil))
	assert.Equal(t, Date{}, d)
	assert.Error(t, d.UnmarshalText([]byte("17/02/2026")))

	var holder struct {
		Day Date `json:"day"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"day": "2026-02-17"}`), &holder))
	assert.Equal(t, NewDate(2026, time.February, 17), holder.Day)
}

func TestDateEncodeValues(t *testing.T) {
	tests := []struct {
		name    string
		date    Date
		want    url.Values
		wantErr bool
	}{
		{"a date", NewDate(1940, time.March, 12), url.Values{"dob": {"1940-03-12"}}, false},
		{"the zero date is left out", Date{}, url.Values{}, false},
		{"an impossible date is an error", NewDate(1940, time.February, 30), url.Values{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := url.Values{}
			err := tt.date.EncodeValues("dob", &values)
			if tt.wantErr {
				assert.ErrorContains(t, err, "parameter dob")
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.want, values)
		})
	}
}
