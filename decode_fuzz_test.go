package carehq

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/.

func FuzzDecodeServiceUser(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var su ServiceUser
		err := decodeServiceUser(data, &su)
		requireSameSyntaxVerdict(t, data, err)
		if err != nil {
			require.Equal(t, ServiceUser{}, su, "a failed record is left zero")
			return
		}

		requireSoundProblems(t, su)
		first := withoutLeftovers(su)
		b, err := json.Marshal(first)
		require.NoError(t, err, "a decoded record can be written back")

		var again ServiceUser
		require.NoError(t, decodeServiceUser(b, &again), "%s", b)
		require.Nil(t, again.Problems, "what the SDK writes, it reads without problems")
		require.Nil(t, again.Extra)
		require.Equal(t, first, again)
	})
}

func FuzzDecodeServiceUserPage(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var page Page[ServiceUser]
		err := decodeServiceUserPage(data, &page)
		requireSameSyntaxVerdict(t, data, err)
		if err != nil {
			require.Equal(t, Page[ServiceUser]{}, page, "a failed page is left zero")
			return
		}

		first := page
		first.Items = nil
		if page.Items != nil {
			first.Items = make([]ServiceUser, len(page.Items))
		}
		for i, su := range page.Items {
			requireSoundProblems(t, su)
			first.Items[i] = withoutLeftovers(su)
		}
		b, err := json.Marshal(first)
		require.NoError(t, err, "a decoded page can be written back")

		var again Page[ServiceUser]
		require.NoError(t, decodeServiceUserPage(b, &again), "%s", b)
		require.Equal(t, first, again)
	})
}

func FuzzDateParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		_, stdErr := time.Parse(time.DateOnly, s)
		require.Equal(t, stdErr == nil, err == nil, "the time package agrees on %q", s)
		if err != nil {
			require.Equal(t, Date{}, d)
			return
		}

		require.True(t, d.Valid())
		require.Equal(t, s, d.String())
		require.Equal(t, d, DateOf(d.In(time.UTC)))

		text, err := d.MarshalText()
		require.NoError(t, err)
		var again Date
		require.NoError(t, again.UnmarshalText(text))
		require.Equal(t, d, again)
	})
}

// requireSameSyntaxVerdict checks the decoder against json.Valid: it must
// fail on every malformed document, and never call a well-formed one
// malformed (it may still refuse one that is not an object, or a page that
// is not a page).
func requireSameSyntaxVerdict(t *testing.T, data []byte, err error) {
	t.Helper()
	var syntax *syntaxError
	isSyntaxErr := errors.As(err, &syntax)

	if json.Valid(data) {
		require.False(t, isSyntaxErr, "well-formed JSON reported malformed: %v", err)
		if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) && err != nil {
			require.NotContains(t, err.Error(), "want a JSON object")
		}
		return
	}
	require.Error(t, err, "malformed JSON accepted")
	if isSyntaxErr {
		require.GreaterOrEqual(t, syntax.offset, 0)
		require.LessOrEqual(t, syntax.offset, len(data))
	}
}

// requireSoundProblems checks that every problem and extra attribute holds
// well-formed JSON, and that a problem's text leaves its value out.
func requireSoundProblems(t *testing.T, su ServiceUser) {
	t.Helper()
	for _, p := range su.Problems {
		require.NotEmpty(t, p.Field)
		require.NotEmpty(t, p.Reason)
		require.True(t, json.Valid(p.Value), "problem value %q", p.Value)
		require.Equal(t, p.Field+": "+p.Reason, p.String())
	}
	for name, raw := range su.Extra {
		require.True(t, json.Valid(raw), "extra %q holds %q", name, raw)
	}
}

// withoutLeftovers returns su without Problems and Extra, which json.Marshal
// does not write.
func withoutLeftovers(su ServiceUser) ServiceUser {
	su.Problems, su.Extra = nil, nil

	return su
}
