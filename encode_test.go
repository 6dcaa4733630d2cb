package carehq

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testAddress struct {
	Postcode string `url:"postcode,omitempty"`
	Town     string `url:"town,omitempty"`
}

func (a testAddress) EncodeValues(key string, v *url.Values) error {
	return encodeNested(key, a, v)
}

func (a testAddress) IsZero() bool { return a == testAddress{} }

type testParams struct {
	FirstName string      `url:"first_name,omitempty"`
	Notes     string      `url:"notes,omitempty"`
	Dementia  Flag        `url:"dementia,omitempty"`
	Blind     Flag        `url:"registered_blind,omitempty"`
	Unknown   Flag        `url:"end_of_life_care,omitempty"`
	Genders   []string    `url:"genders,omitempty"`
	GivenAge  *int        `url:"given_age,omitempty"`
	NoAge     *int        `url:"no_age,omitempty"`
	Street    testAddress `url:"street_address,omitempty"`
	Empty     testAddress `url:"postal_address,omitempty"`
	Modified  time.Time   `url:"modified_after,omitempty" layout:"2006-01-02 15:04:05"`
	NoTime    time.Time   `url:"modified_before,omitempty" layout:"2006-01-02 15:04:05"`
}

// TestEncodeParamsGolden pins the exact form encoding of a struct: yes/no
// flags, repeated keys for lists, dash-joined nested names, and nothing at
// all for unset values.
func TestEncodeParamsGolden(t *testing.T) {
	zero := 0
	p := testParams{
		FirstName: "Zoë",
		Notes:     "tea & toast = 50% + more\nnext line",
		Dementia:  FlagYes,
		Blind:     FlagNo,
		Genders:   []string{"female", "non_binary"},
		GivenAge:  &zero,
		Street:    testAddress{Postcode: "AB1 2CD", Town: "Bath"},
		Modified:  time.Date(2026, 3, 5, 20, 15, 51, 0, time.UTC),
	}

	values, err := encodeParams(p)
	require.NoError(t, err)

	want := "dementia=yes&first_name=Zo%C3%AB&genders=female&genders=non_binary&given_age=0" +
		"&modified_after=2026-03-05+20%3A15%3A51" +
		"&notes=tea+%26+toast+%3D+50%25+%2B+more%0Anext+line&registered_blind=no" +
		"&street_address-postcode=AB1+2CD&street_address-town=Bath"
	assert.Equal(t, want, values.Encode())
}

func TestEncodeParamsAcceptsAPointer(t *testing.T) {
	values, err := encodeParams(&testParams{FirstName: "Ann"})
	require.NoError(t, err)
	assert.Equal(t, "first_name=Ann", values.Encode())
}

func TestEncodeParamsDropsEmptyValuesWithoutChangingTheCallers(t *testing.T) {
	in := url.Values{"a": {"", "x"}, "b": {""}, "c": {"y"}}

	values, err := encodeParams(in)
	require.NoError(t, err)

	assert.Equal(t, "a=x&c=y", values.Encode())
	assert.Equal(t, url.Values{"a": {"", "x"}, "b": {""}, "c": {"y"}}, in)
}

func TestEncodeParamsOfNothingIsEmpty(t *testing.T) {
	values, err := encodeParams(nil)
	require.NoError(t, err)
	assert.Empty(t, values.Encode())

	values, err = encodeParams(testParams{})
	require.NoError(t, err)
	assert.Empty(t, values.Encode(), "a zero struct sends nothing")
}

func TestEncodeParamsRefusesPlainBools(t *testing.T) {
	type withBool struct {
		Dementia bool `url:"dementia,omitempty"`
	}
	type withBoolPointer struct {
		Inner struct {
			Blind *bool `url:"registered_blind"`
		} `url:"inner"`
	}

	for _, params := range []any{withBool{Dementia: true}, withBoolPointer{}} {
		_, err := encodeParams(params)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "carehq.Flag")
	}
}

func TestFlagEncodingRejectsAnInvalidValue(t *testing.T) {
	type p struct {
		F Flag `url:"dementia"`
	}

	_, err := encodeParams(p{F: Flag(9)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dementia")
}
