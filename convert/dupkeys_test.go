package convert

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDuplicateKeysWritten: a member key given twice in one JSON object
// that becomes an AMF object, ECMA array or associative part is written
// as given, both members in order, and the conversion warns once, naming
// the first such key where its name starts (a count when there are
// several). Render (value model, or the direct writer) and RenderTo (the
// streamed writers) write the same bytes and give the same warning.
func TestDuplicateKeysWritten(t *testing.T) {
	const once = `: both are written, in order`
	many := func(n, key, at string) string {
		return n + ` keys are given again in the object they are in (the first "` + key + `", ` + at + `): each is written as often as given, in order`
	}
	big := `{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":30}`
	for _, c := range []struct {
		in, to string
		hex    string // the bytes written, "" where checked by decoding
		warn   string
	}{
		// Anonymous dynamic object: 0a 0b 01, "a" 1, "a" (string ref 0) 2, end.
		{`{"a":1,"a":2}`, "amf3", "0a0b010361040100040201", `"a" is given twice in one object (line 1, column 9)` + once},
		{`{"a":1,"a":2}`, "amf0", "03000161003ff0000000000000000161004000000000000000000009", `"a" is given twice in one object (line 1, column 9)` + once},
		// A typed object: traits inline with 2 sealed names, x twice.
		{`{"$class":"a.B","x":1,"x":2}`, "amf3", "0a2307612e4203780204010402", `"x" is given twice in one object (line 1, column 24)` + once},
		// "$$k" is the member "$k": the same name, two keys.
		{"[{\"$$k\":1,\n \"$k\":true}]", "amf3", "090301" + "0a0b0105246b0401" + "0003" + "01", `"$k" is given twice in one object (line 2, column 3)` + once},
		// Nested, and past the linear look (a set from 17 names on).
		{`{"a":1,"b":{"c":1,"c":2},"a":3}` + "\n" + big, "amf3", "", many("3", "c", "line 1, column 20")},
		{`{"$ecma":{"k":1,"k":2},"$count":2}`, "amf0", "", `"k" is given twice in one object (line 1, column 18)` + once},
		{`{"$assoc":{"k":1,"k":2},"$dense":[1]}`, "amf3", "", `"k" is given twice in one object (line 1, column 19)` + once},
		{`{"sol":"x","version":3,"data":{"a":1,"b":2,"a":3}}`, "sol",
			"00bf0000001f5443534f0004000000000001780000000303610401000362040200000403" + "00", `"a" is given twice in one object (line 1, column 45)` + once},
		{"{\"sol\":\"x\",\"version\":0,\"data\":{\n \"$$k\":1,\n \"$k\":[2]}}", "sol", "", `"$k" is given twice in one object (line 3, column 3)` + once},
		{`{"version":3,"messages":[{"target":"t","response":"/1","value":[{"role":"user","role":"admin"}]}]}`, "packet", "", `"role" is given twice in one object (line 1, column 81)` + once},
		{`{"role":"user","role":"admin"}` + "\n" + `{"x":{"y":1,"y":2}}`, "socket", "", many("2", "role", "line 1, column 17")},
		// Objects of one shape in a list (the direct writer takes the
		// names the last object at a depth had without looking): a key
		// given again after them, and in objects whose names repeat.
		{`[{"a":1,"b":2},{"a":1,"b":2,"a":3},{"a":1,"a":2},{"a":1,"a":2},{"a":1,"b":2}]`, "amf3",
			// traits ref 0 (0a 01), "a" is string ref 00, "b" ref 02.
			"090b01" + "0a0b010361040103620402" + "01" + "0a010004010204020004030" + "1" + "0a01000401000402" + "01" + "0a01000401000402" + "01" + "0a0100040102040201",
			many("3", "a", "line 1, column 30")},
		// A value of no object, an annotation's keys: nothing to say
		// (in AMF0, which keeps "$tz": AMF3 drops it, datetz_test.go).
		{`{"$date":0,"$tz":1}`, "amf0", "", ""},
	} {
		src := &Source{Name: "in", Kind: KindJSON, Data: []byte(c.in)}
		var warns [2][]string
		var outs [2][]byte
		o := func(i int) *Options {
			return &Options{Warn: func(m string) { warns[i] = append(warns[i], m) }}
		}
		var err error
		if outs[0], err = src.Render(Target{Format: c.to}, o(0)); err != nil {
			t.Fatalf("%s to %s: Render: %v", c.in, c.to, err)
		}
		var buf bytes.Buffer
		took, err := src.RenderTo(&buf, Target{Format: c.to}, o(1))
		if !took || err != nil {
			t.Fatalf("%s to %s: RenderTo took it %v: %v", c.in, c.to, took, err)
		}
		outs[1] = buf.Bytes()
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s to %s: Render wrote %x, RenderTo %x", c.in, c.to, outs[0], outs[1])
		}
		if c.hex != "" && hex.EncodeToString(outs[0]) != c.hex {
			t.Errorf("%s to %s: wrote %x, want %s", c.in, c.to, outs[0], c.hex)
		}
		for i, w := range warns {
			want := []string{c.warn}
			if c.warn == "" {
				want = nil
			}
			if strings.Join(w, "|") != strings.Join(want, "|") {
				t.Errorf("%s to %s: path %d warned %q, want %q", c.in, c.to, i, w, want)
			}
		}
	}
}

// TestDuplicateKeysBothPaths: the direct writer and the value model
// (what FromJSONWarn and the model's encoder write) agree on the bytes
// and the warning, both members read back in order.
func TestDuplicateKeysBothPaths(t *testing.T) {
	in := []byte(`{"role":"user","x":{"$class":"p.Q","n":1,"n":2},"role":"admin"}`)
	var direct, model dupKeys
	a, err := appendJSONAsAMF(nil, in, amf.AMF3, &direct)
	if err != nil {
		t.Fatal(err)
	}
	b, err := appendModel(nil, in, amf.AMF3, &model)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("direct %x, model %x (%v)", a, b, err)
	}
	const want = `2 keys are given again in the object they are in (the first "n", line 1, column 43): each is written as often as given, in order`
	if direct.warning(in) != want || model.warning(in) != want {
		t.Errorf("direct warns %q, model %q; want %q", direct.warning(in), model.warning(in), want)
	}
	var got []string
	v, err := FromJSONWarn(in, func(m string) { got = append(got, m) })
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("FromJSONWarn: %v, warned %q", err, got)
	}
	var back any
	if err := amf.Unmarshal(a, amf.AMF3, &back); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range back.(*amf.Object).Members {
		names = append(names, m.Name+"="+stringOf(m.Value))
	}
	if s := strings.Join(names, ","); s != "role=user,x=?,role=admin" {
		t.Errorf("read back %s", s)
	}
	if o := v.(*amf.Object); len(o.Members) != 3 || o.Members[0].Value != "user" || o.Members[2].Value != "admin" {
		t.Errorf("FromJSONWarn: %#v", o.Members)
	}
}

// stringOf is v if it is a string, else "?".
func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return "?"
}

// TestCutBytesRefused: the abbreviated ByteArray of a -v trace
// ({"$bytes": head, "$size": N, "$cut": true}) is refused saying what it
// is, at the value (its path and first byte; the path was its "$cut"
// member's, "/$cut" for a value at the top), by every reader of JSON.
func TestCutBytesRefused(t *testing.T) {
	const msg = `this $bytes value was cut short where it was traced ($cut): it cannot be sent`
	for _, c := range []struct{ in, to, want string }{
		{`{"$bytes":"AA==","$cut":true,"$size":9}`, "amf3", msg + ` at line 1, column 1 (offset 0)`},
		{`{"$bytes":"AA==","$cut":true,"$size":9}`, "amf0", msg + ` at line 1, column 1 (offset 0)`},
		{`{"$bytes":"AA==","$size":9}`, "amf3", msg + ` at line 1, column 1 (offset 0)`},
		{"[1,\n {\"a\": {\"$bytes\":\"AA==\",\"$size\":1025,\"$cut\":true}}]", "amf3", msg + ` at "/1/a", line 2, column 8`},
		{`{"version":3,"messages":[{"target":"t","response":"/1","value":[{"$bytes":"AA==","$size":9,"$cut":true}]}]}`, "packet", msg + ` at "/messages/0/value/0", line 1, column 65`},
		{`{"sol":"s","version":3,"data":{"b":{"$bytes":"AA==","$size":9,"$cut":true}}}`, "sol", msg + ` at "/data/b", line 1, column 36`},
		{`{"$bytes":"AA==","$cut":true}`, "socket", msg + ` at line 1, column 1 (offset 0)`},
	} {
		src := &Source{Name: "in", Kind: KindJSON, Data: []byte(c.in)}
		_, herr := src.Render(Target{Format: c.to}, &Options{})
		var buf bytes.Buffer
		_, serr := src.RenderTo(&buf, Target{Format: c.to}, &Options{})
		for _, err := range []error{herr, serr} {
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrTracedCut) {
				t.Errorf("%s to %s: %v\nwant %s (ErrTracedCut)", c.in, c.to, err, c.want)
			}
		}
		if buf.Len() > 0 {
			t.Errorf("%s to %s: RenderTo wrote %x", c.in, c.to, buf.Bytes())
		}
	}
}
