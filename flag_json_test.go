package carehq

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlagMarshalJSON(t *testing.T) {
	tests := []struct {
		flag Flag
		want string
	}{
		{FlagYes, "true"},
		{FlagNo, "false"},
		{FlagUnknown, "null"},
	}
	for _, tt := range tests {
		t.Run(tt.flag.String(), func(t *testing.T) {
			b, err := json.Marshal(tt.flag)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}

	_, err := json.Marshal(Flag(7))
	assert.Error(t, err, "a value outside the three is refused")
}

func TestFlagUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, value string
		want        Flag
		wantErr     bool
	}{
		{"true", `true`, FlagYes, false},
		{"false", `false`, FlagNo, false},
		{"null is unknown", `null`, FlagUnknown, false},
		{"yes in capitals", `"YES"`, FlagYes, false},
		{"no", `"no"`, FlagNo, false},
		{"1 as a number", `1`, FlagYes, false},
		{"0 as text", `"0"`, FlagNo, false},
		{"empty text is unknown", `""`, FlagUnknown, false},
		{"other text is an error", `"perhaps"`, FlagNo, true},
		{"a list is an error", `[true]`, FlagNo, true},
		{"malformed JSON is an error", `tru`, FlagNo, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FlagNo
			err := f.UnmarshalJSON([]byte(tt.value))
			if tt.wantErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.want, f)
		})
	}
}

func TestFlagInsideAStruct(t *testing.T) {
	var holder struct {
		Dementia Flag `json:"dementia"`
		Blind    Flag `json:"blind"`
		Stick    Flag `json:"stick,omitzero"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"dementia": "yes", "blind": null}`), &holder))
	assert.Equal(t, FlagYes, holder.Dementia)
	assert.Equal(t, FlagUnknown, holder.Blind)

	b, err := json.Marshal(holder)
	require.NoError(t, err)
	assert.JSONEq(t, `{"dementia": true, "blind": null}`, string(b))
}
