package carehq

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldProblemStringLeavesTheValueOut(t *testing.T) {
	p := FieldProblem{
		Field:  "nhs_number",
		Value:  json.RawMessage(`{"number": "485 777 3456"}`),
		Reason: reasonText,
	}

	assert.Equal(t, "nhs_number: want text", p.String())
	assert.NotContains(t, fmt.Sprint(p), "485")
	assert.NotContains(t, fmt.Sprintf("%v", []FieldProblem{p}), "485")
}

func TestLonLatMarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		pos     LonLat
		want    string
		wantErr bool
	}{
		{"Leeds", LonLat{Lon: -1.5491, Lat: 53.8008}, `[-1.5491,53.8008]`, false},
		{"the origin", LonLat{}, `[0,0]`, false},
		{"the edges", LonLat{Lon: 180, Lat: -90}, `[180,-90]`, false},
		{"a longitude past 180", LonLat{Lon: 180.5}, ``, true},
		{"NaN", LonLat{Lat: math.NaN()}, ``, true},
		{"infinity", LonLat{Lon: math.Inf(-1)}, ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.pos)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

func TestLonLatUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, value string
		want        LonLat
		wantErr     bool
	}{
		{"a pair", `[-1.5, 53.8]`, LonLat{Lon: -1.5, Lat: 53.8}, false},
		{"numeric strings", `["-1.5", "53.8"]`, LonLat{Lon: -1.5, Lat: 53.8}, false},
		{"an object", `{"lng": -1.5, "lat": 53.8}`, LonLat{Lon: -1.5, Lat: 53.8}, false},
		{"null leaves it unchanged", `null`, LonLat{Lon: 1, Lat: 2}, false},
		{"one number is an error", `[1]`, LonLat{Lon: 1, Lat: 2}, true},
		{"out of range is an error", `[1, 100]`, LonLat{Lon: 1, Lat: 2}, true},
		{"trailing data is an error", `[1, 2] 3`, LonLat{Lon: 1, Lat: 2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pos := LonLat{Lon: 1, Lat: 2}
			err := pos.UnmarshalJSON([]byte(tt.value))
			if tt.wantErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.want, pos)
		})
	}
}

func TestPageMarshalsUnderCareHQNames(t *testing.T) {
	page := Page[ServiceUser]{
		Items:     []ServiceUser{{ID: "a"}},
		ItemCount: 62, Page: 2, PageCount: 7, PerPage: 10,
	}
	b, err := json.Marshal(page)
	require.NoError(t, err)
	assert.JSONEq(t, `{"items": [{"_id": "a"}], "item_count": 62, "page": 2,
		"page_count": 7, "per_page": 10}`, string(b))
}
