package convert

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// fuzz17Seeds are inputs that reach today's changed entry points: a
// packet with a wrong count (CountFixOf, Apply/Undo), a chunked HTTP
// reply (DechunkHTTPInPlace), frames with a wrong length (WrongFrameLength),
// a UTF-8 byte order mark before JSON (blanked in place) and BOM-less
// UTF-16 JSON.
func fuzz17Seeds(f *testing.F) [][]byte {
	pkt := mustHex(f, "0000 0000 0001 0004 6563686f 0002 2f31 00000007 0a00000001 0200 0178")
	two := mustHex(f, "0003 0000 0001"+
		"000b 2f312f6f6e526573756c74 0004 6e756c6c 00000003 0200 0161"+
		"000b 2f322f6f6e526573756c74 0004 6e756c6c 00000003 0200 0162")
	head := "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nTransfer-Encoding: chunked\r\n\r\n"
	chunked := []byte(head + fmt.Sprintf("%x\r\n", 10) + string(pkt[:10]) + "\r\n" +
		fmt.Sprintf("%x\r\n", len(pkt)-10) + string(pkt[10:]) + "\r\n0\r\n\r\n")
	chunkedTwo := []byte(head + fmt.Sprintf("%x;x=y\r\n", len(two)) + string(two) + "\r\n0\r\n\r\n")
	var frames []byte
	for _, v := range []any{"a", amf.Int(1), &amf.Array{Dense: []any{"x", 2.5}}, amftest.W1(3)} {
		frames, _ = amf.AppendFrame(frames, v)
	}
	long := append([]byte{}, frames...)
	long[3] += 5
	short := append([]byte{}, frames...)
	short[3]--
	return [][]byte{
		pkt, two, chunked, chunkedTwo, frames, long, short,
		[]byte("\xEF\xBB\xBF{\"a\":[1,2,\"\u00e9\"]}"),
		utf16NoBOM(`{"a":[1,"caf`+"\u00e9"+`"]}`, false),
		utf16NoBOM(` [true,null,"\U0001F600"]`, true),
		[]byte(`{"amf":"packet","version":3,"headers":[],"messages":[{"target":"echo","response":"/1","body":["x"]}]}`),
	}
}

// utf16NoBOM is s in UTF-16 with no byte order mark.
func utf16NoBOM(s string, be bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if be {
		order = binary.BigEndian
	}
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

// FuzzLoadLeavesInput (fuzz17): the contract of Load's writes into its
// input. Load documents that it may rewrite data in place (a chunked HTTP
// body de-chunked there, a UTF-8 byte order mark before JSON blanked) and
// that a wrong count it makes right while reading is given back before it
// returns. So, for any bytes, on a copy given to Load and then rendered
// (JSON, and the typed JSON that reads the values again):
//   - the copy differs from the input only where Load says it may: not
//     at all, or its first bytes are what src.Data holds (de-chunked in
//     place: src.Data is what DechunkHTTP makes of the input, in a copy),
//     or the mark alone became blanks; a count fixed is always undone;
//   - render leaves src.Data and the copy as Load left them (the count
//     made right while the values stream is given back too);
//   - a second Load of the input gives the same output, so that nothing
//     a render or Load wrote is read by the next.
func FuzzLoadLeavesInput(f *testing.F) {
	for _, s := range fuzz17Seeds(f) {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, typed bool) {
		if len(data) > 1<<18 {
			return
		}
		in := bytes.Clone(data)
		src, lerr := Load(in, "in", InSpec{})
		checkWrites := func(when string) {
			t.Helper()
			if bytes.Equal(in, data) {
				return
			}
			if src != nil && src.Dechunked && !src.UTF16 && src.Encoding == Raw {
				want, ok, err := DechunkHTTP(data)
				if !ok || err != nil {
					t.Fatalf("%s: de-chunked in place, but DechunkHTTP says %v, %v", when, ok, err)
				}
				// The de-chunked bytes, then the input's rest.
				if !bytes.Equal(in[:len(want)], want) || !bytes.Equal(in[len(want):], data[len(want):]) {
					// (a UTF-8 mark after the head is never blanked:
					// the kind is a packet.)
					t.Fatalf("%s: de-chunked in place to\n%q\nDechunkHTTP gives\n%q", when, in, want)
				}
				return
			}
			if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) && string(in[:3]) == "   " && bytes.Equal(in[3:], data[3:]) {
				return // the UTF-8 mark blanked before JSON
			}
			i := 0
			for i < len(in) && in[i] == data[i] {
				i++
			}
			t.Fatalf("%s: the input changed at offset %d (%x, was %x); Load's error %v, source %+v",
				when, i, in[i:min(i+8, len(in))], data[i:min(i+8, len(data))], lerr, srcSummary(src))
		}
		checkWrites("after Load")
		if lerr != nil {
			return
		}
		var outs [2][]byte
		var errs [2]error
		for i := range outs {
			if i == 1 {
				in = bytes.Clone(data)
				src, lerr = Load(in, "in", InSpec{})
				if lerr != nil {
					t.Fatalf("second Load fails: %v", lerr)
				}
			}
			tg, err := src.Target(OutSpec{Format: "json"})
			if err != nil {
				return
			}
			outs[i], errs[i] = src.Render(tg, &Options{Typed: typed, MaxOutput: 1 << 22})
			checkWrites("after Render")
		}
		if fmt.Sprint(errs[0]) != fmt.Sprint(errs[1]) || !bytes.Equal(outs[0], outs[1]) {
			t.Fatalf("two loads of the same bytes render differently: %q (%v), %q (%v)", outs[0], errs[0], outs[1], errs[1])
		}
	})
}

func srcSummary(src *Source) string {
	if src == nil {
		return "nil"
	}
	return fmt.Sprintf("kind %v, encoding %v, dechunked %v, UTF16 %v, count %v", src.Kind, src.Encoding, src.Dechunked, src.UTF16, src.Count != nil)
}

var frameAt17 = regexp.MustCompile(`frame (\d+) at offset (\d+)|frame of \d+ bytes exceeds the limit of \d+ bytes at offset (\d+)`)

// FuzzLoadFrames (fuzz17): AMF Socket frames, whatever their lengths.
// Load and render, as asked (--from socket) and guessed as frames, never
// panic; and an error says which frame and where: "frame N at offset O"
// with N >= 1 and O a frame's start within the input, and the typed
// error (*amf.FrameLengthError, *amf.FrameError, *amf.FrameSizeError)
// holds the same offset.
func FuzzLoadFrames(f *testing.F) {
	for _, s := range fuzz17Seeds(f)[4:7] {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Add([]byte{0, 0, 0, 10, 0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x01, 0x01}, false)
	f.Add([]byte{0, 0, 0, 2, 0x06, 0x05, 0x61, 0x62}, true)
	f.Add([]byte{0, 0, 0, 3, 4, 5, 0xff}, false)
	f.Fuzz(func(t *testing.T, data []byte, guess bool) {
		if len(data) > 1<<16 {
			return
		}
		in := InSpec{Kind: KindSocket, KindSet: true}
		if guess {
			in = InSpec{}
		}
		src, err := Load(bytes.Clone(data), "in", in)
		if src == nil || src.Kind != KindSocket || src.UTF16 || src.Dechunked || src.Encoding != Raw {
			return // not frames, or offsets not of the input's bytes
		}
		if err == nil {
			var tg Target
			if tg, err = src.Target(OutSpec{Format: "json"}); err != nil {
				t.Fatalf("frames have no JSON target: %v", err)
			}
			_, err = src.Render(tg, &Options{Typed: guess, MaxOutput: 1 << 22})
		}
		if err == nil {
			return
		}
		checkFrameError(t, data, err)
	})
}

// checkFrameError: err names a frame at an offset where a frame starts
// in data, and its typed form agrees.
func checkFrameError(t *testing.T, data []byte, err error) {
	t.Helper()
	var le *amf.FrameLengthError
	var fe *amf.FrameError
	var se *amf.FrameSizeError
	var off int64
	switch {
	case errors.As(err, &le):
		off = le.Offset
	case errors.As(err, &fe):
		off = fe.Offset
		if fe.Frame < 1 {
			t.Fatalf("%x: %v: frame %d", data, err, fe.Frame)
		}
	case errors.As(err, &se):
		off = se.Offset
	default:
		t.Fatalf("%x: error %T names no frame: %v", data, err, err)
	}
	m := frameAt17.FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("%x: error names no frame and offset: %v", data, err)
	}
	said, _ := strconv.ParseInt(m[2]+m[3], 10, 64)
	if said != off {
		t.Fatalf("%x: error says offset %d, its typed form %d: %v", data, said, off, err)
	}
	// A frame starts there: the lengths before it lead to it.
	pos := int64(0)
	for pos < off && pos+4 <= int64(len(data)) {
		pos += 4 + int64(binary.BigEndian.Uint32(data[pos:]))
	}
	if pos != off || off >= int64(len(data)) {
		t.Fatalf("%x (%d bytes): error at offset %d, where no frame starts (frames lead to %d): %v", data, len(data), off, pos, err)
	}
}

// FuzzUTF16NoMarkJSON (fuzz17): any JSON value, written in UTF-16 with
// no byte order mark (little- or big-endian), loads as JSON and converts
// to the same AMF bytes as its UTF-8 form, or fails where that fails.
// One-character values ("1") are left out: two characters are
// what the encoding is told by (RFC 4627 §3).
func FuzzUTF16NoMarkJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[1,2.5,"x"]`, ` "caf` + "\u00e9" + `"`, "\t{\"\U0001F600\":[true,false,null]}\r\n",
		`{"amf":"packet","version":3,"headers":[],"messages":[{"target":"echo","response":"/1","body":["x"]}]}`,
		`12`, `-0.5e3`, `"\u0000\ud800"`, `{"a":{"b":{"c":[]}}}`, "[\"\u2028\u3000\"]"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, be bool) {
		if len(s) > 1<<14 || !utf8.ValidString(s) || !json.Valid([]byte(s)) || utf8.RuneCountInString(s) < 2 {
			return
		}
		want, werr := Load([]byte(s), "in", InSpec{})
		if werr != nil || want.Kind != KindJSON || want.Encoding != Raw {
			return // (a JSON number may be guessed to be hex: "12")
		}
		u := utf16NoBOM(s, be)
		got, gerr := Load(u, "in", InSpec{})
		if gerr != nil {
			t.Fatalf("%q in UTF-16 (big-endian %v, no mark) does not load: %v", s, be, gerr)
		}
		if !got.UTF16 || got.Kind != KindJSON || !bytes.Equal(got.Data, []byte(s)) {
			t.Fatalf("%q in UTF-16 (big-endian %v, no mark) loads as %s, %q", s, be, srcSummary(got), got.Data)
		}
		wt, werr := want.Target(OutSpec{})
		gt, gerr := got.Target(OutSpec{})
		if (werr == nil) != (gerr == nil) || wt != gt {
			t.Fatalf("%q: targets %+v (%v) and %+v (%v)", s, wt, werr, gt, gerr)
		}
		if werr != nil {
			return
		}
		wb, werr := want.Render(wt, &Options{MaxOutput: 1 << 22})
		gb, gerr := got.Render(gt, &Options{MaxOutput: 1 << 22})
		if (werr == nil) != (gerr == nil) || !bytes.Equal(wb, gb) {
			t.Fatalf("%q: UTF-8 converts to %x (%v), UTF-16 without a mark to %x (%v)", s, wb, werr, gb, gerr)
		}
	})
}
