// Package peers decodes the same AMF bytes with amfcall and with the other
// Go AMF libraries, checks that each decodes them to the same plain value,
// and times those that do (see README.md).
package peers

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/amfcall/amfcall/amf"
	livego "github.com/gwuhaolin/livego/protocol/amf"
	"github.com/nareix/joy4/format/flv/flvio"
)

// The plain model every decoder's result is brought to before comparing:
// nil (null and undefined), bool, float64 (every number), string, []any,
// map[string]any (objects and ECMA arrays: names matter, order does not),
// Date and []byte (ByteArray). It is what plain JSON can say plus the two
// things a decoder must not lose: that a date is a date (and its
// milliseconds), and that a ByteArray is bytes.
//
// Each peer has an adapter from its own types. An adapter never guesses:
// a peer that returns a date as a bare number has lost that it was a date,
// and its result differs.

// FromAmfcall brings amfcall's value model to the plain model.
func FromAmfcall(v any) (any, error) {
	switch x := amf.Unwrap(v).(type) {
	case nil, amf.Undefined:
		return nil, nil
	case bool, string, float64:
		return x, nil
	case amf.Int:
		return float64(x), nil
	case *amf.Date:
		return Date(x.Ms), nil
	case *amf.ByteArray:
		return x.Data, nil
	case *amf.Array:
		if len(x.Assoc) != 0 {
			return nil, fmt.Errorf("array with an associative part")
		}
		a := make([]any, len(x.Dense))
		for i, e := range x.Dense {
			var err error
			if a[i], err = FromAmfcall(e); err != nil {
				return nil, err
			}
		}
		return a, nil
	case *amf.Object:
		if x.Class != "" {
			return nil, fmt.Errorf("typed object %q", x.Class)
		}
		return membersFromAmfcall(x.Members)
	case *amf.ECMAArray:
		return membersFromAmfcall(x.Members)
	}
	return nil, fmt.Errorf("amfcall type %T not in the plain model", v)
}

func membersFromAmfcall(ms []amf.Member) (any, error) {
	m := make(map[string]any, len(ms))
	for _, e := range ms {
		v, err := FromAmfcall(e.Value)
		if err != nil {
			return nil, err
		}
		m[e.Name] = v
	}
	return m, nil
}

// FromJoy4 brings the values of joy4's flvio to the plain model.
func FromJoy4(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, float64:
		return x, nil
	case time.Time:
		return Date(x.UnixMilli()), nil
	case flvio.AMFArray:
		return sliceFrom([]any(x), FromJoy4)
	case flvio.AMFMap:
		return mapFrom(map[string]any(x), FromJoy4)
	case flvio.AMFECMAArray:
		return mapFrom(map[string]any(x), FromJoy4)
	}
	return nil, fmt.Errorf("joy4 type %T not in the plain model", v)
}

// FromLivego brings the values of livego's protocol/amf to the plain model.
func FromLivego(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, float64:
		return x, nil
	case int32:
		return float64(x), nil
	case time.Time:
		return Date(x.UnixMilli()), nil
	case []byte:
		return x, nil
	case livego.Array:
		return sliceFrom([]any(x), FromLivego)
	case livego.Object:
		return mapFrom(map[string]any(x), FromLivego)
	}
	return nil, fmt.Errorf("livego type %T not in the plain model", v)
}

func sliceFrom(s []any, f func(any) (any, error)) (any, error) {
	a := make([]any, len(s))
	for i, e := range s {
		var err error
		if a[i], err = f(e); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func mapFrom(m map[string]any, f func(any) (any, error)) (any, error) {
	o := make(map[string]any, len(m))
	for k, e := range m {
		v, err := f(e)
		if err != nil {
			return nil, err
		}
		o[k] = v
	}
	return o, nil
}

// Diff returns "" when got and want are the same plain value, or where and
// how they first differ.
func Diff(got, want any) string {
	return diff("", got, want)
}

func diff(path string, got, want any) string {
	at := path
	if at == "" {
		at = "/"
	}
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok {
			return fmt.Sprintf("at %s: got %s, want an array", at, describe(got))
		}
		if len(g) != len(w) {
			return fmt.Sprintf("at %s: got %d items, want %d", at, len(g), len(w))
		}
		for i := range w {
			if d := diff(path+"/"+strconv.Itoa(i), g[i], w[i]); d != "" {
				return d
			}
		}
		return ""
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("at %s: got %s, want an object", at, describe(got))
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("at %s: member %q missing", at, k)
			}
			if d := diff(path+"/"+k, gv, w[k]); d != "" {
				return d
			}
		}
		if len(g) != len(w) {
			return fmt.Sprintf("at %s: got %d members, want %d", at, len(g), len(w))
		}
		return ""
	case []byte:
		if g, ok := got.([]byte); !ok || !bytes.Equal(g, w) {
			return fmt.Sprintf("at %s: got %s, want %s", at, describe(got), describe(want))
		}
		return ""
	case float64:
		if g, ok := got.(float64); !ok || !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
			return fmt.Sprintf("at %s: got %s, want %s", at, describe(got), describe(want))
		}
		return ""
	}
	if got != want {
		return fmt.Sprintf("at %s: got %s, want %s", at, describe(got), describe(want))
	}
	return ""
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case Date:
		return "date " + time.UnixMilli(int64(x)).UTC().Format("2006-01-02T15:04:05.000Z")
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		if len(x) > 40 {
			return fmt.Sprintf("string %q... (%d bytes)", x[:40], len(x))
		}
		return fmt.Sprintf("string %q", x)
	case []byte:
		return fmt.Sprintf("%d bytes", len(x))
	case []any:
		return fmt.Sprintf("an array of %d", len(x))
	case map[string]any:
		return fmt.Sprintf("an object of %d members", len(x))
	}
	return fmt.Sprintf("%T %v", v, v)
}
