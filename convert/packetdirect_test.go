package convert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// packetOptions are the forms the packet differential tests compare:
// plain and typed, compact, --pretty, coloured, --charset, and output
// limits that some inputs reach.
var packetOptions = []struct {
	name string
	o    Options
}{
	{"plain", Options{}},
	{"pretty", Options{Indent: "  "}},
	{"color", Options{Palette: DefaultPalette, Indent: "\t"}},
	{"charset", Options{Charset: "latin1"}},
	{"limit", Options{MaxOutput: 200}},
	{"typed", Options{Typed: true}},
	{"typed-pretty", Options{Typed: true, Indent: "  "}},
	{"typed-color", Options{Typed: true, Palette: DefaultPalette}},
	{"typed-limit", Options{Typed: true, MaxOutput: 200}},
}

// envelopeOf is a packet with its values dropped, for comparing
// envelopes.
func envelopeOf(p *amf.Packet) *amf.Packet {
	c := &amf.Packet{Version: p.Version, Headers: slicesClone(p.Headers), Messages: slicesClone(p.Messages)}
	for i := range c.Headers {
		c.Headers[i].Value = nil
	}
	for i := range c.Messages {
		c.Messages[i].Value = nil
	}
	return c
}

func slicesClone[T any](s []T) []T { return append([]T{}, s...) }

// checkPacket holds RenderTo's JSON of a packet (the streamed path,
// packetdirect.go) to Render's (the value path: amf.UnmarshalPacket, then
// AppendPacket), both after Load as "amfcall convert" calls them: the
// same bytes, warnings and error, or the input left to Render with
// nothing written. It reports whether RenderTo took the input.
func checkPacket(t *testing.T, data []byte, in InSpec, o Options) bool {
	t.Helper()
	src, err := Load(bytes.Clone(data), "in", in)
	if err != nil || !(src.Kind == KindPacket && src.parts != nil || src.Kind == KindSOL && src.sol != nil) {
		return false
	}
	if src.Kind == KindSOL {
		// The names are UnmarshalSOL's.
		full, err := amf.UnmarshalSOL(src.Data)
		if err != nil {
			t.Fatalf("%x: ScanSOL read a file that UnmarshalSOL does not: %v", data, err)
		}
		names := func(s *amf.SOL) []string {
			out := []string{s.Name, s.Version.String()}
			for _, m := range s.Members {
				out = append(out, m.Name)
			}
			return out
		}
		if got, want := names(src.SOL), names(full); !reflect.DeepEqual(got, want) {
			t.Fatalf("%x: names\nscan  %q\nmodel %q", data, got, want)
		}
	} else {
		// The envelope is UnmarshalPacket's.
		m, _ := amf.DecOptions{UnregisteredArgs: in.PyAMFArgs}.DecMode()
		// A wrong count, read as its bytes say (read17).
		full, err := m.WithCount(src.Count).UnmarshalPacket(src.Data)
		if err != nil {
			t.Fatalf("%x: ScanPacket read a packet that UnmarshalPacket does not: %v", data, err)
		}
		if got, want := envelopeOf(src.Packet), envelopeOf(full); !reflect.DeepEqual(got, want) {
			t.Fatalf("%x: envelope\nscan  %+v\nmodel %+v", data, got, want)
		}
	}
	ref, _ := Load(bytes.Clone(data), "in", in)
	var mw, dw []string
	mo, do := o, o
	mo.Warn = func(s string) { mw = append(mw, s) }
	do.Warn = func(s string) { dw = append(dw, s) }
	tg := Target{Format: "json"}
	model, merr := ref.Render(tg, &mo)
	var buf bytes.Buffer
	ok, derr := src.RenderTo(&buf, tg, &do)
	if !ok {
		if buf.Len() > 0 || len(dw) > 0 || derr != nil {
			t.Fatalf("%x: RenderTo wrote %q, warned %q, said %v and left the input to Render", data, buf.Bytes(), dw, derr)
		}
		if !o.Typed && src.Kind == KindPacket {
			t.Fatalf("%x: RenderTo did not take a packet to plain JSON", data)
		}
		return false
	}
	// The output limit is exact: both paths stop at the same place, with
	// the same warnings, and no more than the limit is written.
	if o.MaxOutput > 0 && int64(buf.Len()) > o.MaxOutput {
		t.Fatalf("%x: streamed %d bytes past a limit of %d", data, buf.Len(), o.MaxOutput)
	}
	if strings.Join(dw, "\n") != strings.Join(mw, "\n") {
		t.Fatalf("%x: streamed warns %q; value path %q", data, dw, mw)
	}
	if merr != nil || derr != nil {
		if merr == nil || derr == nil || merr.Error() != derr.Error() {
			t.Fatalf("%x: streamed: %v; value path: %v", data, derr, merr)
		}
		return true
	}
	if !bytes.Equal(buf.Bytes(), model) {
		t.Fatalf("%x %s:\nstreamed %s\nmodel    %s", data, o.Indent, buf.Bytes(), model)
	}
	return true
}

// packetInputs are the inputs of every file under testdata/ (the golden
// files, the PyAMF vectors and captures, the fuzz corpora), and of the
// shared vectors and captures where present.
func packetInputs(t *testing.T) [][]byte {
	roots := []string{"../testdata", "testdata", "../amf/testdata", "/work/shared/vectors", "/work/shared/captures"}
	var out [][]byte
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil && !strings.HasPrefix(root, "..") && root != "testdata" {
			continue // the shared folders exist only on the build machine
		}
		files, err := readTree(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if len(f.data) <= 1<<20 {
				out = append(out, corpusInputs(f.data)...)
			}
		}
	}
	return out
}

// TestPacketDirectDifferential converts every packet and .sol file
// among the test inputs through both paths, guessed and as --from packet
// or sol, with Flash's numbering and with --pyamf-args.
func TestPacketDirectDifferential(t *testing.T) {
	inputs := packetInputs(t)
	packets, taken := 0, 0
	for _, data := range inputs {
		for _, in := range []InSpec{{}, {Kind: KindPacket, KindSet: true}, {PyAMFArgs: true}, {Kind: KindSOL, KindSet: true}} {
			if src, err := Load(bytes.Clone(data), "in", in); err == nil && src.Kind == KindPacket && in == (InSpec{}) {
				packets++
			}
			for _, tc := range packetOptions {
				if checkPacket(t, data, in, tc.o) && tc.name == "typed" && in == (InSpec{}) {
					taken++
				}
			}
		}
	}
	t.Logf("%d inputs, %d packets, %d typed by the streamed path", len(inputs), packets, taken)
	if taken < atLeast(100) {
		t.Errorf("only %d packets taken by the streamed path", taken)
	}
}

// FuzzPacketDirect holds the streamed JSON of a packet to the value
// path's, on the test inputs and what the fuzzer makes of them.
func FuzzPacketDirect(f *testing.F) {
	for _, name := range []string{"../testdata/pyamf/captures/*", "../testdata/golden/*.amfpkt", "../testdata/sol/*.sol", "../amf/testdata/fuzz/FuzzDecodeSOL/*"} {
		files, _ := filepath.Glob(name)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 1<<16 {
				for _, in := range corpusInputs(data) {
					f.Add(in)
				}
			}
		}
	}
	for _, c := range amftest.SwitchedCases() {
		f.Add(c.Packet)
	}
	for _, v := range refsBackValues() {
		if data, err := refsBackPacket(v); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range []InSpec{{Kind: KindPacket, KindSet: true}, {PyAMFArgs: true}, {Kind: KindSOL, KindSet: true}} {
			for _, tc := range packetOptions {
				checkPacket(t, data, in, tc.o)
			}
		}
	})
}

// TestPacketDirectCases holds the streamed path to the value path on
// packets made for what the test files hold little of: several headers
// and messages, lengths that are not exact, text that is not UTF-8 (the
// warning's pointer), a reply that contains itself (plain JSON's $ref),
// version-3 packets (typed "amf0"), references across 0x11 switches, and
// requests (Flash's and PyAMF's numbering).
func TestPacketDirectCases(t *testing.T) {
	self := &amf.Object{Class: "Node"}
	self.Members = []amf.Member{{Name: "name", Value: "caf\xe9"}, {Name: "self", Value: self}}
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: "v"}}}
	obj3 := amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{{Name: "a", Value: "text"}, {Name: "b", Value: &amf.Date{Ms: 1.5e12}}}}}
	obj3b := amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{{Name: "a", Value: "text"}, {Name: "c", Value: amf.Int(3)}}}}
	unknown := uint32(amf.UnknownLength)
	packets := []*amf.Packet{
		{Version: 3, Headers: []amf.Header{{Name: "Credentials", MustUnderstand: true, Value: shared}, {Name: "h\xe92", Value: amf.AVMPlus{Value: "x"}, Length: &unknown}},
			Messages: []amf.Message{
				{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amftest.W1(20)}},
				{Target: "/2/onStatus", Response: "null", Value: self, Length: &unknown},
				{Target: "/3/onResult", Response: "", Value: &amf.Array{Dense: []any{shared, shared, obj3, obj3b}}, CrossEscapeRefs: true},
				{Target: "svc.echo", Response: "/4", Value: &amf.Array{Dense: []any{obj3, obj3b}}, CrossEscapeRefs: true},
				{Target: "svc.none", Response: "/5", Value: &amf.Array{}},
				{Target: "/7/onResult", Response: "null", Value: "caf\xe9 \xff"},
			}},
		{Version: 0, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: []any{self, self, amf.AVMPlus{Value: self}}}}}},
		{Version: 3, Messages: []amf.Message{{Target: "svc.m", Response: "/1", Value: &amf.Array{Dense: []any{"a", amf.Int(1)}}}}},
		{Version: 0},
		// A request with AMF0 references: the value path's (streamed
		// false below).
		{Version: 0, Messages: []amf.Message{{Target: "svc.refs", Response: "/6", Value: &amf.Array{Dense: []any{shared, shared}}}}},
	}
	for i, p := range packets {
		data, err := amf.MarshalPacket(p)
		if err != nil {
			t.Fatal(i, err)
		}
		for _, in := range []InSpec{{}, {PyAMFArgs: true}} {
			for _, tc := range packetOptions {
				for _, cut := range []int{len(data), len(data) - 1} {
					checkPacket(t, data[:cut], in, tc.o)
				}
			}
		}
		if src, err := Load(bytes.Clone(data), "in", InSpec{}); err != nil || (src.parts != nil) != (i < len(packets)-1) {
			t.Errorf("packet %d: streamed %v (%v)", i, src.parts != nil, err)
		}
	}
}

// TestSOLDirectCases holds the streamed path to the value path on .sol
// files made for what the test files hold little of: AMF0 and AMF3,
// references across members, text that is not UTF-8 in names and
// values, a value that contains itself, names that start with "$", a
// value that refers to the data object (the value path's), an AMF0 file
// with AMF3 values (typed: the value path's), no member; each cut short
// too.
func TestSOLDirectCases(t *testing.T) {
	self := &amf.Object{}
	self.Members = []amf.Member{{Name: "n", Value: amf.Int(1)}, {Name: "me", Value: self}}
	shared := &amf.Object{Class: "com.example.P", Members: []amf.Member{{Name: "k", Value: "v\xe9"}}}
	members := []amf.Member{
		{Name: "a", Value: shared}, {Name: "caf\xe9", Value: shared}, {Name: "$id", Value: "x"},
		{Name: "list", Value: &amf.Array{Dense: []any{shared, amf.Int(2), &amf.Date{Ms: 1.5e12}}}},
		{Name: "self", Value: self}, {Name: "w1", Value: amftest.W1(5)},
		{Name: "vec", Value: &amf.Vector{Type: amf.VectorInt, Ints: []int32{1, -2}}},
	}
	data0 := &amf.Object{}
	cases := []struct {
		s        *amf.SOL
		streamed bool
	}{
		{&amf.SOL{Name: "prefs", Version: amf.AMF3, Members: members}, true},
		{&amf.SOL{Name: "prefs0", Version: amf.AMF0, Members: members[:6]}, true},
		{&amf.SOL{Name: "empty", Version: amf.AMF3}, true},
		{&amf.SOL{Name: "n\xe9", Version: amf.AMF0}, true},
		{&amf.SOL{Name: "data", Version: amf.AMF0, Data: data0, Members: []amf.Member{{Name: "d", Value: data0}}}, false},
		{&amf.SOL{Name: "mixed", Version: amf.AMF0, Members: []amf.Member{{Name: "x", Value: amf.AVMPlus{Value: shared}}, {Name: "y", Value: shared}}}, true},
	}
	for i, tc := range cases {
		data, err := amf.MarshalSOL(tc.s)
		if err != nil {
			t.Fatal(i, err)
		}
		for _, tco := range packetOptions {
			for _, cut := range []int{len(data), len(data) - 1} {
				d := bytes.Clone(data[:cut])
				if cut < len(data) {
					binary.BigEndian.PutUint32(d[2:], uint32(cut-6))
				}
				checkPacket(t, d, InSpec{}, tco.o)
			}
		}
		src, err := Load(bytes.Clone(data), "in", InSpec{})
		if err != nil || src.Kind != KindSOL {
			t.Fatalf("sol %d: %v", i, err)
		}
		var buf bytes.Buffer
		ok, err := src.RenderTo(&buf, Target{Format: "json"}, &Options{})
		if ok != tc.streamed || err != nil {
			t.Errorf("sol %d: streamed %v, want %v (%v)", i, ok, tc.streamed, err)
		}
	}
}

// TestPacketDirectSwitches holds the streamed path to the value path on
// version-3 replies whose value is a strict array of items each
// switched to AMF3 (amftest.SwitchedCases: references across the
// switches to strings, traits, objects and dates, and ones that do not
// resolve), and on batches of W1 items written with and without
// references across the switches: the streamed path takes every one
// that decodes, typed JSON says "crossEscapeRefs" where the case has
// such a reference, and one that does not decode fails as the value
// path fails, with the offset of the reference.
func TestPacketDirectSwitches(t *testing.T) {
	cases := amftest.SwitchedCases()
	shared := &amf.Object{Class: "P", Members: []amf.Member{{Name: "k", Value: "v"}}}
	date := &amf.Date{Ms: 1.5e12}
	for _, cross := range []bool{false, true} {
		items := amftest.W1(40).Dense
		items = append(items, shared, date, shared, "product-01", date)
		for i, v := range items {
			items[i] = amf.AVMPlus{Value: v}
		}
		data, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
			{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: items}, CrossEscapeRefs: cross}}})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, amftest.SwitchedCase{Name: "W1 batch", Packet: data, Cross: cross, Valid: true})
	}
	// An AMF0 typed object whose members switch to AMF3 objects: the
	// traits rule asks for its members before they are all read
	// (traitsClash), typed JSON takes the value path; plain JSON streams.
	typed0 := &amf.Object{Class: "T", Members: []amf.Member{
		{Name: "x", Value: amf.AVMPlus{Value: shared}}, {Name: "y", Value: amf.AVMPlus{Value: &amf.Object{Class: "T"}}}}}
	clash, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: typed0}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range packetOptions {
		if took := checkPacket(t, clash, InSpec{}, tc.o); took == tc.o.Typed {
			t.Errorf("typed object of switches %s: streamed %v", tc.name, took)
		}
	}
	for _, c := range cases {
		for _, tc := range packetOptions {
			for _, in := range []InSpec{{}, {Kind: KindPacket, KindSet: true}} {
				if took := checkPacket(t, c.Packet, in, tc.o); took != c.Valid {
					t.Errorf("%s %s: streamed %v", c.Name, tc.name, took)
				}
			}
			checkPacket(t, c.Packet[:len(c.Packet)-1], InSpec{Kind: KindPacket, KindSet: true}, tc.o)
		}
		src, err := Load(bytes.Clone(c.Packet), "in", InSpec{Kind: KindPacket, KindSet: true})
		if !c.Valid {
			var out []byte
			if err == nil {
				out, err = src.Render(Target{Format: "json"}, &Options{})
			}
			if err == nil || !strings.Contains(err.Error(), "offset") {
				t.Errorf("%s: %q, %v", c.Name, out, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(c.Name, err)
		}
		var buf bytes.Buffer
		if ok, err := src.RenderTo(&buf, Target{Format: "json"}, &Options{Typed: true}); !ok || err != nil {
			t.Fatalf("%s: streamed %v: %v", c.Name, ok, err)
		}
		if got := bytes.Contains(buf.Bytes(), []byte(`"crossEscapeRefs":true`)); got != c.Cross {
			t.Errorf("%s: crossEscapeRefs %v in %s", c.Name, got, buf.Bytes())
		}
	}
}

// TestPacketLimitWarning holds the charset warning of plain JSON to the
// output kept: with a limit that only the packet's closing bytes pass,
// the conversion fails and gives no warning, on both paths; with a
// limit that only the newline passes, both warn and fail (the value
// path checks the limit before the newline, then again after it).
func TestPacketLimitWarning(t *testing.T) {
	data, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "caf\xe9"}}})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":"café"}]}` + "\n"
	const warning = `1 string is not UTF-8 (the first at "/messages/0/value"): printed as windows-1252 text; the typed form keeps the bytes ({"$latin1": ...})`
	n := int64(len(want))
	for _, tc := range []struct {
		limit int64
		fail  bool
		warns int
	}{
		{n - 4, true, 0}, // inside the closing "}]}"
		{n - 2, true, 0}, // the last "}"
		{n - 1, true, 1}, // the newline
		{n, false, 1},
	} {
		o := Options{MaxOutput: tc.limit}
		if !checkPacket(t, data, InSpec{}, o) {
			t.Fatalf("limit %d: RenderTo did not take the packet", tc.limit)
		}
		src, err := Load(bytes.Clone(data), "in", InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		var warns []string
		o.Warn = func(s string) { warns = append(warns, s) }
		var buf bytes.Buffer
		_, err = src.RenderTo(&buf, Target{Format: "json"}, &o)
		if wantErr := "in: json: plain output exceeds " + strconv.FormatInt(tc.limit, 10) + " bytes (shared values expand at each use; a reference bomb?)"; tc.fail && fmt.Sprint(err) != wantErr || !tc.fail && err != nil {
			t.Errorf("limit %d: error %v", tc.limit, err)
		}
		if len(warns) != tc.warns || tc.warns > 0 && warns[0] != warning {
			t.Errorf("limit %d: warnings %q, want %d", tc.limit, warns, tc.warns)
		}
		// The bytes up to the limit are written, as the limit writer
		// passes them (amfcall convert to standard output).
		if got := buf.String(); tc.fail && got != want[:tc.limit] || !tc.fail && got != want {
			t.Errorf("limit %d: wrote %q", tc.limit, got)
		}
	}
}

// TestPacketDirectRefsBack holds plain JSON of multi-switch values with
// references back to other switches' values (amf.PacketPart.RefsBack),
// which the plain writer reads again with the Reader's FreshSwitches
// (each such value with its own switch's tables, rebuilt), to the value
// path: an object of the first switch used in the last; one used from
// inside an object of a later switch that is itself used again (a
// replay within a replay, each of its own switch); a mixed array and a
// typed object with strings and traits of their switch; a cycle across
// switches; and an AMF0 object holding switches, used twice.
func TestPacketDirectRefsBack(t *testing.T) {
	values := refsBackValues()
	// More switches than a chunk of the Reader's marks (4096), with
	// references into the first chunk and the second.
	batch := amftest.W1(5000).Dense
	batch = append(batch, batch[4500], batch[0], batch[4097], batch[4096], batch[4095])
	for i, v := range batch {
		batch[i] = amf.AVMPlus{Value: v}
	}
	values["5000 switches"] = &amf.Array{Dense: batch}
	for name, v := range values {
		data, err := refsBackPacket(v)
		if err != nil {
			t.Fatal(name, err)
		}
		_, _, ms, ok := amf.ScanPacket(data)
		if !ok || !ms[0].FreshSwitches || !ms[0].RefsBack {
			t.Fatalf("%s: scan %v %+v: not the shape under test", name, ok, ms)
		}
		for _, tc := range packetOptions {
			if !checkPacket(t, data, InSpec{}, tc.o) && !tc.o.Typed {
				t.Errorf("%s %s: not streamed", name, tc.name)
			}
		}
		// Limits that stop the output inside the values read again.
		src, err := Load(bytes.Clone(data), "in", InSpec{})
		if err != nil {
			t.Fatal(name, err)
		}
		full, err := src.Render(Target{Format: "json"}, &Options{})
		if err != nil {
			t.Fatal(name, err)
		}
		for limit := int64(1); limit <= int64(len(full)); limit += 7 + int64(len(full)/20) {
			checkPacket(t, data, InSpec{}, Options{MaxOutput: limit})
		}
	}
}

// refsBackPacket is a version-3 reply of the value v.
func refsBackPacket(v any) ([]byte, error) {
	return amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: v}}})
}

// refsBackValues are the small values of TestPacketDirectRefsBack (also
// seeds of FuzzPacketDirect).
func refsBackValues() map[string]any {
	first := &amf.Object{Class: "P", Members: []amf.Member{{Name: "name", Value: "first-name"}, {Name: "tag", Value: "caf\xe9"},
		{Name: "mixed", Value: &amf.Array{Assoc: []amf.Member{{Name: "k", Value: "first-name"}}, Dense: []any{"d", "first-name"}}}}}
	second := &amf.Object{Class: "Q", Members: []amf.Member{{Name: "name", Value: "second"}, {Name: "p", Value: first}}}
	loop := &amf.Object{Class: "L", Members: []amf.Member{{Name: "name", Value: "loop"}}}
	loop.Members = append(loop.Members, amf.Member{Name: "self", Value: loop})
	filler := func(s string) any {
		return &amf.Object{Class: "P", Members: []amf.Member{{Name: "name", Value: s}, {Name: "tag", Value: s + s}}}
	}
	obj0 := &amf.Object{Members: []amf.Member{{Name: "a", Value: amf.AVMPlus{Value: filler("in-a")}}, {Name: "b", Value: amf.AVMPlus{Value: first}}}}
	values := map[string]any{
		"first used last": &amf.Array{Dense: []any{amf.AVMPlus{Value: first}, amf.AVMPlus{Value: filler("x")}, amf.AVMPlus{Value: filler("y")},
			amf.AVMPlus{Value: first}}},
		"replay within replay": &amf.Array{Dense: []any{amf.AVMPlus{Value: first}, amf.AVMPlus{Value: filler("x")}, amf.AVMPlus{Value: second},
			amf.AVMPlus{Value: filler("z")}, amf.AVMPlus{Value: &amf.Array{Dense: []any{filler("w"), second, first}}}}},
		"cycle": &amf.Array{Dense: []any{amf.AVMPlus{Value: loop}, amf.AVMPlus{Value: filler("x")}, amf.AVMPlus{Value: loop}}},
		"AMF0 object of switches": &amf.Array{Dense: []any{amf.AVMPlus{Value: filler("x")}, obj0, amf.AVMPlus{Value: filler("y")}, obj0,
			amf.AVMPlus{Value: first}}},
	}
	return values
}

// TestPacketSwitchReplayLimit converts a hostile reply to plain JSON:
// references that go round 30 switches whose string tables are more
// than the token Reader keeps (amf.SwitchReplayError), so that each one
// rebuilds its switch's tables. The conversion stops with the Reader's
// error, naming the reference's offset, instead of keeping every table
// (memory that grew as the input's whole value model did); typed JSON,
// which reads nothing again, converts it.
func TestPacketSwitchReplayLimit(t *testing.T) {
	data := amftest.SwitchedRoundRobin(30, 60_000, 4000) // 60,000 table strings a switch: 480 KB of entries (8 bytes each), 14 MB for 30
	_, _, ms, ok := amf.ScanPacket(data)
	if !ok || !ms[0].FreshSwitches || !ms[0].RefsBack {
		t.Fatalf("scan %v %+v: not the shape under test", ok, ms)
	}
	src, err := Load(data, "in", InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_, err = src.RenderTo(&out, Target{Format: "json"}, &Options{})
	var se *amf.SyntaxError
	var be *amf.SwitchReplayError
	if !errors.As(err, &se) || !errors.As(err, &be) {
		t.Fatalf("plain JSON: %v, want an amf.SwitchReplayError", err)
	}
	// The references start after the 30 switches of strings; each is 3
	// bytes (0x11, 0x0A and a U29 of one byte).
	first := len(data) - 3*4000
	if se.Offset < int64(first) || (se.Offset-int64(first))%3 != 1 || be.At != se.Offset {
		t.Errorf("error at %d (%d), not a reference's offset (from %d): %v", se.Offset, be.At, first, err)
	}
	if !strings.Contains(err.Error(), "/messages/0/value/") {
		t.Errorf("the error does not name the value: %v", err)
	}
	if _, err := src.RenderTo(io.Discard, Target{Format: "json"}, &Options{Typed: true}); err != nil {
		t.Errorf("typed JSON: %v", err)
	}
}
