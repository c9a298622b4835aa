package convert

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// fuzz13: what the JSON-to-frames, JSON-to-FLV and Detect targets hold
// each input to besides not panicking and their paths agreeing.

// checkFramesPromises: FramesFromJSON's error names a place in the
// input; what it writes is one whole frame for each JSON document, with
// nothing after its value; and the typed JSON lines of those frames
// convert back to the same bytes.
func checkFramesPromises(t *testing.T, data []byte) {
	t.Helper()
	out, err := FramesFromJSON(nil, data)
	if err != nil {
		if what := errorSaysWhere(err, data); what != "" {
			t.Fatalf("FramesFromJSON(%.300q): %s in the error: %v", data, what, err)
		}
		return
	}
	spans, err := splitValues(data)
	if err != nil {
		t.Fatalf("FramesFromJSON(%.300q) converts what splitValues refuses: %v", data, err)
	}
	fr := amf.NewFrameReader(bytes.NewReader(out))
	for {
		var v any
		err := fr.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil || fr.Trailing != 0 {
			t.Fatalf("FramesFromJSON(%.300q) wrote %x, whose frame %d reads as %v with %d bytes after its value", data, out, fr.Frames(), err, fr.Trailing)
		}
	}
	if fr.Frames() != len(spans) {
		t.Fatalf("FramesFromJSON(%.300q): %d frames for %d documents", data, fr.Frames(), len(spans))
	}
	typed, err := AppendFrames(nil, out, &Options{Typed: true})
	if err != nil {
		t.Fatalf("FramesFromJSON(%.300q) wrote frames %x that do not convert to JSON: %v", data, out, err)
	}
	back, err := FramesFromJSON(nil, typed)
	if err != nil {
		if heldWrongly(err) {
			return
		}
		t.Fatalf("FramesFromJSON(%.300q): its frames' typed JSON %.300q does not convert back: %v", data, typed, err)
	}
	if !bytes.Equal(back, out) {
		t.Fatalf("FramesFromJSON(%.300q) = %x; its typed JSON %.300q converts back to %x", data, out, typed, back)
	}
}

// checkFLVPromises: FLVFromJSON's error names a place in the input; the
// FLV it writes converts to JSON that converts back to the same bytes.
func checkFLVPromises(t *testing.T, data []byte) {
	t.Helper()
	out, err := FLVFromJSON(data)
	if err != nil {
		if what := errorSaysWhere(err, data); what != "" {
			t.Fatalf("FLVFromJSON(%.300q): %s in the error: %v", data, what, err)
		}
		return
	}
	for _, typed := range []bool{false, true} {
		var j bytes.Buffer
		if _, err := WriteFLVJSON(&j, bytes.NewReader(out), "in.flv", &Options{Typed: typed}); err != nil {
			t.Fatalf("FLVFromJSON(%.300q) wrote %x, which does not convert to JSON (typed %v): %v", data, out, typed, err)
		}
		if !typed {
			continue
		}
		back, err := FLVFromJSON(j.Bytes())
		if err != nil {
			if heldWrongly(err) {
				continue
			}
			t.Fatalf("FLVFromJSON(%.300q): its typed JSON %.300q does not convert back: %v", data, j.Bytes(), err)
		}
		if !bytes.Equal(back, out) {
			t.Fatalf("FLVFromJSON(%.300q) = %x; its typed JSON %.300q converts back to %x", data, out, j.Bytes(), back)
		}
	}
}

// checkDetectPromises holds Detect to its documentation: Err is set
// exactly for a packet that does not decode; a decoded packet is the
// value decoder's; Data is the input unless a text wrapping was removed,
// and then detecting Data (without unwrapping again) gives the same
// kind; a .sol, FLV or JSON guess starts as one; and Load's guess
// (detect with scan) is the same kind and encoding.
func checkDetectPromises(t *testing.T, data []byte) {
	t.Helper()
	g := Detect(data)
	if (g.Err != nil) != (g.Kind == KindPacket && g.Packet == nil) {
		t.Fatalf("Detect(%x): kind %v, packet %v, error %v", cut64(data), g.Kind, g.Packet != nil, g.Err)
	}
	if g.Packet != nil {
		if g.Kind != KindPacket {
			t.Fatalf("Detect(%x): a packet with kind %v", cut64(data), g.Kind)
		}
		p, err := amf.UnmarshalPacket(g.Data)
		if err != nil {
			t.Fatalf("Detect(%x): a packet that UnmarshalPacket refuses: %v", cut64(data), err)
		}
		a, _ := amf.MarshalPacket(p)
		b, _ := amf.MarshalPacket(g.Packet)
		if !bytes.Equal(a, b) {
			t.Fatalf("Detect(%x): its packet encodes to %x, UnmarshalPacket's to %x", cut64(data), b, a)
		}
	}
	switch g.Encoding {
	case Raw:
		if !bytes.Equal(g.Data, data) {
			t.Fatalf("Detect(%x): a raw guess changed the data", cut64(data))
		}
	default:
		if inner := detect(g.Data, false, false); inner.Kind != g.Kind {
			t.Fatalf("Detect(%x): %v, %v; its data %x alone is %v", cut64(data), g.Kind, g.Encoding, cut64(g.Data), inner.Kind)
		}
	}
	switch g.Kind {
	case KindSOL:
		if !amf.IsSOL(g.Data) && !amf.LooksLikeSOL(g.Data) {
			t.Fatalf("Detect(%x): a .sol file that does not start as one", cut64(data))
		}
	case KindFLV:
		if !IsFLV(g.Data) {
			t.Fatalf("Detect(%x): an FLV file that does not start as one", cut64(data))
		}
		_, _ = ReadFLV(g.Data) // must not panic
	case KindJSON, KindHAR:
		if text := trimText(g.Data); len(text) == 0 || !isJSONStart(text[0]) {
			t.Fatalf("Detect(%x): JSON that does not start as JSON", cut64(data))
		}
	}
	if l := detect(data, true, true); l.Kind != g.Kind || l.Encoding != g.Encoding || (l.Err == nil) != (g.Err == nil) {
		t.Fatalf("Detect(%x): %v, %v (%v); Load's guess %v, %v (%v)", cut64(data), g.Kind, g.Encoding, g.Err, l.Kind, l.Encoding, l.Err)
	}
}

// checkSpansPromises: the spans checkSpans finds are in order, not
// empty, within the input, with only white space between and around
// them, each a JSON value encoding/json accepts; a refusal of
// splitValues names a place in the input.
func checkSpansPromises(t *testing.T, data []byte) {
	t.Helper()
	spans, ok := checkSpans(data)
	if !ok {
		if _, err := splitValues(data); err != nil {
			if what := errorSaysWhere(locate(err, data), data); what != "" {
				t.Fatalf("splitValues(%.300q): %s in the error: %v", data, what, err)
			}
		}
		return
	}
	at := 0
	for _, sp := range spans {
		if sp.start < at || sp.end <= sp.start || sp.end > len(data) {
			t.Fatalf("checkSpans(%.300q): span %v after offset %d", data, sp, at)
		}
		for i := at; i < sp.start; i++ {
			if !isSpace(data[i]) {
				t.Fatalf("checkSpans(%.300q): byte %q at %d is outside every span", data, data[i], i)
			}
		}
		if !json.Valid(data[sp.start:sp.end]) {
			t.Fatalf("checkSpans(%.300q): span %q is no JSON value for encoding/json", data, data[sp.start:sp.end])
		}
		at = sp.end
	}
	for i := at; i < len(data); i++ {
		if !isSpace(data[i]) {
			t.Fatalf("checkSpans(%.300q): byte %q at %d is after the last span", data, data[i], i)
		}
	}
}

// checkJSONScanWhere: AppendJSONAsAMF's error names a place in the
// input, in both versions.
func checkJSONScanWhere(t *testing.T, data []byte) {
	t.Helper()
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		if _, err := AppendJSONAsAMF(nil, data, ver); err != nil {
			if what := errorSaysWhere(err, data); what != "" {
				t.Fatalf("AppendJSONAsAMF(%.300q, %v): %s in the error: %v", data, ver, what, err)
			}
		}
	}
}
