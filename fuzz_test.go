package carehq

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAPIErrorBody feeds arbitrary error bodies to the error parser: it
// never panics, keeps at most 64 KiB, and reads a hint and field messages
// exactly when the body is CareHQ's JSON.
func FuzzAPIErrorBody(f *testing.F) {
	f.Add(400, []byte(`{"hint": "Bad.", "arg_errors": {"dob": ["Not a date."], "x": "one"}}`))
	f.Add(502, []byte("<html><h1>Bad Gateway</h1></html>"))
	f.Add(429, []byte(`{"arg_errors": {"a": [1, null, "b"], "c": {"d": []}}}`))
	f.Add(500, []byte(`{"hint": null}`))
	f.Add(404, []byte{})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := newAPIError("GET", "/v1/service-users", status, "application/json", body)

		if len(e.Body) > maxErrorBody {
			t.Fatalf("kept %d bytes", len(e.Body))
		}
		if e.Error() == "" {
			t.Fatal("empty error text")
		}
		for field, msgs := range e.ArgErrors {
			if len(msgs) == 0 || slices.Contains(msgs, "") {
				t.Fatalf("field %q has empty messages %q", field, msgs)
			}
		}
		var parsed struct {
			Hint *string `json:"hint"`
		}
		if json.Unmarshal(body, &parsed) == nil && parsed.Hint != nil {
			if want := strings.TrimSpace(*parsed.Hint); e.Hint != want {
				t.Fatalf("hint %q, want %q", e.Hint, want)
			}
		}
	})
}

// FuzzParseRateLimit feeds arbitrary header values to the rate-limit
// parser: it never panics or fails, and a value it accepts is one a strict
// reading accepts too.
func FuzzParseRateLimit(f *testing.F) {
	f.Add("10", "7", "1764770000.25")
	f.Add("", "", "")
	f.Add("-1", "x", "1e9")
	f.Add("99999999999999999999", "0", "1764770000.999999999999")
	f.Add(" 5 ", "+3", ".5")
	f.Fuzz(func(t *testing.T, limit, remaining, reset string) {
		h := http.Header{}
		h.Set("X-CareHQ-RateLimit-Limit", limit)
		h.Set("X-CareHQ-RateLimit-Remaining", remaining)
		h.Set("X-CareHQ-RateLimit-Reset", reset)

		r := parseRateLimit(h)

		if r.Limit < -1 || r.Remaining < -1 {
			t.Fatalf("negative count %+v", r)
		}
		if r.Limit >= 0 && strconv.Itoa(r.Limit) != strings.TrimLeft(
			strings.TrimSpace(limit), "+0") && r.Limit != 0 {
			t.Fatalf("limit %q read as %d", limit, r.Limit)
		}
		if !r.Reset.IsZero() {
			secs, err := strconv.ParseFloat(strings.TrimSpace(reset), 64)
			if err != nil || secs <= 0 {
				t.Fatalf("reset %q accepted as %v", reset, r.Reset)
			}
			read := float64(r.Reset.Unix()) + float64(r.Reset.Nanosecond())/1e9
			if diff := secs - read; diff > 1e-3*secs/1e9+1e-3 || diff < -1e-3*secs/1e9-1e-3 {
				t.Fatalf("reset %q read as %v", reset, r.Reset)
			}
		}
	})
}

// fuzzValues builds form values from fuzz input: "k=v" pairs separated by
// '&', with no escaping, so any byte may appear in a key or value.
func fuzzValues(data string) url.Values {
	values := url.Values{}
	for pair := range strings.SplitSeq(data, "&") {
		k, v, _ := strings.Cut(pair, "=")
		values[k] = append(values[k], v)
	}

	return values
}

// FuzzCanonicalParams checks that the order in which keys and values are
// given never changes the signed parameter block, and that the block lists
// every value once, sorted by key and then by value (not as whole lines:
// "a=x" comes before "a-b=y").
func FuzzCanonicalParams(f *testing.F) {
	f.Add("attributes=last_name&attributes=first_name&attributes=_id&filters-q=smith", uint64(1))
	f.Add("b=2&a=1&a=0&B=x", uint64(7))
	f.Add("notes=line\nbreak&notes=tea & toast&k=%&k=+", uint64(3))
	f.Add("", uint64(0))
	f.Fuzz(func(t *testing.T, data string, seed uint64) {
		values := fuzzValues(data)
		want := canonicalParams(values)

		shuffled := url.Values{}
		rng := rand.New(rand.NewPCG(seed, seed>>1))
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		for _, k := range keys {
			vs := slices.Clone(values[k])
			rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
			shuffled[k] = vs
		}

		if got := canonicalParams(shuffled); got != want {
			t.Fatalf("order changed the block:\n%q\n%q", want, got)
		}
		total := 0
		for _, vs := range values {
			total += len(vs)
		}
		if total > 0 && !strings.Contains(data, "\n") {
			lines := strings.Split(want, "\n")
			sorted := slices.IsSortedFunc(lines, func(a, b string) int {
				ka, va, _ := strings.Cut(a, "=")
				kb, vb, _ := strings.Cut(b, "=")
				if c := strings.Compare(ka, kb); c != 0 {
					return c
				}
				return strings.Compare(va, vb)
			})
			if len(lines) != total || !sorted {
				t.Fatalf("block %q does not list %d values sorted", want, total)
			}
		}
	})
}

// FuzzFormRoundTrip checks that parameters survive encoding and decoding as
// CareHQ's server would decode them, empty values aside.
func FuzzFormRoundTrip(f *testing.F) {
	f.Add("first_name=Zoë&notes=a & b = c + 50%&genders=female&genders=male")
	f.Add("empty=&x=1")
	f.Add("k=\x00\xff&;=;")
	f.Fuzz(func(t *testing.T, data string) {
		values := fuzzValues(data)

		encoded, err := encodeParams(values)
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := url.ParseQuery(encoded.Encode())
		if err != nil {
			t.Fatalf("the form does not parse: %v", err)
		}

		want := withoutEmpty(values)
		if len(want) == 0 && len(decoded) == 0 {
			return
		}
		for k, vs := range want {
			if !slices.Equal(decoded[k], vs) {
				t.Fatalf("key %q: sent %q, read back %q", k, vs, decoded[k])
			}
		}
		if len(decoded) != len(want) {
			t.Fatalf("read back %d keys, sent %d", len(decoded), len(want))
		}
		for k := range decoded {
			if !utf8.ValidString(k) && want[k] == nil {
				t.Fatalf("key %q appeared", k)
			}
		}
	})
}
