package convert

import (
	"errors"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func TestPipeline(t *testing.T) {
	for _, tc := range []struct {
		in, want, form string
		to             OutSpec
	}{
		{"[1, 2.5]", "0905010401054004000000000000", "amf3", OutSpec{Encoding: Hex}},
		{"0905010401 054004000000000000", "[1,2.5]\n", "json", OutSpec{}},
		{`{"a": 1}`, "03000161003ff0000000000000000009", "amf0", OutSpec{Format: "amf0", Encoding: Hex}},
	} {
		src, err := Load([]byte(tc.in), "in", InSpec{})
		if err != nil {
			t.Fatalf("Load(%q): %v", tc.in, err)
		}
		target, err := src.Target(tc.to)
		if err != nil || target.Format != tc.form {
			t.Fatalf("Target(%q) = %+v, %v", tc.in, target, err)
		}
		out, err := src.Render(target, &Options{})
		if tc.to.Encoding == Hex {
			tc.want += "\n"
		}
		if err != nil || string(out) != tc.want {
			t.Errorf("Render(%q) = %q, %v; want %q", tc.in, out, err, tc.want)
		}
	}

	// A packet can't be bare values: a *TargetError that says what can.
	p, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "a", Response: "/1", Value: &amf.Array{}}}})
	src, err := Load(p, "p", InSpec{})
	if err != nil || src.Kind != KindPacket {
		t.Fatalf("Load(packet) = %v, %v", src, err)
	}
	var te *TargetError
	if _, err := src.Target(OutSpec{Format: "amf3"}); !errors.As(err, &te) || len(te.Formats) != 2 {
		t.Errorf("packet to amf3: %v", err)
	}

	// Garbage AMF0 would read as a number nobody believes: an
	// *InputError that says nothing fits.
	src, err = Load([]byte("\x00\x03garbage"), "g", InSpec{})
	if err == nil {
		_, err = src.Render(Target{Format: "json"}, &Options{})
	}
	var ie *InputError
	if !errors.As(err, &ie) || ie.Why != WhyUnknown {
		t.Errorf("garbage: %v", err)
	}
}
