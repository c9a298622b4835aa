package amf

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// buildAll reads every value with a Reader's ReadValue.
func buildAll(r *Reader) ([]any, error) {
	var vs []any
	for {
		v, err := r.ReadValue()
		if err == io.EOF {
			return vs, nil
		}
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
}

func encodeAll(vs []any, ver Version) ([]byte, error) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, ver)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// checkReader holds what a user gets from the other ways of reading the
// same bytes to what UnmarshalAll gives: walking the tokens without
// building values (Valid, Skip) fails with the same error or none, and a
// Reader over a stream that gives one byte per read (so every value is
// cut across reads) reads the same values, or fails with the same error
// (offset and path too).
func checkReader(t *testing.T, m *DecMode, data []byte, ver Version) {
	t.Helper()
	want, werr := m.UnmarshalAll(data, ver)
	r := m.NewReader(data, ver)
	var verr error
	for verr == nil {
		verr = r.Skip()
	}
	if verr == io.EOF {
		verr = nil
	}
	if (werr == nil) != (verr == nil) || werr != nil && werr.Error() != verr.Error() {
		t.Fatalf("Skip(%x): error %v; UnmarshalAll: %v", data, verr, werr)
	}
	sgot, serr := buildAll(m.NewStreamReader(iotest.OneByteReader(bytes.NewReader(data)), ver))
	if (werr == nil) != (serr == nil) || werr != nil && werr.Error() != serr.Error() {
		t.Fatalf("stream Reader(%x): error %v; UnmarshalAll: %v", data, serr, werr)
	}
	if werr == nil {
		wb, err1 := encodeAll(want, ver)
		gb, err2 := encodeAll(sgot, ver)
		if !bytes.Equal(wb, gb) || (err1 == nil) != (err2 == nil) {
			t.Fatalf("stream Reader(%x) reads values that encode to %x (%v); UnmarshalAll's: %x (%v)", data, gb, err2, wb, err1)
		}
	}
}

// Every decode case, error case and PyAMF vector reads alike whether the
// tokens are only walked, or the values built from bytes or from a
// stream (see checkReader); the cases themselves pin the values and the
// errors (offset, path, message).
func TestReaderPathsAgree(t *testing.T) {
	modes := []*DecMode{defaultDecMode, tightDecMode}
	for _, m := range modes {
		for _, tc := range decodeCases {
			checkReader(t, m, mustHex(tc.hex), tc.ver)
		}
		for _, tc := range decodeErrorCases {
			dm := m
			if tc.opts != (DecOptions{}) {
				var err error
				if dm, err = tc.opts.DecMode(); err != nil {
					t.Fatal(err)
				}
			}
			checkReader(t, dm, mustHex(tc.hex), tc.ver)
		}
		for _, pat := range []string{"../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3"} {
			files, _ := filepath.Glob(pat)
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				ver := AMF0
				if filepath.Ext(f) == ".amf3" {
					ver = AMF3
				}
				checkReader(t, m, data, ver)
			}
		}
	}
}

func FuzzReaderAMF0(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0", "../testdata/public/*/*.amf0")
	for _, tc := range decodeCases {
		if tc.ver == AMF0 && len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReader(t, defaultDecMode, data, AMF0)
		checkReader(t, tightDecMode, data, AMF0)
	})
}

func FuzzReaderAMF3(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3", "../testdata/public/*/*.amf3")
	for _, tc := range decodeCases {
		if tc.ver == AMF3 && len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzStrFast(t, data)
		checkReader(t, defaultDecMode, data, AMF3)
		checkReader(t, tightDecMode, data, AMF3)
	})
}

// readPacket reads a packet through the Reader's envelope calls.
func readPacket(r *Reader) (*Packet, error) {
	ver, hc, err := r.ReadPacketStart()
	if err != nil {
		return nil, err
	}
	p := &Packet{Version: ver}
	for range hc {
		var h Header
		var n uint32
		if h.Name, h.MustUnderstand, n, err = r.ReadHeaderStart(); err != nil {
			return nil, err
		}
		start := r.InputOffset()
		if h.Value, err = r.ReadValue(); err != nil {
			return nil, err
		}
		if int64(n) != r.InputOffset()-start {
			h.Length = &n
		}
		p.Headers = append(p.Headers, h)
	}
	mc, err := r.ReadMessagesStart()
	if err != nil {
		return nil, err
	}
	for range mc {
		var m Message
		var n uint32
		if m.Target, m.Response, n, err = r.ReadMessageStart(); err != nil {
			return nil, err
		}
		start := r.InputOffset()
		if m.Value, err = r.ReadValue(); err != nil {
			return nil, err
		}
		if int64(n) != r.InputOffset()-start {
			m.Length = &n
		}
		p.Messages = append(p.Messages, m)
	}
	return p, nil
}

// The Reader's packet envelope reads what UnmarshalPacket reads.
func TestReaderPackets(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	if len(files) == 0 {
		t.Fatal("no captures")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := UnmarshalPacket(data)
		if err != nil || want.Messages[0].UnregisteredArgs {
			continue
		}
		for _, stream := range []bool{false, true} {
			r := NewReader(data, AMF0)
			if stream {
				r = NewStreamReader(iotest.HalfReader(bytes.NewReader(data)), AMF0)
			}
			got, err := readPacket(r)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			wb, _ := MarshalPacket(want)
			gb, err := MarshalPacket(got)
			if err != nil || !bytes.Equal(wb, gb) {
				t.Errorf("%s (stream %v): the Reader reads another packet (%v)", f, stream, err)
			}
		}
	}
}

func TestValid(t *testing.T) {
	for _, tc := range decodeErrorCases {
		if tc.opts != (DecOptions{}) {
			continue
		}
		_, want := UnmarshalAll(mustHex(tc.hex), tc.ver)
		got := Valid(mustHex(tc.hex), tc.ver)
		if (want == nil) != (got == nil) || want != nil && want.Error() != got.Error() {
			t.Errorf("Valid(%s) = %v, want %v", tc.hex, got, want)
		}
	}
	if err := Valid(mustHex("09 05 01 04 01 0A 0B 01 03 61 06 00 01"), AMF3); err != nil {
		t.Errorf("Valid: %v", err)
	}
}

// TestReaderDenseFirstTokensClean checks that the tokens after a mixed
// array read dense part first carry none of the array token's fields
// (the associative part is skipped ahead, then the array token restored).
func TestReaderDenseFirstTokensClean(t *testing.T) {
	// [7] with "a": 5, as AMF3: array, 1 dense item, name "a", int 5,
	// empty name, int 7.
	data := []byte{0x09, 0x03, 0x03, 'a', 0x04, 0x05, 0x01, 0x04, 0x07}
	r := NewReader(data, AMF3)
	r.DenseFirst = true
	var got []Token
	for {
		tk, err := r.ReadToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tk)
	}
	if len(got) != 5 {
		t.Fatalf("got %d tokens, want 5: %+v", len(got), got)
	}
	if a := got[0]; a.Kind != KindArray || a.Count != 1 || !a.Assoc {
		t.Errorf("array token = %+v", a)
	}
	if it := got[1]; it.Kind != KindInt || it.Int != 7 || it.Count != 0 || it.Assoc {
		t.Errorf("dense item token = %+v, want a bare int 7", it)
	}
	if n := got[2]; n.Kind != KindName || string(n.Bytes) != "a" || n.Count != 0 || n.Assoc {
		t.Errorf("name token = %+v", n)
	}
	if v := got[3]; v.Kind != KindInt || v.Int != 5 {
		t.Errorf("value token = %+v", v)
	}
	if e := got[4]; e.Kind != KindEnd {
		t.Errorf("last token = %+v", e)
	}
}
