package convert

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// limitInputs are inputs for the output limit's differential test: bare
// values (one, several, with references, with a long string) and AMF
// Socket frames (several, one, with bytes after a value).
func limitInputs(t *testing.T) map[string]*Source {
	t.Helper()
	obj := &amf.Object{Members: []amf.Member{{Name: "name", Value: "shared"}, {Name: "n", Value: 1.5}}}
	vals := [][]any{
		{1.0},
		{"a", 2.0, true},
		{obj, obj, []any{obj, "name", "shared"}},
		{string(bytes.Repeat([]byte("x"), 300)), nil, []any{1.0, 2.0, 3.0}},
	}
	in := map[string]*Source{}
	for i, vs := range vals {
		var data, frames []byte
		for _, v := range vs {
			b, err := amf.Marshal(v, amf.AMF3)
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, b...)
			if frames, err = amf.AppendFrame(frames, v); err != nil {
				t.Fatal(err)
			}
		}
		in[fmt.Sprintf("values%d", i)] = &Source{Name: "in", Kind: KindValue, Version: amf.AMF3, VersionWhy: "as asked", Data: data}
		// AMF3 only guessed (no --from): RenderTo checks them first.
		in[fmt.Sprintf("values%d-guessed", i)] = &Source{Name: "in", Kind: KindValue, Version: amf.AMF3, VersionWhy: defaultVersion, Data: data}
		in[fmt.Sprintf("frames%d", i)] = &Source{Name: "in", Kind: KindSocket, Data: frames}
		a0, err := amf.Marshal(vs[len(vs)-1], amf.AMF0)
		if err != nil {
			t.Fatal(err)
		}
		in[fmt.Sprintf("values%d-amf0", i)] = &Source{Name: "in", Kind: KindValue, Version: amf.AMF0, VersionWhy: "as asked", Data: append(a0, a0...)}
		// AMF0 with no --from: found to be AMF0 before any output.
		in[fmt.Sprintf("values%d-amf0-guessed", i)] = &Source{Name: "in", Kind: KindValue, Version: amf.AMF3, VersionWhy: defaultVersion, Data: append(a0, a0...)}
	}
	// Frames with 2 bytes after the first value (a warning, dropped).
	f, _ := amf.AppendFrame(nil, []any{"a", "b"})
	f = append(f[:4:4], append(f[4:], 0x01, 0x01)...)
	f[3] += 2
	f, _ = amf.AppendFrame(f, "c")
	in["frames-trailing"] = &Source{Name: "in", Kind: KindSocket, Data: f}
	if data, err := os.ReadFile("../testdata/socket/bytearray-node-server.frames"); err == nil {
		in["capture"] = &Source{Name: "in", Kind: KindSocket, Data: data}
	}
	// A remoting packet (PyAMF's reply, a batch of two messages) and a
	// .sol file, through Load as the command reads them.
	for name, file := range map[string]string{"packet": "../testdata/pyamf/captures/default-batch.response.amf", "sol": "../testdata/sol/shared.sol"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src, err := Load(data, "in", InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		src.Name = "in"
		in[name] = src
	}
	// A .sol file the streamed writers take (shared.sol refers to its
	// data object: the value path writes it).
	sb, err := amf.MarshalSOL(&amf.SOL{Name: "prefs", Version: amf.AMF3, Members: []amf.Member{
		{Name: "user", Value: "alice"}, {Name: "o", Value: &amf.Object{Members: []amf.Member{{Name: "n", Value: amf.Int(1)}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(sb, "in", InSpec{})
	if err != nil || src.sol == nil {
		t.Fatalf("the .sol file is not streamed: %v", err)
	}
	in["sol-streamed"] = src
	// The paths that hold the output (RenderTo reports false): requests
	// whose AMF0 numbering is a guess, read as it fits or as
	// --pyamf-args says; a typed object of switched AMF3 objects (the
	// typed writers' traits clash), in a packet and bare; an FLV file
	// read whole (hex text of one, say); JSON back to JSON.
	for name, file := range map[string]string{
		"held-packet-shared": "../testdata/numbering/red5-echo-shared.amf",
		"held-packet-date":   "../testdata/numbering/red5-echo-date.amf",
		"held-packet-pyamf":  "../testdata/numbering/red5-echo-shared.amf",
		"held-flv":           "../testdata/flv/ffmpeg-lavf58-head.flv",
		"held-json-flv":      "../testdata/flv/ffmpeg-lavf58-head.json",
		"held-json-frames":   "../testdata/socket/bytearray-node-server.typed.jsonl",
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src, err := Load(data, "in", limitSpec(name))
		if err != nil {
			t.Fatal(name, err)
		}
		in[name] = src
	}
	typed0 := &amf.Object{Class: "T", Members: []amf.Member{
		{Name: "x", Value: amf.AVMPlus{Value: obj}}, {Name: "y", Value: amf.AVMPlus{Value: &amf.Object{Class: "T"}}}}}
	clash, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: typed0}}})
	if err != nil {
		t.Fatal(err)
	}
	if in["held-packet-clash"], err = Load(clash, "in", InSpec{}); err != nil {
		t.Fatal(err)
	}
	bare, err := amf.Marshal(typed0, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	in["held-values-clash"] = &Source{Name: "in", Kind: KindValue, Version: amf.AMF0, VersionWhy: "as asked", Data: bare}
	// An AMF0 .sol file with an AMF3 object inside an AMF0 typed object
	// (a traits clash): typed JSON takes the value path (plain streams).
	sb0, err := amf.MarshalSOL(&amf.SOL{Name: "prefs", Version: amf.AMF0, Members: []amf.Member{
		{Name: "user", Value: "alice"}, {Name: "o", Value: amf.AVMPlus{Value: obj}}, {Name: "t", Value: typed0}}})
	if err != nil {
		t.Fatal(err)
	}
	if in["held-sol-switches-clash"], err = Load(sb0, "in", InSpec{}); err != nil {
		t.Fatal(err)
	}
	for name, js := range map[string]string{
		"held-json-packet": `{"version": 3, "headers": [], "messages": [{"target": "/1/onResult", "response": "null", "value": {"a": [1, 2.5, "x"], "b": null}}]}`,
		"held-json-sol":    `{"sol": "prefs", "version": 3, "data": {"user": "alice", "n": [1, 2, 3]}}`,
		"held-json-values": "{\"a\": 1}\n[true, \"x\"]\n",
	} {
		if in[name], err = Load([]byte(js), "in", InSpec{}); err != nil {
			t.Fatal(name, err)
		}
	}
	return in
}

// limitSpec is how the input named name in limitInputs is read.
func limitSpec(name string) InSpec {
	return InSpec{PyAMFArgs: strings.HasSuffix(name, "-pyamf")}
}

// TestOutputLimitSamePlace: for every limit from 1 byte to past the
// whole output, every path that writes JSON (held by Render through
// the value model or the direct writers, streamed by RenderTo) stops at
// the same place with the same error, or writes the same output, plain
// and typed, compact and indented, values and frames; what a streamed
// path wrote before it stopped is the start of the output. The limit is
// exact: below the length of the output every path fails, and no path
// writes more than the limit (the checks between values once let the
// last value, and the newline after it, pass it); a streamed path writes
// exactly the limit before the error, as RenderTo promises.
func TestOutputLimitSamePlace(t *testing.T) {
	tgt := Target{Format: "json"}
	in := limitInputs(t)
	for name, src := range in {
		// Bare values as Load gives them: Render decides their version
		// for good (withValues), which the streamed path must decide
		// itself, first.
		orig := *src
		for _, typed := range []bool{false, true} {
			for _, indent := range []string{"", "  "} {
				full, err := src.Render(tgt, &Options{Typed: typed, Indent: indent})
				if err != nil {
					t.Fatalf("%s typed=%v: %v", name, typed, err)
				}
				for limit := int64(1); limit <= int64(len(full))+2; limit++ {
					o := func() *Options { return &Options{Typed: typed, Indent: indent, MaxOutput: limit} }
					held, herr := src.Render(tgt, o())
					var buf bytes.Buffer
					st := src
					if src.Kind == KindValue {
						cp := orig
						st = &cp
					}
					if src.Kind == KindSOL || src.Kind == KindPacket {
						// Render decodes a .sol file or a packet whole,
						// for good (wholeSOL, wholePacket): the streamed
						// writers read it anew.
						var err error
						if st, err = Load(src.Data, "in", limitSpec(name)); err != nil {
							t.Fatal(err)
						}
					}
					var ok bool
					var serr error
					if src.Kind == KindFLV {
						// An FLV file read as it comes (convert of a
						// file or a pipe): its JSON written tag by tag.
						_, serr = WriteFLVJSON(&buf, bytes.NewReader(src.Data), "in", o())
						ok = true
					} else {
						ok, serr = st.RenderTo(&buf, tgt, o())
					}
					if (!ok || src.Kind == KindFLV) && limit < int64(len(full)) && (herr == nil || !bytes.Equal(held, full[:limit])) {
						// Held whole (the paths RenderTo does not
						// stream, and an FLV file read whole), the
						// output up to the limit comes with the error
						// all the same, which convert writes: they once
						// gave nothing.
						t.Errorf("%s typed=%v indent=%q limit %d of %d: held %d bytes, %v; want the first %d", name, typed, indent, limit, len(full), len(held), herr, limit)
					}
					if ok && strings.HasPrefix(name, "held-") && src.Kind != KindFLV && (typed || !strings.HasSuffix(name, "-clash")) {
						// (A traits clash is the typed writers' only.)
						t.Fatalf("%s typed=%v: streamed, not held as it should be for this test", name, typed)
					}
					if !ok && (strings.HasPrefix(name, "values") || strings.HasPrefix(name, "frames")) {
						// Bare values (AMF0 ones with no --from too,
						// which Render once wrote whole, nothing of them
						// past the limit) and frames all stream.
						t.Fatalf("%s typed=%v: not streamed", name, typed)
					}
					if !ok {
						continue // not a streamed path
					}
					hs, ss := fmt.Sprint(herr), fmt.Sprint(serr)
					if src.Kind == KindValue {
						// The value model, which the frames' held path
						// is already.
						_, merr := appendAMFModel(nil, src.Data, src.Version, o())
						if ms := "in: " + fmt.Sprint(merr); merr == nil && herr != nil || merr != nil && ms != hs {
							t.Errorf("%s typed=%v indent=%q limit %d of %d: value model %v, direct %q", name, typed, indent, limit, len(full), merr, hs)
						}
					}
					if strings.HasPrefix(name, "frames") && !typed {
						// The same values as bare values, when their
						// plain JSON is the same, stop at the same place.
						if vs := in["values"+strings.TrimPrefix(name, "frames")]; vs != nil {
							vfull, _ := vs.Render(tgt, &Options{Indent: indent})
							_, verr := vs.Render(tgt, o())
							if bytes.Equal(vfull, full) && (verr == nil) != (herr == nil) {
								t.Errorf("%s indent=%q limit %d: as frames %v, as values %v", name, indent, limit, herr, verr)
							}
						}
					}
					if limit < int64(len(full)) && (herr == nil || serr == nil) {
						t.Errorf("%s typed=%v indent=%q limit %d of %d: held %v (%d bytes), streamed %v (%d bytes): the output passes the limit",
							name, typed, indent, limit, len(full), herr, len(held), serr, buf.Len())
					}
					if int64(buf.Len()) > limit {
						t.Errorf("%s typed=%v indent=%q limit %d: streamed %d bytes", name, typed, indent, limit, buf.Len())
					}
					switch {
					case hs != ss:
						t.Errorf("%s typed=%v indent=%q limit %d of %d: held %q, streamed %q", name, typed, indent, limit, len(full), hs, ss)
					case herr == nil && (!bytes.Equal(held, full) || !bytes.Equal(buf.Bytes(), full)):
						t.Errorf("%s typed=%v limit %d: output differs", name, typed, limit)
					case herr != nil && !bytes.HasPrefix(full, buf.Bytes()):
						t.Errorf("%s typed=%v limit %d: streamed %q before the error, not the start of the output", name, typed, limit, buf.Bytes())
					case limit < int64(len(full)) && int64(buf.Len()) != limit:
						// Every streamed output (a packet's, a .sol
						// file's, bare AMF0 and AMF3 values', AMF Socket
						// frames', plain and typed) stops at the limit
						// exactly, the bytes up to it written (the .sol
						// writers once wrote nothing when the closing
						// bytes passed it, and both nothing when a
						// value's did, before their first flush; bare
						// values and frames wrote nothing of the buffer
						// they held).
						t.Errorf("%s typed=%v indent=%q limit %d of %d: streamed %d bytes before the error, want the limit's", name, typed, indent, limit, len(full), buf.Len())
					}
				}
			}
		}
	}
}
