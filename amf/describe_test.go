package amf

import "testing"

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{Undefined{}, "undefined"},
		{true, "a boolean"},
		{Int(1), "a number"},
		{1.5, "a number"},
		{"x", "a string"},
		{&ByteArray{}, "a ByteArray"},
		{&Date{}, "a date"},
		{&XML{}, "XML"},
		{&Object{}, "an object"},
		{&Object{Class: "a.B"}, "an object of class a.B"},
		{AVMPlus{Value: &Array{}}, "an array"},
		{&ECMAArray{}, "an array"},
		{[]any{}, "an array"},
		{&Dictionary{}, "a *amf.Dictionary"},
	} {
		if got := Describe(tc.v); got != tc.want {
			t.Errorf("Describe(%#v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
