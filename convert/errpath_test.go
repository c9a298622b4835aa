package convert

// Input that fails to decode gets its error from the token pass, not
// from the value decoder after it has built every value before the error
// (issue 7). These tests hold that error to the value decoder's, called
// here explicitly: the same text (offset, path), the same kind of error
// (and so the same exit code and hint).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// errpathInputs are the inputs the differential tests read: every file
// under the test data (golden files, PyAMF vectors and captures, the fuzz
// corpora of amf/, convert/ and client/), the shared ones where present,
// and hostile shapes.
func errpathInputs(t *testing.T) [][]byte {
	t.Helper()
	var ins [][]byte
	roots := []string{"../testdata", "testdata", "../amf/testdata", "../client/testdata/fuzz", "/work/shared/vectors/pyamf", "/work/shared/captures/pyamf"}
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil && strings.HasPrefix(root, "/work/shared") {
			continue // only on the build machine
		}
		files, err := readTree(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.Contains(f.path, "/bench/") && len(f.data) <= 256<<10 {
				ins = append(ins, corpusInputs(f.data)...)
			}
		}
	}
	return append(ins, hostileShapes()...)
}

// hostileShapes are small inputs that fail in each way the decoder
// checks, as bare values and inside packets.
func hostileShapes() [][]byte {
	deep3 := append(bytes.Repeat([]byte{0x09, 0x03, 0x01}, 600), 0x01) // AMF3 arrays nested past MaxDepth
	deep0 := append(bytes.Repeat([]byte{0x0A, 0, 0, 0, 1}, 600), 0x05) // AMF0 strict arrays
	vals := [][]byte{
		deep3, deep0,
		append([]byte{0x11}, deep3...),             // through the switch
		{0x14},                                     // no such marker
		{0x09, 0x03, 0x01, 0x14},                   // inside an array
		{0x06, 0x0B, 'a', 'b'},                     // a string longer than the input
		{0x02, 0xFF, 0xFF, 'a'},                    // AMF0 string length past the end
		{0x0A, 0xFF, 0xFF, 0xFF, 0xFF},             // AMF0 strict array count past the input
		{0x09, 0xFF, 0xFF, 0xFF, 0x7F, 0x01},       // AMF3 array count past the input
		{0x06, 0x05, 0xC3, 0x28},                   // bad UTF-8
		{0x02, 0x00, 0x02, 0xFF, 0xFE},             // bad UTF-8, AMF0
		{0x09, 0x05, 0x01, 0x0A, 0x03, 0x01, 0x0A}, // an object cut short
		{0x0A, 0x05},                               // an AMF3 object reference to an empty table
		{0x06, 0x07},                               // a string reference to an empty table
		{0x07, 0x00, 0x05},                         // an AMF0 reference to an empty table
		{0x09, 0x05, 0x01, 0x0A, 0x07, 0x01},       // traits reference out of range
		{0x0C, 0x09, 1, 2},                         // ByteArray cut short
		{0x11, 0x11, 0x11},                         // switches, then nothing
		{0x03, 0x00, 0x01, 'a', 0x05, 0x00, 0x00},  // AMF0 object without its end
	}
	out := append([][]byte(nil), vals...)
	for _, v := range vals {
		// As a reply's and a request's value, and a header's.
		for _, target := range []string{"/1/onResult", "svc.echo"} {
			p := []byte{0, 3, 0, 0, 0, 1}
			p = append(p, byte(len(target)>>8), byte(len(target)))
			p = append(p, target...)
			p = append(p, 0, 2, '/', '1', 0xFF, 0xFF, 0xFF, 0xFF)
			p = append(p, v...)
			out = append(out, p)
		}
		h := []byte{0, 3, 0, 1, 0, 1, 'h', 0, 0, 0, 0, 0}
		out = append(out, append(h, v...))
	}
	return out
}

// cuts are data and its truncations: at every byte for small inputs,
// at 48 places spread over a larger one.
func cuts(data []byte) [][]byte {
	out := [][]byte{data}
	step := 1
	if len(data) > 192 {
		step = len(data) / 48
	}
	for n := 0; n < len(data); n += step {
		out = append(out, data[:n])
	}
	return out
}

// TestValidIsUnmarshalAllError: amf.Valid, which withValues, valueHint,
// amf0Instead and decodesAll now ask first, gives amf.UnmarshalAll's
// error, or nil exactly when it decodes.
func TestValidIsUnmarshalAllError(t *testing.T) {
	n, failed := 0, 0
	for _, in := range errpathInputs(t) {
		for _, d := range cuts(in) {
			for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
				n++
				_, want := amf.UnmarshalAll(d, ver)
				got := amf.Valid(d, ver)
				if errText(got) != errText(want) {
					t.Fatalf("%v % x:\nValid:         %v\nUnmarshalAll:  %v", ver, cut64(d), got, want)
				}
				if want != nil {
					failed++
				}
			}
		}
	}
	t.Logf("%d inputs, %d failing", n, failed)
	if failed < atLeast(1000) {
		t.Errorf("only %d failing inputs", failed)
	}
}

// TestPacketErrorIsUnmarshalPacketError: the token pass over a packet
// gives UnmarshalPacket's error, for Flash's numbering and PyAMF's, or
// says it cannot tell (a request's AMF0 references), which must be rare.
func TestPacketErrorIsUnmarshalPacketError(t *testing.T) {
	n, failed, unknown := 0, 0, 0
	for _, in := range errpathInputs(t) {
		if len(in) < 2 || in[0] != 0 || (in[1] != 0 && in[1] != 1 && in[1] != 3) {
			continue
		}
		for _, d := range cuts(in) {
			for _, pyamf := range []bool{false, true} {
				m, _ := amf.DecOptions{UnregisteredArgs: pyamf}.DecMode()
				n++
				_, want := m.UnmarshalPacket(d)
				got, known := m.PacketError(d)
				if !known {
					unknown++
					continue
				}
				if errText(got) != errText(want) || errors.As(got, new(*amf.TrailingDataError)) != errors.As(want, new(*amf.TrailingDataError)) {
					t.Fatalf("pyamf %v % x:\nPacketError:     %v\nUnmarshalPacket: %v", pyamf, cut64(d), got, want)
				}
				if want != nil {
					failed++
				}
			}
		}
	}
	t.Logf("%d packets, %d failing, %d left to the value model", n, failed, unknown)
	if failed < atLeast(500) || unknown > n/50 {
		t.Errorf("%d failing packets, %d of %d left to the value model", failed, unknown, n)
	}
}

// TestPacketErrorLimits: the limits (references, elements, depth) stop
// the token pass where they stop the value decoder, with a mode whose
// limits small inputs reach.
func TestPacketErrorLimits(t *testing.T) {
	m, err := amf.DecOptions{MaxReferences: 16, MaxElements: 64, MaxDepth: 4}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	objs := []byte{0x09, 0x29, 0x01} // 20 empty objects
	for i := 0; i < 20; i++ {
		objs = append(objs, 0x0A, 0x0B, 0x01, 0x01)
	}
	objs0 := []byte{0x0A, 0, 0, 0, 20} // 20 AMF0 objects
	for i := 0; i < 20; i++ {
		objs0 = append(objs0, 0x03, 0, 0, 0x09)
	}
	strs := []byte{0x09, 0x29, 0x01} // 20 strings
	for i := 0; i < 20; i++ {
		strs = append(strs, 0x06, 0x03, byte('a'+i))
	}
	deep := append(bytes.Repeat([]byte{0x09, 0x03, 0x01}, 6), 0x01)
	limited := 0
	sw := func(b []byte) []byte { return append([]byte{0x11}, b...) }
	big0 := []byte{0x0A, 0, 0, 0, 80} // AMF0 strict array over MaxElements
	for i := 0; i < 80; i++ {
		big0 = append(big0, 0x05)
	}
	for _, v := range [][]byte{sw(objs), objs0, sw(strs), sw(deep), big0} {
		for _, target := range []string{"/1/onResult", "svc.echo"} {
			p := []byte{0, 3, 0, 0, 0, 1}
			p = append(p, 0, byte(len(target)))
			p = append(p, target...)
			p = append(p, 0, 2, '/', '1', 0, 0, 0, 0)
			p = append(p, v...)
			_, want := m.UnmarshalPacket(p)
			got, known := m.PacketError(p)
			if !known || errText(got) != errText(want) {
				t.Errorf("% x: PacketError %v (known %v); UnmarshalPacket %v", p, got, known, want)
			}
			if amf.IsLimit(want) {
				limited++
			}
		}
	}
	if limited < 10 {
		t.Errorf("only %d inputs reached a limit", limited)
	}
}

// TestSOLErrorIsUnmarshalSOLError: the same for .sol files, cut at every
// byte with the header's length made to fit (else the length is the
// error), and with hostile values in place of their first value.
func TestSOLErrorIsUnmarshalSOLError(t *testing.T) {
	n, failed := 0, 0
	check := func(d []byte) {
		n++
		_, want := amf.UnmarshalSOL(d)
		got := amf.SOLError(d)
		if errText(got) != errText(want) {
			t.Fatalf("% x:\nSOLError:     %v\nUnmarshalSOL: %v", cut64(d), got, want)
		}
		if want != nil {
			failed++
			// And as "amfcall convert x.sol" says it (Load).
			if _, err := Load(d, "x.sol", InSpec{}); amf.IsSOL(d) && errText(err) != "x.sol: "+want.Error() {
				t.Fatalf("Load % x: %v, want x.sol: %v", cut64(d), err, want)
			}
		}
	}
	var sols [][]byte
	for _, in := range errpathInputs(t) {
		if amf.IsSOL(in) {
			sols = append(sols, in)
		}
	}
	for _, ver := range []byte{0, 3} {
		for _, v := range hostileShapes() {
			if len(v) > 0 && v[0] == 0 {
				continue // a packet
			}
			d := []byte{0x00, 0xBF, 0, 0, 0, 0, 'T', 'C', 'S', 'O', 0, 4, 0, 0, 0, 0, 0, 1, 's', 0, 0, 0, ver}
			if ver == 0 {
				d = append(d, 0, 1, 'k')
			} else {
				d = append(d, 0x03, 'k')
			}
			sols = append(sols, append(d, v...))
		}
	}
	for _, in := range sols {
		for _, d := range cuts(in) {
			d = bytes.Clone(d)
			check(d)
			if len(d) >= 6 {
				binary.BigEndian.PutUint32(d[2:], uint32(len(d)-6))
				check(d)
			}
		}
	}
	t.Logf("%d .sol inputs, %d failing", n, failed)
	if failed < atLeast(500) {
		t.Errorf("only %d failing .sol inputs", failed)
	}
}

// TestTypedDirectErrorIsValuePath: the typed direct writer, which no
// longer leaves failing input to the value path, gives its error.
func TestTypedDirectErrorIsValuePath(t *testing.T) {
	failed := 0
	for _, in := range errpathInputs(t) {
		for _, d := range cuts(in) {
			for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
				_, want := appendAMFModel(nil, d, ver, &Options{Typed: true})
				var buf bytes.Buffer
				ok, got := writeTypedDirect(&buf, d, ver, &Options{Typed: true})
				if !ok && got == nil {
					continue // not taken, and no error: Render converts it
				}
				if want == nil {
					if !ok || got != nil {
						t.Fatalf("%v % x: direct (%v, %v) of input that decodes", ver, cut64(d), ok, got)
					}
					continue
				}
				failed++
				if errText(got) != errText(want) {
					t.Fatalf("%v % x:\ndirect:     %v\nvalue path: %v", ver, cut64(d), got, want)
				}
				if !ok && buf.Len() > 0 {
					t.Fatalf("%v % x: %d bytes written before the error", ver, cut64(d), buf.Len())
				}
			}
		}
	}
	if failed < atLeast(1000) {
		t.Errorf("only %d failing inputs", failed)
	}
}

// TestConvertErrorIsValuePath runs the pipeline as "amfcall convert"
// does (Load, RenderTo, else Render) for bare values of a version the
// name gives, plain and typed, and for packets as asked and as guessed;
// the error and its kind (InputError and why, which decide the exit code
// and hint) are what the value decoder's error gives, worked out here
// from amf.UnmarshalAll and amf.UnmarshalPacket as the pipeline did.
func TestConvertErrorIsValuePath(t *testing.T) {
	checked := 0
	for _, in := range errpathInputs(t) {
		for i, d := range cuts(in) {
			if len(d) == 0 || i%10 != 0 {
				continue // a tenth of the cuts: it runs the whole pipeline
			}
			for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
				name := "x.amf"
				_, verr := amf.UnmarshalAll(d, ver)
				if verr == nil {
					continue
				}
				other := amf.AMF0
				if ver == amf.AMF0 {
					other = amf.AMF3
				}
				want, why := name+": "+verr.Error(), WhyNone
				if vs, e := amf.UnmarshalAll(d, other); e == nil && len(vs) > 0 {
					why = WhyOtherVersion
				}
				for _, typed := range []bool{false, true} {
					err := convertErr(d, name, InSpec{Kind: KindValue, KindSet: true, Version: ver}, typed)
					checked++
					if errText(err) != want || whyOf(err) != why {
						t.Fatalf("%s typed %v % x:\ngot  %v (why %d)\nwant %s (why %d)", name, typed, cut64(d), err, whyOf(err), want, why)
					}
				}
			}
			if !packetVersion(d) {
				continue
			}
			for _, pyamf := range []bool{false, true} {
				m, _ := amf.DecOptions{UnregisteredArgs: pyamf}.DecMode()
				_, perr := m.UnmarshalPacket(d)
				if fixed, fix := m.Recount(d); perr != nil && fix != nil {
					if _, ferr := m.UnmarshalPacket(fixed); ferr == nil {
						perr = nil // a wrong count: read as its bytes say (read17)
					}
				}
				in := InSpec{Kind: KindPacket, KindSet: true, PyAMFArgs: pyamf}
				src, err := Load(d, "x.amf", in)
				if perr == nil || src != nil && src.Skipped != nil {
					continue // it decodes, or a packet after text
				}
				checked++
				if want := "x.amf: " + perr.Error(); errText(err) != want {
					t.Fatalf("--from packet (pyamf %v) % x:\ngot  %v\nwant %s", pyamf, cut64(d), err, want)
				}
			}
			// The guess: the direct scan (Load's) against the value
			// decoder's (Detect's).
			g, want := detect(d, true, true), detect(d, true, false)
			if g.Kind != want.Kind || errText(g.Err) != errText(want.Err) || (g.Packet == nil) != (want.Packet == nil) {
				t.Fatalf("detect % x: got %v %v, want %v %v", cut64(d), g.Kind, g.Err, want.Kind, want.Err)
			}
		}
	}
	if checked < atLeast(2000) {
		t.Errorf("only %d failing conversions checked", checked)
	}
}

// convertErr is the error of converting data to JSON as commands/convert.go
// does it.
func convertErr(data []byte, name string, in InSpec, typed bool) error {
	src, err := Load(data, name, in)
	if err != nil {
		return err
	}
	tg, err := src.Target(OutSpec{Format: "json"})
	if err != nil {
		return err
	}
	o := &Options{Typed: typed}
	ok, err := src.RenderTo(io.Discard, tg, o)
	if !ok {
		_, err = src.Render(tg, o)
	}
	return err
}

func whyOf(err error) Why {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Why
	}
	return WhyNone
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// cut64 is the start of d, for messages.
func cut64(d []byte) []byte { return d[:min(len(d), 64)] }

// TestFramesErrorIsValuePath: AMF Socket frames that do not all read
// give, through RenderTo, the error, warnings and output (none) that
// Render gives through AppendFrames, the value decoder's frame reader:
// captures cut anywhere, a bad frame after good ones (with bytes after
// a value, which warn), and output limits that the frames before the
// bad one reach first.
func TestFramesErrorIsValuePath(t *testing.T) {
	var caps [][]byte
	for _, in := range errpathInputs(t) {
		if IsFrames(in) {
			caps = append(caps, in)
		}
	}
	frame := func(v []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(len(v))), v...)
	}
	good := frame([]byte{0x0A, 0x0B, 0x01, 0x03, 'a', 0x06, 0x07, 'x', 'y', 'z', 0x01})
	trail := frame([]byte{0x06, 0x03, 'q', 0xEE, 0xEE}) // two bytes after its value
	for _, v := range hostileShapes() {
		if len(v) > 0 && v[0] != 0 {
			caps = append(caps, slices.Concat(good, trail, good, frame(v), good))
		}
	}
	caps = append(caps, slices.Concat(good, []byte{0, 0, 0, 0}), slices.Concat(good, []byte{0xFF, 0, 0, 0, 1}))
	if len(caps) < 20 {
		t.Fatalf("only %d captures", len(caps))
	}
	n, failed, warned, limited := 0, 0, 0, 0
	for _, in := range caps {
		for _, d := range cuts(in) {
			p := plainPool.Get().(*plainConv)
			_, ferr := framesError(d, p)
			p.release()
			if len(d) == 0 || ferr == nil {
				continue // every frame reads: RenderTo streams them (and the output up to a limit, which Render does not)
			}
			for _, typed := range []bool{false, true} {
				for _, limit := range []int64{0, 40, 100} {
					var wantWarn, gotWarn []string
					o := &Options{Typed: typed, MaxOutput: limit, Warn: func(s string) { wantWarn = append(wantWarn, s) }}
					src := &Source{Name: "x.frames", Kind: KindSocket, Data: d}
					tg := Target{Format: "json"}
					wantOut, want := src.Render(tg, o)
					if want == nil {
						continue
					}
					n++
					o.Warn = func(s string) { gotWarn = append(gotWarn, s) }
					var buf bytes.Buffer
					src = &Source{Name: "x.frames", Kind: KindSocket, Data: d}
					ok, got := src.RenderTo(&buf, tg, o)
					if !ok {
						continue // Render converts it, as before
					}
					failed++
					if len(wantWarn) > 0 {
						warned++
					}
					if errors.As(want, new(*OutputLimitError)) {
						limited++
					}
					if errText(got) != errText(want) || !bytes.Equal(buf.Bytes(), wantOut) || !slices.Equal(gotWarn, wantWarn) {
						t.Fatalf("typed %v limit %d % x:\nRenderTo %v %q %q\nRender   %v %q %q", typed, limit, cut64(d),
							got, buf.Bytes(), gotWarn, want, wantOut, wantWarn)
					}
				}
			}
		}
	}
	t.Logf("%d failing conversions, %d given their error by RenderTo (%d with warnings, %d at the output limit first)", n, failed, warned, limited)
	if failed < n*9/10 || failed < atLeast(200) || warned < atLeast(50) || limited < atLeast(50) {
		t.Errorf("%d of %d failing conversions given their error by RenderTo", failed, n)
	}
}

// FuzzErrorPaths: on any bytes, the token passes give the value
// decoder's error: amf.Valid (bare values of both versions), the typed
// direct writer, amf.PacketError, and the frames' (framesError, against
// AppendFrames).
func FuzzErrorPaths(f *testing.F) {
	for _, in := range hostileShapes() {
		f.Add(in)
	}
	f.Add(mustHex(f, "0000 0000 0001 0004 6563686f 0002 2f31 00000007 0a00000001 0200 0178"))
	f.Fuzz(func(t *testing.T, d []byte) {
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			_, want := amf.UnmarshalAll(d, ver)
			if got := amf.Valid(d, ver); errText(got) != errText(want) {
				t.Fatalf("%v: Valid %v, UnmarshalAll %v", ver, got, want)
			}
			ok, got := writeTypedDirect(io.Discard, d, ver, &Options{Typed: true})
			if (ok || got != nil) && want != nil && errText(got) != errText(want) {
				t.Fatalf("%v: typed direct %v, value path %v", ver, got, want)
			}
		}
		_, want := amf.UnmarshalPacket(d)
		if got, known := amf.PacketError(d); known && errText(got) != errText(want) {
			t.Fatalf("PacketError %v, UnmarshalPacket %v", got, want)
		}
		p := plainPool.Get().(*plainConv)
		_, ferr := framesError(d, p)
		p.release()
		if _, err := AppendFrames(nil, d, &Options{}); ferr != nil && errText(ferr) != errText(err) {
			t.Fatalf("framesError %v, AppendFrames %v", ferr, err)
		}
	})
}
