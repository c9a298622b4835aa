package amf

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

// checkSaysWhere holds a decoding error of data (len n) to what the
// package promises hostile input gets: a *SyntaxError whose offset is
// inside the input and whose text says it, or a *TrailingDataError
// whose offset and count add up to the input's length.
func checkSaysWhere(t *testing.T, what string, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	n := int64(len(data))
	var td *TrailingDataError
	if errors.As(err, &td) {
		if td.Offset < 0 || td.N <= 0 || td.Offset+int64(td.N) != n {
			t.Fatalf("%s(%x): trailing data at offset %d, %d bytes, in %d bytes", what, data, td.Offset, td.N, n)
		}
		return
	}
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("%s(%x): error %T %q says no offset", what, data, err, err)
	}
	if se.Offset < 0 || se.Offset > n {
		t.Fatalf("%s(%x): offset %d outside the %d bytes: %v", what, data, se.Offset, n, err)
	}
	if !strings.Contains(err.Error(), "at offset") {
		t.Fatalf("%s(%x): %q does not say where", what, data, err)
	}
}

// FuzzErrorsSayWhere: every decoder entry point that takes bytes (a
// value of either version, a run of values, a packet, a .sol file, the
// token Reader over bytes and over a stream, the envelope calls) fails on
// hostile input with an error that names an offset inside the input.
func FuzzErrorsSayWhere(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3", "../testdata/pyamf/vectors/env_*.amf", "../testdata/sol/*.sol")
	for _, tc := range decodeErrorCases {
		f.Add(mustHex(tc.hex))
	}
	for _, tc := range packetCases {
		f.Add(mustHex(tc.hex))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []*DecMode{defaultDecMode, tightDecMode} {
			for _, ver := range []Version{AMF0, AMF3} {
				var v any
				checkSaysWhere(t, "Unmarshal "+ver.String(), data, m.Unmarshal(data, ver, &v))
				_, err := m.UnmarshalAll(data, ver)
				checkSaysWhere(t, "UnmarshalAll "+ver.String(), data, err)
				_, err = buildAll(m.NewReader(data, ver))
				checkSaysWhere(t, "Reader "+ver.String(), data, err)
				_, err = buildAll(m.NewStreamReader(iotest.HalfReader(bytes.NewReader(data)), ver))
				checkSaysWhere(t, "stream Reader "+ver.String(), data, err)
			}
			_, err := m.UnmarshalPacket(data)
			checkSaysWhere(t, "UnmarshalPacket", data, err)
			_, err = readPacket(m.NewReader(data, AMF0))
			checkSaysWhere(t, "Reader packet", data, err)
			_, err = readPacket(m.NewStreamReader(iotest.HalfReader(bytes.NewReader(data)), AMF0))
			checkSaysWhere(t, "stream Reader packet", data, err)
			_, err = m.UnmarshalSOL(data)
			checkSaysWhere(t, "UnmarshalSOL", data, err)
		}
	})
}
