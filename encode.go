package carehq

import (
	"fmt"
	"net/url"
	"reflect"
	"sync"

	"github.com/google/go-querystring/query"
)

// encodeParams turns the parameters of a call into the form values CareHQ
// expects. params may be nil, url.Values (or map[string][]string), a
// map[string]string, or a struct (or pointer to one) whose fields carry
// go-querystring `url` tags. Values that are empty
// strings are left out, because CareHQ reads a parameter that is present as
// a value given: "unset" is always expressed by absence.
//
// Plain bool fields are refused: go-querystring writes them as true/false,
// which CareHQ does not read as booleans. Flag encodes as yes/no.
func encodeParams(params any) (url.Values, error) {
	switch p := params.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		return withoutEmpty(p), nil
	case map[string][]string:
		return withoutEmpty(p), nil
	case map[string]string:
		values := make(url.Values, len(p))
		for k, v := range p {
			values.Set(k, v)
		}
		return withoutEmpty(values), nil
	}

	if err := checkParamType(reflect.TypeOf(params)); err != nil {
		return nil, err
	}
	values, err := query.Values(params)
	if err != nil {
		return nil, fmt.Errorf("carehq: encoding parameters: %w", err)
	}

	return withoutEmpty(values), nil
}

// encodeNested adds the url-tagged fields of v to out, each under
// prefix-name: CareHQ joins nested names with a dash (filters-status,
// street_address-postcode), where go-querystring would write prefix[name].
func encodeNested(prefix string, v any, out *url.Values) error {
	inner, err := encodeParams(v)
	if err != nil {
		return err
	}
	for name, values := range inner {
		for _, value := range values {
			out.Add(prefix+"-"+name, value)
		}
	}

	return nil
}

// withoutEmpty returns a copy of values without empty strings or keys left
// with no values. The caller's map is never changed.
func withoutEmpty(values url.Values) url.Values {
	out := make(url.Values, len(values))
	for key, vs := range values {
		kept := make([]string, 0, len(vs))
		for _, v := range vs {
			if v != "" {
				kept = append(kept, v)
			}
		}
		if len(kept) > 0 {
			out[key] = kept
		}
	}

	return out
}

// checkedParamTypes caches the result of checkParamType by type.
var checkedParamTypes sync.Map // reflect.Type -> error (nil stored as struct{})

// checkParamType rejects struct fields that go-querystring would encode in
// a way CareHQ misreads: bool and *bool, whose true/false CareHQ does not
// take for yes/no.
func checkParamType(t reflect.Type) error {
	if cached, ok := checkedParamTypes.Load(t); ok {
		if err, isErr := cached.(error); isErr {
			return err
		}
		return nil
	}

	err := findBoolField(t, map[reflect.Type]bool{})
	if err != nil {
		checkedParamTypes.Store(t, err)
	} else {
		checkedParamTypes.Store(t, struct{}{})
	}

	return err
}

func findBoolField(t reflect.Type, seen map[reflect.Type]bool) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return nil
	}
	seen[t] = true

	for i := range t.NumField() {
		field := t.Field(i)
		if field.Tag.Get("url") == "-" || !field.IsExported() {
			continue
		}
		ft := field.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Bool {
			return fmt.Errorf("carehq: parameter field %s.%s is a %s: use carehq.Flag, "+
				"which CareHQ reads as yes/no", t.Name(), field.Name, field.Type)
		}
		if err := findBoolField(ft, seen); err != nil {
			return err
		}
	}

	return nil
}
